"""The timeline chart (lineup.chart) in a terminal: a label column, then a cell per slice of time.

Rich is imported by the functions that draw, not here: the rows for scripts go without it."""

import datetime as dt
import itertools
from typing import TYPE_CHECKING, Any

from lineup import countries
from lineup.chart import Bar, Chart, Row, body_name, year_step
from lineup.model import Body
from lineup.text import visible

if TYPE_CHECKING:
    from rich.text import Text

_COLOURS: dict[Body | None, str] = {
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
# Without colour a body style is told by its fill: the taller the car, the taller the bar.
_FILLS: dict[Body | None, str] = {
    Body.crossover: "▆",
    Body.suv: "█",
    Body.sedan: "▄",
    Body.coupe: "▂",
    Body.hatchback: "▚",
    Body.convertible: "▀",
    Body.wagon: "▙",
    Body.minivan: "▇",
    Body.van: "▛",
    Body.pickup: "▟",
    None: "▪",
}
FULL, PLANNED, SEEN, MARK, MORE, BEFORE, GENERATION, RENAMED = "█", "░", "▒", "│", "▸", "◂", "┃", "→"
BRAND_PLAIN = "━"  # the brand's own stay, without colour
_BRAND_COLOUR = "bright_black"
_LABEL_MAX = 24


class Paint:
    """How bars are painted: colour by body style, or (no colour) a fill per body style."""

    def __init__(self, coloured: bool) -> None:
        self.coloured = coloured

    def fill(self, bar: Bar) -> str:
        """The character of a bar's cells on sale."""
        if bar.model is None:
            return FULL if self.coloured else BRAND_PLAIN
        return FULL if self.coloured else _FILLS[bar.body]

    def style(self, bar: Bar, faint: bool) -> str:
        """The style of a bar's cells."""
        colour = _COLOURS[bar.body] if bar.model is not None else _BRAND_COLOUR
        return f"{colour} dim" if faint else colour

    def swatch(self, body: Body | None) -> str:
        """The legend's sample of a body style."""
        return FULL if self.coloured else _FILLS[body]


def write_terminal(chart: Chart, console: Any) -> None:
    """The chart in text on a Rich console: a label column, then a cell per slice of time as wide as it allows."""
    from rich.cells import cell_len
    from rich.text import Text

    paint = Paint(not console.no_color and console.color_system is not None)
    labels = [visible(row.label) for row in chart.rows]
    label_width = min(max([cell_len(x) for x in labels] + [5]), _LABEL_MAX)
    body_width = max([len(body_name(row.body)) for row in chart.rows] + [4])
    indent = label_width + body_width + 2  # label, space, body style, space; then a cell for ◂
    width = max(console.width - indent - 2, 10)  # the cells of time, between ◂ and ▸
    mark = _cell(chart, chart.on, width) if chart.shows(chart.on) else None

    def line(text: "Text") -> None:
        text.rstrip()  # no trailing blanks for a pipe to carry
        console.print(text, no_wrap=True, overflow="crop", crop=True)

    line(Text(visible(chart.title), style="bold"))
    if chart.subtitle:
        line(Text(visible(chart.subtitle)))
    if mark is not None:
        line(Text(" " * indent) + _marker(chart, mark))
    line(Text(" " * (indent + 1)) + _axis(chart, width))
    several = len(chart.markets) > 1
    for market, group in itertools.groupby(zip(chart.rows, labels, strict=True), key=lambda pair: pair[0].market):
        if several:
            line(Text(countries.name(market), style="bold dim"))
        for row, label in group:
            faint = chart.recedes(row)
            text = Text(_fit(label, label_width) + " ", style="dim" if faint else "bold" if chart.highlight else "")
            text.append((body_name(row.body) if row.model is not None else "").ljust(body_width), style="dim")
            text.append(" ")
            text.append_text(_bars(chart, row, width, mark, paint))
            line(text)
    for text in _legend(chart, paint, console.width):
        line(text)
    line(Text(visible(chart.credit), style="dim"))


def _fit(label: str, width: int) -> str:
    """A label cut to `width` terminal cells, with … where it is cut."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(label) <= width:
        return set_cell_size(label, width)
    return set_cell_size(set_cell_size(label, max(width - 1, 1)).rstrip() + "…", width)


def _cell(chart: Chart, day: dt.date, width: int) -> int:
    return max(0, min(width - 1, (day - chart.first).days * width // chart.days))


def _bars(chart: Chart, row: Row, width: int, mark: int | None, paint: Paint) -> "Text":
    """A row's cells: one for ◂, `width` of time, one for ▸."""
    from rich.text import Text

    cells: list[tuple[str, str]] = [(" ", "")] + [(MARK if i == mark else " ", "dim") for i in range(width)]
    cells.append((" ", ""))
    faint = chart.recedes(row)
    for bar in row.bars:
        style, fill = paint.style(bar, faint), paint.fill(bar)
        # Every window gets at least one cell, however short; a cell stands for the days it spans.
        first, last = _cell(chart, bar.start, width), _cell(chart, bar.end, width)
        for i in range(first, last + 1):
            middle = chart.first + dt.timedelta(days=(2 * i + 1) * chart.days // (2 * width))
            char = PLANNED if bar.planned_on(min(max(middle, bar.start), bar.end), chart.on) else fill
            cells[i + 1] = (SEEN if bar.seen_first and i == first and char == fill else char, style)
        if bar.renamed:
            cells[first + 1] = (RENAMED, style)
        elif bar.generation:
            cells[first + 1] = (GENERATION, style)
        if bar.cut:
            cells[0] = (BEFORE, style)
        if bar.open and cells[last + 2][0] in (" ", MARK):
            cells[last + 2] = (MORE, style)
    text = Text()
    for style, run in itertools.groupby(cells, key=lambda cell: cell[1]):
        text.append("".join(char for char, _ in run), style=style)
    return text


def _marker(chart: Chart, mark: int) -> "Text":
    """The line above the years: ▼ over the day asked, with its date beside it (left of it if there is room)."""
    from rich.text import Text

    at = mark + 1  # after the cell for ◂
    day = chart.on.isoformat()
    if at >= len(day) + 1:
        return Text(" " * (at - len(day) - 1) + day + " ", style="dim") + Text("▼", style="bold")
    return Text(" " * at) + Text("▼", style="bold") + Text(" " + day, style="dim")


def _axis(chart: Chart, width: int) -> "Text":
    """Year labels where they fit, at the cell of each year's first day."""
    from rich.text import Text

    cells = [" "] * width
    step = year_step(chart, width / 6)
    for year in range(chart.first.year, chart.last.year + 1, step):
        at = _cell(chart, dt.date(year, 1, 1), width)
        label = str(year)
        if at + len(label) <= width and all(c == " " for c in cells[max(at - 1, 0) : at + len(label)]):
            cells[at : at + len(label)] = list(label)
    return Text("".join(cells).rstrip(), style="dim")


def _legend(chart: Chart, paint: Paint, width: int) -> list["Text"]:
    """The legend, an entry for each mark drawn, in lines that break between entries."""
    from rich.cells import cell_len
    from rich.text import Text

    entries = [(paint.swatch(body), _COLOURS[body], body_name(body)) for body in chart.bodies()]
    marks = [
        ("expected", PLANNED, "expected"),
        ("first_seen", SEEN, "first seen (launch unknown)"),
        ("cut", BEFORE, f"on sale before {chart.first.year}"),
        ("open", MORE, "still on sale"),
        ("generation", GENERATION, "new generation"),
        ("renamed", RENAMED, "renamed"),
    ]
    entries += [(glyph, "dim", text) for kind, glyph, text in marks if chart.drawn(kind)]
    if not chart.rows:
        entries.append(("", "dim", "(nothing on sale in these years)"))
    lines, current = [], Text()
    for glyph, style, words in entries:
        entry = Text(glyph, style=style) + Text(f" {visible(words)}" if glyph else words, style="dim")
        if current.plain and cell_len(current.plain) + 2 + cell_len(entry.plain) > width:
            lines.append(current)
            current = Text()
        current += Text("  ") + entry if current.plain else entry
    return [*lines, current] if current.plain else lines
