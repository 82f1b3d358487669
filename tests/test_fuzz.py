"""Random and mutated input through every command: an answer or a LineupError, never another exception.

CI runs a few hundred examples; `pytest --fuzz` runs thousands.
"""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from lineup.cli import app

from .helpers import FIXTURE

VALID = FIXTURE.read_bytes()
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


def _runs_cleanly(args: list[str]) -> None:
    result = CliRunner().invoke(app, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: {type(result.exception).__name__}: {result.exception}") from result.exception
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert "internal error" not in result.output, (args, result.output)  # a bug caught at the last moment


@settings(suppress_health_check=list(HealthCheck), deadline=None)
@given(data=mutated(), command=st.sampled_from(COMMANDS))
def test_mutated_files_through_every_command(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, command: list[str]
) -> None:
    path = tmp_path_factory.mktemp("mutated") / "data.toml"
    path.write_bytes(data)
    _runs_cleanly([*command, "--data", str(path)])


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
