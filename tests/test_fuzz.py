"""Random and mutated input through every command: an answer or a LineupError, never another exception.

CI runs a few hundred examples; `pytest --fuzz` runs thousands.
"""

import contextlib
import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from lineup import load
from lineup.cli import app

from .helpers import FIXTURE

VALID = FIXTURE.read_bytes()
CANONICAL = load.embedded_path().read_bytes()
COMMANDS = [
    ["show"],
    ["show", "alpha", "-m", "TW", "--all", "-f", "json"],
    ["has", "alpha", "a2"],
    ["brands"],
    ["markets", "alpha"],
    ["diff", "alpha", "2014", "2024"],
    ["model", "alpha", "a2", "-f", "json"],
    ["timeline", "alpha", "-f", "table"],
    ["check"],
    ["fmt", "--check", "--diff"],
    ["export", "-f", "json"],
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """The fixture with bytes flipped, inserted, deleted or lines duplicated."""
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1)) if data else 0
        kind = draw(st.sampled_from(["flip", "insert", "delete", "duplicate", "special"]))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif kind == "delete" and data:
            del data[at : at + draw(st.integers(1, 20))]
        elif kind == "duplicate":
            end = data.find(b"\n", at) + 1 or len(data)
            data[at:at] = data[at:end]
        else:
            data[at:at] = draw(st.sampled_from([b"[", b"]", b"{", b"=", b'"', b"'''", b"\n", b"2022-13", b"\xff", b".",
                                               b"[[brands.alpha.markets.TW.a1]]\n", b"\x00", b"#"]))  # fmt: skip
    return bytes(data)


def _runs_cleanly(args: list[str]) -> Result:
    result = CliRunner().invoke(app, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: {type(result.exception).__name__}: {result.exception}") from result.exception
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert "internal error" not in result.output, (args, result.output)  # a bug caught at the last moment
    return result


@settings(suppress_health_check=list(HealthCheck), deadline=None)
@given(data=mutated(), command=st.sampled_from(COMMANDS))
def test_mutated_files_through_every_command(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, command: list[str]
) -> None:
    _runs_cleanly([*command, "--data", str(data_file(tmp_path_factory, data))])


def data_file(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> Path:
    """A data file of its own for one example."""
    path = tmp_path_factory.mktemp("data") / "data.toml"
    path.write_bytes(data)
    return path


words = st.sampled_from([
    "show", "has", "brands", "markets", "diff", "model", "timeline", "check", "fmt", "schema",
    "alpha", "beta", "a2", "ax", "TW", "US", "taiwan", "NA", "2022", "2022-04", "2022-H2", "2022-13", "0", "-1",
    "99999", "", " ", "-m", "--on", "--year", "--model-year", "--body", "--exclude-body", "--powertrain", "--origin",
    "--all", "-f", "json", "tsv", "table", "markdown", "--columns", "model,since", "nope", "--color", "always",
    "--from", "--to", "--strict", "--select", "--ignore", "stale-plan", "--check", "--diff", "coupe", "bev",
    "[red]x", "\x1b[2J", "é", "--", "-h",
])  # fmt: skip


@settings(suppress_health_check=list(HealthCheck), deadline=None)
@given(args=st.lists(st.one_of(words, st.text(max_size=8)), max_size=8))
def test_random_arguments(args: list[str]) -> None:
    if args[:1] == ["fmt"] and "--check" not in args:
        args = [*args, "--check"]  # fmt writes: keep it away from the fixture
    _runs_cleanly([*args, "--data", str(FIXTURE)] if args[:1] != ["schema"] else args)


def test_writing_commands_never_touch_the_fixture(tmp_path: Path) -> None:
    assert FIXTURE.read_bytes() == VALID


# --- the writing commands: on a copy of canonical data, random edits leave valid data or nothing -----

EDITS = [
    ["add", "infiniti", "q60", "-m", "JP", "--since", "2025", "--source", "s"],
    ["add", "acme", "a1", "-m", "JP", "--since", "2025", "--body", "sedan", "--origin", "JP"],
    ["drop", "infiniti", "qx60", "-m", "TW", "--until", "2024"],
]
edit_words = st.sampled_from([
    "add", "drop", "infiniti", "lexus", "acme", "Infiniti", "q60", "QX60", "qx60", "a1", "Q 1", "-m", "TW", "JP",
    "taiwan", "XX", "--since", "--until", "--model-years", "--last-model-year", "--note", "--source", "--body",
    "--name", "--powertrain", "--follows", "--brand-name", "--origin", "--file", "2022", "2025-H2", "2019-",
    "2019-2023", "2023-2019", "2022-13", "0", "99999", "", " ", "sedan", "suv", "bev", "g37-coupe", "nope/x",
    "[red]x", "\x1b[2J", "é", "--", "-h", "x.toml", "sub/y.toml",
])  # fmt: skip


# Each edit example copies and rewrites a whole dataset: a quarter of the examples of the other tests.
EDIT_EXAMPLES = settings(suppress_health_check=list(HealthCheck), deadline=None,
                         max_examples=max(25, settings().max_examples // 4))  # fmt: skip


@EDIT_EXAMPLES
@given(base=st.sampled_from(EDITS), extra=st.lists(st.one_of(edit_words, st.text(max_size=6)), max_size=6))
def test_random_edits_leave_valid_data_or_nothing(
    tmp_path_factory: pytest.TempPathFactory, base: list[str], extra: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("edit")
    path = folder / "lineups.toml"
    path.write_bytes(CANONICAL)
    with contextlib.chdir(folder):  # a --file given as a relative path lands in this example's folder
        result = _runs_cleanly([*base, *extra, "--data", str(path)])
    if result.exit_code != 0:
        assert path.read_bytes() == CANONICAL
    load.load(sorted(folder.rglob("*.toml")))  # raises if any file there is not valid data


cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "2020", "1899", "2020²", "Acme", "ACME", "acme", "Mercedes-Benz", "日本", '["SUV"]',
                     '["Van/Minivan", "Coupe"]', "[[[", '"', "[1, {}]", "Sedan", "\x1b[2J", "[red]x"]),
)  # fmt: skip


@EDIT_EXAMPLES
@given(rows=st.lists(st.tuples(cells, cells, cells, cells), max_size=12))
def test_random_lists_import_to_valid_data_or_fail_cleanly(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str, str, str]]
) -> None:
    folder = tmp_path_factory.mktemp("import")
    lists = folder / "lists.csv"
    with lists.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([("year", "make", "model", "body_styles"), *rows])
    into = folder / "out"
    result = _runs_cleanly(["import", "csv", str(lists), "-m", "US", "--into", str(into)])
    if result.exit_code == 0 and into.exists() and load.holds_data(into):
        load.load([into])  # raises if the import wrote data that is not valid
