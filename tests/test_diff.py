import json

import pytest

from .conftest import Run


def rows(run: Run, *args: str) -> list[list[str]]:
    result = run("diff", "alpha", *args, "-f", "tsv", "--columns", "market,change,model,date,other_date")
    assert result.exit_code == 0, result.output
    return [line.split("\t") for line in result.stdout.splitlines()]


def test_added_and_dropped_between_two_years(run: Run) -> None:
    assert rows(run, "2021", "2023", "-m", "TW") == [
        ["TW", "added", "AY", "2022-03", ""],
        ["TW", "dropped", "A2", "2022-04", ""],
        ["TW", "added", "AX", "2022-H2", ""],
    ]


def test_a_year_means_any_time_in_it(run: Run) -> None:
    # A2 was still on sale in early 2022, and AY arrived in 2022: only A2's drop lies between.
    assert rows(run, "2022", "2023", "-m", "TW") == [["TW", "dropped", "A2", "2022-04", ""]]


def test_the_same_change_read_backwards(run: Run) -> None:
    assert rows(run, "2023", "2021", "-m", "TW") == [
        ["TW", "dropped", "AX", "2022-H2", ""],
        ["TW", "added", "A2", "2022-04", ""],
        ["TW", "dropped", "AY", "2022-03", ""],
    ]


def test_equal_times_give_an_empty_diff(run: Run) -> None:
    result = run("diff", "alpha", "2022", "2022")
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param("2022-04", "2022-05", [["TW", "dropped", "A2", "2022-04", ""]], id="months"),
        pytest.param("2022-04-30", "2022-05-01", [["TW", "dropped", "A2", "2022-04", ""]], id="days"),
        pytest.param("2022-04-01", "2022-04-30", [], id="within-the-last-month"),
        pytest.param("2022-Q1", "2022-Q2", [], id="quarters-both-have-it"),
    ],
)
def test_dates_at_any_precision(run: Run, start: str, end: str, expected: list[list[str]]) -> None:
    assert [r for r in rows(run, start, end, "-m", "TW") if r[2] == "A2"] == expected


def test_a_hiatus_is_dropped_then_back(run: Run) -> None:
    # AX has no 2018 model year, and is back for 2019.
    assert rows(run, "2017", "2019", "-m", "US", "--model-year") == [
        ["US", "dropped-then-back", "AX", "MY2019", "MY2017"],
    ]
    assert rows(run, "2017", "2018", "-m", "US", "--model-year") == [["US", "dropped", "AX", "MY2017", ""]]


def test_in_calendar_time_the_return_has_its_date(run: Run) -> None:
    # The first window ends in 2017 (calendar), the second starts in 2018-03.
    assert rows(run, "2017", "2019", "-m", "US") == [["US", "dropped-then-back", "AX", "2018-03", "2017"]]


def test_a_rename_names_what_it_replaces(run: Run) -> None:
    result = run("diff", "alpha", "2015", "2017", "-m", "US", "--model-year", "-f", "json")
    changes = {c["model_id"]: c for c in json.loads(result.stdout)}
    assert changes["a2-old"]["change"] == "dropped"
    assert (changes["a2"]["change"], changes["a2"]["replaces"]) == ("added", ["A2 Classic"])


def test_a_model_that_came_and_went_in_between(run: Run) -> None:
    # A2 arrived in 2017 and left in 2022-04: between 2016 and 2023 it came and went.
    assert rows(run, "2016", "2023", "-m", "TW") == [
        ["TW", "added", "AY", "2022-03", ""],
        ["TW", "added-then-dropped", "A2", "2022-04", "2017"],
        ["TW", "added", "AX", "2022-H2", ""],
    ]


def test_every_market_grouped_by_market(run: Run) -> None:
    markets = [r[0] for r in rows(run, "2013", "2023")]
    assert markets == sorted(markets)
    assert set(markets) == {"TW", "US"}


def test_json_has_an_object_per_change_with_its_sources(run: Run) -> None:
    result = run("diff", "alpha", "2021", "2023", "-m", "TW", "-f", "json")
    first = json.loads(result.stdout)[0]
    assert first["change"] == "added"
    assert first["model_id"] == "ay"
    assert first["date"] == "2022-03"
    assert first["sources"] == ["https://example.org/tw-ay"]
    assert first["expected"] is False


def test_changes_after_the_day_asked_are_expected(run: Run) -> None:
    result = run("diff", "alpha", "2021", "2023", "-m", "TW", "--as-of", "2022-06-01", "-f", "json")
    expected = {c["model_id"]: c["expected"] for c in json.loads(result.stdout)}
    assert expected == {"ay": False, "a2": False, "ax": True}


def test_a_table_names_a_source_by_its_site_and_the_full_address_is_asked_for(run: Run) -> None:
    result = run("diff", "alpha", "2021", "2023", "-m", "TW", "-f", "table")
    assert "example.org" in result.stdout
    assert "https://" not in result.stdout
    asked = run("diff", "alpha", "2021", "2023", "-m", "TW", "-f", "table", "--columns", "model,sources")
    assert "https://example.org/tw-a2" in asked.stdout
    assert "https://example.org/tw-a2" in run("diff", "alpha", "2021", "2023", "-m", "TW", "-f", "tsv").stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(["alpha", "2021", "20x"], 2, "'20x' is not a year or a date", id="bad-date"),
        pytest.param(["alpha", "2021-04", "2022", "--model-year"], 2, "is not a model year", id="bad-model-year"),
        pytest.param(["alfa", "2021", "2022"], 1, "did you mean 'alpha'", id="unknown-brand"),
        pytest.param(["alpha", "2021"], 2, "after a brand, give both FROM and TO", id="missing-to"),
        pytest.param(["alpha", "2021", "2022", "2023"], 2, "give [BRAND] FROM TO", id="four-words"),
    ],
)
def test_diff_errors(run: Run, args: list[str], code: int, message: str) -> None:
    result = run("diff", *args)
    assert result.exit_code == code
    assert message in result.stderr


def test_with_no_brand_every_brand_s_changes_come_by_market_with_the_brand(run: Run) -> None:
    out = run("diff", "2021", "2023", "-m", "TW", "-f", "tsv", "--columns", "market,brand,change,model", data=None)
    rows = [line.split("\t") for line in out.stdout.splitlines()]
    assert ["TW", "Infiniti", "dropped", "Q60"] in rows
    assert ["TW", "Lexus", "dropped", "CT"] in rows
    assert {row[1] for row in rows} == {"Infiniti", "Lexus", "Nissan"}
    table = run("diff", "2021", "2023", "-m", "TW", "-f", "table", data=None, env={"COLUMNS": "120"}).stdout
    assert "brand" in table.splitlines()[1]


def test_change_keeps_only_the_kinds_asked_for(run: Run) -> None:
    out = run("diff", "alpha", "2021", "2023", "-m", "TW", "--change", "dropped", "--change", "ADDED", "-f", "tsv",
              "--columns", "change")  # fmt: skip
    assert out.exit_code == 0, out.output
    assert set(out.stdout.split()) <= {"dropped", "added"}
    assert "dropped" in out.stdout
    bad = run("diff", "alpha", "2021", "2023", "--change", "droped")
    assert bad.exit_code == 2
    assert "did you mean 'dropped'" in bad.stderr


def test_no_change_prints_nothing_and_says_so(run: Run) -> None:
    result = run("diff", "alpha", "2021", "2023", "-m", "TW", "--change", "left", "-f", "table")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no changes of kind left in Alpha's lineups in TW from 2021 to 2023" in result.stderr
