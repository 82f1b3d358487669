"""Sales figures as people quote them: changes on earlier periods, a brand's models ranked with their
shares, a run of figures as a sparkline, and what `check` finds wrong in them.

A change is computed only from two recorded figures of periods of the same length; a change a source
reports is kept apart from it, marked as reported, never turned into a base figure.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from lineup.dates import Period, Precision
from lineup.model import Brand, Figure, Model
from lineup.value import Value

_BLOCKS = "▁▂▃▄▅▆▇█"


class Compared(Value):
    """A figure with its changes: on the period before of the same length, and on a year earlier."""

    __slots__ = ("figure", "previous", "year_ago")

    def __init__(self, figure: Figure, previous: float | None, year_ago: float | None) -> None:
        self.figure = figure
        self.previous = previous  # percent; None where the period before is not recorded
        self.year_ago = year_ago  # percent; None where the same period a year earlier is not recorded


class Ranked(Value):
    """One model's figure in a brand's ranking for a period, with its share of the models ranked."""

    __slots__ = ("model", "figure", "share", "year_ago")

    def __init__(self, model: Model, figure: Figure, share: float | None, year_ago: float | None) -> None:
        self.model = model
        self.figure = figure
        self.share = share  # percent of the units of every model ranked; None when they sum to nothing
        self.year_ago = year_ago


def percent(units: int, base: int, exact: bool = False) -> float | None:
    """The change from `base` to `units` in percent, to one decimal unless `exact`; None from a base of nothing."""
    if base == 0:
        return None
    change = (units - base) * 100 / base
    return change if exact else round(change, 1)


def compared(figures: Sequence[Figure]) -> list[Compared]:
    """Each figure with its changes on the recorded figures it can be compared with."""
    by_period = {f.period: f for f in figures}
    out = []
    for f in figures:
        before = by_period.get(f.period.shifted(-f.period.months))
        year_ago = by_period.get(f.period.shifted(-12))
        out.append(Compared(
            f,
            None if before is None else percent(f.units, before.units),
            None if year_ago is None else percent(f.units, year_ago.units),
        ))  # fmt: skip
    return out


def change_on(figures: Sequence[Figure], figure: Figure, versus: Period, exact: bool = False) -> float | None:
    """The change of `figure` on the recorded figure of `versus`, if there is one of that length."""
    base = next((f for f in figures if f.period == versus), None)
    if base is None or versus.months != figure.period.months:
        return None
    return percent(figure.units, base.units, exact)


def disagrees(reported: float, computed: float) -> bool:
    """Whether a reported change differs from the computed one by more than the report's rounding."""
    text = repr(reported)
    decimals = 0 if reported == int(reported) else len(text.split(".")[1]) if "." in text else 1
    return bool(abs(reported - computed) > 0.5 * 10**-decimals + 1e-9)


def ranking(brand: Brand, market: str, period: Period) -> list[Ranked]:
    """The brand's models with a figure for exactly `period` in `market`, most units first."""
    found = [(brand.models[m], f) for m, figures in brand.sales.get(market, {}).items() for f in figures
             if f.period == period]  # fmt: skip
    total = sum(f.units for _, f in found)
    out = []
    for model, figure in sorted(found, key=lambda pair: (-pair[1].units, pair[0].name.casefold(), pair[0].id)):
        share = round(figure.units * 100 / total, 1) if total else None
        out.append(Ranked(model, figure, share, change_on(brand.sales[market][model.id], figure, period.shifted(-12))))
    return out


def unranked(brand: Brand, market: str, period: Period, ranked: Iterable[Ranked]) -> list[Model]:
    """The brand's models on sale in `market` at some time in `period` that have no figure for it."""
    have = {r.model.id for r in ranked}
    out = []
    for model_id, windows in brand.markets.get(market, {}).items():
        if model_id not in have and any(_meets(w.start, w.end, period) for w in windows):
            out.append(brand.models[model_id])
    return out


def _meets(start: dt.date, end: dt.date | None, period: Period) -> bool:
    return start <= period.last and (end is None or end >= period.first)


def on_sale(brand: Brand, market: str, model_id: str, period: Period) -> bool:
    """Whether a window of the model in `market` is on sale at some time in `period`."""
    return any(_meets(w.start, w.end, period) for w in brand.markets.get(market, {}).get(model_id, ()))


def year_figure(figures: Sequence[Figure], year: int) -> Figure | None:
    """The figure of the whole calendar year, if one is recorded."""
    return next((f for f in figures if f.period.calendar is Precision.YEAR and f.period.first.year == year), None)


def last_full_year(figures: Sequence[Figure], until: dt.date) -> Figure | None:
    """The latest figure of a whole year on sale before a model left on `until` (its last day on sale)."""
    last = until.year if until.month == 12 and until.day == 31 else until.year - 1
    years = [f for f in figures if f.period.calendar is Precision.YEAR and f.period.first.year <= last]
    return years[-1] if years else None


def series(figures: Sequence[Figure]) -> list[Figure]:
    """The figures of the period length the model has most of (years, say), in order: what a chart draws."""
    if not figures:
        return []
    counts = Counter(f.period.months for f in figures if f.period.calendar is not None)
    if not counts:
        return []
    months = max(counts, key=lambda m: (counts[m], m))
    return [f for f in figures if f.period.months == months and f.period.calendar is not None]


def sparkline(figures: Sequence[Figure]) -> str:
    """The figures as a line of blocks, a space where a period between them has no figure."""
    if not figures:
        return ""
    top = max(f.units for f in figures) or 1
    step = figures[0].period.months
    out, expected = [], figures[0].period
    for f in figures:
        while expected < f.period:
            out.append(" ")
            expected = expected.shifted(step)
        out.append(_BLOCKS[min(len(_BLOCKS) - 1, f.units * len(_BLOCKS) // (top + 1))])
        expected = f.period.shifted(step)
    return "".join(out)


# --- what check finds ------------------------------------------------------------------------------


def twice(figures: Sequence[Figure]) -> Iterator[Figure]:
    """Each figure whose period an earlier one already gives."""
    seen: set[Period] = set()
    for f in figures:
        if f.period in seen:
            yield f
        seen.add(f.period)


def unsummed(figures: Sequence[Figure]) -> Iterator[tuple[Figure, list[Figure]]]:
    """Each year (or half) whose parts are all recorded and add up to another number: the whole and its parts."""
    by_period = {f.period: f for f in figures}
    for whole in figures:
        for months in (6, 3, 1):
            if whole.period.calendar is None or whole.period.months <= months:
                continue
            parts = [by_period.get(Period(whole.period.shifted(i).first, months))
                     for i in range(0, whole.period.months, months)]  # fmt: skip
            found = [p for p in parts if p is not None]
            if len(found) == len(parts) and sum(p.units for p in found) != whole.units:
                yield whole, found


def reported_disagreeing(figures: Sequence[Figure]) -> Iterator[tuple[Figure, float]]:
    """Each figure whose reported change disagrees with the one its recorded base gives, with that one."""
    for f in figures:
        versus = f.versus
        if f.change is None or versus is None:
            continue
        computed = change_on(figures, f, versus, exact=True)
        if computed is not None and disagrees(f.change, computed):
            yield f, computed
