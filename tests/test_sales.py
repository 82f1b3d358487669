"""Sales figures: the format, the changes people quote, rankings, check's rules, export, import, the chart."""

import csv
import datetime
import io
import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from lineup import dates, load, sales, validation
from lineup.dates import Period
from lineup.model import Figure

from .conftest import Run

SALES = """\
[brands.alpha]
name = "Alpha"

[brands.alpha.models.a1]
name = "A1"
body = "coupe"

[brands.alpha.models.a2]
name = "A2"
body = "suv"

[brands.alpha.models.a3]
name = "A3"
body = "sedan"

[[brands.alpha.markets.US.a1]]
since = 2016
until = 2023
source = "https://example.com/a1"

[[brands.alpha.markets.US.a2]]
since = 2018
source = "https://example.com/a2"

[[brands.alpha.markets.US.a3]]
since = 2015
source = "https://example.com/a3"

[[brands.alpha.sales.US.a1]]
period = 2019
units = 5043
source = "https://www.example.com/2019"

[[brands.alpha.sales.US.a1]]
period = 2020
units = 2792
change = -44.6
source = "https://news.example.org/2020"

[[brands.alpha.sales.US.a1]]
period = "2021-H1"
units = 1526
change = -10.1
source = "https://news.example.org/2021-h1"

[[brands.alpha.sales.US.a1]]
period = "2021-01..2021-09"
units = 2202
change = -3.7
source = "https://news.example.org/2021-ytd"

[[brands.alpha.sales.US.a2]]
period = 2020
units = 7208
source = "https://news.example.org/2020"
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "sales.toml"
    path.write_text(SALES, encoding="utf-8")
    return path


def fig(period: str | int, units: int, change: float | None = None, versus: str | None = None) -> Figure:
    return Figure(dates.parse_period(period), units, sources=("s",), change=change,
                  compared_with=None if versus is None else dates.parse_period(versus))  # fmt: skip


# --- periods -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown", "months"),
    [(2020, "2020", 12), ("2021-H1", "2021-H1", 6), ("2021-q2", "2021-Q2", 3), ("2021-09", "2021-09", 1),
     ("2021-01..2021-09", "2021-01..2021-09", 9), ("2020-11 .. 2021-02", "2020-11..2021-02", 4)],
)  # fmt: skip
def test_a_period_is_whole_months_in_one_spelling(text: str | int, shown: str, months: int) -> None:
    period = dates.parse_period(text)
    assert (str(period), period.months) == (shown, months)
    assert dates.parse_period(str(period)) == period


@pytest.mark.parametrize(
    ("text", "says"),
    [("2021-01..2021-06", "is 2021-H1: write it so"), ("2021-09..2021-01", "runs backwards"),
     ("2021-03-04", "is a day"), ("2021-13", "no month 13"), ("soon", "not a sales period")],
)  # fmt: skip
def test_a_period_that_is_not_one_says_why(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        dates.parse_period(text)


def test_periods_shift_by_their_length_and_by_a_year() -> None:
    ytd = dates.parse_period("2021-01..2021-09")
    assert str(ytd.shifted(-12)) == "2020-01..2020-09"
    assert str(dates.parse_period("2021-H1").shifted(-6)) == "2020-H2"
    assert str(dates.parse_period("2021-01").shifted(-1)) == "2020-12"


# --- changes -------------------------------------------------------------------------------------


def test_a_change_is_computed_only_from_two_figures_of_one_length() -> None:
    figures = [fig(2019, 5043), fig(2020, 2792), fig("2020-H2", 1000), fig("2021-H1", 1526)]
    found = {str(c.figure.period): c for c in sales.compared(figures)}
    assert found["2020"].year_ago == -44.6
    assert found["2020"].previous == -44.6  # the year before is the period before
    assert found["2021-H1"].previous == 52.6
    assert found["2021-H1"].year_ago is None  # 2020-H1 is not recorded: no change, and no base made up
    assert found["2019"].year_ago is None


def test_a_reported_change_that_disagrees_beyond_its_rounding_is_found() -> None:
    assert not sales.disagrees(-44.6, -44.64)
    assert not sales.disagrees(-47, -46.99)
    assert sales.disagrees(-10.1, -10.235)
    assert sales.disagrees(-24, -25.0)
    base = [fig("2020-H1", 1700), fig("2021-H1", 1526, change=-10.1)]
    assert [(str(f.period), round(c, 1)) for f, c in sales.reported_disagreeing(base)] == [("2021-H1", -10.2)]


def test_parts_that_do_not_add_up_to_their_year_are_found_and_a_part_missing_is_not() -> None:
    figures = [fig(2020, 2792), fig("2020-H1", 1700), fig("2020-H2", 1000)]
    assert [(str(w.period), len(p)) for w, p in sales.unsummed(figures)] == [("2020", 2)]
    assert list(sales.unsummed([fig(2020, 2792), fig("2020-H1", 1700)])) == []
    assert list(sales.unsummed([fig(2020, 2700), fig("2020-H1", 1700), fig("2020-H2", 1000)])) == []


def test_a_sparkline_leaves_a_gap_for_a_period_with_no_figure() -> None:
    line = sales.sparkline([fig(2017, 10751), fig(2018, 8405), fig(2020, 2792)])
    assert len(line) == 4
    assert line[2] == " "
    assert line[0] == "█"
    assert line[3] < line[1]


# --- the format ----------------------------------------------------------------------------------


def test_figures_load_in_period_order_and_survive_the_cache(data: Path) -> None:
    cold = load.load([data]).brands["alpha"].sales["US"]["a1"]
    assert [str(f.period) for f in cold] == ["2019", "2020", "2021-H1", "2021-01..2021-09"]
    assert cold[2].change == -10.1
    assert cold[2].versus == dates.parse_period("2020-H1")
    store = load.cache.Cache.open()
    load.load([data], store)
    warm = load.load([data], store).brands["alpha"].sales["US"]["a1"]
    assert warm == cold


@pytest.mark.parametrize(
    ("table", "says"),
    [('period = 2020\nunits = "many"', "units is a whole number"),
     ("period = 2020\nunits = -1", "units is a whole number"),
     ("units = 5", "needs its period"),
     ('period = "2020-H3"\nunits = 5', "half year is H1 or H2"),
     ('period = 2020\nunits = 5\ncompared_with = 2019', "give the change too"),
     ('period = 2020\nunits = 5\nchange = "-3%"', "change is a number"),
     ("period = 2020\nunits = 5\nunit = 5", "unit")],
)  # fmt: skip
def test_a_bad_figure_is_an_error_at_its_place(tmp_path: Path, table: str, says: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(SALES + f"\n[[brands.alpha.sales.US.a2]]\n{table}\n", encoding="utf-8")
    reading = load.read([path])
    assert reading.dataset is None
    assert any(says in p.message and p.file == str(path) for p in reading.problems), reading.problems


def test_figures_of_a_model_the_brand_lacks_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(SALES + '\n[[brands.alpha.sales.US.a9]]\nperiod = 2020\nunits = 1\nsource = "s"\n')
    assert any(p.rule == "unknown-model" for p in load.read([path]).problems)


def test_fmt_writes_figures_in_one_layout_and_keeps_every_value(run: Run, data: Path) -> None:
    before = load.load([data], None)
    assert run("fmt", str(data), data=None).exit_code == 0
    text = data.read_text()
    assert text.index('period = "2021-H1"') < text.index('period = "2021-01..2021-09"')
    assert load.load([data], None).brands["alpha"].sales == before.brands["alpha"].sales


# --- check ---------------------------------------------------------------------------------------


def test_check_finds_a_figure_off_sale_a_period_twice_a_sum_and_a_change(tmp_path: Path) -> None:
    planted = SALES.replace("period = 2019\nunits = 5043", "period = 2014\nunits = 5043")
    planted += """
[[brands.alpha.sales.US.a2]]
period = 2020
units = 7000
source = "s"

[[brands.alpha.sales.US.a3]]
period = 2020
units = 100
source = "s"

[[brands.alpha.sales.US.a3]]
period = "2020-H1"
units = 40
source = "s"

[[brands.alpha.sales.US.a3]]
period = "2020-H2"
units = 50
source = "s"

[[brands.alpha.sales.US.a3]]
period = 2021
units = 150
change = 20
source = "s"
"""
    path = tmp_path / "planted.toml"
    path.write_text(planted, encoding="utf-8")
    rules = sorted(f.rule for f in validation.check([path], dates.today()).findings)
    assert rules == ["sales-change", "sales-off-sale", "sales-sum", "sales-twice"]


def test_check_finds_nothing_in_the_embedded_figures() -> None:
    findings = [
        f for f in validation.check([load.embedded_path()], dates.today()).findings if f.rule.startswith("sales")
    ]
    assert findings == []


# --- lineup sales --------------------------------------------------------------------------------


def test_the_q60_in_the_us_as_the_story_tells_it(run: Run) -> None:
    result = run("sales", "infiniti", "q60", "-m", "US", "-f", "json", data=None)
    assert result.exit_code == 0, result.output
    rows = {row["period"]: row for row in json.loads(result.stdout)}
    assert rows["2020"]["units"] == 2792
    assert rows["2020"]["vs_year"] == -44.6
    assert rows["2020"]["reported"] == -44.6
    assert rows["2019"]["units"] == 5043
    h1 = rows["2021-H1"]
    assert (h1["units"], h1["vs_year"], h1["reported"], h1["reported_vs"]) == (1526, None, -10.1, "2020-H1")
    assert all(row["sources"] for row in rows.values())


def _embedded(run: Run, brand: str, model: str) -> dict[str, dict[str, Any]]:
    result = run("sales", brand, model, "-m", "US", "-f", "json", data=None)
    assert result.exit_code == 0, result.output
    return {row["period"]: row for row in json.loads(result.stdout)}


def test_the_lc_in_the_us_from_lexus_usa_s_tables(run: Run) -> None:
    rows = _embedded(run, "lexus", "lc")
    assert rows["2019"]["units"] == 1219
    assert any("lexusenthusiast.com" in source for source in rows["2019"]["sources"])
    assert [rows[year]["units"] for year in ("2018", "2020", "2021", "2022")] == [1979, 1325, 2782, 1387]
    assert "2017" not in rows  # sold from 2017-05 as a 2018 model, but the US window starts with MY2018


def test_nissan_s_us_ranking_for_2019_puts_the_altima_first(run: Run) -> None:
    result = run("sales", "nissan", "-m", "US", "--year", "2019", "-f", "json", data=None)
    ranked = [(row["model"], row["units"]) for row in json.loads(result.stdout)]
    assert ranked == [("Altima", 209183), ("Maxima", 35076), ("370Z", 2384), ("GT-R", 331)]
    assert "no figure for" in result.stderr
    assert "Sentra" in result.stderr  # its 2019 figure was not found, so none is made up


def test_disagreeing_sources_are_kept_in_the_note(run: Run) -> None:
    gs = _embedded(run, "lexus", "gs")
    assert gs["2019"]["units"] == 3378
    assert "3,778" in gs["2019"]["note"]
    es = _embedded(run, "lexus", "es")
    assert es["2019"]["units"] == 51336
    assert "51,338" in es["2019"]["note"]
    assert "139,956" in _embedded(run, "nissan", "altima")["2022"]["note"]
    assert "3,500" in _embedded(run, "nissan", "370z")["2018"]["note"]


def test_stock_sold_after_the_last_model_year_is_left_out(run: Run) -> None:
    assert max(_embedded(run, "lexus", "gs")) == "2020"  # 76 in 2021 and 2 in 2022 fall after MY2020
    assert max(_embedded(run, "lexus", "ct")) == "2017"
    z = _embedded(run, "nissan", "z")
    assert min(z) == "2022"  # the 36 of 2021 came before the new Z was on sale
    assert "36" in z["2022"]["note"]


def test_the_versa_includes_the_versa_note_which_has_no_figures_of_its_own(run: Run) -> None:
    versa = _embedded(run, "nissan", "versa")
    assert all("Versa Note" in versa[year]["note"] for year in ("2015", "2016", "2017", "2018"))
    assert versa["2018"]["units"] == 75809
    note = run("sales", "nissan", "versa-note", "-m", "US", data=None)
    assert (note.exit_code, note.stdout) == (0, "")


def test_a_table_marks_a_reported_change_and_shows_a_sparkline(run: Run) -> None:
    result = run("sales", "infiniti", "q60", "-m", "US", "-f", "table", data=None, env={"COLUMNS": "120"})
    assert "-10.1% vs 2020-H1" in result.stdout
    assert "2,792" in result.stdout
    assert "https://" not in result.stdout
    assert "Q60 in US, 2017 to 2021: " in result.stdout


def test_scripts_get_plain_numbers(run: Run, data: Path) -> None:
    tsv = run("sales", "alpha", "a1", "-m", "US", "-f", "tsv", "--columns", "period,units,vs_year,reported",
              data=[data]).stdout  # fmt: skip
    assert "2020\t2792\t-44.6\t-44.6\n" in tsv
    rows = list(csv.DictReader(io.StringIO(run("sales", "alpha", "a1", "-f", "csv", data=[data]).stdout)))
    assert rows[0]["units"] == "5043"
    assert rows[0]["vs_year"] == ""


def test_a_brand_ranked_for_a_year_with_shares(run: Run, data: Path) -> None:
    result = run("sales", "alpha", "-m", "US", "--year", "2020", "-f", "json", data=[data])
    rows = json.loads(result.stdout)
    assert [(r["rank"], r["model"], r["units"], r["share"]) for r in rows] == [
        (1, "A2", 7208, 72.1),
        (2, "A1", 2792, 27.9),
    ]
    assert "no figure for A3" in result.stderr  # on sale then, with no figure: the shares do not cover it


def test_a_ranking_for_a_period(run: Run, data: Path) -> None:
    result = run(
        "sales", "alpha", "-m", "US", "--period", "2021-H1", "-f", "tsv", "--columns", "model,units", data=[data]
    )
    assert result.stdout == "A1\t1526\n"


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [(("--year", "2020", "--period", "2020-H1"), 2, "ask different questions"),
     (("--period", "2020-H3"), 2, "H1 or H2"),
     (("--year", "2020", "-m", "US", "-m", "TW"), 2, "one -m")],
)  # fmt: skip
def test_usage_errors(run: Run, data: Path, args: tuple[str, ...], code: int, says: str) -> None:
    result = run("sales", "alpha", *args, data=[data])
    assert result.exit_code == code
    assert says in result.stderr
    assert result.stdout == ""


def test_no_figures_is_said_on_stderr_with_nothing_on_stdout(run: Run, data: Path) -> None:
    result = run("sales", "alpha", "a3", "-m", "US", data=[data])
    assert (result.exit_code, result.stdout) == (0, "")
    assert "no sales figures for Alpha A3 in US" in result.stderr


def test_show_and_diff_give_the_units_beside_the_lineup(run: Run, data: Path) -> None:
    shown = run("show", "alpha", "-m", "US", "--year", "2020", "--sales", "2020", "-f", "json", data=[data])
    units = {row["model"]: row["sales"] for row in json.loads(shown.stdout)}
    assert units == {"A1": 2792, "A2": 7208, "A3": None}
    gone = run("diff", "alpha", "2022", "2024", "-m", "US", "--sales", "-f", "json", data=[data])
    rows = [r for r in json.loads(gone.stdout) if r["change"] == "dropped"]
    assert [(r["model"], r["sales"], r["sales_period"]) for r in rows] == [("A1", 2792, "2020")]
    assert run("show", "alpha", "--sales", "2020", data=[data]).exit_code == 2  # sales are per market


def test_model_lists_its_figures_per_market(run: Run, data: Path) -> None:
    story = json.loads(run("model", "alpha", "a1", "-f", "json", data=[data]).stdout)
    assert [f["units"] for f in story["sales"]["US"]] == [5043, 2792, 1526, 2202]
    assert "US: 2019 5,043, 2020 2,792 (and 2 other periods)" in run("model", "alpha", "a1", "-f", "table",
                                                                      data=[data]).stdout  # fmt: skip


# --- export, import, chart -----------------------------------------------------------------------


def test_export_has_the_figures(run: Run, data: Path, tmp_path: Path) -> None:
    lines = run("export", "--table", "sales", "-f", "jsonl", data=[data]).stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 5
    assert rows[1]["units"] == 2792
    assert rows[3]["period_last"] == "2021-09-30"
    db = tmp_path / "x.sqlite"
    assert run("export", "-f", "sqlite", "-o", str(db), data=[data]).exit_code == 0
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT sum(units) FROM sales WHERE model = 'a1' AND months = 12").fetchone() == (7835,)


def test_import_adds_keeps_and_reports(run: Run, data: Path, tmp_path: Path) -> None:
    run("fmt", str(data), data=None)
    lists = tmp_path / "s.csv"
    lists.write_text("period,make,model,units,source\n2021,Alpha,A1,2728,https://x.example/21\n"
                     "2019,alpha,a1,5000,https://x.example/19\n2021,Alpha,Z9,5,https://x.example/z\n")  # fmt: skip
    result = run("import", "sales", str(lists), "-m", "US", data=[data])
    assert result.exit_code == 0, result.output
    assert "kept as it was: Alpha A1 2019 is 5,043" in result.stderr
    assert "Alpha Z9" in result.stderr
    figures = load.load([data], None).brands["alpha"].sales["US"]["a1"]
    assert [(str(f.period), f.units) for f in figures][-1] == ("2021", 2728)
    before = data.read_bytes()
    again = run("import", "sales", str(lists), "-m", "US", data=[data])
    assert "0 figures added" in again.stderr
    assert data.read_bytes() == before


def test_import_refuses_a_bad_row_and_writes_nothing(run: Run, data: Path, tmp_path: Path) -> None:
    run("fmt", str(data), data=None)
    before = data.read_bytes()
    lists = tmp_path / "bad.csv"
    lists.write_text("period,make,model,units,source\n2021,Alpha,A1,12,s\n2021-13,Alpha,A1,5,s\n")
    result = run("import", "sales", str(lists), "-m", "US", data=[data])
    assert result.exit_code == 1
    assert f"{lists}:3:" in result.stderr
    assert data.read_bytes() == before


def test_the_chart_is_valid_svg_with_title_units_sources_and_lineup_dates(run: Run, data: Path, tmp_path: Path) -> None:
    data.write_text(SALES + '[[brands.alpha.sales.US.a1]]\nperiod = 2023\nunits = 300\nsource = "s"\n')
    out = tmp_path / "a1.svg"
    assert run("sales", "alpha", "a1", "-m", "US", "--svg", str(out), data=[data]).exit_code == 0
    text = out.read_text()
    ET.fromstring(text)
    assert "Alpha A1: units sold in US, by year" in text
    assert "Sources: example.com, news.example.org, s." in text
    assert "2,792" in text
    assert "A1 gone 2023-12" in text


def test_a_period_is_a_value() -> None:
    assert Period(datetime.date(2021, 1, 1), 6) == dates.parse_period("2021-H1")


def test_diff_sales_for_models_dropped_by_model_year(run: Run) -> None:
    result = run("diff", "infiniti", "2019", "2025", "-m", "US", "--sales", "-f", "json", data=None)
    assert result.exit_code == 0, result.output
    dropped = {
        r["model"]: (r["sales"], r["sales_period"]) for r in json.loads(result.stdout) if r["change"] == "dropped"
    }
    assert dropped["Q70"] == (4479, "2018")  # gone after MY2019; 2018 is its last whole year with a figure
    assert dropped["Q60"] == (2728, "2021")


def test_no_figures_print_nothing_for_people_and_an_empty_array_for_programs(run: Run) -> None:
    people = run("sales", "infiniti", "g37-coupe", "-m", "US", "-f", "table", data=None)
    assert (people.exit_code, people.stdout) == (0, "")
    assert "no sales figures for Infiniti G37 Coupe in US" in people.stderr
    assert run("sales", "infiniti", "g37-coupe", "-m", "US", "-f", "json", data=None).stdout.strip() == "[]"


def test_a_brand_chart_marks_launches_and_withdrawals_only_once_each_and_readably(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "lexus.svg"
    assert run("sales", "lexus", "-m", "US", "--svg", str(out), data=None).exit_code == 0
    root = ET.fromstring(out.read_text())
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    marks = [t for t in texts if " on sale 2" in t or " gone 2" in t]
    # The IS's model-year windows follow each other: no launch or withdrawal between them.
    assert not any(t.startswith("IS ") for t in marks), marks
    assert "GS gone 2020-12" in marks
    # Labels of marks never share a place: each (x, y) once.
    places = [(t.get("x"), t.get("y")) for t in root.iter("{http://www.w3.org/2000/svg}text")
              if " on sale 2" in (t.text or "") or " gone 2" in (t.text or "")]  # fmt: skip
    assert len(places) == len(set(places))
    assert "58,299" not in texts  # seven models a year: bars too thin to carry their numbers (their tooltips do)
    assert all(len(t) <= 160 for t in texts)  # the sources wrap rather than run off the page
