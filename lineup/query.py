"""Questions asked of a Dataset: what is on sale, when, where. Pure functions."""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TypeVar

from lineup import countries, dates
from lineup.dates import PartialDate
from lineup.errors import LineupError
from lineup.model import Body, Brand, Dataset, Model, Powertrain, Region, Span, Window, facts_of
from lineup.text import did_you_mean, first_few, shorten
from lineup.value import Value

_Named = TypeVar("_Named", Brand, Model)


class When(Value):
    """The time a question is about: a calendar period (a day, a month, a year...) or a model year."""

    __slots__ = ("first", "last", "model_year")

    def __init__(
        self,
        first: dt.date | None = None,
        last: dt.date | None = None,
        model_year: int | None = None,
    ) -> None:
        self.first = first
        self.last = last
        self.model_year = model_year

    @classmethod
    def on(cls, day: dt.date) -> "When":
        """One day."""
        return cls(day, day)

    @classmethod
    def during(cls, date: PartialDate) -> "When":
        """Any time in the days `date` covers: `2022` is the whole year, `2022-04-15` that day."""
        return cls(date.first, date.last)

    @classmethod
    def in_year(cls, year: int) -> "When":
        """Any day of a calendar year."""
        return cls.during(PartialDate.year_of(year))

    @classmethod
    def in_model_year(cls, year: int) -> "When":
        """A model year."""
        return cls(model_year=year)

    def covers(self, window: Window) -> bool:
        """Whether the window is on sale at this time."""
        if self.model_year is not None:
            final = window.last_model_year
            return window.first_model_year <= self.model_year and (final is None or self.model_year <= final)
        first, last = self._days()
        end = window.end
        return window.start <= last and (end is None or end >= first)

    def ended_before(self, window: Window) -> bool:
        """Whether the window closed before the time asked about (the model had left)."""
        if self.model_year is not None:
            final = window.last_model_year
            return final is not None and final < self.model_year
        end = window.end
        return end is not None and end < self._days()[0]

    def starts_after(self, window: Window) -> bool:
        """Whether the window opens after the time asked about (the model was still to come)."""
        if self.model_year is not None:
            return window.first_model_year > self.model_year
        return window.start > self._days()[1]

    def before(self, other: "When") -> bool:
        """Whether this time ends before the other begins."""
        if self.model_year is not None and other.model_year is not None:
            return self.model_year < other.model_year
        return self._days()[1] < other._days()[0]

    def __str__(self) -> str:
        """The time as a person says it: `on 2020-01-01`, `in 2020`, `in 2020-04`, `in model year 2020`."""
        if self.model_year is not None:
            return f"in model year {self.model_year}"
        first, last = self._days()
        if first == last:
            return f"on {first}"
        for precision in (dates.Precision.YEAR, dates.Precision.HALF, dates.Precision.QUARTER, dates.Precision.MONTH):
            if dates.begins(first, precision) and (whole := PartialDate.of(first, precision)).last == last:
                return f"in {whole}"
        return f"from {first} to {last}"

    def _days(self) -> tuple[dt.date, dt.date]:
        assert self.first is not None, "a calendar period"
        assert self.last is not None, "a calendar period"
        return self.first, self.last


class Event(Value):
    """A dated boundary of a window, as precise as the data: `2022-03`, `by 2018`, `MY2019`."""

    __slots__ = ("text", "first", "last")

    def __init__(
        self,
        text: str,
        first: dt.date,
        last: dt.date,
    ) -> None:
        self.text = text
        self.first = first
        self.last = last

    def planned(self, ref: dt.date) -> bool:
        """A date not wholly past on `ref` is still a plan: 2022-H2 is expected on 2022-11-07."""
        return self.last > ref

    def __str__(self) -> str:
        return self.text


def start_of(window: Window, model_years: bool = False) -> Event:
    """When a window opens: its launch, its first sighting (`by ...`), or its first model year."""
    if window.since is not None and not model_years:
        text = f"by {window.since}" if window.first_seen else str(window.since)
        return Event(text, window.since.first, window.since.last)
    year = window.first_model_year
    return Event(f"{'by ' if window.first_seen else ''}MY{year}", dt.date(year, 1, 1), dt.date(year, 1, 1))


def end_of(window: Window, model_years: bool = False) -> Event | None:
    """When a window closes, or None while it is open."""
    if window.until is not None and not model_years:
        return Event(str(window.until), window.until.first, window.until.last)
    year = window.last_model_year
    if year is None:
        return None
    return Event(f"MY{year}", dt.date(year, 12, 31), dt.date(year, 12, 31))


def plans(window: Window, ref: dt.date) -> tuple[bool, bool]:
    """Whether the window's start and its end are still plans on `ref` (always, for a window marked `plan`).

    A date not wholly past on `ref`, as start_of() and end_of() date them."""
    end = window.end
    if window.plan:
        return True, end is not None
    since = window.since
    start = since.last if since is not None else dt.date(window.first_model_year, 1, 1)
    return start > ref, end is not None and end > ref


class Filters(Value):
    """Which models a question is about, by body style, powertrain and brand origin."""

    __slots__ = ("body", "exclude_body", "powertrain", "origin")

    def __init__(
        self,
        body: frozenset[Body] = frozenset(),
        exclude_body: frozenset[Body] = frozenset(),
        powertrain: frozenset[Powertrain] = frozenset(),
        origin: frozenset[str] = frozenset(),
    ) -> None:
        self.body = body
        self.exclude_body = exclude_body
        self.powertrain = powertrain
        self.origin = origin

    def keeps_brand(self, brand: Brand) -> bool:
        """Whether the brand is one the question is about."""
        return not self.origin or brand.origin in self.origin

    @property
    def by_facts(self) -> bool:
        """Whether the question is about body styles or powertrains, which a window may state."""
        return bool(self.body or self.exclude_body or self.powertrain)

    def keeps(self, brand: Brand, model: Model, window: Window | None = None) -> bool:
        """Whether the model is one the question is about, as it is in the window's market and stretch.

        A window may state body styles and powertrains of its own."""
        if not self.keeps_brand(brand):
            return False
        if not self.by_facts:
            return True
        facts = facts_of(model, window)
        if self.powertrain and not self.powertrain.intersection(facts.powertrain or ()):
            return False
        if not self.body and not self.exclude_body:
            return True
        # A model stays if one of its body styles is wanted and not excluded: the Lexus LC
        # (coupe, convertible) is still a coupe with convertibles excluded. One whose body
        # style is unknown cannot be shown to match, so a body filter leaves it out.
        body = facts.body or ()
        wanted = set(body) if not self.body else self.body.intersection(body)
        return bool(wanted - self.exclude_body)


class Status(StrEnum):
    """A model's state on the day asked: on sale, still expected, or left."""

    on_sale = "on sale"
    expected = "expected"  # on sale by the data, but its launch is still a plan (as of --as-of)
    later = "later"  # launched after the day asked (a fact, not a plan)
    left = "left"
    earlier = "earlier"  # with --all: a stretch that ended, the model sold on without a break in a later one


class Entry(Value):
    """A model in a market, with the window that answers the question."""

    __slots__ = ("brand", "model", "market", "window", "status", "since_planned", "until_planned", "facts")

    def __init__(
        self,
        brand: Brand,
        model: Model,
        market: str,
        window: Window,
        status: Status,
        since_planned: bool = False,
        until_planned: bool = False,
    ) -> None:
        self.brand = brand
        self.model = model
        self.market = market
        self.window = window
        self.status = status
        self.since_planned = since_planned  # the window's start is still a plan on the day asked
        self.until_planned = until_planned  # its end is an announced plan
        self.facts = facts_of(model, window)  # the model as it is in this market and stretch


def markets(texts: Iterable[str], regions: Mapping[str, Region]) -> list[str]:
    """The market codes a person names, each once, in the order named.

    A code, a country's name, or a region the data defines by id or name, which stands for its markets."""
    codes: list[str] = []
    for text in texts:
        try:
            codes.append(countries.resolve(text))
            continue
        except LineupError as error:
            key = " ".join(text.split()).casefold()
            region = regions.get(key) or next((r for r in regions.values() if r.name.casefold() == key), None)
            if region is None:
                raise _not_a_market(text, key, regions, error) from None
            codes += region.markets
    return list(dict.fromkeys(codes))


def _not_a_market(text: str, key: str, regions: Mapping[str, Region], error: LineupError) -> LineupError:
    defined = ", ".join(f"{r.id} ({r.name})" for r in regions.values())
    if key in countries.REGIONS:
        also = f", or use a region it does define: {defined}" if defined else "; the data defines no regions"
        return LineupError(f"{shorten(text)} is a region the data does not define: name its markets one by one "
                           f"({countries.REGIONS[key]}){also}")  # fmt: skip
    hint = did_you_mean(key, [*regions, *(r.name.casefold() for r in regions.values())])
    if hint:
        return LineupError(f"unknown market {shorten(text)}{hint}")
    return error


def find_brand(dataset: Dataset, text: str) -> Brand:
    """A brand by id or display name, ignoring case."""
    found, hint = lookup(dataset.brands, text)
    if found is None:
        listed = f" (brands: {first_few(dataset.brands) or 'none'}; `lineup brands` lists them)"
        raise LineupError(f"unknown brand {shorten(text)}" + (hint or listed))
    return found


def find_model(brand: Brand, text: str) -> Model:
    """A model of a brand by id or display name, ignoring case."""
    found, hint = lookup(brand.models, text)
    if found is None:
        raise LineupError(f"{brand.name} has no model {shorten(text)}{hint}")
    return found


def lookup(items: Mapping[str, _Named], text: str) -> tuple[_Named | None, str]:
    """The item whose id, else whose name, is `text` ignoring case; else a `did you mean` hint."""
    key = text.casefold()
    if key in items:  # an id wins over a display name: `q60` is not `q60-2013`
        return items[key], ""
    for item in items.values():
        if key == item.name.casefold():
            return item, ""
    names = {item.name.casefold(): item.id for item in items.values()} | {i: i for i in items}
    return None, did_you_mean(key, names, names)


def lineup(
    brands: Iterable[Brand],
    markets: Sequence[str],
    when: When,
    filters: Filters | None = None,
    others: bool = False,
    ref: dt.date | None = None,
) -> list[Entry]:
    """The models on sale at `when` in `markets` (every market if none).

    With `others`, every window of every model, on sale then or not, each with its status. `ref` is the day that
    splits fact from plan (default: today)."""
    day = ref or dates.today()
    entries: list[Entry] = []
    for brand in brands:
        if filters is not None and not filters.keeps_brand(brand):
            continue
        for market in markets or sorted(brand.markets):
            for model_id, windows in brand.markets.get(market, {}).items():
                model = brand.models[model_id]
                if filters is not None and filters.by_facts:
                    windows = tuple(w for w in windows if filters.keeps(brand, model, w))
                answer = _every if others else _answer
                entries += answer(brand, model, market, windows, when, day)
    entries.sort(key=lambda e: (e.brand.id, e.model.id, e.market))
    return entries


def _answer(
    brand: Brand, model: Model, market: str, windows: Sequence[Window], when: When, ref: dt.date
) -> list[Entry]:
    """The model's entry at `when`, if it was on sale then: the first window on sale then (of those whose facts the
    question is about: the LC is a convertible only from the window that says so)."""
    for window in windows:
        if when.covers(window):
            since, until = plans(window, ref)
            return [Entry(brand, model, market, window, Status.expected if since else Status.on_sale, since, until)]
    return []


def _every(brand: Brand, model: Model, market: str, windows: Sequence[Window], when: When, ref: dt.date) -> list[Entry]:
    """An entry for each of the model's windows, with its status at `when`: on sale, still to come, or over."""
    entries = []
    for i, window in enumerate(windows):
        after = windows[i + 1] if i + 1 < len(windows) else None
        since, until = plans(window, ref)
        if when.covers(window):
            status = Status.expected if since else Status.on_sale
        elif when.starts_after(window):
            status = Status.expected if since else Status.later
        else:
            status = Status.earlier if after is not None and carried_on(window, after) else Status.left
        entries.append(Entry(brand, model, market, window, status, since, until))
    return entries


def carried_on(window: Window, after: Window) -> bool:
    """Whether the model was sold on with no break from one window into the next (what it was sold as changed)."""
    end = window.end
    if end is None:
        return False
    if window.model_years is not None and after.model_years is not None:
        return after.first_model_year <= (window.last_model_year or 0) + 1
    return after.start <= end + dt.timedelta(days=1)


def history(brand: Brand, model: Model, ref: dt.date) -> list[Entry]:
    """Every window of a model in every market, each with its status on `ref`."""
    entries = []
    for market in sorted(brand.markets):
        for window in brand.markets[market].get(model.id, ()):
            since, until = plans(window, ref)
            ended = window.end is not None and window.end < ref
            status = Status.expected if since else Status.left if ended else Status.on_sale
            entries.append(Entry(brand, model, market, window, status, since, until))
    return entries


# --- as known on a date ---------------------------------------------------------------------


def as_known(brand: Brand, as_of: dt.date, today: dt.date) -> Brand:
    """The brand as its sources had it on `as_of`.

    A date still to come then (not wholly past) is known only if it was announced by then. A window whose start was
    not known is left out; one whose end was not known is open. With no `announced`, a date still to come is known
    from today on: the data is what is known now, and cannot say since when."""
    if as_of >= today:
        return brand
    markets = {
        code: {model_id: found for model_id, windows in entries.items() if (found := _known(windows, as_of))}
        for code, entries in brand.markets.items()
    }
    models = {
        model_id: model if model.production is None else model._replace(production=_known_span(model.production, as_of))
        for model_id, model in brand.models.items()
    }
    presence = {code: found for code, windows in brand.presence.items() if (found := _known(windows, as_of))}
    return brand._replace(models=models, markets={c: e for c, e in markets.items() if e}, presence=presence)


def _known(windows: Sequence[Window], as_of: dt.date) -> tuple[Window, ...]:
    found = []
    for window in windows:
        since = window.since.last if window.since is not None else dt.date(window.first_model_year, 1, 1)
        if since > as_of and not _reported(window.announced, as_of):
            continue
        end = window.end
        if end is not None and end > as_of and not _reported(window.until_announced or window.announced, as_of):
            years = window.model_years
            window = window._replace(until=None, until_announced=None, model_years=years and (years[0], None))
        found.append(window)
    return tuple(found)


def _known_span(span: Span, as_of: dt.date) -> Span | None:
    if span.since is not None and span.since.last > as_of and not _reported(span.announced, as_of):
        return None
    if span.until is not None and span.until.last > as_of and not _reported(span.until_announced or span.announced,
                                                                               as_of):  # fmt: skip
        return None if span.since is None else span._replace(until=None, until_announced=None)
    return span


def _reported(day: PartialDate | None, as_of: dt.date) -> bool:
    return day is not None and day.last <= as_of


def production_planned(model: Model, ref: dt.date) -> bool:
    """Whether the end of the model's production is still a plan on `ref`."""
    production = model.production
    return production is not None and production.until is not None and (production.plan or production.until.last > ref)


def on_sale(brand: Brand, model: Model, markets: Sequence[str], when: When) -> bool:
    """Whether the model is on sale at `when` in any of `markets` (any market if none)."""
    for market in markets or brand.markets:
        if any(when.covers(w) for w in brand.markets.get(market, {}).get(model.id, ())):
            return True
    return False


# --- one model's story -----------------------------------------------------------------


def lineage(dataset: Dataset, model: Model) -> tuple[list[Model], list[Model]]:
    """The models it follows (nearest first) and those that follow it (nearest first), across brands."""
    models = {m.key: m for brand in dataset.brands.values() for m in brand.models.values()}
    successors: dict[str, list[str]] = {}
    for m in models.values():
        for key in m.follows:
            successors.setdefault(key, []).append(m.key)
    back = _walk(model, lambda m: list(m.follows), models)
    ahead = _walk(model, lambda m: successors.get(m.key, []), models)
    return back, ahead


def _walk(start: Model, links: Callable[[Model], list[str]], models: Mapping[str, Model]) -> list[Model]:
    """Breadth-first along `links`, each model once, so that a cycle in the data cannot loop."""
    seen = {start.key}
    queue = [start]
    out = []
    while queue:
        current = queue.pop(0)
        for key in links(current):
            if key not in seen and key in models:
                seen.add(key)
                out.append(models[key])
                queue.append(models[key])
    return out
