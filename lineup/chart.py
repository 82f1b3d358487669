"""The timeline chart: one row per model, a bar for each stretch on sale; for a terminal, SVG or HTML."""

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lineup import countries
from lineup.model import Body, Brand, Model, Window, facts_of
from lineup.query import end_of, plans, start_of
from lineup.tables import Names, Table
from lineup.tables import Row as Cells
from lineup.text import visible
from lineup.value import Value

if TYPE_CHECKING:
    from rich.text import Text

# Okabe-Ito colours, which colour-blind readers tell apart, the most common body styles the most distinct.
COLOURS: dict[Body | None, str] = {
    Body.crossover: "#0072B2",  # blue
    Body.suv: "#E69F00",  # orange
    Body.sedan: "#009E73",  # bluish green
    Body.coupe: "#CC79A7",  # reddish purple
    Body.hatchback: "#56B4E9",  # sky blue
    Body.convertible: "#D55E00",  # vermilion
    Body.wagon: "#F0E442",  # yellow
    Body.minivan: "#999999",
    Body.van: "#555555",
    Body.pickup: "#000000",
    None: "#BBBBBB",  # body style unknown
}
_TERMINAL: dict[Body | None, str] = {
    Body.crossover: "blue",
    Body.suv: "yellow",
    Body.sedan: "green",
    Body.coupe: "magenta",
    Body.hatchback: "cyan",
    Body.convertible: "red",
    Body.wagon: "bright_yellow",
    Body.minivan: "white",
    Body.van: "bright_black",
    Body.pickup: "bright_red",
    None: "bright_black",
}
FULL, PLANNED, SEEN, MARK, MORE, GENERATION = "█", "░", "▒", "│", "▸", "┃"


class Bar(Value):
    """One window on sale, as drawn: clipped to the chart, and to the day asked while it is open.

    Coloured by the body style in force in it, and marked where a new generation starts."""

    __slots__ = ("start", "end", "open", "since_planned", "until_planned", "first_seen", "label", "body",
                 "generation")  # fmt: skip

    def __init__(
        self,
        start: dt.date,
        end: dt.date,
        open: bool,
        since_planned: bool,
        until_planned: bool,
        first_seen: bool,
        label: str,
        body: Body | None = None,
        generation: str | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.open = open  # still on sale after the day asked (or the chart's end): drawn with an arrow
        self.since_planned = since_planned  # its launch is still a plan on the day asked: all of it is expected
        self.until_planned = until_planned  # an announced end: the part after the day asked is expected
        self.first_seen = first_seen  # only its first sighting is known, not its launch
        self.label = label  # the dates as the data gives them: "2017 to 2022-04"
        self.body = body  # the first body style in force in the window; None if unknown (or the brand's own)
        self.generation = generation  # the generation it starts, where it follows one of another generation

    def planned_on(self, day: dt.date, on: dt.date) -> bool:
        """Whether the bar is expected on `day`, the chart's day being `on`."""
        return self.since_planned or (self.until_planned and day > on)


class Row(Value):
    """A row of the chart: a model in a market and its bars, or (with no model) the brand's own presence."""

    __slots__ = ("label", "model", "market", "bars")

    def __init__(
        self,
        label: str,
        model: Model | None,
        market: str,
        bars: tuple[Bar, ...],
    ) -> None:
        self.label = label  # "Q50", or "Q50 · TW" when the chart shows several markets
        self.model = model  # None: the brand itself
        self.market = market
        self.bars = bars

    @property
    def body(self) -> Body | None:
        """The body style its label shows: its first bar's (a model with several is coloured by its first).

        None if unknown, or for the brand's own row."""
        return self.bars[0].body if self.bars else None


class Chart(Value):
    """What to draw: the rows, the years shown, and the day that splits fact from plan."""

    __slots__ = ("title", "first", "last", "on", "rows")

    def __init__(
        self,
        title: str,
        first: dt.date,
        last: dt.date,
        on: dt.date,
        rows: tuple[Row, ...],
    ) -> None:
        self.title = title
        self.first = first
        self.last = last
        self.on = on
        self.rows = rows

    @property
    def days(self) -> int:
        """The number of days the chart spans."""
        return (self.last - self.first).days + 1

    @property
    def markets(self) -> list[str]:
        """The markets of the rows, in order, each once."""
        return list(dict.fromkeys(row.market for row in self.rows))

    def bodies(self) -> list[Body | None]:
        """The body styles the bars are coloured by, in the legend's order (the brand's own rows aside)."""
        used = {bar.body for row in self.rows if row.model is not None for bar in row.bars}
        return [body for body in COLOURS if body in used]

    @property
    def generations(self) -> bool:
        """Whether a bar marks a new generation."""
        return any(bar.generation for row in self.rows for bar in row.bars)

    def shows(self, day: dt.date) -> bool:
        """Whether `day` is in the years shown."""
        return self.first <= day <= self.last


def chart(
    brand: Brand, markets: Sequence[str], on: dt.date, start_year: int | None = None, end_year: int | None = None
) -> Chart:
    """Lay out a brand's timeline in `markets` (all of the brand's if none) between two years."""
    chosen = list(markets) or sorted(brand.markets)
    found = [
        (brand.models[model_id], market, window)
        for market in chosen
        for model_id, windows in brand.markets.get(market, {}).items()
        for window in windows
    ]
    years = [w.start.year for _, _, w in found] + [e.year for _, _, w in found if (e := w.end) is not None]
    first_year = start_year if start_year is not None else min(years, default=on.year)
    last_year = end_year if end_year is not None else max([*years, on.year, first_year])
    first, last = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)

    bars: dict[tuple[str, str], list[Bar]] = {}
    generations: dict[tuple[str, str], str | None] = {}
    for model, market, window in found:
        facts = facts_of(model, window)
        earlier = generations.get((model.id, market), facts.generation)
        generations[model.id, market] = facts.generation
        fresh = facts.generation if facts.generation != earlier else None
        bar = _bar(window, on, first, last, facts.body[0] if facts.body else None, fresh)
        if bar is not None:
            bars.setdefault((model.id, market), []).append(bar)
    names, several = Names(), len(chosen) > 1
    rows = []
    for market in chosen:
        stays = [bar for w in brand.presence.get(market, ()) if (bar := _bar(w, on, first, last)) is not None]
        if stays:
            label = f"{brand.name} itself"
            rows.append(Row(f"{label} · {market}" if several else label, None, market, tuple(stays)))
    for (model_id, market), found_bars in bars.items():
        name = str(names(brand, brand.models[model_id]))
        rows.append(Row(f"{name} · {market}" if several else name, brand.models[model_id], market, tuple(found_bars)))
    rows.sort(key=lambda r: (chosen.index(r.market), r.model is not None, r.bars[0].start, r.label))
    span = f"{first_year}" if first_year == last_year else f"{first_year}\N{EN DASH}{last_year}"
    return Chart(f"{brand.name} in {_places(chosen)}, {span}", first, last, on, tuple(rows))


def _bar(
    window: Window, on: dt.date, first: dt.date, last: dt.date, body: Body | None = None, generation: str | None = None
) -> Bar | None:
    """A window as a bar clipped to the years shown; None if it lies outside them."""
    since_planned, until_planned = plans(window, on)
    end = window.end if window.end is not None else max(on, window.start)  # open: as far as known
    if window.start > last or end < first:
        return None
    span = f"{start_of(window)} to {end_of(window) or 'now'}"
    is_open = window.end is None or end > last
    return Bar(max(window.start, first), min(end, last), is_open, since_planned, until_planned, window.first_seen,
               span, body, generation)  # fmt: skip


def body_name(body: Body | None) -> str:
    """A body style as a legend names it."""
    return body.value if body is not None else "unknown"


def _places(codes: Sequence[str]) -> str:
    named = [countries.the(code) for code in codes[:4]]
    more = f" and {len(codes) - 4} more" if len(codes) > 4 else ""
    if len(named) > 1 and not more:
        return ", ".join(named[:-1]) + " and " + named[-1]
    return ", ".join(named) + more


# --- in a terminal -------------------------------------------------------------------------


def write_terminal(chart: Chart, console: Any) -> None:
    """The chart in text on a Rich console: a label column, then a cell per slice of time as wide as it allows."""
    from rich.cells import cell_len
    from rich.text import Text

    labels = [visible(row.label) for row in chart.rows]
    label_width = min(max([cell_len(x) for x in labels] + [5]), 24)
    body_width = max([len(body_name(row.body)) for row in chart.rows] + [4])
    width = max(console.width - label_width - body_width - 3, 10)
    mark = _cell(chart, chart.on, width) if chart.shows(chart.on) else None

    def line(text: "Text") -> None:
        console.print(text, no_wrap=True, overflow="crop", crop=True)

    line(Text(visible(chart.title), style="bold"))
    line(Text(" " * (label_width + body_width + 3)) + _axis(chart, width, mark))
    several = len(chart.markets) > 1
    for market, group in itertools.groupby(zip(chart.rows, labels, strict=True), key=lambda pair: pair[0].market):
        if several:
            line(Text(countries.name(market), style="bold dim"))
        for row, label in group:
            text = Text(_fit(label, label_width) + " ")
            text.append((body_name(row.body) if row.model is not None else "").ljust(body_width), style="dim")
            text.append("  ")
            text.append_text(_bars(chart, row, width, mark))
            line(text)
    console.print(_legend(chart))


def _fit(label: str, width: int) -> str:
    """A label cut to `width` terminal cells, keeping its market (` · TW`) when it has one."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(label) <= width:
        return set_cell_size(label, width)
    name, dot, market = label.rpartition(" · ")
    tail = f"… · {market}" if dot else "…"
    return set_cell_size(set_cell_size(name if dot else label, max(width - cell_len(tail), 1)) + tail, width)


def _cell(chart: Chart, day: dt.date, width: int) -> int:
    return max(0, min(width - 1, (day - chart.first).days * width // chart.days))


def _bars(chart: Chart, row: Row, width: int, mark: int | None) -> "Text":
    from rich.text import Text

    cells: list[tuple[str, str]] = [(MARK if i == mark else " ", "dim") for i in range(width)]
    for bar in row.bars:
        colour = _TERMINAL[bar.body] if row.model is not None else "bright_black"
        # Every window gets at least one cell, however short; a cell stands for the days it spans.
        first, last = _cell(chart, bar.start, width), _cell(chart, bar.end, width)
        for i in range(first, last + 1):
            middle = chart.first + dt.timedelta(days=(2 * i + 1) * chart.days // (2 * width))
            char = PLANNED if bar.planned_on(min(max(middle, bar.start), bar.end), chart.on) else FULL
            cells[i] = (SEEN if bar.first_seen and i == first and char == FULL else char, colour)
        if bar.generation:
            cells[first] = (GENERATION, colour)
        if bar.open and last + 1 < width and cells[last + 1][0] in (" ", MARK):
            cells[last + 1] = (MORE, colour)
    text = Text()
    for style, run in itertools.groupby(cells, key=lambda cell: cell[1]):
        text.append("".join(char for char, _ in run), style=style)
    return text


def _axis(chart: Chart, width: int, mark: int | None) -> "Text":
    """Year labels where they fit, clear of the marker of the day asked."""
    from rich.text import Text

    cells = [" "] * width
    step = year_step(chart, width / 6)
    for year in range(chart.first.year, chart.last.year + 1, step):
        at = _cell(chart, dt.date(year, 1, 1), width)
        label = str(year)
        free = all(c == " " for c in cells[max(at - 1, 0) : at + len(label)])
        clear = mark is None or not at - 1 <= mark <= at + len(label)
        if at + len(label) <= width and free and clear:
            cells[at : at + len(label)] = list(label)
    if mark is None:
        return Text("".join(cells), style="dim")
    return Text("".join(cells[:mark]), style="dim") + Text("▼", style="bold") + Text("".join(cells[mark + 1 :]))


def year_step(chart: Chart, slots: float) -> int:
    """Years between labels, so that about `slots` labels fit."""
    years = chart.last.year - chart.first.year + 1
    return next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000) if years / s <= slots)


def _legend(chart: Chart) -> "Text":
    from rich.text import Text

    legend = Text()
    for body in chart.bodies():
        legend.append(FULL, style=_TERMINAL[body])
        legend.append(f" {body_name(body)}  ")
    legend.append(f"{PLANNED} expected  {SEEN} first seen  {MORE} still on sale", style="dim")
    if chart.generations:
        legend.append(f"  {GENERATION} new generation", style="dim")
    if chart.shows(chart.on):
        legend.append(f"  ▼ {chart.on}", style="dim")
    if not chart.rows:
        legend.append("  (nothing on sale in these years)", style="dim")
    return legend


# --- as rows ------------------------------------------------------------------------------------

BARS = (
    "model", "market", "body", "start", "end", "expected", "end_expected", "open", "first_seen", "dates",
    "generation", "model_id", "country",
)  # fmt: skip


def table(chart: Chart) -> Table:
    """The chart's bars as rows, for the machine formats; expected means as in `lineup show`."""
    rows: tuple[Cells, ...] = tuple(
        {
            "model": row.label,
            "market": row.market,
            "body": body_name(bar.body) if row.model is not None else None,
            "start": bar.start.isoformat(),
            "end": bar.end.isoformat(),
            "expected": bar.since_planned,
            "end_expected": bar.until_planned,
            "open": bar.open,
            "first_seen": bar.first_seen,
            "dates": bar.label,
            "model_id": row.model.id if row.model is not None else None,
            "generation": bar.generation,
            "country": countries.name(row.market),
        }
        for row in chart.rows
        for bar in row.bars
    )
    return Table(BARS, ("model", "market", "body", "start", "end", "expected", "open"), rows)
