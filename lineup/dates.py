"""Partial dates: a year, half, quarter, month or day, kept at the precision written."""

import datetime as dt
import re
from enum import IntEnum

from lineup.value import Value

MIN_YEAR = 1
MAX_YEAR = 9999

FORMS = "2022, 2022-H2, 2022-Q3, 2022-04 or 2022-04-15"

# The spellings parse() and parse_years() take, as regular expressions that JSON Schema (ECMA-262) can
# use too, so that an editor's schema accepts what the loader does (parse() also knows the days of a
# month, which a pattern cannot). Spaces around a value are allowed; years run from 0001 to 9999.
_YEAR = r"(?!0000)[0-9]{4}"
DATE_SYNTAX = rf"\s*{_YEAR}(-([Hh][12]|[Qq][1-4]|(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?))?\s*"
YEARS_SYNTAX = rf"\s*{_YEAR}(-({_YEAR})?)?\s*"

_DATE = (
    r"(?P<year>[0-9]{4})(?:-(?:[Hh](?P<half>[0-9])|[Qq](?P<quarter>[0-9])|(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?))?"
)


class Precision(IntEnum):
    """How much of a date is known, from the coarsest to the finest."""

    YEAR = 0
    HALF = 1
    QUARTER = 2
    MONTH = 3
    DAY = 4


# First month of each period and its length in months.
_MONTHS = {Precision.YEAR: 12, Precision.HALF: 6, Precision.QUARTER: 3, Precision.MONTH: 1}


class PartialDate(Value):
    """A date known to some precision; it covers every day from `first` to `last`.

    Made by `of()`, which works out `last` once (comparisons need it often); ordered by its first day, then
    precision."""

    __slots__ = ("first", "precision", "last")

    def __init__(self, first: dt.date, precision: Precision, last: dt.date) -> None:
        self.first = first
        self.precision = precision
        self.last = last

    @classmethod
    def of(cls, first: dt.date, precision: Precision) -> "PartialDate":
        """The period of `precision` that starts on `first`."""
        if precision is Precision.DAY:
            return cls(first, precision, first)
        end_month = first.month + _MONTHS[precision]
        if end_month > 12:
            return cls(first, precision, dt.date(first.year, 12, 31))
        return cls(first, precision, dt.date(first.year, end_month, 1) - dt.timedelta(days=1))

    @property
    def year(self) -> int:
        """The year the date is in."""
        return self.first.year

    def __eq__(self, other: object) -> bool:  # the first day and precision tell the rest; dates are compared often
        return type(other) is PartialDate and self.first == other.first and self.precision is other.precision

    def __hash__(self) -> int:  # not hash((first, precision)): an enum's hash is Python code, and dates are keys often
        return hash(self.first) ^ self.precision

    def __lt__(self, other: "PartialDate") -> bool:
        return (self.first, self.precision) < (other.first, other.precision)

    def __str__(self) -> str:
        y, m = self.first.year, self.first.month
        match self.precision:
            case Precision.YEAR:
                return f"{y:04d}"
            case Precision.HALF:
                return f"{y:04d}-H{(m - 1) // 6 + 1}"
            case Precision.QUARTER:
                return f"{y:04d}-Q{(m - 1) // 3 + 1}"
            case Precision.MONTH:
                return f"{y:04d}-{m:02d}"
            case Precision.DAY:
                return self.first.isoformat()

    @classmethod
    def year_of(cls, year: int) -> "PartialDate":
        """The whole of a year."""
        return cls.of(dt.date(_check_year(year), 1, 1), Precision.YEAR)

    @classmethod
    def day(cls, day: dt.date) -> "PartialDate":
        """One day."""
        return cls(day, Precision.DAY, day)


def before(date: PartialDate) -> PartialDate:
    """The period of the same precision that ends the day before `date` begins.

    2023-10-17 before 2023-10-18, 2020-06 before 2020-07, 2020 before 2021."""
    last = date.first - dt.timedelta(days=1)
    if date.precision is Precision.DAY:
        return PartialDate.day(last)
    start_month = last.month - (last.month - 1) % _MONTHS[date.precision]
    return PartialDate.of(dt.date(last.year, start_month, 1), date.precision)


def begins(day: dt.date, precision: Precision) -> bool:
    """Whether `day` is the first day of a period of `precision` (a year, a half...).

    A date read from data always is."""
    return day.day == 1 and (day.month - 1) % _MONTHS[precision] == 0 if precision is not Precision.DAY else True


def parse(value: object) -> PartialDate:
    """Read a date as TOML or a command line gives it; raise ValueError saying what is wrong."""
    # bool is an int, and a datetime is a date: reject both before the general cases.
    if isinstance(value, bool | dt.datetime):
        raise ValueError(f"{_show(value)} is not a date: write {FORMS}")
    if isinstance(value, int):
        return PartialDate.year_of(value)
    if isinstance(value, dt.date):
        return PartialDate.day(value)
    if not isinstance(value, str):
        raise ValueError(f"{_show(value)} is not a date: write {FORMS}")
    match = re.fullmatch(_DATE, value.strip())  # re keeps what it compiles: once a run
    if match is None:
        raise ValueError(f"{_show(value)} is not a date: write {FORMS}")
    year = _check_year(int(match["year"]))
    if match["half"] is not None:
        half = int(match["half"])
        if half not in (1, 2):
            raise ValueError(f"{_show(value)}: a half year is H1 or H2")
        return PartialDate.of(dt.date(year, 6 * half - 5, 1), Precision.HALF)
    if match["quarter"] is not None:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            raise ValueError(f"{_show(value)}: a quarter is Q1 to Q4")
        return PartialDate.of(dt.date(year, 3 * quarter - 2, 1), Precision.QUARTER)
    if match["month"] is None:
        return PartialDate.year_of(year)
    month = int(match["month"])
    if not 1 <= month <= 12:
        raise ValueError(f"{_show(value)}: there is no month {month:02d}")
    if match["day"] is None:
        return PartialDate.of(dt.date(year, month, 1), Precision.MONTH)
    try:
        return PartialDate.day(dt.date(year, month, int(match["day"])))
    except ValueError:
        raise ValueError(f"{_show(value)}: there is no such day") from None


PERIOD_FORMS = "a year (2020), half (2021-H1), quarter (2021-Q2), month (2021-09) or run of months (2021-01..2021-09)"
_RUN = r"\s*([0-9]{4}-[0-9]{2})\s*\.\.\s*([0-9]{4}-[0-9]{2})\s*"
PERIOD_SYNTAX = rf"({DATE_SYNTAX})|(\s*{_YEAR}-(0[1-9]|1[0-2])\s*\.\.\s*{_YEAR}-(0[1-9]|1[0-2])\s*)"


class Period(Value):
    """The whole months a sales figure counts: a year, half, quarter, month, or a run of months."""

    __slots__ = ("first", "months")

    def __init__(self, first: dt.date, months: int) -> None:
        self.first = first  # the first day of its first month
        self.months = months

    @property
    def last(self) -> dt.date:
        """Its last day."""
        return _month(self.first, self.months) - dt.timedelta(days=1)

    @property
    def calendar(self) -> Precision | None:
        """The calendar period it is (a year, half, quarter or month), or None for another run of months."""
        for precision, months in _MONTHS.items():
            if self.months == months and begins(self.first, precision):
                return precision
        return None

    def shifted(self, months: int) -> "Period":
        """The period of the same length `months` later (earlier, if negative)."""
        return Period(_month(self.first, months), self.months)

    def __lt__(self, other: "Period") -> bool:
        return (self.first, self.months) < (other.first, other.months)

    def __str__(self) -> str:
        precision = self.calendar
        if precision is not None:
            return str(PartialDate.of(self.first, precision))
        return f"{self.first:%Y-%m}..{self.last:%Y-%m}"


def _month(first: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after that of `first`."""
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def parse_period(value: object) -> Period:
    """Read a sales period; raise ValueError saying what is wrong."""
    if isinstance(value, str) and (match := re.fullmatch(_RUN, value)):
        start, end = (parse(text) for text in match.groups())
        if end.first < start.first:
            raise ValueError(f"{_show(value)} runs backwards: {start} to {end}")
        period = Period(start.first, (end.year - start.year) * 12 + end.first.month - start.first.month + 1)
        if period.calendar is not None:
            raise ValueError(f"{_show(value)} is {period}: write it so")
        return period
    try:
        date = parse(value)
    except ValueError as e:
        if "is not a date" not in str(e):  # a half H3, a month 13: say so
            raise
        raise ValueError(f"{_show(value)} is not a sales period: write {PERIOD_FORMS}") from None
    if date.precision is Precision.DAY:
        raise ValueError(f"{_show(value)} is a day: a sales period is {PERIOD_FORMS}")
    return Period(date.first, _MONTHS[date.precision])


_YEARS = r"([0-9]{4})(?:(-)([0-9]{4})?)?"
YEARS_FORMS = "a year (2023), a range ('2019-2023' or [2019, 2023]) or an open range ('2019-' or [2019])"


def parse_years(value: object) -> tuple[int, int | None]:
    """Read a model-year range; the second year is None while the range is open."""
    if isinstance(value, str) and (match := re.fullmatch(_YEARS, value.strip())):
        first = int(match[1])
        last = int(match[3]) if match[3] else (None if match[2] else first)
    elif isinstance(value, int) and not isinstance(value, bool):
        first, last = value, value
    elif (
        isinstance(value, list)
        and 1 <= len(value) <= 2
        and all(isinstance(y, int) and not isinstance(y, bool) for y in value)
    ):
        first, last = value[0], (value[1] if len(value) == 2 else None)
    else:
        raise ValueError(f"{_show(value)} is not a model-year range: write {YEARS_FORMS}")
    for year in (first, last):
        if year is not None:
            _check_year(year)
    if last is not None and last < first:
        raise ValueError(f"model years run backwards: {first} to {last}")
    return first, last


def years_text(first: int, last: int | None) -> str:
    """A model-year range as the data writes it: 2019-2023, or 2019- while open (four digits a year)."""
    return f"{first:04d}-{f'{last:04d}' if last is not None else ''}"


def today() -> dt.date:
    """The day questions default to (one place, so tests can pin the clock)."""
    return dt.date.today()


# Words a person types for a day, and how many days before today each is.
DAY_WORDS = {"today": 0, "yesterday": 1}
DAY_FORMS = "YYYY-MM-DD, today or yesterday"


def day_word(value: str) -> dt.date | None:
    """The day `today` or `yesterday` (in any case) names, or None for anything else."""
    back = DAY_WORDS.get(value.strip().casefold())
    return None if back is None else today() - dt.timedelta(days=back)


def parse_day(value: str) -> dt.date:
    """Read one day (`2022-11-07`, `today` or `yesterday`) for options such as --on.

    An error suggests only what such an option takes: a day, never a year or half."""
    word = day_word(value)
    if word is not None:
        return word
    try:
        date = parse(value)
    except ValueError as e:
        if "is not a date" in str(e):
            raise ValueError(f"{_show(value)} is not a day: write {DAY_FORMS}") from None
        raise
    if date.precision is not Precision.DAY:
        raise ValueError(f"{_show(value)} is not one day: write {DAY_FORMS} (for a whole year, use --year)")
    return date.first


def _check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is out of range ({MIN_YEAR}-{MAX_YEAR})")
    return year


def describe(value: object) -> str:
    """A value as TOML would name it, for messages: `the boolean true`, `the date-time 2022-01-01 10:00:00`."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return f"the text {_cut(value)!r}" if value.strip() else "empty text"
    if isinstance(value, dt.datetime | dt.time):
        return f"the date-time {value}" if isinstance(value, dt.datetime) else f"the time {value}"
    if isinstance(value, dt.date):
        return f"the date {value}"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"a {type(value).__name__}"


def _show(value: object) -> str:
    return repr(_cut(value)) if isinstance(value, str) else describe(value)


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
