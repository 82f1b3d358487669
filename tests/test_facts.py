"""Facts that change (tests/data/facts.toml): a window's own body, powertrain, generation and name;
regions; a brand's own presence; coverage over time; and the facts as known on a day (--as-of)."""

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from lineup import dates, flat, load

from .conftest import Run
from .helpers import DATA

FACTS = DATA / "facts.toml"
NOW = dt.date(2026, 12, 6)  # every fact in the file was reported by then


@pytest.fixture(autouse=True)
def now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock of these tests: later than every date the file holds."""
    monkeypatch.setattr(dates, "today", lambda: NOW)


def rows(run: Run, *args: str) -> list[dict[str, Any]]:
    result = run(*args, "-f", "json", data=[FACTS])
    assert result.exit_code == 0, result.output
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def models(run: Run, *args: str) -> list[str]:
    return [row["model"] for row in rows(run, *args)]


# --- a window's own facts ---------------------------------------------------------------------


@pytest.mark.parametrize(("year", "expected"), [("2019", []), ("2020", []), ("2021", ["LC"]), ("2025", ["LC"])])
def test_filters_use_the_body_style_in_force(run: Run, year: str, expected: list[str]) -> None:
    assert models(run, "show", "gamma", "-m", "US", "--body", "convertible", "--model-year", year) == expected
    assert "LC" in models(run, "show", "gamma", "-m", "US", "--body", "coupe", "--model-year", year)


@pytest.mark.parametrize(
    ("market", "on", "expected"),
    [("TW", "2023-10-17", []), ("TW", "2023-10-18", ["Kicks"]), ("CA", "2024-01-01", []), ("US", "2024-01-01", [])],
)
def test_a_powertrain_counts_only_where_and_when_it_is_sold(
    run: Run, market: str, on: str, expected: list[str]
) -> None:
    found = models(run, "show", "gamma", "-m", market, "--on", on, "--powertrain", "hybrid")
    assert found == expected


def test_a_row_shows_the_facts_in_force_and_the_name_the_market_uses(run: Run) -> None:
    [q50] = rows(run, "show", "gamma", "-m", "CN", "--on", "2020-01-01")
    assert q50["model"] == "Q50L"
    [lc] = rows(run, "show", "gamma", "-m", "US", "--model-year", "2021", "--body", "convertible")
    assert lc["body"] == ["coupe", "convertible"]


def test_diff_reports_what_changed_within_a_stretch_on_sale(run: Run) -> None:
    changes = rows(run, "diff", "gamma", "2020", "2021", "-m", "US", "--model-year")
    assert [(c["change"], c["model"], c["what"], c["date"]) for c in changes if c["model"] == "LC"] == [
        ("changed", "LC", "body +convertible", "MY2021")
    ]
    back = rows(run, "diff", "gamma", "2021", "2020", "-m", "US", "--model-year")
    assert [(c["change"], c["what"]) for c in back if c["model"] == "LC"] == [("changed", "body -convertible")]
    kicks = rows(run, "diff", "gamma", "2022", "2024", "-m", "TW")
    assert [(c["change"], c["what"], c["date"]) for c in kicks if c["model"] == "Kicks"] == [
        ("changed", "powertrain +hybrid -ice", "2023-10-18")
    ]
    generations = rows(run, "diff", "gamma", "2017", "2018", "-m", "US", "--model-year")
    assert [(c["model"], c["what"]) for c in generations if c["change"] == "changed"] == [("Q50", "generation 1 -> 2")]


def test_model_shows_each_stretch_with_its_facts(run: Run) -> None:
    result = run("model", "gamma", "lc", "-f", "json", data=[FACTS])
    windows = json.loads(result.stdout)["windows"]
    assert [(w["market"], w["body"]) for w in windows if w["market"] == "US"] == [
        ("US", ["coupe"]),
        ("US", ["coupe", "convertible"]),
    ]


def test_export_gives_the_facts_in_force_and_sqlite_keeps_the_windows_own(run: Run, tmp_path: Path) -> None:
    exported = [json.loads(line) for line in run("export", "-f", "jsonl", data=[FACTS]).stdout.splitlines()]
    names = {(r["model"], r["market"], r["model_name"]) for r in exported}
    assert ("q50", "CN", "Q50L") in names
    assert ("q50", "US", "Q50") in names
    assert {tuple(r["body"]) for r in exported if r["model"] == "lc" and r["market"] == "US"} == {
        ("coupe",),
        ("coupe", "convertible"),
    }
    database = tmp_path / "facts.sqlite"
    assert run("export", "-f", "sqlite", "-o", str(database), data=[FACTS]).exit_code == 0
    db = sqlite3.connect(database)
    cursor = db.execute("SELECT * FROM lineups")
    view = [dict(zip([c[0] for c in cursor.description], row, strict=True)) for row in cursor]
    assert [c[0] for c in cursor.description] == list(flat.COLUMNS)
    csv_like = list(flat.rows(load.load([FACTS]), NOW))
    assert [row["model_name"] for row in view] == [row["model_name"] for row in csv_like]
    assert [json.loads(row["body"]) for row in view] == [row["body"] for row in csv_like]
    assert db.execute("SELECT name FROM windows WHERE market = 'CN'").fetchone()[0] == "Q50L"
    assert db.execute("SELECT name FROM windows WHERE market = 'US' AND model = 'q50'").fetchone()[0] is None
    assert db.execute("SELECT market, since, until FROM presence").fetchall() == [("ID", "2011-03", "2018-05")]
    assert db.execute("SELECT id, markets FROM regions").fetchall() == [("north-america", '["US", "CA", "MX"]')]
    assert db.execute("SELECT complete, first_model_year FROM coverage ORDER BY first_model_year").fetchall() == [
        (1, 2014),
        (0, 2023),
    ]


# --- regions --------------------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["north-america", "North America", "NORTH AMERICA"])
def test_a_region_stands_for_its_markets_and_rows_are_grouped_by_market(run: Run, region: str) -> None:
    found = rows(run, "show", "gamma", "-m", region, "--on", "2022-01-01")
    assert [row["market"] for row in found] == ["US", "US", "US", "US", "CA"]  # in the region's order
    table = run("show", "gamma", "-m", region, "--on", "2022-01-01", "-f", "table", data=[FACTS]).stdout
    lines = [line.strip() for line in table.splitlines()]
    first_ca = next(i for i, line in enumerate(lines) if " CA " in f" {line} ")
    assert lines[first_ca - 1] == ""  # a blank line between the markets' groups


def test_a_region_is_never_a_market_code(run: Run) -> None:
    result = run("show", "gamma", "-m", "EU", data=[FACTS])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: 'EU' is a region the data does not define: name its markets one by one (DE, FR, IT, ES, ...), or "
        "use a region it does define: north-america (North America)\n"
    )


# --- a brand's own presence ----------------------------------------------------------------------


def test_a_brand_that_was_not_in_a_market_is_said_not_shown_as_an_empty_lineup(run: Run) -> None:
    result = run("show", "gamma", "-m", "ID", "--on", "2020-01-01", "-f", "tsv", data=[FACTS])
    assert (result.exit_code, result.stdout) == (0, "")
    assert "note: Gamma was not in Indonesia (ID) on 2020-01-01: left in 2018-05\n" in result.stderr
    before = run("show", "gamma", "-m", "ID", "--on", "2010-01-01", "-f", "tsv", data=[FACTS]).stderr
    assert "Gamma was not in Indonesia (ID) on 2010-01-01: entered in 2011-03" in before
    during = run("show", "gamma", "-m", "ID", "--on", "2015-01-01", "-f", "tsv", data=[FACTS]).stderr
    assert "was not in" not in during


def test_diff_reports_the_brand_entering_and_leaving(run: Run) -> None:
    changes = rows(run, "diff", "gamma", "2010", "2020", "-m", "ID")
    assert [(c["change"], c["model"], c["date"]) for c in changes] == [
        ("entered", None, "2011-03"),
        ("left", None, "2018-05"),
        ("added-then-dropped", "Q50", "2018-05"),
    ]
    back = rows(run, "diff", "gamma", "2020", "2010", "-m", "ID")  # read backwards, as a model's change is
    assert {(c["change"], c["date"]) for c in back if c["model"] is None} == {("entered", "2018-05"),
                                                                             ("left", "2011-03")}  # fmt: skip


def test_markets_and_brands_show_the_brands_stays(run: Run) -> None:
    markets = rows(run, "markets", "gamma")
    assert [(m["market"], m["entered"], m["left"]) for m in markets if m["entered"]] == [("ID", "2011-03", "2018-05")]
    [brand] = rows(run, "brands")
    assert brand["presence"] == ["ID 2011-03 to 2018-05"]


def test_a_timeline_draws_the_brands_own_presence(run: Run) -> None:
    bars = rows(run, "timeline", "gamma", "-m", "ID")
    assert (bars[0]["model"], bars[0]["model_id"], bars[0]["start"], bars[0]["end"]) == (
        "Gamma itself",
        None,
        "2011-03-01",
        "2018-05-31",
    )


def test_check_finds_a_window_outside_its_brands_presence(run: Run, tmp_path: Path) -> None:
    text = FACTS.read_text(encoding="utf-8").replace('q50 = { since = "2011-03", until = "2018-05"',
                                                     'q50 = { since = "2011-03", until = "2019-05"')  # fmt: skip
    path = tmp_path / "facts.toml"
    path.write_text(text, encoding="utf-8")
    found = json.loads(run("check", str(path), "-f", "json", data=None).stdout)
    assert [(f["rule"], f["severity"]) for f in found] == [("outside-presence", "warning")]
    assert run("check", str(FACTS), data=None).stdout == ""


# --- coverage over time --------------------------------------------------------------------------


def test_a_model_missing_from_a_partial_stretch_is_unknown_not_dropped(run: Run) -> None:
    result = run("diff", "gamma", "2020", "2025", "-m", "US", "--model-year", "-f", "json", data=[FACTS])
    changes = {c["model"]: c for c in json.loads(result.stdout)}
    assert changes["Older"]["change"] == "dropped"  # missing from MY2021 and MY2022, which the data has whole
    assert changes["Old"]["change"] == "unknown"  # missing from MY2023 on, which the data marks partial
    assert changes["Thin"]["change"] == "unknown"
    assert "The list holds few models for these model years." in changes["Thin"]["note"]
    assert "2 unknown: missing where the data marks its coverage partial (US)" in result.stderr


# --- as known on a day ---------------------------------------------------------------------------


def test_an_end_not_yet_announced_is_not_known(run: Run) -> None:
    [then] = rows(run, "show", "gamma", "-m", "TW", "--on", "2022-11-07", "--as-of", "2022-11-07", "--columns",
                  "model,until,end_expected", "--body", "coupe")  # fmt: skip
    assert (then["until"], then["end_expected"]) == (None, False)  # the LC's end was reported in 2026-01
    [later] = rows(run, "show", "gamma", "-m", "TW", "--on", "2022-11-07", "--as-of", "2026-02-01", "--body", "coupe")
    assert (later["until"], later["end_expected"]) == ("2026-08", True)
    [now] = rows(run, "show", "gamma", "-m", "TW", "--on", "2022-11-07", "--as-of", NOW.isoformat(), "--body", "coupe")
    assert (now["until"], now["end_expected"]) == ("2026-08", False)  # a past end is a fact, not expected


def test_a_start_not_yet_announced_is_not_shown(run: Run) -> None:
    before = models(run, "show", "gamma", "-m", "US", "--model-year", "2021", "--as-of", "2019-06-01")
    assert "LC" in before  # on sale, but as the coupe it was: the convertible was announced in 2019-11
    assert models(run, "show", "gamma", "-m", "US", "--model-year", "2021", "--body", "convertible", "--as-of",
                  "2019-06-01") == []  # fmt: skip
    assert models(run, "show", "gamma", "-m", "US", "--model-year", "2021", "--body", "convertible", "--as-of",
                  "2019-12-01") == ["LC"]  # fmt: skip


@pytest.mark.parametrize("command", [["has", "gamma", "lc", "-m", "TW"], ["export"], ["timeline", "gamma"],
                                     ["model", "gamma", "lc"], ["diff", "gamma", "2021", "2023"]])  # fmt: skip
def test_every_question_takes_as_of(run: Run, command: list[str]) -> None:
    result = run(*command, "--as-of", "2022-11-07", data=[FACTS])
    assert result.exit_code == 0, result.output
