"""The timeline chart: one row per model, a bar for each stretch on sale; for a terminal, SVG or HTML."""

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from lineup import countries
from lineup.model import Body, Brand, Model, Window
from lineup.query import Filters, end_of, start_of

if TYPE_CHECKING:
    from rich.text import Text

    from lineup.render import Table

# Okabe-Ito colours, which colour-blind readers can tell apart, one per body style.
COLOURS: dict[Body, str] = {
    Body.sedan: "#0072B2",
    Body.coupe: "#D55E00",
    Body.convertible: "#CC79A7",
    Body.hatchback: "#009E73",
    Body.wagon: "#56B4E9",
    Body.suv: "#E69F00",
    Body.crossover: "#B59B00",
    Body.minivan: "#7F7F7F",
    Body.van: "#4D4D4D",
    Body.pickup: "#8C564B",
}


@dataclass(frozen=True, slots=True)
class Bar:
    """One stretch on sale, clipped to the chart; `open` when it goes on past the chart's end."""

    start: dt.date
    end: dt.date
    open: bool
    label: str  # the dates as the data gives them: "2017 to 2022-04"
    planned: bool  # its launch is still a plan on the day asked (2022-H2 on 2022-11-07): all of it is expected

    def expected_from(self, on: dt.date) -> dt.date:
        """The first day drawn as expected: the day after `on`, or the start of a planned bar."""
        return self.start if self.planned else max(self.start, on + dt.timedelta(days=1))


@dataclass(frozen=True, slots=True)
class Row:
    label: str  # "Q50", or "Q50 · TW" when the chart shows several markets
    model: Model
    market: str
    bars: tuple[Bar, ...]

    @property
    def body(self) -> Body:
        return self.model.body[0]


@dataclass(frozen=True, slots=True)
class Chart:
    """What to draw: the rows, the years shown, and the day that splits fact from plan."""

    title: str
    first: dt.date
    last: dt.date
    on: dt.date
    rows: tuple[Row, ...]

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def bodies(self) -> list[Body]:
        used = {row.body for row in self.rows}
        return [body for body in Body if body in used]


def chart(
    brand: Brand,
    markets: Sequence[str],
    on: dt.date,
    start_year: int | None = None,
    end_year: int | None = None,
    filters: Filters | None = None,
) -> Chart:
    """Lay out a brand's timeline in `markets` (all of the brand's if none), from `start_year` to `end_year`."""
    chosen = list(markets) or sorted(brand.markets)
    found: list[tuple[Model, str, Window]] = [
        (brand.models[model_id], market, window)
        for market in chosen
        for model_id, windows in brand.markets.get(market, {}).items()
        if filters is None or filters.keeps(brand, brand.models[model_id])
        for window in windows
    ]
    starts = [w.start.year for _, _, w in found]
    ends = [w.end.year for _, _, w in found if w.end is not None]
    first_year = start_year if start_year is not None else min(starts, default=on.year)
    last_year = end_year if end_year is not None else max([*ends, on.year] if found else [on.year])
    if last_year < first_year:
        first_year, last_year = last_year, first_year
    first, last = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)

    rows: dict[tuple[str, str], list[Bar]] = {}
    for model, market, window in found:
        end = window.end
        if window.start > last or (end is not None and end < first):
            continue
        stop = end if end is not None and end <= last else last
        span = f"{start_of(window)} to {end_of(window) or 'now'}"
        bar = Bar(max(window.start, first), stop, end is None or end > last, span, start_of(window).planned(on))
        rows.setdefault((model.id, market), []).append(bar)
    from lineup.render import Names

    names, several = Names(), len(chosen) > 1
    laid = []
    for (model_id, market), bars in rows.items():
        name = names(brand, brand.models[model_id])
        laid.append(Row(f"{name} · {market}" if several else name, brand.models[model_id], market, tuple(bars)))
    laid.sort(key=lambda r: (r.bars[0].start, r.label))
    where = countries.name(chosen[0]) if len(chosen) == 1 else ", ".join(chosen[:4])
    where += "" if len(chosen) <= 4 else f" and {len(chosen) - 4} more"
    years = f"{first_year}" if first_year == last_year else f"{first_year}\N{EN DASH}{last_year}"
    return Chart(f"{brand.name} in {where}, {years}", first, last, on, tuple(laid))


# --- in a terminal -------------------------------------------------------------------------

_TERMINAL_STYLES: dict[Body, str] = {
    Body.sedan: "blue",
    Body.coupe: "red",
    Body.convertible: "magenta",
    Body.hatchback: "green",
    Body.wagon: "cyan",
    Body.suv: "yellow",
    Body.crossover: "bright_yellow",
    Body.minivan: "white",
    Body.van: "bright_black",
    Body.pickup: "bright_red",
}
FULL, PLANNED, MARK = "█", "░", "│"


def write_terminal(chart: Chart, out: TextIO, console_options: dict[str, object]) -> None:
    """The chart in text: a label column, then a cell per slice of time as wide as the terminal allows."""
    from rich.console import Console
    from rich.text import Text

    from lineup.render import visible

    console = Console(file=out, markup=False, emoji=False, highlight=False, **console_options)  # type: ignore[arg-type]
    labels = [visible(row.label) for row in chart.rows]
    bodies = [row.body.value for row in chart.rows]
    label_width = min(max([len(x) for x in labels] + [5]), 22)
    body_width = max([len(b) for b in bodies] + [4])
    width = max(console.width - label_width - body_width - 3, 10)
    mark = _cell(chart, chart.on, width) if chart.first <= chart.on <= chart.last else None

    console.print(Text(visible(chart.title), style="bold"))
    console.print(Text(" " * (label_width + body_width + 3)) + _axis(chart, width, mark))
    for row, label, body in zip(chart.rows, labels, bodies, strict=True):
        line = Text(label[:label_width].ljust(label_width) + " ")
        line.append(body.ljust(body_width), style="dim")
        line.append("  ")
        line.append_text(_bars(chart, row, width, mark))
        console.print(line, no_wrap=True, overflow="crop")
    console.print(_legend(chart))


def _cell(chart: Chart, day: dt.date, width: int) -> int:
    return min(width - 1, (day - chart.first).days * width // chart.days)


def _bars(chart: Chart, row: Row, width: int, mark: int | None) -> "Text":
    from rich.text import Text

    colour = _TERMINAL_STYLES[row.body]
    cells: list[tuple[str, str]] = []
    for i in range(width):
        # A cell is on sale if the middle day of the stretch of time it stands for is.
        middle = chart.first + dt.timedelta(days=(2 * i + 1) * chart.days // (2 * width))
        bar = next((bar for bar in row.bars if bar.start <= middle <= bar.end), None)
        if bar is not None:
            cells.append((PLANNED if middle >= bar.expected_from(chart.on) else FULL, colour))
        else:
            cells.append((MARK if i == mark else " ", "dim"))
    text = Text()
    for style, run in itertools.groupby(cells, key=lambda cell: cell[1]):
        text.append("".join(char for char, _ in run), style=style)
    return text


def _axis(chart: Chart, width: int, mark: int | None) -> "Text":
    """Year labels where they fit, and the marker of the day asked."""
    from rich.text import Text

    cells = [" "] * width
    years = chart.last.year - chart.first.year + 1
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if width // max(years // s, 1) >= 6 or s >= years)
    for year in range(chart.first.year, chart.last.year + 1):
        if (year - chart.first.year) % step:
            continue
        at = _cell(chart, dt.date(year, 1, 1), width)
        label = str(year)
        free = all(c == " " for c in cells[max(at - 1, 0) : at + len(label)])
        clear_of_mark = mark is None or not at - 1 <= mark <= at + len(label)
        if at + len(label) <= width and free and clear_of_mark:
            cells[at : at + len(label)] = list(label)
    text = Text("".join(cells), style="dim")
    if mark is not None:
        text = Text("".join(cells[:mark]), style="dim") + Text("▼", style="bold") + Text("".join(cells[mark + 1 :]))
    return text


def _legend(chart: Chart) -> "Text":
    from rich.text import Text

    legend = Text()
    for body in chart.bodies():
        legend.append(FULL, style=_TERMINAL_STYLES[body])
        legend.append(f" {body.value}  ")
    legend.append(f"{PLANNED} expected  ▼ {chart.on}", style="dim")
    return legend


# --- SVG and HTML ---------------------------------------------------------------------------

_LEFT, _RIGHT, _TOP, _ROW, _BAR = 190, 30, 78, 26, 16
_FONT = "Helvetica, Arial, sans-serif"


def svg(chart: Chart, width: int = 960) -> str:
    """The chart as a self-contained SVG document: bars, year grid, the day asked, a legend, a title."""
    from html import escape

    from lineup.render import visible

    def text(value: str) -> str:
        return escape(visible(value), quote=True)

    plot = width - _LEFT - _RIGHT
    height = _TOP + _ROW * max(len(chart.rows), 1) + 96

    def x(day: dt.date) -> float:
        return _LEFT + plot * (day - chart.first).days / chart.days

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{_FONT}" role="img" aria-labelledby="title">',
        f'<title id="title">{text(chart.title)}</title>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{_LEFT - 170}" y="30" font-size="20" font-weight="bold" fill="#111">{text(chart.title)}</text>',
        f'<text x="{_LEFT - 170}" y="50" font-size="12" fill="#555">Models on sale, by body style; '
        f"faded bars are expected (after {chart.on}).</text>",
    ]
    bottom = _TOP + _ROW * len(chart.rows)
    years = chart.last.year - chart.first.year + 1
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if plot / max(years / s, 1) >= 40 or s >= years)
    for year in range(chart.first.year, chart.last.year + 2):
        left = x(dt.date(year, 1, 1)) if year <= chart.last.year else _LEFT + plot
        out.append(f'<line x1="{left:.1f}" y1="{_TOP - 8}" x2="{left:.1f}" y2="{bottom}" stroke="#e3e3e3"/>')
        if year <= chart.last.year and (year - chart.first.year) % step == 0:
            out.append(
                f'<text x="{left + 3:.1f}" y="{_TOP - 12}" font-size="12" fill="#444">{year}</text>'
                f'<text x="{left + 3:.1f}" y="{bottom + 16}" font-size="12" fill="#444">{year}</text>'
            )
    for i, row in enumerate(chart.rows):
        top = _TOP + _ROW * i
        colour = COLOURS[row.body]
        if i % 2:
            out.append(f'<rect x="0" y="{top}" width="{width}" height="{_ROW}" fill="#f6f6f6"/>')
        out.append(
            f'<text x="{_LEFT - 10}" y="{top + _ROW / 2 + 4:.1f}" font-size="13" text-anchor="end" fill="#111">'
            f"{text(row.label)}</text>"
        )
        for bar in row.bars:
            y = top + (_ROW - _BAR) / 2
            start, end = x(bar.start), x(bar.end + dt.timedelta(days=1))
            split = min(x(bar.expected_from(chart.on)), end)
            tip = f"<title>{text(row.label)}: {text(bar.label)}</title>"
            if split > start:
                out.append(
                    f'<rect x="{start:.1f}" y="{y:.1f}" width="{split - start:.1f}" height="{_BAR}" rx="2" '
                    f'fill="{colour}">{tip}</rect>'
                )
            if end > split:
                out.append(
                    f'<rect x="{split:.1f}" y="{y:.1f}" width="{end - split:.1f}" height="{_BAR}" rx="2" '
                    f'fill="{colour}" fill-opacity="0.3" stroke="{colour}" stroke-dasharray="3 2">{tip}</rect>'
                )
    if chart.first <= chart.on <= chart.last:
        at = x(chart.on)
        anchor = "end" if at > width - _RIGHT - 40 else "start" if at < _LEFT + 40 else "middle"
        out.append(
            f'<line x1="{at:.1f}" y1="{_TOP - 26}" x2="{at:.1f}" y2="{bottom + 4}" stroke="#222" '
            f'stroke-width="1.5"/><text x="{at:.1f}" y="{_TOP - 30}" font-size="11" text-anchor="{anchor}" '
            f'fill="#222">{chart.on}</text>'
        )
    legend_y = bottom + 44
    left = float(_LEFT - 170)
    for body in chart.bodies():
        out.append(
            f'<rect x="{left:.0f}" y="{legend_y - 11}" width="14" height="12" rx="2" fill="{COLOURS[body]}"/>'
            f'<text x="{left + 19:.0f}" y="{legend_y}" font-size="12" fill="#333">{body.value}</text>'
        )
        left += 28 + 7.2 * len(body.value)
    out.append(
        f'<rect x="{left:.0f}" y="{legend_y - 11}" width="14" height="12" rx="2" fill="#777" fill-opacity="0.3" '
        f'stroke="#777" stroke-dasharray="3 2"/><text x="{left + 19:.0f}" y="{legend_y}" font-size="12" '
        f'fill="#333">expected</text>'
    )
    out.append(
        f'<text x="{_LEFT - 170}" y="{legend_y + 26}" font-size="11" fill="#777">Data: lineup. Each window\'s '
        f"sources: lineup model BRAND MODEL. Markets: "
        f"{text(', '.join(sorted({f'{r.market} ({countries.name(r.market)})' for r in chart.rows})))}.</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def html(chart: Chart) -> str:
    """The SVG chart in a small self-contained web page."""
    from html import escape

    from lineup.render import visible

    title = escape(visible(chart.title))
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        "<style>body{margin:2rem;font-family:Helvetica,Arial,sans-serif;color:#111}"
        "figure{margin:0;max-width:960px}svg{width:100%;height:auto}</style>\n"
        "</head>\n<body>\n<figure>\n"
        f"{svg(chart)}"
        f"<figcaption>{title}. Made with lineup.</figcaption>\n"
        "</figure>\n</body>\n</html>\n"
    )


BARS = ("model", "market", "body", "start", "end", "open", "expected", "dates", "model_id", "country")


def table(chart: Chart) -> "Table":
    """The chart's bars as rows, for the machine formats."""
    from lineup.render import Table

    rows = tuple(
        {
            "model": row.label,
            "market": row.market,
            "body": row.body.value,
            "start": bar.start.isoformat(),
            "end": bar.end.isoformat(),
            "open": bar.open,
            "expected": bar.planned or bar.end > chart.on,
            "dates": bar.label,
            "model_id": row.model.id,
            "country": countries.name(row.market),
        }
        for row in chart.rows
        for bar in row.bars
    )
    return Table(BARS, ("model", "market", "body", "start", "end", "expected"), rows)
