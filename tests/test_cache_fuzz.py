"""The cache under fuzzing: every command answers the same with it, cold or warm, as without it; and an
entry damaged in any way, even with its checksum made to match, is read again from the data file or
gives an answer, never an exception.

CI runs a few hundred examples; `pytest --fuzz` runs thousands.
"""

import copy
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from lineup import load
from lineup.cli import app
from lineup.load import cache

from .test_cache import _entries, forge
from .test_fuzz import COMMANDS, _runs_cleanly, data_file, mutated
from .test_layout import documents

# Each example runs a command three or four times: a tenth of the examples of the other tests.
CACHE_EXAMPLES = settings(suppress_health_check=list(HealthCheck), deadline=None,
                          max_examples=max(10, settings().max_examples // 10))  # fmt: skip

READING = [command for command in COMMANDS if command[0] != "fmt"]  # fmt reads no cache: it keeps the TOML


EMBEDDED = load.embedded_path().read_bytes()


def _on_embedded(command: list[str]) -> list[str]:
    """A command of the fixture's brand and model asked of the embedded data's."""
    return [word.replace("alpha", "infiniti").replace("a2", "q60") for word in command]


def _answer(args: list[str], *extra: str) -> tuple[int, str, str]:
    result: Result = CliRunner().invoke(app, [*args, *extra], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _same_answers(path: Path, command: list[str]) -> None:
    args = [*command, "--data", str(path)]
    without = _answer(args, "--no-cache")
    assert _answer(args) == without  # cold: read from TOML, the entry written
    assert _answer(args) == without  # warm: read from the entry


@CACHE_EXAMPLES
@given(data=mutated(), command=st.sampled_from(READING))
def test_mutated_files_answer_the_same_from_the_cache(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, command: list[str]
) -> None:
    _same_answers(data_file(tmp_path_factory, data), command)


@CACHE_EXAMPLES
@given(doc=documents(), command=st.sampled_from(READING))
def test_random_data_answers_the_same_from_the_cache(
    tmp_path_factory: pytest.TempPathFactory, doc: dict[str, object], command: list[str]
) -> None:
    path = data_file(tmp_path_factory, tomli_w.dumps(doc).encode())
    _same_answers(path, [word.replace("alpha", "b") for word in command])


@pytest.mark.parametrize("command", READING, ids=" ".join)
def test_the_embedded_data_answers_the_same_from_the_cache(command: list[str]) -> None:
    args = _on_embedded(command)
    without = _answer(args, "--no-cache")
    assert _answer(args) == without
    assert _answer(args) == without
    assert _entries()  # it was cached


# What a disk, a crash or a hand could do to an entry: where, as a fraction of its length.
DAMAGE = st.lists(
    st.tuples(
        st.sampled_from(["flip", "cut", "add"]), st.floats(0, 1), st.integers(0, 7), st.binary(min_size=1, max_size=8)
    ),
    min_size=1,
    max_size=4,
)


@CACHE_EXAMPLES
@given(damage=DAMAGE, command=st.sampled_from(READING))
def test_a_damaged_entry_is_rebuilt_and_answers_the_same(
    tmp_path_factory: pytest.TempPathFactory, damage: list[tuple[str, float, int, bytes]], command: list[str]
) -> None:
    path = data_file(tmp_path_factory, EMBEDDED)
    args = [*_on_embedded(command), "--data", str(path)]
    without = _answer(args, "--no-cache")
    assert _answer(args) == without
    entry = _entry_of(path)
    entry.write_bytes(damaged(entry.read_bytes(), damage))
    assert _answer(args) == without  # the damage found, the file read again
    assert _answer(args) == without  # and the entry written again good


def damaged(entry: bytes, damage: list[tuple[str, float, int, bytes]]) -> bytes:
    """The entry with bytes flipped, cut or added, as a disk, a crash or a hand could leave it."""
    data = bytearray(entry)
    for kind, where, bit, added in damage:
        at = int(where * len(data))
        if kind == "flip" and at < len(data):
            data[at] ^= 1 << bit
        elif kind == "cut":
            del data[at:]
        else:
            data[at:at] = added
    return bytes(data) if bytes(data) != entry else entry + b" "


def _entry_of(path: Path) -> Path:
    store = cache.Cache.open()
    assert store is not None
    return store._entry(str(path.resolve()), cache.FILE)


# --- forged entries: what a bug, or the user's own hand, could leave with a checksum that matches ----

ODD: list[object] = [None, True, 0, -1, 7, 10**30, 1.5, "", "x", "sedan", [], [0], [[]], ["x"], [None, None], {},
                     {"x": 1}, {"": []}, [-1, 0], [10**9, 9], [738000, 1], (), ("x",), (1,), ("",)]  # fmt: skip
ODD_VALUES = st.builds(copy.deepcopy, st.sampled_from(ODD))  # a copy each: a value drawn may be changed later


def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a record's value (a tuple, such as a window's sources, is one value)."""
    found = [at]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*at, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*at, index))
    return found


@st.composite
def forged(draw: st.DrawFn, entry: dict[str, Any]) -> dict[str, Any]:
    """The tables of an entry with a few values replaced, removed or added, anywhere in them."""
    for _ in range(draw(st.integers(1, 4))):
        places = [p for p in _paths(entry) if len(p) > 1]
        if not places:
            break
        at = draw(st.sampled_from(places))
        parent = entry
        for step in at[:-1]:
            parent = parent[step]
        last = at[-1]
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace":
            parent[last] = draw(ODD_VALUES)
        elif action == "remove":
            del parent[last]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["x", "TW", "q60", "", "models"]))] = draw(ODD_VALUES)
        else:
            parent.insert(last, draw(ODD_VALUES))
    return entry


@CACHE_EXAMPLES
@given(data=st.data(), command=st.sampled_from(READING))
def test_a_forged_entry_never_breaks_a_command(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, command: list[str]
) -> None:
    path = data_file(tmp_path_factory, EMBEDDED)
    args = _on_embedded(command)
    _answer(["check", "--data", str(path)])  # writes the entries: the file's, and the set's
    forge(_entry_of(path), lambda tables: data.draw(forged(tables)))
    _runs_cleanly([*args, "--data", str(path)])  # the set's entry vouching for the file's
    for entry in _entries(cache.SET):
        entry.unlink()
    _runs_cleanly([*args, "--data", str(path)])  # the file's alone
