"""lineup's value types: compared, hashed and shown by their fields, and never changed but replaced."""

import datetime as dt

from lineup.dates import PartialDate, Precision, parse
from lineup.model import Place, Window


def test_values_compare_and_hash_by_their_fields() -> None:
    a = Window(parse("2020"), None, "n", ("s",), Place("f", ("k",)))
    b = Window(parse("2020"), None, "n", ("s",), Place("f", ("k",)))
    assert a == b
    assert hash(a) == hash(b)
    assert a != a._replace(note="other")
    assert a != Place("f", ("k",))  # another type is never equal


def test_replace_makes_another_value() -> None:
    a = Window(parse("2020"))
    b = a._replace(until=parse("2021"))
    assert (a.until, str(b.until), b.since) == (None, "2021", a.since)


def test_a_value_shows_its_fields() -> None:
    assert repr(Place("f", ("a", 1))) == "Place(file='f', key=('a', 1))"


def test_partial_dates_order_by_their_first_day_then_precision() -> None:
    dates = [parse("2022-H2"), parse("2022"), parse("2022-07"), parse("2021-12-31")]
    assert [str(d) for d in sorted(dates)] == ["2021-12-31", "2022", "2022-H2", "2022-07"]
    assert PartialDate.of(dt.date(2022, 7, 1), Precision.HALF) == parse("2022-H2")
    assert len({parse("2022-H2"), PartialDate.of(dt.date(2022, 7, 1), Precision.HALF)}) == 1
