"""The cache's record of what one file says of one brand: its values as plain data (lists, tuples,
numbers, text) for the cache to keep, and back.

Each value is checked as it is read back, for what the rest of lineup relies on (types, ids, codes,
dates that data can hold, windows in order and apart), so that a record changed by a hand or a bug
is found out (Damaged) and the file read again, rather than believed. A damaged write is found
before this, by the entry's checksums.
"""

import datetime as dt
import itertools
import math
from typing import Any

from lineup import countries, dates
from lineup.dates import PartialDate, Period, Precision
from lineup.load.reader import BrandPart, overlaps
from lineup.load.values import is_id
from lineup.model import Body, Coverage, Facts, Figure, Model, Place, Powertrain, Region, Span, Window
from lineup.value import Value


class Record(Value):
    """What one file says of one brand, as values.

    Its attributes (name, origin...), models, windows in date order, coverage, presence and sales."""

    __slots__ = ("attrs", "models", "markets", "coverage", "presence", "sales")

    def __init__(
        self,
        attrs: dict[str, Any],
        models: dict[str, Model],
        markets: dict[str, dict[str, tuple[Window, ...]]],
        coverage: dict[str, tuple[Coverage, ...]],
        presence: dict[str, tuple[Window, ...]],
        sales: dict[str, dict[str, tuple[Figure, ...]]],
    ) -> None:
        self.attrs = attrs
        self.models = models
        self.markets = markets
        self.coverage = coverage
        self.presence = presence
        self.sales = sales


def of(part: BrandPart) -> Record:
    """What a file says of a brand, as the cache keeps it."""
    assert part.built is not None
    values = part.built
    attrs = {key: attr.value for key, attr in part.attrs.items()}
    return Record(attrs, values.models, values.markets, values.coverage, values.presence, values.sales)


class Damaged(ValueError):
    """A record that is not one lineup writes."""


# --- values to records ---------------------------------------------------------------------------


def encode(record: Record) -> dict[str, Any]:
    """A record as plain data (JSON's values, and tuples for windows' sources, as a window holds them).

    The windows are kept as columns, one list of each value of every window in market, model and date order: a
    column reads faster than rows, and its values are checked as a whole when they are read back."""
    columns: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
    codes = list(record.markets)
    for number, code in enumerate(codes):
        for model_id, windows in record.markets[code].items():
            for w in windows:
                first, last = w.model_years or (None, None)
                row = (number, model_id, _date(w.since), _date(w.until), w.note, w.sources, w.index, w.plan,
                       first, last, w.first_seen, _dated(w))  # fmt: skip
                for column, value in zip(columns.values(), row, strict=True):
                    column.append(value)
    return {
        "attrs": {key: list(value) if key == "sources" else value for key, value in record.attrs.items()},
        "models": {model_id: _model(model) for model_id, model in record.models.items()},
        "markets": codes,  # every market table the file writes for the brand, with windows or not
        "windows": columns,
        "coverage": {code: [_stretch(c) for c in stretches] for code, stretches in record.coverage.items()},
        "presence": {code: [_presence(w) for w in windows] for code, windows in record.presence.items()},
        "sales": {
            code: {model_id: [_figure(f) for f in figures] for model_id, figures in entries.items()}
            for code, entries in record.sales.items()
        },
    }


# The columns of a record's windows: the market (its number in the record's list), the model, the
# dates (see _date), note, sources, the window's place in a list of windows (None: not in one),
# plan, first and last model year, whether `since` is only when it was first seen on sale, and the
# rare rest (see _dated): its own facts of the model and the days its dates were announced.
_COLUMNS = ("market", "model", "since", "until", "note", "sources", "index", "plan", "first", "last", "seen", "dated")


def _dated(w: Window) -> list[Any] | None:
    """A window's facts and announcement days, or None for the many windows with none."""
    if w.facts is None and w.announced is None and w.until_announced is None:
        return None
    f = w.facts
    return [
        None if f is None or f.body is None else [b.value for b in f.body],
        None if f is None or f.powertrain is None else [p.value for p in f.powertrain],
        None if f is None else f.generation,
        None if f is None else f.name,
        _date(w.announced),
        _date(w.until_announced),
    ]


def _stretch(c: Coverage) -> list[Any]:
    first, last = c.model_years or (None, None)
    return [c.complete, c.note, list(c.sources), _date(c.since), _date(c.until), first, last]


def _presence(w: Window) -> list[Any]:
    return [_date(w.since), _date(w.until), w.note, list(w.sources), w.plan, w.first_seen, _date(w.announced),
            _date(w.until_announced), w.index]  # fmt: skip


def _figure(f: Figure) -> list[Any]:
    assert f.place is not None
    return [_period(f.period), f.units, f.note, list(f.sources), f.change, _period(f.compared_with),
            f.place.key[-1] if isinstance(f.place.key[-1], int) else None]  # fmt: skip


def _period(period: Period | None) -> list[int] | None:
    return None if period is None else [period.first.toordinal(), period.months]


def _date(date: PartialDate | None) -> int | None:
    """A date as one number: its first day's ordinal, and its precision in the three low bits."""
    return None if date is None else date.first.toordinal() << 3 | date.precision


def _span(span: Span | None) -> list[Any] | None:
    if span is None:
        return None
    return [_date(span.since), _date(span.until), span.note, list(span.sources), span.plan, _date(span.announced),
            _date(span.until_announced)]  # fmt: skip


def _model(model: Model) -> list[Any]:
    return [model.name, [b.value for b in model.body], [p.value for p in model.powertrain], list(model.follows),
            _span(model.production), model.generation, model.note, list(model.sources)]  # fmt: skip


# --- records to values, checked ------------------------------------------------------------------


class Decoder:
    """Reads records back as values; dates that recur are made once."""

    def __init__(self) -> None:
        self._dates: dict[int | None, PartialDate | None] = {None: None}

    def record(self, file: str, brand_id: str, data: Any) -> Record:
        """A record read back; Damaged if it is not what lineup writes."""
        try:
            return self._record(file, brand_id, data)
        except (KeyError, TypeError, ValueError, OverflowError, RecursionError) as e:
            raise Damaged(str(e)) from None

    def _record(self, file: str, brand_id: str, data: Any) -> Record:
        _need(type(data) is dict and is_id(brand_id))
        brand = ("brands", brand_id)
        attrs = {key: _ATTRS[key](value) for key, value in _dict(data["attrs"]).items()}
        models = {
            _id(model_id): self._model(Place(file, (*brand, "models", model_id)), brand_id, model_id, m)
            for model_id, m in _dict(data["models"]).items()
        }
        markets = self._markets(Place(file, (*brand, "markets")), _list(data["markets"]), _dict(data["windows"]))
        coverage = {_code(code): self._coverage(_list(c)) for code, c in _dict(data["coverage"]).items()}
        presence_place = Place(file, (*brand, "presence"))
        presence = {
            _code(code): _apart([self._presence(presence_place, (code,), w) for w in _list(windows)])
            for code, windows in _dict(data["presence"]).items()
        }
        sales = {
            _code(code): {
                _id(model_id): tuple(
                    self._figure(Place(file, (*brand, "sales", code, model_id)), f) for f in _list(found)
                )
                for model_id, found in _dict(entries).items()
            }
            for code, entries in _dict(data["sales"]).items()
        }
        return Record(attrs, models, markets, coverage, presence, sales)

    def _figure(self, place: Place, value: Any) -> Figure:
        period, units, note, sources, change, compared_with, index = _list(value)
        _need(index is None or (type(index) is int and index >= 0))
        _need(
            type(units) is int and units >= 0 and (change is None or (type(change) is float and math.isfinite(change)))
        )
        _need(compared_with is None or change is not None)
        return Figure(_period_of(period), units, _maybe_text(note), _texts(sources),
                      place if index is None else place.at(index), change,
                      None if compared_with is None else _period_of(compared_with))  # fmt: skip

    def _coverage(self, stretches: list[Any]) -> tuple[Coverage, ...]:
        found = []
        for stretch in stretches:
            complete, note, sources, since, until, first, last = _list(stretch)
            years = _years(first, last)
            found.append(Coverage(_flag(complete), _maybe_text(note), _texts(sources), self._date(since),
                                  self._date(until), years))  # fmt: skip
            _need(_in_order(found[-1].since, found[-1].until))
        _need(bool(found) and (len(found) == 1 or all(c.dated for c in found)))
        return tuple(found)

    def _presence(self, place: Place, path: tuple[str], value: Any) -> Window:
        since, until, note, sources, plan, first_seen, announced, until_announced, index = _list(value)
        _need(index is None or (type(index) is int and index >= 0))
        window = Window(self._date(since), self._date(until), _maybe_text(note), _texts(sources), place, _flag(plan),
                        None, _flag(first_seen), None, self._date(announced), self._date(until_announced),
                        path if index is None else (*path, index))  # fmt: skip
        _need(window.since is not None and _in_order(window.since, window.until))
        return window

    def facts(self, value: Any) -> tuple[Facts | None, PartialDate | None, PartialDate | None]:
        """A window's facts and announcement days, from what _dated() makes of them."""
        if value is None:
            return None, None, None
        body, powertrain, generation, name, announced, until_announced = _list(value)
        facts = Facts(
            None if body is None else _unique(map(_BODIES.__getitem__, _list(body))),
            None if powertrain is None else _unique(map(_POWERTRAINS.__getitem__, _list(powertrain))),
            _maybe_text(generation),
            _maybe_text(name),
        )
        _need(facts.body != ())
        empty = facts == Facts()
        return None if empty else facts, self._date(announced), self._date(until_announced)

    def _date(self, value: Any) -> PartialDate | None:
        """A date, from the number _date() makes of it (a number once read, from memory)."""
        if value is None:
            return None
        date = self._dates.get(value)
        if date is None:
            _need(type(value) is int and value >= 0 and value & 7 < len(Precision))
            first, precision = dt.date.fromordinal(value >> 3), Precision(value & 7)
            _need(dates.begins(first, precision))  # a date data can hold: the first day of its year, month...
            date = PartialDate.of(first, precision)
            self._dates[value] = date
        return date

    def _model(self, place: Place, brand_id: str, model_id: str, m: Any) -> Model:
        name, body, powertrain, follows, production, generation, note, sources = _list(m)
        span = None
        if production is not None:
            since, until, pnote, psources, plan, announced, until_announced = _list(production)
            span = Span(self._date(since), self._date(until), _maybe_text(pnote), _texts(psources),
                        place.at("production"), _flag(plan), self._date(announced),
                        self._date(until_announced))  # fmt: skip
            _need((span.since or span.until) is not None and _in_order(span.since, span.until))
        return Model(
            model_id, brand_id, _text(name),
            tuple(map(_BODIES.__getitem__, _list(body))),  # none: not known, as an import may leave it
            tuple(map(_POWERTRAINS.__getitem__, _list(powertrain))),
            _texts(follows), span, _maybe_text(generation), _maybe_text(note), _texts(sources), place,
        )  # fmt: skip

    def _markets(self, place: Place, codes: list[Any], columns: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """The windows of each model in each market, from a record's columns: each column's values
        checked as a whole where they can be, the rest as each window is made."""
        markets, since, until, notes, sources, index, plans, firsts, lasts, seen, dated = (
            _list(columns[name]) for name in _COLUMNS if name != "model"
        )
        models = _list(columns["model"])
        _need(len({len(column) for column in (markets, models, since, until, notes, sources, index, plans, firsts,
                                              lasts, seen, dated)}) == 1)  # fmt: skip
        _need(set(markets) <= set(range(len(codes))) and _types(models) <= _STR)  # (a float is no list index)
        _need(_types(notes) <= _TEXT)
        _need(_types(index) <= _NUMBER and min(filter(None, index), default=0) >= 0)
        _need(_types(plans) <= _BOOL and _types(seen) <= _BOOL and _types(sources) <= _TUPLE)
        _need(_STR.issuperset(map(type, itertools.chain.from_iterable(sources))))
        _need(_types(firsts) <= _NUMBER and _types(lasts) <= _NUMBER)
        years = {*firsts, *lasts} - {None}
        _need(min(years, default=dates.MIN_YEAR) >= dates.MIN_YEAR and max(years, default=0) <= dates.MAX_YEAR)
        known = self._dates  # each date's number, as its date
        for number in {*since, *until} - known.keys():
            self._date(number)
        out: dict[str, dict[str, tuple[Window, ...]]] = {_code(code): {} for code in codes}
        entries: dict[str, tuple[Window, ...]] = {}
        several: list[tuple[dict[str, tuple[Window, ...]], str, list[Window]]] = []  # models with more than one
        group: list[Window] | None = None  # this model's windows in this market, once it has a second
        path: tuple[str, str] = ("", "")
        last_market, last_model = None, None
        rows = zip(markets, models, since, until, notes, sources, index, plans, firsts, lasts, seen, dated, strict=True)
        for market, model_id, start, end, note, listed, at, plan, first, last, first_seen, extra in rows:
            more = model_id == last_model and market == last_market  # a model's windows in a market come together
            if not more:
                last_market, last_model = market, model_id
                code = codes[market]
                path = (code, model_id)
                entries, group = out[code], None
                _need(model_id not in entries)
            if (start is None and (first is None or first_seen)) or (
                last is not None and (first is None or last < first)
            ):
                raise Damaged  # no date to start from but a first model year; model years out of order
            if note is not None and not note.strip():
                raise Damaged
            facts, announced, until_announced = (None, None, None) if extra is None else self.facts(extra)
            window = Window(known[start], known[end], note, listed, place, plan,
                            None if first is None else (first, last), first_seen, facts, announced, until_announced,
                            path if at is None else (code, model_id, at))  # fmt: skip
            day = window.end
            if day is not None and day < window.start:
                raise Damaged
            if not more:
                entries[model_id] = (window,)  # most models have one window in a market: no list to make a tuple of
                continue
            if group is None:
                group = list(entries[model_id])
                several.append((entries, model_id, group))
            group.append(window)
        for entries, model_id, group in several:
            entries[model_id] = _apart(group)
        return out


def _period_of(value: Any) -> Period:
    first, months = _list(value)
    _need(type(first) is int and type(months) is int and months > 0 and first > 0)
    day = dt.date.fromordinal(first)
    _need(day.day == 1)
    return Period(day, months)


def _apart(windows: list[Window]) -> tuple[Window, ...]:
    """A model's windows in a market, checked to be in date order and apart, as a file has them."""
    _need(len(windows) == 1 or next(overlaps(windows), None) is None)
    return tuple(windows)


def _types(values: list[Any]) -> set[type]:
    return set(map(type, values))


_BOOL, _TUPLE, _TEXT, _NUMBER = {bool}, {tuple}, {str, type(None)}, {int, type(None)}
# Each body style and powertrain by its value: a lookup here is a tenth of what calling the enum costs.
_BODIES, _POWERTRAINS = {b.value: b for b in Body}, {p.value: p for p in Powertrain}


def _need(ok: bool) -> None:
    if not ok:
        raise Damaged


def _dict(value: Any) -> dict[str, Any]:
    _need(type(value) is dict)
    return value  # type: ignore[no-any-return]


def _list(value: Any) -> list[Any]:
    _need(type(value) is list)
    return value  # type: ignore[no-any-return]


def _text(value: Any) -> str:
    _need(type(value) is str and bool(value.strip()))
    return value  # type: ignore[no-any-return]


def _maybe_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(map(_text, _list(value)))


def _flag(value: Any) -> bool:
    _need(type(value) is bool)
    return value  # type: ignore[no-any-return]


_STR = {str}


def _id(value: Any) -> str:
    _need(type(value) is str and is_id(value))
    return value  # type: ignore[no-any-return]


def _code(value: Any) -> str:
    _need(type(value) is str and countries.is_code(value))
    return value  # type: ignore[no-any-return]


def _years(first: Any, last: Any) -> tuple[int, int | None] | None:
    if first is None:
        _need(last is None)
        return None
    _need(type(first) is int and (last is None or (type(last) is int and first <= last)))
    _need(dates.MIN_YEAR <= first <= dates.MAX_YEAR and (last is None or last <= dates.MAX_YEAR))
    return first, last


def _unique(items: Any) -> tuple[Any, ...]:
    found = tuple(items)
    _need(len(set(found)) == len(found))
    return found


def regions(data: Any, file: str) -> list[Region]:
    """The regions a file's entry keeps (see encode_regions); Damaged if they are not what lineup writes."""
    try:
        found = []
        for region_id, value in _dict(data).items():
            name, codes, note, sources = _list(value)
            markets = _unique(_code(c) for c in _list(codes))
            _need(bool(markets))
            place = Place(file, ("regions", region_id))
            found.append(Region(_id(region_id), _text(name), markets, _maybe_text(note), _texts(sources), place))
        return found
    except (KeyError, TypeError, ValueError, OverflowError, RecursionError) as e:
        raise Damaged(str(e)) from None


def encode_regions(found: list[Region]) -> dict[str, Any]:
    """A file's regions as JSON values."""
    return {r.id: [r.name, list(r.markets), r.note, list(r.sources)] for r in found}


def _in_order(since: PartialDate | None, until: PartialDate | None) -> bool:
    return since is None or until is None or since.first <= until.last


_ATTRS = {"name": _text, "parent": _text, "note": _text, "origin": _code, "sources": _texts}
