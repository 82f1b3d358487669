"""Sales as a picture: bars of units per period (several models side by side), the lineup's launches
and withdrawals marked on the time axis, the title, units and sources a newspaper would print."""

import datetime as dt
import math
from collections.abc import Sequence
from textwrap import wrap

from lineup.dates import Period
from lineup.model import Brand, Figure, Model
from lineup.query import carried_on
from lineup.sales import series
from lineup.svg import page, xml
from lineup.text import site
from lineup.value import Value

_WIDTH, _MARGIN, _TOP, _PLOT, _FONT = 960, 24, 96, 300, "Helvetica, Arial, sans-serif"
_COLOURS = ("#1f5f99", "#d9822b", "#3b8f4a", "#a23b72", "#6b6b6b", "#c9a227", "#2a9d8f", "#8c564b")


class Series(Value):
    """One model's run of figures of one period length in one market, as drawn."""

    __slots__ = ("label", "figures", "marks")

    def __init__(self, label: str, figures: tuple[Figure, ...], marks: tuple[tuple[dt.date, str, str], ...]) -> None:
        self.label = label
        self.figures = figures
        self.marks = marks  # the model's launches and withdrawals there: (day, name, "on sale" or "gone")


class Drawing(Value):
    """What the chart shows: its title, the periods along the axis, each series, and the sources."""

    __slots__ = ("title", "periods", "series", "sources")

    def __init__(self, title: str, periods: tuple[Period, ...], series: tuple[Series, ...],
                 sources: tuple[str, ...]) -> None:  # fmt: skip
        self.title = title
        self.periods = periods
        self.series = series
        self.sources = sources


def chart(brand: Brand, rows: Sequence[tuple[Model, str, Sequence[Figure]]]) -> Drawing:
    """The chart of each model's figures in each market: the period length most of them have, in order."""
    drawn = []
    for model, market, figures in rows:
        run = tuple(series(figures))
        if not run:
            continue
        marks = []
        windows = brand.markets.get(market, {}).get(model.id, ())
        for i, w in enumerate(windows):  # a stretch that carries on into the next is no launch or withdrawal
            if not i or not carried_on(windows[i - 1], w):
                marks.append((w.start, model.name, "on sale"))
            if w.end is not None and (i + 1 == len(windows) or not carried_on(w, windows[i + 1])):
                marks.append((w.end, model.name, "gone"))
        several_markets = len({market for _, market, _ in rows}) > 1
        label = f"{model.name} {market}" if several_markets else model.name
        drawn.append(Series(label, run, tuple(marks)))
    length = max((s.figures[0].period.months for s in drawn), key=lambda m: sum(
        s.figures[0].period.months == m for s in drawn), default=12)  # fmt: skip
    drawn = [s for s in drawn if s.figures[0].period.months == length]
    periods: list[Period] = []
    if drawn:
        first = min(s.figures[0].period for s in drawn)
        last = max(s.figures[-1].period for s in drawn)
        at = first
        while not last < at:
            periods.append(at)
            at = at.shifted(length)
    markets = sorted({market for _, market, _ in rows})
    what = rows[0][0].name if len({m.id for m, _, _ in rows}) == 1 else "models"
    per = {12: "year", 6: "half", 3: "quarter", 1: "month"}.get(length, f"{length} months")
    title = f"{brand.name} {what}: units sold in {', '.join(markets)}, by {per}"
    sources = tuple(dict.fromkeys(site(src) for s in drawn for f in s.figures for src in f.sources))
    return Drawing(title, tuple(periods), tuple(drawn), sources)


def _nice(top: int) -> int:
    """A round number at or above `top` for the units axis (1, 2 or 5 times a power of ten)."""
    if top <= 0:
        return 1
    power = 10 ** int(math.log10(top))
    return int(next(n * power for n in (1, 2, 5, 10) if n * power >= top))


def svg(drawing: Drawing) -> str:
    """The chart as a self-contained SVG document."""
    marks = _mark_rows(drawing)
    plot_top = _TOP + 14 * max(len({row for _, _, row in marks}) - 1, 0)  # room above the plot for every label
    bottom = plot_top + _PLOT
    sources = wrap(
        f"Sources: {', '.join(drawing.sources) or 'none recorded'}. Chart: lineup.",
        150,
        break_long_words=False,
        break_on_hyphens=False,
    )
    height = bottom + 70 + 18 * len(drawing.series) + 15 * len(sources)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" viewBox="0 0 {_WIDTH} {height}" '
        f'font-family="{_FONT}" role="img" aria-labelledby="title">',
        f'<title id="title">{xml(drawing.title)}</title>',
        f'<rect width="{_WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="{_MARGIN}" y="34" font-size="20" font-weight="bold" fill="#111">{xml(drawing.title)}</text>',
        f'<text x="{_MARGIN}" y="58" font-size="12" fill="#555">Units (cars sold). A gap is a period with no '
        "recorded figure, not a zero. Dashed lines: when the model went on sale or left.</text>",
        *_bars(drawing, bottom),
    ]
    for x, label, row in marks:
        out.append(f'<line x1="{x:.1f}" y1="{plot_top - 16 - 14 * row}" x2="{x:.1f}" y2="{bottom}" stroke="#b00020" '
                   'stroke-dasharray="4 3"/>')  # fmt: skip
        out.append(f'<text x="{x + 4:.1f}" y="{plot_top - 20 - 14 * row}" font-size="11" fill="#b00020">'
                   f"{xml(label)}</text>")  # fmt: skip
    y = bottom + 44
    for n, s in enumerate(drawing.series):
        colour = _COLOURS[n % len(_COLOURS)]
        out.append(f'<rect x="{_MARGIN}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{_MARGIN + 18}" y="{y}" font-size="12" fill="#222">{xml(s.label)}</text>')
        y += 18
    for line in sources:
        out.append(f'<text x="{_MARGIN}" y="{y + 14}" font-size="11" fill="#555">{xml(line)}</text>')
        y += 15
    out.append("</svg>")
    return "\n".join(out) + "\n"


_LEFT = 72  # the units axis's labels


def _bars(drawing: Drawing, bottom: float) -> list[str]:
    """The units axis, the periods under it, and a bar a figure; each bar's units written over it where the bars
    are wide enough to carry them (a few models), else in the bar's tooltip alone."""
    plot = _WIDTH - _LEFT - _MARGIN
    top = _nice(max((f.units for s in drawing.series for f in s.figures), default=0))
    slot = plot / max(len(drawing.periods), 1)
    bar = min(48.0, slot * 0.8 / max(len(drawing.series), 1))
    out = []
    for i in range(5):
        y = bottom - _PLOT * i / 4
        out.append(f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{_LEFT + plot}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        out.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" font-size="11" fill="#444" text-anchor="end">'
                   f"{top * i // 4:,}</text>")  # fmt: skip
    index = {p: i for i, p in enumerate(drawing.periods)}
    for i, period in enumerate(drawing.periods):
        out.append(f'<text x="{_LEFT + slot * (i + 0.5):.1f}" y="{bottom + 18}" font-size="12" fill="#444" '
                   f'text-anchor="middle">{xml(str(period))}</text>')  # fmt: skip
    for n, s in enumerate(drawing.series):
        colour = _COLOURS[n % len(_COLOURS)]
        for f in s.figures:
            x = _LEFT + slot * index[f.period] + (slot - bar * len(drawing.series)) / 2 + bar * n
            h = _PLOT * f.units / top
            out.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                       f"<title>{xml(f'{s.label} {f.period}: {f.units:,}')}</title></rect>")  # fmt: skip
            if bar >= 6.5 * len(f"{f.units:,}"):  # room for the number, at 10 px
                out.append(f'<text x="{x + bar / 2:.1f}" y="{bottom - h - 4:.1f}" font-size="10" fill="#222" '
                           f'text-anchor="middle">{f.units:,}</text>')  # fmt: skip
    return out


def _mark_rows(drawing: Drawing) -> list[tuple[float, str, int]]:
    """Each day a model went on sale or left, as x, its label (models of one day in one label), and the row of
    labels it takes so that none runs into another."""
    if not drawing.periods:
        return []
    first, months = drawing.periods[0].first, drawing.periods[0].months
    slot = (_WIDTH - _LEFT - _MARGIN) / len(drawing.periods)
    days: dict[tuple[dt.date, str], list[str]] = {}
    for day, name, verb in (m for s in drawing.series for m in s.marks):
        days.setdefault((day, verb), []).append(name)
    placed: list[tuple[float, str, int]] = []
    ends: list[float] = []  # where each row's last label ends
    for (day, verb), names in sorted(days.items()):
        offset = ((day.year - first.year) * 12 + day.month - first.month + (day.day - 1) / 31) / months
        if not 0 <= offset <= len(drawing.periods):
            continue
        x = _LEFT + slot * offset
        label = f"{', '.join(dict.fromkeys(names))} {verb} {day:%Y-%m}"
        row = next((r for r, end in enumerate(ends) if end < x), len(ends))
        ends[row : row + 1] = [x + 6.2 * len(label) + 12]
        placed.append((x, label, row))
    return placed


def html(drawing: Drawing) -> str:
    """The chart in a small self-contained web page."""
    return page(drawing.title, svg(drawing))
