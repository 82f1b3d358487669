import csv
import io
import json
from pathlib import Path

import pytest

from lineup import render
from lineup.formats import Format
from lineup.render import Style
from lineup.tables import Table

from .conftest import Run
from .helpers import DATA, EXPECTED

GOLDEN_ARGS = ["show", "alpha", "-m", "TW", "-m", "US", "--on", "2022-06-01", "--all"]


@pytest.mark.parametrize(
    ("fmt", "suffix"),
    [
        pytest.param("table", "txt", id="table"),
        pytest.param("tsv", "tsv", id="tsv"),
        pytest.param("csv", "csv", id="csv"),
        pytest.param("json", "json", id="json"),
        pytest.param("jsonl", "jsonl", id="jsonl"),
        pytest.param("markdown", "md", id="markdown"),
    ],
)
def test_golden_output(run: Run, regen_golden: bool, fmt: str, suffix: str) -> None:
    result = run(*GOLDEN_ARGS, "-f", fmt)
    assert result.exit_code == 0, result.output
    expected = EXPECTED / f"show-alpha.{suffix}"
    if regen_golden:
        expected.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == expected.read_text(encoding="utf-8")


def test_json_is_valid_and_keeps_date_precision(run: Run) -> None:
    rows = json.loads(run(*GOLDEN_ARGS, "-f", "json").stdout)
    a2 = next(r for r in rows if r["model_id"] == "a2" and r["market"] == "TW")
    assert (a2["since"], a2["until"], a2["status"]) == ("2017", "2022-04", "left")
    ax = next(r for r in rows if r["model_id"] == "ax" and r["market"] == "US")
    assert ax["model_years"] == [2019, None]


def test_jsonl_has_one_object_per_line(run: Run) -> None:
    lines = run(*GOLDEN_ARGS, "-f", "jsonl").stdout.splitlines()
    assert len(lines) == len(json.loads(run(*GOLDEN_ARGS, "-f", "json").stdout))
    assert all(isinstance(json.loads(line), dict) for line in lines)


def test_columns_pick_and_order_in_every_format(run: Run) -> None:
    for fmt in ("tsv", "csv", "json", "markdown", "table"):
        out = run(*GOLDEN_ARGS, "-f", fmt, "--columns", "until,model").stdout
        assert out.index("2022-04") < out.index("A2"), fmt
        assert "TW" not in out, fmt


# --- data is printed as text, never as markup or terminal control --------------------

HOSTILE = DATA / "hostile.toml"


@pytest.mark.parametrize("fmt", ["table", "tsv", "markdown", "csv"])
def test_markup_and_escape_sequences_print_literally(run: Run, fmt: str) -> None:
    result = run("show", "-m", "TW", "--on", "2022-06-01", "-f", fmt, data=[HOSTILE])
    assert result.exit_code == 0, result.output
    assert "[red]x" in result.stdout
    assert "\x1b" not in result.stdout or fmt == "csv"


def test_table_shows_escape_sequences_as_text(run: Run) -> None:
    out = run("show", "-m", "TW", "--on", "2022-06-01", "-f", "table", "--color", "always", data=[HOSTILE]).stdout
    assert "\\x1b[2J" in out
    assert "\x1b[2J" not in out


def test_json_escapes_control_characters(run: Run) -> None:
    out = run("show", "-m", "TW", "--on", "2022-06-01", "-f", "json", data=[HOSTILE]).stdout
    assert "\\u001b[2J" in out
    assert "\\u009b" in out  # C1 controls such as CSI too, which json leaves raw
    assert "\x9b" not in out
    assert {row["model"] for row in json.loads(out)} == {"[red]x", "Clear\x1b[2J", "Tab\tand|pipe", "C1\x9b2J"}


def test_tsv_escapes_what_would_break_a_row(run: Run) -> None:
    out = run("show", "-m", "TW", "--on", "2022-06-01", "-f", "tsv", "--columns", "model", data=[HOSTILE]).stdout
    assert out.splitlines() == ["C1\\x9b2J", "Clear\\x1b[2J", "[red]x", "Tab\\tand|pipe"]  # in id order


def test_markdown_escapes_pipes(run: Run) -> None:
    out = run("show", "-m", "TW", "--on", "2022-06-01", "-f", "markdown", "--columns", "model", data=[HOSTILE]).stdout
    assert "| Tab\\tand\\|pipe |" in out


def test_csv_reads_back() -> None:
    table = Table(("a", "b"), ("a", "b"), ({"a": 'say "hi", then', "b": ("x", "y")},))
    out = io.StringIO()
    render.write_csv(table, ["a", "b"], out, Style(terminal=False))
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["a", "b"], ['say "hi", then', "x,y"]]


# --- values ------------------------------------------------------------------------------


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_default_format_is_a_table_on_a_terminal_and_tsv_in_a_pipe() -> None:
    assert render.default_format(FakeTTY()) is Format.table
    assert render.default_format(io.StringIO()) is Format.tsv


def test_every_format_has_a_writer() -> None:
    assert set(render.WRITERS) == set(Format)


def test_expected_files_exist() -> None:
    assert sorted(p.name for p in EXPECTED.glob("show-alpha.*")) == [
        f"show-alpha.{s}" for s in sorted(["csv", "json", "jsonl", "md", "tsv", "txt"])
    ]
    assert all(p.read_text(encoding="utf-8") for p in Path(EXPECTED).glob("show-alpha.*"))


@pytest.mark.parametrize(
    ("env", "flag", "coloured"),
    [
        pytest.param({}, "auto", False, id="auto-in-a-pipe"),
        pytest.param({"FORCE_COLOR": "1"}, "auto", True, id="force-color"),
        pytest.param({}, "always", True, id="always"),
        pytest.param({"NO_COLOR": "1"}, "always", True, id="always-wins-over-no-color"),
        pytest.param({"FORCE_COLOR": "1"}, "never", False, id="never-wins-over-force-color"),
    ],
)
def test_colour(run: Run, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], flag: str, coloured: bool) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    out = run(*GOLDEN_ARGS, "-f", "table", "--color", flag).stdout
    assert ("\x1b[" in out) is coloured


def test_machine_formats_never_colour(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    for fmt in ("tsv", "csv", "json", "jsonl", "markdown"):
        assert "\x1b[" not in run(*GOLDEN_ARGS, "-f", fmt, "--color", "always").stdout
