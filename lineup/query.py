"""Questions asked of a Dataset: what is on sale, when, where. Pure functions."""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypeVar

from lineup import countries, dates
from lineup.dates import PartialDate
from lineup.model import Body, Brand, Dataset, LineupError, Model, Powertrain, Window, did_you_mean, shorten

_Named = TypeVar("_Named", Brand, Model)


@dataclass(frozen=True, slots=True)
class When:
    """The time a question is about: a calendar period (a day, a month, a year...) or a model year."""

    first: dt.date | None = None
    last: dt.date | None = None
    model_year: int | None = None

    @classmethod
    def on(cls, day: dt.date) -> "When":
        return cls(day, day)

    @classmethod
    def during(cls, date: PartialDate) -> "When":
        """Any time in the days `date` covers: `2022` is the whole year, `2022-04-15` that day."""
        return cls(date.first, date.last)

    @classmethod
    def in_year(cls, year: int) -> "When":
        return cls.during(PartialDate.year_of(year))

    @classmethod
    def in_model_year(cls, year: int) -> "When":
        return cls(model_year=year)

    def covers(self, window: Window) -> bool:
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

    def _days(self) -> tuple[dt.date, dt.date]:
        assert self.first is not None, "a calendar period"
        assert self.last is not None, "a calendar period"
        return self.first, self.last


@dataclass(frozen=True, slots=True)
class Event:
    """A dated boundary of a window, as precise as the data: `2022-03`, `by 2018`, `MY2019`."""

    text: str
    first: dt.date
    last: dt.date

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
    """Whether the window's start and its end are still plans on `ref` (always, for a window marked `plan`)."""
    end = end_of(window)
    return window.plan or start_of(window).planned(ref), end is not None and (window.plan or end.planned(ref))


@dataclass(frozen=True, slots=True)
class Filters:
    """Which models a question is about, by body style, powertrain and brand origin."""

    body: frozenset[Body] = frozenset()
    exclude_body: frozenset[Body] = frozenset()
    powertrain: frozenset[Powertrain] = frozenset()
    origin: frozenset[str] = frozenset()

    def keeps_brand(self, brand: Brand) -> bool:
        return not self.origin or brand.origin in self.origin

    def keeps(self, brand: Brand, model: Model) -> bool:
        if not self.keeps_brand(brand):
            return False
        if self.powertrain and not self.powertrain.intersection(model.powertrain):
            return False
        if not self.body and not self.exclude_body:
            return True
        # A model stays if one of its body styles is wanted and not excluded: the Lexus LC
        # (coupe, convertible) is still a coupe with convertibles excluded. One whose body
        # style is unknown cannot be shown to match, so a body filter leaves it out.
        wanted = set(model.body) if not self.body else self.body.intersection(model.body)
        return bool(wanted - self.exclude_body)


class Status(StrEnum):
    on_sale = "on sale"
    expected = "expected"  # on sale by the data, but its launch is still a plan on the day asked
    left = "left"


@dataclass(frozen=True, slots=True)
class Entry:
    """A model in a market, with the window that answers the question."""

    brand: Brand
    model: Model
    market: str
    window: Window
    status: Status
    since_planned: bool = False  # the window's start is still a plan on the day asked
    until_planned: bool = False  # its end is an announced plan


def find_brand(dataset: Dataset, text: str) -> Brand:
    """A brand by id or display name, ignoring case."""
    found, hint = lookup(dataset.brands, text)
    if found is None:
        raise LineupError(f"unknown brand {shorten(text)}{hint} (brands: {', '.join(dataset.brands) or 'none'})")
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
    filters: Filters = Filters(),
    others: bool = False,
    ref: dt.date | None = None,
) -> list[Entry]:
    """The models on sale at `when` in `markets` (every market if none). With `others`, also those
    that had left by then and those still to come, each with its nearest window.
    `ref` is the day that splits fact from plan (default: today)."""
    day = ref or dates.today()
    entries = []
    for brand in brands:
        for market in markets or sorted(brand.markets):
            for model_id, windows in brand.markets.get(market, {}).items():
                model = brand.models[model_id]
                if filters.keeps(brand, model):
                    entry = _answer(brand, model, market, windows, when, others, day)
                    if entry is not None:
                        entries.append(entry)
    entries.sort(key=lambda e: (e.brand.id, e.model.id, e.market))
    return entries


def _answer(
    brand: Brand, model: Model, market: str, windows: Sequence[Window], when: When, others: bool, ref: dt.date
) -> Entry | None:
    for window in windows:
        if when.covers(window):
            since, until = plans(window, ref)
            return Entry(brand, model, market, window, Status.expected if since else Status.on_sale, since, until)
    if not others:
        return None
    coming = next((w for w in windows if when.starts_after(w)), None)
    if coming is not None and plans(coming, ref)[0]:
        return Entry(brand, model, market, coming, Status.expected, *plans(coming, ref))
    ended = [w for w in windows if when.ended_before(w)]
    if ended:
        return Entry(brand, model, market, ended[-1], Status.left, *plans(ended[-1], ref))
    return None


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


def incomplete(brands: Iterable[Brand], markets: Sequence[str]) -> list[tuple[Brand, str]]:
    """The (brand, market) pairs in scope whose lineup the data does not claim is complete."""
    return [
        (brand, market)
        for brand in brands
        for market in (markets or sorted(brand.markets))
        if market in brand.markets and not brand.is_complete(market)
    ]


def scope_notes(brands: Sequence[Brand], markets: Sequence[str], one_brand: bool) -> list[str]:
    """What to tell a person about an answer's scope: markets with no data, lineups not known to be complete."""
    notes = []
    held = sorted({code for brand in brands for code in brand.markets})
    for code in markets:
        if not any(code in brand.markets for brand in brands):
            who = brands[0].name if one_brand and brands else "any brand"
            namibia = " (NA is Namibia; name each country of a region)" if code == "NA" else ""
            listed = ", ".join(held) or "none"
            notes.append(f"no data for {who} in {code} ({countries.name(code)}){namibia}; markets with data: {listed}")
    gaps = incomplete(brands, markets)
    if gaps:
        notes.append(
            "not known to be complete, so models may be missing: " + ", ".join(f"{b.name} in {m}" for b, m in gaps)
        )
    return notes


# --- what changed between two times ----------------------------------------------------


class Change(StrEnum):
    added = "added"
    dropped = "dropped"
    first_seen = "first-seen"  # arrived, but the data only has when it was first seen on sale
    back = "dropped-then-back"
    came_and_went = "added-then-dropped"


@dataclass(frozen=True, slots=True)
class Difference:
    """One model's change in one market between two times, with the window that made it."""

    brand: Brand
    model: Model
    market: str
    change: Change
    date: Event  # the change itself: an arrival's start, a departure's end
    other: Event | None  # the first boundary of a two-step change (when it left before coming back)
    window: Window
    expected: bool  # the change is still a plan on the day asked
    replaces: tuple[Model, ...] = ()  # models it follows that the same diff drops (renames)


def overlap(a: When, b: When) -> bool:
    """Whether two different times share a day (or a model year): a diff between them means nothing."""
    return a != b and not a.before(b) and not b.before(a)


def diff(
    brand: Brand, markets: Sequence[str], a: When, b: When, ref: dt.date, filters: Filters | None = None
) -> list[Difference]:
    """What was added and dropped in each market between `a` and `b`, read backwards when `a` is later.
    `ref` is the day that splits fact from plan."""
    if a == b:
        return []
    if overlap(a, b):
        raise ValueError("the two times overlap")
    forward = a.before(b)
    early, late = (a, b) if forward else (b, a)
    by_years = a.model_year is not None
    out: list[Difference] = []
    for market in markets or sorted(brand.markets):
        found = []
        for model_id, windows in brand.markets.get(market, {}).items():
            model = brand.models[model_id]
            if filters is None or filters.keeps(brand, model):
                change = _change(brand, model, market, _runs(windows, by_years), early, late, by_years, ref)
                if change is not None:
                    found.append(change)
        out += [d if forward else _backwards(d) for d in _renames(found)]
    # Changes come in the order of reading: latest first when reading backwards.
    out.sort(key=lambda d: d.model.id)
    out.sort(key=lambda d: d.date.first, reverse=not forward)
    return sorted(out, key=lambda d: d.market)


@dataclass(frozen=True, slots=True)
class _Run:
    """Windows on sale one after another without a day (or model year) off sale between them."""

    windows: tuple[Window, ...]

    @property
    def first(self) -> Window:
        return self.windows[0]

    @property
    def last(self) -> Window:
        return self.windows[-1]


def _runs(windows: Sequence[Window], by_years: bool) -> list[_Run]:
    runs: list[list[Window]] = []
    for window in windows:  # in date order
        if runs and _joins(runs[-1][-1], window, by_years):
            runs[-1].append(window)
        else:
            runs.append([window])
    return [_Run(tuple(run)) for run in runs]


def _joins(before: Window, after: Window, by_years: bool) -> bool:
    if by_years:
        last = before.last_model_year
        return last is None or after.first_model_year <= last + 1
    end = before.end
    return end is None or after.start <= end + dt.timedelta(days=1)


def _covers(when: When, run: _Run) -> bool:
    return any(when.covers(w) for w in run.windows)


def _change(
    brand: Brand, model: Model, market: str, runs: list[_Run], early: When, late: When, by_years: bool, ref: dt.date
) -> Difference | None:
    # The run nearest the other time on each side: the last on sale at `early`, the first at `late`.
    before = next((r for r in reversed(runs) if _covers(early, r)), None)
    after = next((r for r in runs if _covers(late, r)), None)
    between = [r for r in runs if early.starts_after(r.first) and late.ended_before(r.last)]

    def made(change: Change, date: Event, other: Event | None, window: Window, planned: bool) -> Difference:
        return Difference(brand, model, market, change, date, other, window, planned)

    if before is not None and after is not None:
        if before is after:
            return None
        arrival = start_of(after.first, by_years)
        return made(Change.back, arrival, end_of(before.last, by_years), after.first, plans(after.first, ref)[0])
    if before is not None:
        last = (between or [before])[-1].last
        end = end_of(last, by_years)
        assert end is not None  # it is not on sale at `late`, so it ends
        return made(Change.dropped, end, None, last, plans(last, ref)[1])
    if after is not None:
        change = Change.first_seen if after.first.first_seen else Change.added
        return made(change, start_of(after.first, by_years), None, after.first, plans(after.first, ref)[0])
    if not between:
        return None
    end = end_of(between[-1].last, by_years)
    assert end is not None
    first = between[0].first
    return made(Change.came_and_went, end, start_of(first, by_years), first, plans(between[-1].last, ref)[1])


def _backwards(found: Difference) -> Difference:
    """The same change read from the later time back to the earlier one: an arrival becomes a departure."""
    swap = {Change.added: Change.dropped, Change.dropped: Change.added}
    return replace(found, change=swap.get(found.change, found.change))


def _renames(found: list[Difference]) -> list[Difference]:
    """Mark an arrival that follows a model this diff sees leave: the G37 Coupe became the Q60."""
    leaving = {d.model.key: d.model for d in found if d.change in (Change.dropped, Change.came_and_went)}
    arriving = (Change.added, Change.back, Change.first_seen, Change.came_and_went)
    out = []
    for d in found:
        replaces = tuple(leaving[k] for k in d.model.follows if k in leaving)
        out.append(replace(d, replaces=replaces) if replaces and d.change in arriving else d)
    return out


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
