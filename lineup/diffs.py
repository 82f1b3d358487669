"""What changed in a lineup between two times: the questions of `lineup diff`. Pure functions.

Apart from lineup.query, which `lineup show` needs, so that a plain query makes none of these classes.
"""

import datetime as dt
import itertools
from collections.abc import Sequence
from enum import StrEnum

from lineup.model import Brand, Coverage, Facts, Model, Window, facts_of
from lineup.query import Event, Filters, When, end_of, plans, start_of
from lineup.value import Value


class Change(StrEnum):
    """How a model's presence in a market changed between two times.

    Or what it is sold as changed, or the brand's own presence did."""

    added = "added"
    dropped = "dropped"
    first_seen = "first-seen"  # arrived, but the data only has when it was first seen on sale
    back = "dropped-then-back"
    came_and_went = "added-then-dropped"
    changed = "changed"  # on sale throughout, but its body styles, powertrains, generation or name changed
    unknown = "unknown"  # missing at an end where the data's coverage is partial: gone, or only not listed
    entered = "entered"  # the brand itself came to the market
    left = "left"  # the brand itself left the market


class Difference(Value):
    """One model's change in one market between two times, with the window that made it.

    A change of the brand's own presence has no model."""

    __slots__ = ("brand", "model", "market", "change", "date", "other", "window", "expected", "replaces", "what",
                 "coverage")  # fmt: skip

    def __init__(
        self,
        brand: Brand,
        model: Model | None,
        market: str,
        change: Change,
        date: Event,
        other: Event | None,
        window: Window,
        expected: bool,
        replaces: tuple[Model, ...] = (),
        what: str | None = None,
        coverage: Coverage | None = None,
    ) -> None:
        self.brand = brand
        self.model = model  # None: the brand itself entered or left
        self.market = market
        self.change = change
        self.date = date  # the change itself: an arrival's start, a departure's end
        self.other = other  # the first boundary of a two-step change (when it left before coming back)
        self.window = window
        self.expected = expected  # the change is still a plan on the day asked
        self.replaces = replaces  # models it follows that the same diff drops (renames)
        self.what = what  # what changed, for `changed`: "body +convertible"
        self.coverage = coverage  # the partial coverage that makes a change `unknown`


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
    if filters is not None and not filters.keeps_brand(brand):
        return []
    for market in markets or sorted({*brand.markets, *brand.presence}):
        found = []
        presence = brand.presence.get(market)
        if presence:
            found += _stays(_change(brand, None, market, _runs(presence, False), early, late, by_years, ref))
        for model_id, windows in brand.markets.get(market, {}).items():
            model = brand.models[model_id]
            if filters is not None and filters.by_facts:
                windows = tuple(w for w in windows if filters.keeps(brand, model, w))
            runs = _runs(windows, by_years)
            change = _change(brand, model, market, runs, early, late, by_years, ref)
            if change is not None:
                found.append(change)
            found += _changes_within(brand, model, market, runs, early, late, by_years, ref, forward)
        out += [d if forward else _backwards(d) for d in _renames(found)]
    # Changes come in the order of reading: latest first when reading backwards.
    out.sort(key=lambda d: d.model.id if d.model is not None else "")
    out.sort(key=lambda d: d.date.first, reverse=not forward)
    return sorted(out, key=lambda d: d.market)


class _Run(Value):
    """Windows on sale one after another without a day (or model year) off sale between them."""

    __slots__ = ("windows",)

    def __init__(
        self,
        windows: tuple[Window, ...],
    ) -> None:
        self.windows = windows

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
    brand: Brand,
    model: Model | None,
    market: str,
    runs: list[_Run],
    early: When,
    late: When,
    by_years: bool,
    ref: dt.date,
) -> Difference | None:
    """The model's change in presence between the two times (the brand's own, with no model)."""
    # The run nearest the other time on each side: the last on sale at `early`, the first at `late`.
    before = next((r for r in reversed(runs) if _covers(early, r)), None)
    after = next((r for r in runs if _covers(late, r)), None)
    between = [r for r in runs if early.starts_after(r.first) and late.ended_before(r.last)]

    def made(change: Change, date: Event, other: Event | None, window: Window, planned: bool) -> Difference:
        if model is None:  # the brand: it entered, or left
            change = Change.left if change is Change.dropped else Change.entered if change in _ARRIVALS else change
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
        partial = _partial_after(brand, market, last, by_years) if model is not None and last.until is None else None
        if partial is not None:  # its end is only its absence from a list the data marks thin
            return Difference(brand, model, market, Change.unknown, end, None, last, False, coverage=partial)
        return made(Change.dropped, end, None, last, plans(last, ref)[1])
    if after is not None:
        change = Change.first_seen if after.first.first_seen else Change.added
        start = start_of(after.first, by_years)
        partial = (
            _partial_before(brand, market, after.first, by_years)
            if model is not None and after.first.since is None
            else None
        )
        if partial is not None:
            return Difference(brand, model, market, Change.unknown, start, None, after.first, False, coverage=partial)
        return made(change, start, None, after.first, plans(after.first, ref)[0])
    if not between:
        return None
    last = between[-1].last
    end = end_of(last, by_years)
    assert end is not None
    first = between[0].first
    partial = _partial_after(brand, market, last, by_years) if model is not None and last.until is None else None
    if partial is not None:  # it came; whether it went, or only left the list, is not known
        return Difference(brand, model, market, Change.unknown, start_of(first, by_years), None, first, False,
                          coverage=partial)  # fmt: skip
    return made(Change.came_and_went, end, start_of(first, by_years), first, plans(last, ref)[1])


_ARRIVALS = (Change.added, Change.first_seen)


def _stays(change: Difference | None) -> list[Difference]:
    """The brand's own change as it entered and left: a stay that came and went between the two
    times is an entry and an exit, a return an exit and an entry."""
    if change is None:
        return []
    if change.change is Change.came_and_went and change.other is not None:
        return [change._replace(change=Change.entered, date=change.other, other=None),
                change._replace(change=Change.left, other=None)]  # fmt: skip
    if change.change is Change.back and change.other is not None:
        return [change._replace(change=Change.left, date=change.other, other=None),
                change._replace(change=Change.entered, other=None)]  # fmt: skip
    return [change]


def _partial_after(brand: Brand, market: str, window: Window, by_years: bool) -> Coverage | None:
    """The coverage the data marks partial just after a window ends, if it does: there the model's
    absence may be only a gap in the list the window was read from."""
    if by_years and window.last_model_year is not None:
        return brand.partial_at(market, model_year=window.last_model_year + 1)
    end = window.end
    return brand.partial_at(market, end + dt.timedelta(days=1)) if end is not None and end < dt.date.max else None


def _partial_before(brand: Brand, market: str, window: Window, by_years: bool) -> Coverage | None:
    """The coverage the data marks partial just before a window starts, if it does."""
    if by_years:
        return brand.partial_at(market, model_year=window.first_model_year - 1)
    return brand.partial_at(market, window.start - dt.timedelta(days=1)) if window.start > dt.date.min else None


def _changes_within(
    brand: Brand,
    model: Model,
    market: str,
    runs: list[_Run],
    early: When,
    late: When,
    by_years: bool,
    ref: dt.date,
    forward: bool,
) -> list[Difference]:
    """What changed between windows on sale one after another, where the later one starts between the
    two times: body styles, powertrains, generation, name (the LC became a convertible too in MY2021)."""
    found = []
    for run in runs:
        for before, after in itertools.pairwise(run.windows):
            if not early.starts_after(after) or late.starts_after(after):
                continue
            old, new = facts_of(model, before), facts_of(model, after)
            what = _what(old, new) if forward else _what(new, old)
            if what:
                date = start_of(after, by_years)
                found.append(Difference(brand, model, market, Change.changed, date, None, after,
                                        plans(after, ref)[0], what=what))  # fmt: skip
    return found


def _what(old: Facts, new: Facts) -> str:
    """What differs, as a person reads it: `body +convertible; generation 1 -> 2`."""
    parts = []
    for label, was, now in (("body", old.body, new.body), ("powertrain", old.powertrain, new.powertrain)):
        added = [str(v) for v in now or () if v not in (was or ())]
        removed = [str(v) for v in was or () if v not in (now or ())]
        if added or removed:
            parts.append(" ".join([label, *(f"+{v}" for v in added), *(f"-{v}" for v in removed)]))
    if old.generation != new.generation:
        parts.append(f"generation {old.generation or '?'} -> {new.generation or '?'}")
    if old.name != new.name:
        parts.append(f"name {old.name} -> {new.name}")
    return "; ".join(parts)


def _backwards(found: Difference) -> Difference:
    """The same change read from the later time back to the earlier one: an arrival becomes a departure."""
    swap = {Change.added: Change.dropped, Change.dropped: Change.added, Change.entered: Change.left,
            Change.left: Change.entered}  # fmt: skip
    return found._replace(change=swap.get(found.change, found.change))


def _renames(found: list[Difference]) -> list[Difference]:
    """Mark an arrival that follows a model this diff sees leave: the G37 Coupe became the Q60."""
    leaving = {d.model.key: d.model for d in found if d.model and d.change in (Change.dropped, Change.came_and_went)}
    arriving = (Change.added, Change.back, Change.first_seen, Change.came_and_went)
    out = []
    for d in found:
        replaces = tuple(leaving[k] for k in d.model.follows if k in leaving) if d.model else ()
        out.append(d._replace(replaces=replaces) if replaces and d.change in arriving else d)
    return out
