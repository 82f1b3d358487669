"""The quick way in reads a command line as Typer does, or leaves it to Typer; never otherwise."""

import inspect
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from lineup import commands, quick
from lineup.cli import app

from .helpers import FIXTURE

SIGNATURES = {name: inspect.signature(getattr(commands, name)) for name in quick.COMMANDS}


def _as_called(name: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    bound = SIGNATURES[name].bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


def _typer_reads(name: str, args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any] | None:
    """What Typer gives a command for a command line; None if it gives nothing (a usage error, help)."""
    seen: list[dict[str, Any]] = []
    with monkeypatch.context() as patch:
        patch.setattr(commands, name, lambda *a, **k: seen.append(_as_called(name, *a, **k)))
        CliRunner().invoke(app, [name, *args])
    return seen[0] if seen else None


def _quick_reads(name: str, args: list[str]) -> dict[str, Any] | None:
    _, options, arguments, required, rest = quick.COMMANDS[name]
    try:
        return _as_called(name, **quick.parse(args, options, arguments, required, rest))
    except (quick._Unsure, ValueError, KeyError):
        return None


words = st.sampled_from([
    "infiniti", "Infiniti", "lexus", "x y", "-", "--", "-m", "--market", "TW", "taiwan", "-mTW", "--market=TW",
    "-m=TW", "--on", "--on=2022-03-15", "2022-03-15", "2022-13-01", "2022", "--year", "--year=2022", "--model-year",
    "1e3", " 2022", "2_022", "+2022", "-1", "0", "99999", "--body", "coupe", "COUPE", "Coupe", "sedan ", "suv",
    "--exclude-body", "--powertrain", "bev", "BEV", "--origin", "JP", "--all", "--all=1", "--data", "--data=", "",
    "data.toml", " ", "--no-cache", "-f", "--format", "tsv", "TSV", "json", "table", "-f=json", "--format=csv",
    "--columns", "model,since", "model,nope", "--color", "always", "NEVER", "-h", "--help", "--version", "--nope", "-x",
    "é", "[red]x",
])  # fmt: skip
values = st.one_of(words, st.text(max_size=4))
periods = st.sampled_from(["2021", "2023", "2022-04", "2022-H2", "2019-13", "x", "2021-2023"])


@st.composite
def command_lines(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Mostly options with a value each, as people write them, with a stray word now and then."""
    name = draw(st.sampled_from(sorted(quick.COMMANDS)))
    options = quick.COMMANDS[name][1]
    words: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        option = draw(st.sampled_from(sorted(options)))
        kind = draw(st.sampled_from(["option", "option", "option", "word"]))
        if kind == "word":
            words.append(draw(st.one_of(values, periods)))
        elif options[option][1] == quick.FLAG:
            words.append(option)
        else:
            words += [option, draw(values)]
    if name == "diff" and draw(st.booleans()):
        at = draw(st.integers(0, len(words)))
        words[at:at] = ["infiniti", draw(periods), draw(periods)]
    return name, words


@settings(suppress_health_check=list(HealthCheck), deadline=None)
@given(line=command_lines())
def test_the_quick_way_reads_what_typer_reads(line: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    name, args = line
    quick_reads = _quick_reads(name, args)
    event("taken the quick way" if quick_reads is not None else "left to Typer")
    if quick_reads is not None:  # Typer must give the very same values
        assert quick_reads == _typer_reads(name, args, monkeypatch)


@pytest.mark.parametrize(
    "line",
    [
        ["show", "infiniti", "-m", "TW"],
        ["show", "-m", "taiwan", "--body", "coupe", "--origin", "JP", "-f", "json"],
        [
            "show",
            "infiniti",
            "--market=US",
            "--exclude-body",
            "suv",
            "--exclude-body",
            "Crossover",
            "--on",
            "2024-06-01",
        ],
        ["show", "lexus", "-m", "US", "--model-year", "2023", "--all", "--columns", "model,since", "--color", "never"],
        ["show", "--year", "2022", "--powertrain", "BEV", "--no-cache", "--data", "x.toml", "--data", "y", "-f", "TSV"],
        ["diff", "infiniti", "2021", "2023", "-m", "TW"],
        ["diff", "-m", "US", "infiniti", "2017", "--model-year", "2019", "--on", "2020-01-01", "--format=json"],
        ["check"],
        ["check", "data/", "x.toml", "--strict", "--ignore", "missing-source", "-f", "json", "--columns", "rule"],
    ],
    ids=" ".join,
)
def test_everyday_command_lines_are_taken_the_quick_way(line: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    name, *args = line
    quick_reads = _quick_reads(name, args)
    assert quick_reads is not None
    assert quick_reads == _typer_reads(name, args, monkeypatch)


@pytest.mark.parametrize("name", sorted(quick.COMMANDS))
def test_the_quick_way_knows_every_option_and_argument(name: str) -> None:
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    declared = {
        opt: (param.name, "flag" if param.is_flag else "many" if param.multiple else "one")
        for param in command.params
        if param.param_type_name == "option" and param.name != "help"
        for opt in param.opts + param.secondary_opts
    }
    _, options, arguments, required, rest = quick.COMMANDS[name]
    assert {opt: (dest, how) for opt, (dest, how, _) in options.items()} == declared
    positional = [param for param in command.params if param.param_type_name == "argument"]
    assert [dest for dest, _ in arguments] == [param.name for param in positional]
    assert required == sum(param.required for param in positional)
    assert rest == any(param.nargs == -1 for param in positional)


@pytest.mark.parametrize(
    "args",
    [
        ["show", "alpha", "-m", "TW"],
        ["show", "-m", "TW", "--all", "-f", "json"],
        ["show", "alpha", "-m", "US", "--model-year", "2019", "-f", "csv"],
        ["show", "alfa"],  # an error from the data: the same line
        ["show", "alpha", "-m", "XX"],
        ["show", "alpha", "--origin", "nowhere"],
        ["show", "alpha", "--data", "no/such/file.toml"],
        ["diff", "alpha", "2014", "2024", "-m", "TW"],
        ["diff", "alpha", "2019", "2016", "--model-year", "-f", "json"],
        ["diff", "beta", "2014", "2024", "-m", "XX"],
        ["check", "--strict"],
        ["check", "--select", "missing-source", "-f", "json"],
        ["check", "--ignore", "missing-source"],
    ],
    ids=" ".join,
)
def test_the_quick_way_answers_as_typer_does(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*args, "--data", str(FIXTURE)] if "--data" not in args else args
    code = quick.run(argv)
    out, err = capsys.readouterr()
    result = CliRunner().invoke(app, argv)
    assert (code, out, err) == (result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["has", "alpha", "a2"],
        ["show", "--help"],
        ["show", "-mTW"],
        ["show", "--on", "2022-13-01"],  # Typer explains the mistakes
        ["show", "--year", "2022", "--on", "2022-03-01"],
        ["show", "--columns", "nope"],
        ["show", "alpha", "beta"],
        ["show", "--", "alpha"],
        ["diff", "alpha", "2014"],
        ["diff", "alpha", "2014", "2014-05"],  # times that overlap
        ["diff", "alpha", "2014", "20x4"],
        ["check", "--select", "nope"],
        ["check", "--columns", "rule"],
        ["check", "--ignore", "read", "--select", "read"],
    ],
    ids=" ".join,
)
def test_anything_else_is_left_to_typer(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert quick.run([*argv, "--data", str(FIXTURE)] if argv else argv) is None
    assert capsys.readouterr() == ("", "")


def test_completion_and_windows_are_left_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["show", "alpha", "--data", str(FIXTURE)]
    monkeypatch.setenv("_LINEUP_COMPLETE", "complete_bash")
    assert quick.run(argv) is None
    monkeypatch.delenv("_LINEUP_COMPLETE")
    monkeypatch.setattr(os, "name", "nt")  # where Typer expands *, ~ and %VAR% in arguments
    assert quick.run(argv) is None


def _lineup(args: list[str], cache: Path, **streams: Any) -> subprocess.CompletedProcess[str]:
    """lineup run as its command is, with real streams, output buffered as it is by default."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"} | {"XDG_CACHE_HOME": str(cache)}
    code = "import sys; from lineup.quick import main; sys.argv = ['lineup', *sys.argv[1:]]; main()"
    return subprocess.run([sys.executable, "-c", code, *args], env=env, text=True, timeout=60, **streams)


@pytest.mark.parametrize(
    "line",
    [["show", "alpha", "-m", "TW", "-f", "tsv"], ["markets", "alpha", "-f", "tsv"], ["--version"]],
    ids=" ".join,
)
def test_a_reader_gone_away_ends_either_way_quietly(line: list[str], tmp_path: Path) -> None:
    """The quick way (show) and Typer's (markets, --version) alike: exit 141, and no error."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone before lineup writes
    result = _lineup([*line, "--data", str(FIXTURE)] if line[0] != "--version" else line, tmp_path, stdout=write,
                     stderr=subprocess.PIPE)  # fmt: skip
    os.close(write)
    assert result.returncode == 141
    assert "Error" not in result.stderr
    assert "Exception" not in result.stderr


@pytest.mark.parametrize(
    "line",
    [["show", "alpha", "-m", "TW", "--data", str(FIXTURE)], ["markets", "--data", str(FIXTURE)], ["--help"]],
    ids=lambda line: line[0],
)
def test_a_full_disk_is_an_error_not_a_bug(line: list[str], tmp_path: Path) -> None:
    full = Path("/dev/full")
    if not full.exists():
        pytest.skip("no /dev/full here")
    with full.open("w") as out:
        result = _lineup(line, tmp_path, stdout=out, stderr=subprocess.PIPE)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "error: cannot write the output: No space left on device"
    assert "Exception" not in result.stderr


def test_stderr_closed_changes_no_exit_code(tmp_path: Path) -> None:
    closed = _lineup(["check", str(FIXTURE)], tmp_path, stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(2))
    assert closed.returncode == 0  # the fixture has warnings only: they go nowhere


def test_a_quick_query_imports_neither_typer_nor_rich(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from lineup.quick import main\n"
        "sys.argv = ['lineup', 'show', 'infiniti', '-m', 'TW', '-f', 'tsv']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = {m.split('.')[0] for m in sys.modules} & {'typer', 'click', 'rich'}\n"
        "sys.stderr.write('LOADED=' + str(sorted(loaded)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert "LOADED=[]" in result.stderr, result.stderr
    assert "QX60" in result.stdout
