import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lineup import dates
from lineup.dates import PartialDate, Precision, begins, parse


@pytest.mark.parametrize(
    ("written", "first", "last", "precision"),
    [
        pytest.param(2022, "2022-01-01", "2022-12-31", Precision.YEAR, id="integer-year"),
        pytest.param("2022", "2022-01-01", "2022-12-31", Precision.YEAR, id="text-year"),
        pytest.param("2022-H1", "2022-01-01", "2022-06-30", Precision.HALF, id="h1"),
        pytest.param("2022-H2", "2022-07-01", "2022-12-31", Precision.HALF, id="h2"),
        pytest.param("2022-Q1", "2022-01-01", "2022-03-31", Precision.QUARTER, id="q1"),
        pytest.param("2022-Q3", "2022-07-01", "2022-09-30", Precision.QUARTER, id="q3"),
        pytest.param("2022-Q4", "2022-10-01", "2022-12-31", Precision.QUARTER, id="q4"),
        pytest.param("2022-04", "2022-04-01", "2022-04-30", Precision.MONTH, id="month"),
        pytest.param("2024-02", "2024-02-01", "2024-02-29", Precision.MONTH, id="leap-february"),
        pytest.param("2022-12", "2022-12-01", "2022-12-31", Precision.MONTH, id="december"),
        pytest.param("2022-04-15", "2022-04-15", "2022-04-15", Precision.DAY, id="text-day"),
        pytest.param(dt.date(2022, 4, 15), "2022-04-15", "2022-04-15", Precision.DAY, id="toml-date"),
        pytest.param(" 2022-q3 ", "2022-07-01", "2022-09-30", Precision.QUARTER, id="lower-case-spaces"),
    ],
)
def test_parse_covers_the_right_days(written: object, first: str, last: str, precision: Precision) -> None:
    date = dates.parse(written)
    assert (date.first.isoformat(), date.last.isoformat(), date.precision) == (first, last, precision)


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        (2022, "2022"),
        ("2022-h2", "2022-H2"),
        ("2022-Q3", "2022-Q3"),
        ("2022-04", "2022-04"),
        ("2022-04-15", "2022-04-15"),
    ],
)
def test_printed_at_its_own_precision(written: object, printed: str) -> None:
    assert str(dates.parse(written)) == printed


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2022-13", "no month 13"),
        ("0000-00-00", "year 0 is out of range"),
        ("2022-02-30", "no such day"),
        ("2022-H3", "H1 or H2"),
        ("2022-Q5", "Q1 to Q4"),
        ("22", "is not a date"),
        ("2022/04", "is not a date"),
        ("", "is not a date"),
        (True, "is not a date"),
        (dt.datetime(2022, 4, 15, 10, 0), "is not a date"),
        (2022.5, "is not a date"),
        (0, "out of range"),
        ([2022], "is not a date"),
    ],
)
def test_bad_dates_say_what_is_wrong(written: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dates.parse(written)


def test_parse_day_wants_one_day() -> None:
    assert dates.parse_day("2022-11-07") == dt.date(2022, 11, 7)
    with pytest.raises(ValueError, match="not one day"):
        dates.parse_day("2022-11")


def test_today_is_the_pinned_clock() -> None:
    assert dates.parse_day("today") == dt.date(2022, 11, 7)


# --- properties ------------------------------------------------------------------

days = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(days)
    precision = draw(st.sampled_from(Precision))
    text = {
        Precision.YEAR: f"{day.year:04d}",
        Precision.HALF: f"{day.year:04d}-H{(day.month - 1) // 6 + 1}",
        Precision.QUARTER: f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}",
        Precision.MONTH: f"{day.year:04d}-{day.month:02d}",
        Precision.DAY: day.isoformat(),
    }[precision]
    return dates.parse(text)


@given(partial_dates())
def test_round_trips_through_its_text(date: PartialDate) -> None:
    assert dates.parse(str(date)) == date


@given(partial_dates())
def test_covers_a_whole_period_at_its_precision(date: PartialDate) -> None:
    first, last = date.first, date.last
    assert first <= last
    assert first.year == last.year
    after = last + dt.timedelta(days=1) if last < dt.date.max else None
    months = {Precision.YEAR: 12, Precision.HALF: 6, Precision.QUARTER: 3, Precision.MONTH: 1}
    if date.precision is Precision.DAY:
        assert first == last
    else:
        assert first.day == 1
        assert (first.month - 1) % months[date.precision] == 0
        # the day after `last` starts the next period of the same length
        assert after is None or (after.day == 1 and (after.month - first.month) % 12 == months[date.precision] % 12)


@given(days, partial_dates())
def test_a_day_is_inside_exactly_when_between_first_and_last(day: dt.date, date: PartialDate) -> None:
    inside = date.first <= day <= date.last
    period = {
        Precision.YEAR: (day.year,),
        Precision.HALF: (day.year, (day.month - 1) // 6),
        Precision.QUARTER: (day.year, (day.month - 1) // 3),
        Precision.MONTH: (day.year, day.month),
        Precision.DAY: (day.year, day.month, day.day),
    }[date.precision]
    own = {
        Precision.YEAR: (date.first.year,),
        Precision.HALF: (date.first.year, (date.first.month - 1) // 6),
        Precision.QUARTER: (date.first.year, (date.first.month - 1) // 3),
        Precision.MONTH: (date.first.year, date.first.month),
        Precision.DAY: (date.first.year, date.first.month, date.first.day),
    }[date.precision]
    assert inside == (period == own)


@given(st.one_of(st.text(max_size=20), st.integers(), st.dates(), st.floats(), st.none(), st.booleans()))
def test_any_input_gives_a_date_or_a_value_error(value: object) -> None:
    try:
        date = dates.parse(value)
    except ValueError:
        return
    assert isinstance(date, PartialDate)
    assert date.first <= date.last


@given(partial_dates(), partial_dates())
def test_order_follows_the_first_day(a: PartialDate, b: PartialDate) -> None:
    if a.first < b.first:
        assert a < b


@pytest.mark.parametrize(
    ("written", "years"),
    [
        (2023, (2023, 2023)),
        ("2023", (2023, 2023)),
        ("2019-2023", (2019, 2023)),
        ("2019-", (2019, None)),
        ([2019, 2023], (2019, 2023)),
        ([2019], (2019, None)),
    ],
)
def test_model_year_ranges(written: object, years: tuple[int, int | None]) -> None:
    assert dates.parse_years(written) == years


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2023-2019", "backwards"),
        ([2023, 2019], "backwards"),
        ("19-23", "not a model-year range"),
        ([], "not a model-year range"),
        ([2019, 2020, 2021], "not a model-year range"),
        (True, "not a model-year range"),
        (0, "out of range"),
    ],
)
def test_bad_model_year_ranges(written: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dates.parse_years(written)


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)), st.sampled_from(list(Precision)))
def test_a_period_begins_where_its_written_form_does(day: dt.date, precision: Precision) -> None:
    date = PartialDate.of(day, precision)
    try:
        written = parse(str(date)) == date
    except ValueError:
        written = False
    assert begins(day, precision) == written
