"""Questions asked of a Dataset: what is on sale, when, where. Pure functions."""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from lineup import countries
from lineup.model import Body, Brand, Dataset, LineupError, Model, Powertrain, Window, did_you_mean, shorten

_Named = TypeVar("_Named", Brand, Model)


@dataclass(frozen=True, slots=True)
class When:
    """The time a question is about: one day, a calendar year, or a model year."""

    day: dt.date | None = None
    year: int | None = None
    model_year: int | None = None

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
            last = window.last_model_year
            return last is not None and last < self.model_year
        end = window.end
        return end is not None and end < self._days()[0]

    def _days(self) -> tuple[dt.date, dt.date]:
        if self.year is not None:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        assert self.day is not None
        return self.day, self.day

    def __str__(self) -> str:
        if self.model_year is not None:
            return f"model year {self.model_year}"
        if self.year is not None:
            return f"in {self.year}"
        return f"on {self.day}"


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
        # A model stays if one of its body styles is wanted and not excluded:
        # the Lexus LC (coupe, convertible) is still a coupe with convertibles excluded.
        wanted = set(model.body) if not self.body else self.body.intersection(model.body)
        return bool(wanted - self.exclude_body)


class Status(StrEnum):
    on_sale = "on sale"
    left = "left"


@dataclass(frozen=True, slots=True)
class Entry:
    """A model in a market, with the window that answers the question."""

    brand: Brand
    model: Model
    market: str
    window: Window
    status: Status


def find_brand(dataset: Dataset, text: str) -> Brand:
    """A brand by id or display name, ignoring case."""
    found, hint = _lookup(dataset.brands, text)
    if found is None:
        raise LineupError(f"unknown brand {shorten(text)}{hint} (brands: {', '.join(dataset.brands) or 'none'})")
    return found


def find_model(brand: Brand, text: str) -> Model:
    """A model of a brand by id or display name, ignoring case."""
    found, hint = _lookup(brand.models, text)
    if found is None:
        raise LineupError(f"{brand.name} has no model {shorten(text)}{hint}")
    return found


def _lookup(items: Mapping[str, _Named], text: str) -> tuple[_Named | None, str]:
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
    include_left: bool = False,
) -> list[Entry]:
    """The models on sale at `when` in `markets` (every market if none), and with
    `include_left` also those that had left by then, each with its last window."""
    entries = []
    for brand in brands:
        for market in markets or sorted(brand.markets):
            for model_id, windows in brand.markets.get(market, {}).items():
                model = brand.models[model_id]
                if not filters.keeps(brand, model):
                    continue
                entry = _answer(brand, model, market, windows, when, include_left)
                if entry is not None:
                    entries.append(entry)
    entries.sort(key=lambda e: (e.brand.id, e.model.id, e.market))
    return entries


def _answer(
    brand: Brand, model: Model, market: str, windows: Sequence[Window], when: When, include_left: bool
) -> Entry | None:
    for window in windows:
        if when.covers(window):
            return Entry(brand, model, market, window, Status.on_sale)
    if include_left:
        ended = [w for w in windows if when.ended_before(w)]
        if ended:
            return Entry(brand, model, market, ended[-1], Status.left)
    return None


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
