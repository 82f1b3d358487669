import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from lineup import query
from lineup.cli import app

from .conftest import Run
from .helpers import FIXTURE


def _commands(group: typer.core.TyperGroup, prefix: str = "") -> list[str]:
    """Every command a user can run, a group's as `group command`."""
    out = []
    for name, command in group.commands.items():
        if isinstance(command, typer.core.TyperGroup):
            out += _commands(command, f"{prefix}{name} ")
        else:
            out.append(prefix + name)
    return sorted(out)


COMMANDS = _commands(typer.main.get_command(app))  # type: ignore[arg-type]


def test_every_command_is_listed() -> None:
    assert COMMANDS == ["add", "brand", "brands", "cache clear", "cache info", "change", "check", "coverage", "diff",
                        "drop", "export", "fmt", "has", "import csv", "import sales", "init", "markets", "model",
                        "sales", "schema", "show", "timeline"]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_a_real_example(run: Run, command: str) -> None:
    result = run(*command.split(), "--help", data=None)
    assert result.exit_code == 0, result.output
    assert "Examples:" in result.stdout
    assert f"lineup {command}" in result.stdout.split("Examples:")[1]
    assert "--data" in result.stdout or command in ("schema", "init", "cache info", "cache clear")  # they read no data
    too_wide = [line for line in result.stdout.splitlines() if len(line) > 80]  # the run is pinned to 80 columns
    assert not too_wide, too_wide


@pytest.mark.parametrize("command", COMMANDS)
def test_help_names_arguments_and_values_as_a_person_reads_them(run: Run, command: str) -> None:
    help_text = run(*command.split(), "--help", data=None).stdout
    usage = help_text.splitlines()[0]
    assert not re.search(r"[{}]", usage), usage  # `BRAND MODEL`, not `{BRAND} {MODEL}`
    assert not re.search(r"<_|\b_text\b|\b[A-Z_]*_[A-Z]*_\b", help_text), help_text  # no internal names
    assert "see the README" not in help_text


EDITS = ["add", "drop", "change", "brand", "coverage", "import csv", "import sales"]


@pytest.mark.parametrize("command", EDITS)
def test_an_edit_s_help_for_data_says_what_it_edits_and_not_the_embedded_dataset(run: Run, command: str) -> None:
    help_text = " ".join(run(*command.split(), "--help", data=None).stdout.split())
    assert "--data PATH Data file or folder of *.toml to edit (repeatable). Default: $LINEUP_DATA." in help_text
    assert "embedded" not in help_text


def test_add_help_gives_the_real_defaults_of_its_names_and_file(run: Run) -> None:
    help_text = " ".join(run("add", "--help", data=None).stdout.split())
    assert "--name NAME A new model's name (default: MODEL as typed)." in help_text
    assert "--brand-name NAME A new brand's name (default: BRAND as typed)." in help_text
    assert "--file FILE Where a brand new to the data goes. Default: the one data file, or BRAND.toml" in help_text


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version_short_and_long(run: Run, flag: str) -> None:
    result = run(flag, data=None)
    assert (result.exit_code, result.stderr) == (0, "")
    assert re.fullmatch(r"lineup \S+\n", result.stdout)


def test_top_level_help_and_version(run: Run) -> None:
    assert "show" in run("--help", data=None).stdout
    result = run("--version", data=None)
    assert result.exit_code == 0
    assert result.stdout.startswith("lineup ")


def test_no_arguments_shows_help(run: Run) -> None:
    result = run(data=None)
    assert "Usage:" in result.output


# --- show -------------------------------------------------------------------------------


def test_show_a_market_on_a_day(run: Run) -> None:
    result = run("show", "alpha", "-m", "TW", "--on", "2022-06-01", "--columns", "model")
    assert result.exit_code == 0, result.output
    assert result.stdout == "A1\nAY\n"


def test_show_defaults_to_today_and_tsv_in_a_pipe(run: Run) -> None:
    # The pinned today is 2022-11-07: the AX window of 2022-H2 has begun, but is still a plan.
    result = run("show", "alpha", "-m", "TW")
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [line[:4] for line in lines] == [
        ["Alpha", "A1", "on sale", "TW"],
        ["Alpha", "AX", "expected", "TW"],
        ["Alpha", "AY", "on sale", "TW"],
    ]


def test_show_market_by_country_name_in_any_case(run: Run) -> None:
    by_name = run("show", "alpha", "-m", "taiwan", "--on", "2022-06-01")
    assert by_name.exit_code == 0
    assert by_name.stdout == run("show", "alpha", "-m", "TW", "--on", "2022-06-01").stdout


def test_show_without_market_lists_each_model_with_its_markets(run: Run) -> None:
    rows = json.loads(run("show", "alpha", "--on", "2020-06-01", "-f", "json").stdout)
    assert [(r["model_id"], r["markets"]) for r in rows] == [
        ("a1", ["TW", "US"]),
        ("a2", ["TW", "US"]),
        ("ax", ["US"]),
    ]


def test_show_every_brand_by_body(run: Run) -> None:
    result = run("show", "-m", "TW", "--body", "coupe", "--on", "2021-06-01", "--columns", "brand,model")
    assert result.stdout == "Alpha\tA2\nBeta\tBZ\n"


def test_show_by_origin(run: Run) -> None:
    result = run("show", "-m", "TW", "--origin", "germany", "--on", "2021-06-01", "--columns", "model")
    assert result.stdout == "B3\nBZ\n"


def test_show_excluding_suvs(run: Run) -> None:
    result = run("show", "alpha", "-m", "US", "--year", "2020", "--exclude-body", "SUV", "--columns", "model")
    assert result.stdout == "A1\nA2\n"


def test_show_by_powertrain(run: Run) -> None:
    assert run("show", "--powertrain", "diesel", "--on", "2016-06-01", "--columns", "model").stdout == "B3\n"


def test_show_model_year(run: Run) -> None:
    result = run("show", "alpha", "-m", "US", "--model-year", "2018", "--columns", "model")
    assert result.stdout == "A1\nA2\n"  # no 2018 model year of the AX


def test_show_all_includes_those_that_left(run: Run) -> None:
    result = run("show", "alpha", "-m", "TW", "--on", "2022-06-01", "--all", "--columns", "model,status,until")
    assert "A2\tleft\t2022-04" in result.stdout.splitlines()


def test_show_an_empty_answer_is_a_success(run: Run) -> None:
    result = run("show", "alpha", "-m", "TW", "--on", "2000-01-01")
    assert (result.exit_code, result.stdout) == (0, "")


def test_show_warns_on_stderr_when_a_lineup_is_not_known_complete(run: Run) -> None:
    partial = run("show", "alpha", "-m", "US", "--on", "2020-01-01")
    assert "not known to be complete" in partial.stderr
    assert "Alpha in US" in partial.stderr
    assert "not known" not in partial.stdout
    complete = run("show", "alpha", "-m", "TW", "--on", "2020-01-01")
    assert complete.stderr == ""


def test_show_notes_a_market_without_data(run: Run) -> None:
    result = run("show", "alpha", "-m", "JP", "--on", "2020-01-01")
    assert result.exit_code == 0
    assert "no data for Alpha in JP (Japan)" in result.stderr
    assert "markets with data: TW, US" in result.stderr


def test_on_and_as_of_take_today_and_yesterday(run: Run) -> None:
    yesterday = run("show", "alpha", "-m", "TW", "--on", "yesterday", "--as-of", "Yesterday", "--columns", "model")
    assert yesterday.exit_code == 0, yesterday.output
    day_before = run("show", "alpha", "-m", "TW", "--on", "2022-11-06", "--as-of", "2022-11-06", "--columns", "model")
    assert yesterday.stdout == day_before.stdout  # the tests' today is 2022-11-07
    assert run("has", "alpha", "a2", "--on", "TODAY").exit_code == 0


def test_a_market_by_a_name_people_use(run: Run) -> None:
    as_code = run("show", "alpha", "-m", "TW", "--on", "2022-06-01")
    for name in ("Republic of China", "taiwan roc", "ROC"):
        result = run("show", "alpha", "-m", name, "--on", "2022-06-01")
        assert (result.exit_code, result.stdout) == (0, as_code.stdout), result.output


def test_namibia_is_not_north_america(run: Run) -> None:
    assert "NA is Namibia" in run("show", "alpha", "-m", "NA").stderr
    result = run("show", "alpha", "-m", "north america")
    assert result.exit_code == 1
    assert "is a region the data does not define" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["show", "alfa"], "unknown brand 'alfa'; did you mean 'alpha'?", id="brand"),
        pytest.param(["show", "alpha", "-m", "Taiwn"], "did you mean TW (Taiwan)?", id="market"),
        pytest.param(["show", "alpha", "--origin", "XQ"], "unknown country 'XQ'", id="origin"),
        pytest.param(["has", "alpha", "a9"], "Alpha has no model 'a9'", id="model"),
    ],
)
def test_unknown_names_exit_1_with_a_suggestion(run: Run, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"error: {result.stderr.removeprefix('error: ')}"
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["show", "--on", "2022"], "not one day", id="on-needs-a-day"),
        pytest.param(["show", "--on", "2022-13-01"], "no month 13", id="on-bad-date"),
        pytest.param(["show", "--on", "2022-01-01", "--year", "2022"], "use one", id="two-times"),
        pytest.param(["show", "--year", "0"], "is not a year", id="year-zero"),
        pytest.param(["show", "--year", "abc"], "'abc' is not a year", id="year-text"),
        pytest.param(["show", "--year", "22"], "22 is not a year lineup takes: years run from 1886", id="year-22"),
        pytest.param(["show", "--model-year", "2202"], "2202 is not a model year lineup takes", id="model-year-2202"),
        pytest.param(["timeline", "alpha", "--from", "1066"], "1066 is not a year lineup takes", id="from-1066"),
        pytest.param(["diff", "alpha", "0022", "2023"], "'0022' is in 22, not a year lineup takes", id="diff-0022"),
        pytest.param(["sales", "alpha", "--period", "3000"], "'3000' is in 3000, not a year", id="period-3000"),
        pytest.param(["show", "--on", "tomorrow"], "write YYYY-MM-DD, today or yesterday", id="on-a-word"),
        pytest.param(["show", "--body", "spaceship"], "spaceship", id="body"),
        pytest.param(["show", "-f", "xml"], "xml", id="format"),
        pytest.param(["show", "--columns", "model,colour"], "unknown column 'colour'", id="columns"),
        pytest.param(["show", "--columns", ","], "no columns given", id="no-columns"),
        pytest.param(["show", "--bogus"], "No such option", id="option"),
        pytest.param(["has", "alpha"], "Missing argument", id="missing-argument"),
        pytest.param(["frobnicate"], "No such command", id="command"),
    ],
)
def test_usage_errors_exit_2(run: Run, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


# --- has -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["alpha", "a2", "-m", "TW", "--on", "2021-01-01"], 0),
        (["alpha", "a2", "-m", "TW", "--on", "2023-01-01"], 1),
        (["alpha", "a2", "--on", "2023-01-01"], 0),  # still on sale in the US
        (["alpha", "a2", "-m", "TW", "-m", "US", "--on", "2023-01-01"], 0),
        (["alpha", "ax", "-m", "US", "--model-year", "2018"], 1),
        (["alpha", "ax", "-m", "US", "--model-year", "2019"], 0),
        (["Alpha", "A2", "-m", "taiwan", "--year", "2022"], 0),
    ],
)
def test_has_answers_with_its_exit_code_and_prints_nothing(run: Run, args: list[str], code: int) -> None:
    result = run("has", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", "")


# --- brands, markets --------------------------------------------------------------------


def test_brands(run: Run) -> None:
    result = run("brands")
    assert result.stdout == "alpha\tAlpha\tAlpha Group\tJP\t5\tTW,US\t\nbeta\tBeta\t\tDE\t2\tCN,TW\t\n"
    assert run("brands", "--columns", "id").stdout == "alpha\nbeta\n"


def test_markets(run: Run) -> None:
    assert run("markets", "--columns", "market,brand,models,complete,note").stdout == (  # a row per brand and market
        "CN\tBeta\t1\tfalse\t\n"
        "TW\tAlpha\t4\ttrue\tThe whole local lineup\n"
        "TW\tBeta\t2\tfalse\t\n"
        "US\tAlpha\t4\tfalse\t\n"
    )
    rows = json.loads(run("markets", "alpha", "-f", "json").stdout)
    assert [(r["market"], r["models"], r["complete"]) for r in rows] == [("TW", 4, True), ("US", 4, False)]


# --- data and failures --------------------------------------------------------------------


def test_data_from_the_environment(run: Run) -> None:
    result = run("brands", "--columns", "id", data=None, env={"LINEUP_DATA": str(FIXTURE)})
    assert (result.exit_code, result.stdout) == (0, "alpha\nbeta\n")


def test_bad_data_is_one_located_line_and_exit_1(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[brands.x]\nname = "X"\n[brands.x.models.y]\nname = "Y"\nbody = "boat"\n', encoding="utf-8")
    result = run("show", data=[bad])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {bad}:5:")
    assert "unknown body style 'boat'" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_malformed_toml_is_one_located_line(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[brands.x\nname = 1\n", encoding="utf-8")
    result = run("brands", data=[bad])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {bad}:1:")
    assert "not valid TOML" in result.stderr


def test_a_bug_is_reported_in_one_line_not_a_traceback(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(query, "lineup", broken)
    result = run("show", "alpha")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: internal error: RuntimeError: boom (set LINEUP_DEBUG=1 for a traceback; please report it)\n"
    )


def test_debug_shows_the_traceback(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(query, "lineup", broken)
    with pytest.raises(RuntimeError, match="boom"):
        run("show", "alpha", env={"LINEUP_DEBUG": "1"})


def test_an_empty_brand_is_an_unknown_brand(run: Run) -> None:
    for command in ("show", "markets"):
        result = run(command, "")
        assert result.exit_code == 1
        assert "unknown brand ''" in result.stderr


def test_a_market_no_brand_has_data_for_is_said(run: Run) -> None:
    result = run("show", "-m", "JP", "--on", "2020-01-01")
    assert (result.exit_code, result.stdout) == (0, "")
    assert "no data for any brand in JP (Japan); markets with data: CN, TW, US" in result.stderr
    assert "NA is Namibia" in run("show", "-m", "NA").stderr


def test_notes_are_about_the_brands_asked(run: Run) -> None:
    result = run("show", "-m", "TW", "--origin", "DE", "--on", "2020-01-01", "--columns", "brand")
    assert result.stdout == "Beta\nBeta\n"
    assert "Beta in TW" in result.stderr
    assert "Alpha" not in result.stderr


def test_usage_errors_come_before_reading_data(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[brands", encoding="utf-8")
    for args in (["--on", "2022-01-01", "--year", "2022"], ["--columns", "nope"]):
        result = run("show", *args, data=[bad])
        assert result.exit_code == 2, result.output


def test_an_empty_data_path_is_a_usage_error(run: Run) -> None:
    result = run("brands", "--data", "", data=None)
    assert result.exit_code == 2
    assert "an empty path" in result.stderr


def test_long_arguments_are_cut_short_in_messages(run: Run) -> None:
    result = run("show", "x" * 10_000)
    assert result.exit_code == 1
    assert len(result.stderr) < 300


def test_all_gives_a_row_for_every_window_with_its_status(run: Run) -> None:
    out = run("show", "infiniti", "-m", "US", "--all", "-f", "tsv", "--columns", "model,status,model_years", data=None)
    rows = [line.split("\t") for line in out.stdout.splitlines()]
    assert ["QX50", "left", "2014-2017"] in rows  # the first QX50, which went before the second came
    assert [row[2] for row in rows if row[0] == "QX50"] == ["2014-2017", "2019-2025"]
    lc = run("show", "lexus", "-m", "US", "--all", "-f", "tsv", "--columns", "model,status,model_years", data=None)
    lc_rows = [line.split("\t") for line in lc.stdout.splitlines() if line.startswith("LC\t")]
    assert lc_rows[0] == ["LC", "earlier", "2018-2020"]  # the coupe sold on as a coupe and convertible
    assert lc_rows[-1][1] != "earlier"


@pytest.mark.parametrize(
    "args",
    [["model", "infiniti", "q60"], ["show", "infiniti", "-m", "US", "--all"], ["timeline", "infiniti", "-m", "US"],
     ["sales", "infiniti", "q60", "-m", "US"], ["brands"]],
    ids=["model", "show", "timeline", "sales", "brands"],
)  # fmt: skip
def test_a_table_to_a_reader_gone_ends_with_141_as_tsv_does(tmp_path: Path, args: list[str]) -> None:
    read, write = os.pipe()
    os.close(read)  # `| head -1` has read its line and gone
    with os.fdopen(write, "wb") as out:
        result = subprocess.run([sys.executable, "-m", "lineup", *args, "-f", "table"], stdout=out,
                                stderr=subprocess.PIPE, text=True, cwd=tmp_path, timeout=60)  # fmt: skip
    assert result.returncode == 141, result.stderr
    assert "error" not in result.stderr


def test_an_empty_answer_prints_nothing_and_says_why_on_stderr(run: Run) -> None:
    for fmt in ("table", "tsv", "markdown"):
        result = run("show", "infiniti", "-m", "ID", "--on", "2020-01-01", "-f", fmt, data=None)
        assert result.exit_code == 0
        assert result.stdout == ""
        assert "no models of Infiniti on sale on 2020-01-01 in ID" in result.stderr
        assert "left in 2018-05" in result.stderr  # why, as far as the data knows
    assert run("show", "infiniti", "-m", "ID", "-f", "json", data=None).stdout.strip() == "[]"  # for programs


def test_quiet_drops_notes_and_keeps_errors(run: Run) -> None:
    loud = run("show", "infiniti", "-m", "TW", "-f", "tsv", data=None)
    assert "note:" in loud.stderr
    quiet = run("show", "infiniti", "-m", "TW", "-f", "tsv", "-q", data=None)
    assert quiet.stdout == loud.stdout
    assert quiet.stderr == ""
    failed = run("show", "infinitii", "-q", data=None)
    assert failed.exit_code == 1
    assert "error: unknown brand" in failed.stderr


def _many_brands(tmp_path: Path, n: int = 12) -> Path:
    path = tmp_path / "many.toml"
    brand = '[brands.b{0:02}]\nname = "B{0:02}"\n[brands.b{0:02}.models.m]\nname = "M"\nbody = "sedan"\n'
    brand += '[brands.b{0:02}.markets.US]\nm = {{ since = 2020, source = "s" }}\n'
    path.write_text("".join(brand.format(i) for i in range(n)))
    return path


def test_a_note_names_a_few_and_says_where_to_see_the_rest(run: Run, tmp_path: Path) -> None:
    result = run("show", "-m", "US", "-f", "tsv", data=[_many_brands(tmp_path)])
    notes = [line for line in result.stderr.splitlines() if "not known to be complete" in line]
    assert notes == ["note: not known to be complete, so models may be missing: B00 in US, B01 in US, B02 in US, "
                     "B03 in US and 8 more (`lineup markets` lists them)"]  # fmt: skip


def test_an_unknown_brand_with_a_suggestion_lists_no_brands(run: Run, tmp_path: Path) -> None:
    data = [_many_brands(tmp_path)]
    close = run("show", "b0l", data=data)
    assert "; did you mean 'b" in close.stderr
    assert "brands:" not in close.stderr
    far = run("show", "zzz", data=data)
    assert "b00, b01, b02, b03 and 8 more; `lineup brands` lists them" in far.stderr


def test_origin_says_when_the_brands_have_no_origin_recorded(run: Run, tmp_path: Path) -> None:
    result = run("show", "-m", "US", "--origin", "DE", data=[_many_brands(tmp_path)])
    assert result.stdout == ""
    assert "no brand asked about is from DE: none of the brands has an origin recorded" in result.stderr
    assert "markets with data: none" not in result.stderr


def test_every_command_that_writes_notes_takes_quiet() -> None:
    from lineup.cli import COMMANDS, app

    group = typer.main.get_command(app)
    commands = [group.commands[name] for name in COMMANDS if name != "schema"]  # type: ignore[attr-defined]
    leaves = [c for command in commands for c in getattr(command, "commands", {command.name: command}).values()]
    missing = [c.name for c in leaves if not any("--quiet" in p.opts for p in c.params) and c.name != "info"]
    assert not missing
