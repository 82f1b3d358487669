import csv
import io
import json
import re
import tomllib
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from lineup import render, text
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
    ax = next(r for r in rows if r["model_id"] == "ax" and r["market"] == "US" and r["status"] == "on sale")
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
HOSTILE_MODELS = tomllib.loads(HOSTILE.read_text(encoding="utf-8"))["brands"]["hostile"]["models"]
NAMES = [model["name"] for model in HOSTILE_MODELS.values()]
HOSTILE_SHOW = ("show", "-m", "TW", "--on", "2022-06-01", "--columns", "model")


def names_in(run: Run, fmt: str, *options: str) -> str:
    result = run(*HOSTILE_SHOW, "-f", fmt, *options, data=[HOSTILE])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("fmt", ["table", "tsv", "markdown", "csv", "json", "jsonl"])
def test_nothing_hidden_or_reordering_reaches_a_reader(run: Run, fmt: str) -> None:
    unseen = {character for character in "".join(NAMES) if text.hidden(character)}
    assert {"\x1b", "\x9b", "\u202e", "\u200b", "\ufeff", "\u2028"} <= unseen
    assert not set(names_in(run, fmt)) & unseen


def test_a_table_shows_names_as_the_visible_text_they_hold(run: Run) -> None:
    out = names_in(run, "table", "--color", "always")
    for name in NAMES:
        assert text.visible(name) in out, name
    assert "\\x1b[2J" in out
    assert "\x1b[2J" not in out


def test_json_holds_the_names_exactly_and_escapes_what_json_leaves_raw(run: Run) -> None:
    out = names_in(run, "json")
    assert {row["model"] for row in json.loads(out)} == set(NAMES)
    assert "\\u009b" in out
    assert "\\u202e" in out


def test_tsv_escapes_what_would_break_a_row(run: Run) -> None:
    lines = names_in(run, "tsv").splitlines()
    assert sorted(lines) == sorted(text.tsv_field(name) for name in NAMES)
    assert "Tab\\tand|pipe" in lines


def test_csv_holds_the_names_as_visible_text(run: Run) -> None:
    rows = list(csv.reader(io.StringIO(names_in(run, "csv"))))
    assert sorted(row[0] for row in rows[1:]) == sorted(text.visible(name) for name in NAMES)


def test_markdown_renders_each_name_as_the_text_it_holds(run: Run) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(names_in(run, "markdown"))
    for tag in ("<img", "<a ", "<em>", "<strong>", "<code>", "<s>"):
        assert tag not in html
    cells = [unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", html, re.DOTALL)]
    assert sorted(cells) == sorted(text.visible(name) for name in NAMES)


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


def _table(*rows: dict[str, Any]) -> Table:
    columns = tuple(rows[0])
    return Table(columns, columns, tuple(rows))


def _people(table: Table, width: int = 80, columns: list[str] | None = None) -> str:
    out = io.StringIO()
    brief = columns is None
    render.write_table(table, columns or render.default_columns(table, Format.table), out, Style(False, brief=brief))
    return out.getvalue()


def test_a_table_for_people_breaks_no_word_and_no_address_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    long_note = "Brought back for the 2020 model year after two years away from this market, " * 2
    table = _table(
        *({"market": "US", "change": "dropped-then-back", "model": f"Accord Crosstour {i}", "date": "2010-2020",
           "note": long_note, "sources": ("https://github.com/abhionlyone/us-car-models-data/blob/main/x.csv",)}
          for i in range(3))
    )  # fmt: skip
    out = _people(table)
    words = {w for row in table.rows for c in ("change", "model", "date") for w in str(row[c]).split()}
    printed = set(out.split())
    assert words <= printed, words - printed
    assert "github.com" in printed  # a source is its site in a table
    assert "https://" not in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_a_table_for_people_has_no_blank_first_line_and_no_trailing_spaces() -> None:
    out = _people(
        _table({"model": "Q50", "body": "sedan", "until": None}, {"model": "QX80", "body": "suv", "until": None})
    )
    assert out.startswith("model")
    assert not any(line.endswith(" ") for line in out.splitlines())


def test_a_column_the_same_in_every_row_is_said_once_above_a_table_and_kept_for_programs() -> None:
    table = _table({"model": "Q50", "expected": False}, {"model": "QX80", "expected": False})
    out = _people(table).splitlines()
    assert out[0] == "expected: no"
    assert out[1].split() == ["model"]
    assert render.default_columns(table, Format.tsv) == ["model", "expected"]
    said = _people(_table({"model": "Q50", "expected": False}, {"model": "QX60", "expected": True}))
    assert said.splitlines()[0].split() == ["model", "expected"]


def test_a_date_column_holds_the_date_alone_for_programs(run: Run) -> None:
    args = ["show", "infiniti", "-m", "US", "--on", "2022-11-07", "--as-of", "2022-11-07"]
    args += ["--columns", "model,until,end_expected"]
    planned = [line for line in run(*args, "-f", "csv", data=None).stdout.splitlines() if line.endswith(",true")]
    assert "Q50,2024,true" in planned
    assert not any("expected" in line for line in planned)
    assert json.loads(run(*args, "-f", "json", data=None).stdout)[0]["until"] == "2024"
    assert "2024 (expected)" in run(*args, "-f", "table", data=None).stdout  # for people, the marking stays


def test_the_model_column_is_the_name_alone_for_programs_and_told_apart_by_years_for_people(run: Run) -> None:
    args = ["show", "infiniti", "-m", "US", "--all", "--columns", "model,model_id,model_years"]
    for fmt in ("json", "csv", "tsv", "jsonl"):
        assert "q60-2013)" not in run(*args, "-f", fmt, data=None).stdout
    rows = json.loads(run(*args, "-f", "json", data=None).stdout)
    assert {(r["model"], r["model_id"]) for r in rows} >= {("Q60", "q60"), ("Q60", "q60-2013")}
    people = run(*args, "-f", "table", data=None, env={"COLUMNS": "120"}).stdout
    assert "Q60 (2017-2022)" in people
    assert "Q60 (2014-" in people


def test_sources_asked_for_in_a_table_are_each_whole_on_a_line(run: Run) -> None:
    args = ["diff", "infiniti", "2021", "2023", "-m", "TW", "--columns", "model,sources", "-f", "table"]
    out = run(*args, data=None, env={"COLUMNS": "200"}).stdout
    assert "\\n" not in out
    assert "    https://www.taipeitimes.com/News/biz/archives/2021/07/21/2003761181" in out


def test_markdown_tells_two_models_of_one_name_apart_only_where_both_are_in_it(run: Run) -> None:
    taiwan = run("show", "infiniti", "-m", "TW", "--all", "-f", "markdown", data=None).stdout
    assert "| Q60 |" in taiwan
    us = run("show", "infiniti", "-m", "US", "--all", "-f", "markdown", data=None).stdout
    assert "| Q60 (2017-2022) |" in us
