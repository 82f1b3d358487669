import string

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from lineup.load.positions import Positions
from lineup.text import KeyPath

DOC = """\
# a comment with [brackets] and = signs
title = "x # not a comment"
"quoted key" = 1
dotted.key = { a = 1, 'b c' = [1, 2] }

[brands.alpha]   # trailing comment
name = '''multi
line = "not a key"
'''

[brands.alpha.markets.TW]
a1 = [
  { since = 2014 },  # first
  { since = "2019-03" },
]

[[runs]]
x = 1

[[runs]]
x = 2

[runs.sub]
y = "]"
"""


def at(key: KeyPath) -> tuple[int, int] | None:
    return Positions(DOC).find(key)


def test_keys_tables_and_elements_have_their_lines() -> None:
    assert at(("title",)) == (2, 1)
    assert at(("quoted key",)) == (3, 1)
    assert at(("dotted", "key", "a")) == (4, 16)
    assert at(("dotted", "key", "b c", 1)) == (4, 35)
    assert at(("brands", "alpha")) == (6, 1)
    assert at(("brands", "alpha", "name")) == (7, 1)
    assert at(("brands", "alpha", "markets", "TW", "a1")) == (12, 1)
    assert at(("brands", "alpha", "markets", "TW", "a1", 1)) == (14, 3)
    assert at(("brands", "alpha", "markets", "TW", "a1", 1, "since")) == (14, 5)
    assert at(("runs", 1, "x")) == (21, 1)
    assert at(("runs", 1, "sub", "y")) == (24, 1)


def test_a_missing_key_falls_back_to_its_nearest_ancestor() -> None:
    assert at(("brands", "alpha", "markets", "TW", "a1", 0, "until")) == (13, 3)
    assert at(("nothing",)) is None


def test_garbage_never_raises() -> None:
    for text in ["[", "a = ", '"unterminated', "[[x]", "a = [1, {", "\\", "= 1", "a.=1", "x = '''"]:
        Positions(text).find(("a",))


keys = st.text(alphabet=string.ascii_letters + string.digits + "-_ .é\"'", min_size=1, max_size=8)
scalars = st.one_of(st.integers(), st.text(max_size=10), st.booleans())
documents = st.recursive(
    st.dictionaries(keys, scalars, max_size=3),
    lambda children: st.dictionaries(
        keys, st.one_of(scalars, children, st.lists(children, min_size=1, max_size=2)), max_size=3
    ),
    max_leaves=12,
)


def leaves(doc: object, path: KeyPath = ()) -> list[KeyPath]:
    if isinstance(doc, dict):
        return [p for k, v in doc.items() for p in leaves(v, (*path, k))] or [path]
    if isinstance(doc, list):
        return [p for i, v in enumerate(doc) for p in leaves(v, (*path, i))] or [path]
    return [path]


@settings(max_examples=200)
@given(documents)
def test_every_key_of_a_written_document_is_found_on_its_line(doc: dict[str, object]) -> None:
    text = tomli_w.dumps(doc)
    positions = Positions(text)
    lines = text.split("\n")  # TOML ends lines at \n only; str.splitlines() also splits at \x85
    for path in leaves(doc):
        if not path:
            continue
        found = positions.find(path)
        assert found is not None, (path, text)
        last = path[-1]
        if isinstance(last, str) and not isinstance(path[-2] if len(path) > 1 else None, int):
            line = lines[found[0] - 1]
            assert tomli_w.dumps({last: 0}).split(" = ")[0] in line, (path, line, text)
