"""What reads the command line's values (lineup.cli.options): each value read, or a usage error that says why."""

import datetime as dt
import re
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
import typer

from lineup import dates
from lineup.cli import options
from lineup.errors import LineupError
from lineup.model import Dataset, Region

from .helpers import TODAY

RANGE = "years run from 1886 (the first car) to 2072 (50 years from today)"  # today is pinned to 2022-11-07


def refused(message: str) -> AbstractContextManager[pytest.ExceptionInfo[typer.BadParameter]]:
    """A usage error whose message is `message`, whole."""
    return pytest.raises(typer.BadParameter, match=f"^{re.escape(message)}$")


# --- path and file ------------------------------------------------------------------------


def test_a_path_is_taken_as_typed() -> None:
    assert options.path("data/lineups.toml") == Path("data/lineups.toml")
    assert options.path(" spaced name.toml") == Path(" spaced name.toml")  # only an empty one is refused


@pytest.mark.parametrize("value", [pytest.param("", id="empty"), pytest.param("  ", id="blank")])
def test_an_empty_path_is_refused_rather_than_read_as_this_folder(value: str) -> None:
    with refused("an empty path"):
        options.path(value)


def test_a_path_with_a_nul_is_refused() -> None:
    with refused("a path cannot hold a NUL character"):
        options.path("data\x00.toml")


def test_a_file_to_write_is_a_new_or_existing_file_or_stdout(tmp_path: Path) -> None:
    assert options.file(str(tmp_path / "out.csv")) == tmp_path / "out.csv"
    (tmp_path / "there.csv").write_text("old", encoding="utf-8")
    assert options.file(str(tmp_path / "there.csv")) == tmp_path / "there.csv"
    assert options.file("-") == Path("-")


def test_a_folder_is_not_a_file_to_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    with refused("'out' is not a file name"):
        options.file("out")
    with refused("'.' is not a file name"):
        options.file(".")


def test_a_file_is_a_path_first() -> None:
    with refused("an empty path"):
        options.file("")


# --- day and date -------------------------------------------------------------------------


def test_a_day_is_an_iso_date_today_or_yesterday() -> None:
    assert options.day("2022-03-15") == dt.date(2022, 3, 15)
    assert options.day(" 2022-03-15 ") == dt.date(2022, 3, 15)
    assert options.day("today") == TODAY  # the clock the tests pin
    assert options.day("Today") == TODAY
    assert options.day("yesterday") == TODAY - dt.timedelta(days=1)
    assert options.day(" YESTERDAY ") == TODAY - dt.timedelta(days=1)


def test_a_date_option_takes_today_and_yesterday_as_days() -> None:
    assert options.date("today") == dates.PartialDate.day(TODAY)
    assert options.date("Yesterday") == dates.PartialDate.day(TODAY - dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("2022", "'2022' is not one day: write YYYY-MM-DD, today or yesterday (for a whole year, use "
                     "--year)", id="a-year"),
        pytest.param("2022-04", "'2022-04' is not one day: write YYYY-MM-DD, today or yesterday (for a whole year, "
                     "use --year)", id="a-month"),
        pytest.param("2022-13-01", "'2022-13-01': there is no month 13", id="month-13"),
        pytest.param("2022-02-30", "'2022-02-30': there is no such day", id="february-30"),
        pytest.param("tomorrow", "'tomorrow' is not a day: write YYYY-MM-DD, today or yesterday", id="a-word"),
        pytest.param("0022-01-01", f"'0022-01-01' is in 22, not a year lineup takes: {RANGE}", id="year-22"),
    ],
)  # fmt: skip
def test_a_day_that_is_not_one_says_why(value: str, message: str) -> None:
    with refused(message):
        options.day(value)


@pytest.mark.parametrize("value", ["tomorrow", "2022-H2", "2022-Q3", "last week"])
def test_a_day_refused_is_told_only_spellings_a_day_option_takes(value: str) -> None:
    with pytest.raises(typer.BadParameter) as refusal:
        options.day(value)
    advice = refusal.value.message.split(": write ", 1)[1]
    assert advice.startswith("YYYY-MM-DD, today or yesterday"), refusal.value.message
    assert not re.search(r"H[12]|Q[1-4]|[0-9]{4}", advice), refusal.value.message


@pytest.mark.parametrize(
    ("value", "written", "precision"),
    [
        pytest.param("2022", "2022", dates.Precision.YEAR, id="year"),
        pytest.param("2022-h2", "2022-H2", dates.Precision.HALF, id="half"),
        pytest.param("2022-Q3", "2022-Q3", dates.Precision.QUARTER, id="quarter"),
        pytest.param("2022-04", "2022-04", dates.Precision.MONTH, id="month"),
        pytest.param(" 2022-04-15 ", "2022-04-15", dates.Precision.DAY, id="day"),
    ],
)
def test_a_date_keeps_the_precision_written(value: str, written: str, precision: dates.Precision) -> None:
    date = options.date(value)
    assert (str(date), date.precision) == (written, precision)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("2022-H3", "'2022-H3': a half year is H1 or H2", id="half-3"),
        pytest.param("2022-Q5", "'2022-Q5': a quarter is Q1 to Q4", id="quarter-5"),
        pytest.param("0000", "year 0 is out of range (1-9999)", id="year-0"),
        pytest.param("0022-04", f"'0022-04' is in 22, not a year lineup takes: {RANGE}", id="year-22"),
        pytest.param("2100-H1", f"'2100-H1' is in 2100, not a year lineup takes: {RANGE}", id="year-2100"),
        pytest.param("22-04", f"'22-04' is not a date: write {dates.FORMS}", id="two-digits"),
        pytest.param("", f"'' is not a date: write {dates.FORMS}", id="empty"),
    ],
)
def test_a_date_that_is_not_one_says_why(value: str, message: str) -> None:
    with refused(message):
        options.date(value)


# --- years --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1886", "2022", " 2022 ", "2072"])
def test_a_year_is_any_from_the_first_car_to_50_years_from_today(value: str) -> None:
    assert options.year(value) == int(value)
    assert options.model_year(value) == int(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("22", f"22 is not a year lineup takes: {RANGE}", id="two-digits"),
        pytest.param("1885", f"1885 is not a year lineup takes: {RANGE}", id="before-the-first-car"),
        pytest.param("2073", f"2073 is not a year lineup takes: {RANGE}", id="over-50-years-ahead"),
        pytest.param("0", f"0 is not a year lineup takes: {RANGE}", id="zero"),
        pytest.param("10000", f"10000 is not a year lineup takes: {RANGE}", id="five-digits"),
        pytest.param("-2022", f"-2022 is not a year lineup takes: {RANGE}", id="negative"),
        pytest.param("abc", "'abc' is not a year", id="text"),
        pytest.param("2022-04", "'2022-04' is not a year", id="a-month"),
        pytest.param("", "'' is not a year", id="empty"),
    ],
)
def test_a_year_that_is_not_one_says_why(value: str, message: str) -> None:
    with refused(message):
        options.year(value)


def test_the_years_taken_move_with_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "today", lambda: dt.date(2030, 1, 1))
    assert options.year("2080") == 2080
    with refused("2081 is not a year lineup takes: years run from 1886 (the first car) to 2080 (50 years from today)"):
        options.year("2081")


def test_a_model_year_says_it_is_one() -> None:
    with refused("'MY2022' is not a model year"):
        options.model_year("MY2022")
    with refused(f"22 is not a model year lineup takes: {RANGE}"):
        options.model_year("22")


def test_a_very_long_value_is_cut_short_in_the_message() -> None:
    with pytest.raises(typer.BadParameter) as refusal:
        options.year("x" * 1000)
    assert refusal.value.message == f"'{'x' * 57}...' is not a year"


@pytest.mark.parametrize(
    ("value", "span"),
    [
        pytest.param("2023", (2023, 2023), id="one"),
        pytest.param("2019-2023", (2019, 2023), id="range"),
        pytest.param("2019-", (2019, None), id="open"),
        pytest.param(" 2019-2019 ", (2019, 2019), id="spaces"),
    ],
)
def test_model_years_are_a_year_a_range_or_an_open_range(value: str, span: tuple[int, int | None]) -> None:
    assert options.years(value) == options.Years(span)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("2023-2019", "model years run backwards: 2023 to 2019", id="backwards"),
        pytest.param("19-23", "'19-23' is not a model-year range: write 2023, 2019-2023, or 2019- while open",
                     id="two-digits"),
        pytest.param("0000-", "year 0 is out of range (1-9999)", id="year-0"),
        pytest.param("1800-2000", f"'1800-2000' holds 1800, not a model year lineup takes: {RANGE}", id="year-1800"),
        pytest.param("2020-2099", f"'2020-2099' holds 2099, not a model year lineup takes: {RANGE}", id="year-2099"),
    ],
)  # fmt: skip
def test_model_years_that_are_not_say_why_in_the_command_line_s_words(value: str, message: str) -> None:
    with refused(message):
        options.years(value)


# --- text ---------------------------------------------------------------------------------


def test_text_is_kept_as_typed() -> None:
    assert options.text(" Sold out. ") == " Sold out. "


@pytest.mark.parametrize("value", ["", " ", "\t\n"])
def test_text_that_says_nothing_is_refused(value: str) -> None:
    with refused("empty text"):
        options.text(value)


# --- columns, markets, one of -------------------------------------------------------------

AVAILABLE = ("brand", "model", "market", "since")


def test_columns_are_those_asked_for_in_that_order() -> None:
    assert options.columns(None, AVAILABLE) is None
    assert options.columns("since, model", AVAILABLE) == ["since", "model"]
    assert options.columns("model,,brand,", AVAILABLE) == ["model", "brand"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        pytest.param("model,markt", "unknown column 'markt'; did you mean 'market'?; columns: brand, model, market, "
                     "since", id="typo"),
        pytest.param("colour", "unknown column 'colour'; columns: brand, model, market, since", id="unknown"),
        pytest.param(" , ", "no columns given; columns: brand, model, market, since", id="none"),
    ],
)  # fmt: skip
def test_columns_not_in_the_table_are_a_usage_error_of_columns(spec: str, message: str) -> None:
    with refused(message) as refusal:
        options.columns(spec, AVAILABLE)
    assert refusal.value.param_hint == "--columns"


NORTH_AMERICA = Region("north-america", "North America", ("US", "CA", "MX"))
WITH_REGIONS = Dataset({}, regions={"north-america": NORTH_AMERICA})


def test_markets_are_codes_each_once_in_the_order_given() -> None:
    assert options.markets(None, WITH_REGIONS) == []
    assert options.markets(["us", "Taiwan", "TW", "United States", "jp"], WITH_REGIONS) == ["US", "TW", "JP"]


def test_a_region_the_data_defines_stands_for_its_markets() -> None:
    assert options.markets(["north-america"], WITH_REGIONS) == ["US", "CA", "MX"]
    assert options.markets(["TW", "North  America", "US"], WITH_REGIONS) == ["TW", "US", "CA", "MX"]


@pytest.mark.parametrize(
    ("value", "data", "message"),
    [
        pytest.param("Taiwn", WITH_REGIONS, "unknown market 'Taiwn': use an ISO 3166-1 code such as TW or a country "
                     "name; did you mean TW (Taiwan)?", id="typo"),
        pytest.param("north-americ", WITH_REGIONS, "unknown market 'north-americ'; did you mean 'north-america'?",
                     id="region-typo"),
        pytest.param("Europe", WITH_REGIONS, "'Europe' is a region the data does not define: name its markets one "
                     "by one (DE, FR, GB, IT, ...), or use a region it does define: north-america (North America)",
                     id="region"),
        pytest.param("EU", Dataset({}), "'EU' is a region the data does not define: name its markets one by one "
                     "(DE, FR, IT, ES, ...); the data defines no regions", id="no-regions"),
    ],
)  # fmt: skip
def test_a_market_that_is_not_one_is_an_error_with_a_hint(value: str, data: Dataset, message: str) -> None:
    with pytest.raises(LineupError, match=f"^{re.escape(message)}$"):
        options.markets(["US", value], data)


def test_two_options_that_ask_different_questions_are_refused() -> None:
    options.one_of(on=None, year=2022, model_year=None)  # one is fine
    with refused("--on and --model-year ask different questions: use one") as refusal:
        options.one_of(on=TODAY, year=None, model_year=2022)
    assert refusal.value.param_hint == "--model-year"
