"""The timeline chart (lineup.chart) as a picture: a self-contained SVG document, or a web page of it.

Sized for print: at the default 960 pixels, labels are 15 px; a wider picture scales its text with it."""

import datetime as dt
import itertools
import re
from textwrap import wrap

from lineup import countries
from lineup.chart import COLOURS, Bar, Chart, Row, body_name, year_step
from lineup.text import visible

WIDTH = 960
_BRAND_COLOUR = "#CCCCCC"  # the brand's own presence, behind its models' colours
_FONT = "Helvetica, Arial, sans-serif"
_EM = 0.6  # the width of a character of a label, in font sizes (Helvetica's capitals and digits, about)
# Characters XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml(value: str) -> str:
    """Text as SVG and HTML show it: what visible() escapes, and what XML would read as markup."""
    from html import escape

    text = _NOT_XML.sub(lambda m: f"\\u{ord(m[0]):04x}", visible(value))
    return escape(text, quote=True)


class Frame:
    """Where things go in a picture `width` pixels wide: margins, the label column, the plot, the rows."""

    def __init__(self, chart: Chart, width: int) -> None:
        self.chart = chart
        self.width = width
        s = self.scale = max(width / WIDTH, 1.0)  # text never shrinks below its size at 960 pixels
        self.margin = 32 * s
        self.label_size, self.small = 15 * s, 14 * s
        longest = max((len(visible(row.label)) for row in chart.rows), default=4)
        self.left = self.margin + min(max(longest * _EM * self.label_size, 60 * s), width * 0.4) + 24 * s
        self.right = width - self.margin - 14 * s  # room for a still-on-sale arrow, inside the margin
        self.plot = self.right - self.left
        subtitle = chart.subtitle if chart.subtitle is not None else _explained(chart)
        self.subtitle = wrap(
            subtitle, int((width - 2 * self.margin) / (16 * s * 0.5)), break_long_words=False, break_on_hyphens=False
        )
        # The title, the subtitle, the day asked and the years above the rows.
        self.top = self.margin + (76 + 20 * max(len(self.subtitle), 1)) * s
        self.row, self.bar = 30 * s, 20 * s
        several = len(chart.markets) > 1
        self.lines = len(chart.rows) + (len(chart.markets) if several else 0)
        self.bottom = self.top + self.row * max(self.lines, 1)

    def fit(self, words: str, size: float, em: float = 0.62) -> float:
        """A font size for a line of `words`: `size` at 960 pixels (scaled), smaller if it would not fit the width.

        `em`: the width of its average character, in font sizes (bold capitals are wider than plain text)."""
        room = self.width - 2 * self.margin
        return min(size * self.scale, room / max(len(visible(words)) * em, 1))

    def x(self, day: dt.date) -> float:
        """The left edge of a day."""
        return self.left + self.plot * (day - self.chart.first).days / self.chart.days

    def x_after(self, day: dt.date) -> float:
        """The right edge of a day."""
        return self.left + self.plot * ((day - self.chart.first).days + 1) / self.chart.days


def svg(chart: Chart, width: int = WIDTH) -> str:
    """The chart as a self-contained SVG document: bars, year grid, the day asked, a legend, a title, a credit."""
    f = Frame(chart, width)
    legend, legend_height = _legend(chart, f, f.bottom + 60 * f.scale)
    height = f.bottom + 60 * f.scale + legend_height + 40 * f.scale
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0f}" '
        f'viewBox="0 0 {width} {height:.0f}" font-family="{_FONT}" role="img" aria-labelledby="title">',
        f'<title id="title">{xml(chart.title)}</title>',
        f'<rect width="{width}" height="{height:.0f}" fill="#ffffff"/>',
        _text(f.margin, f.margin + 24 * f.scale, chart.title, f.fit(chart.title, 26), "#111", 'font-weight="bold"'),
    ]
    for n, words in enumerate(f.subtitle):
        out.append(_text(f.margin, f.margin + (50 + 20 * n) * f.scale, words, f.fit(words, 16, 0.5), "#444"))
    out += _grid(chart, f)
    line = 0
    for market, group in itertools.groupby(chart.rows, key=lambda r: r.market):
        if f.lines > len(chart.rows):  # several markets: a heading for each
            top = f.top + f.row * line
            out.append(_text(f.margin, top + f.row * 0.7, countries.name(market), f.label_size, "#111",
                             'font-weight="bold"'))  # fmt: skip
            out.append(f'<line x1="{f.margin:.1f}" y1="{top + f.row - 2:.1f}" x2="{f.right:.1f}" '
                       f'y2="{top + f.row - 2:.1f}" stroke="#999"/>')  # fmt: skip
            line += 1
        for row in group:
            out += _row(row, f.top + f.row * line, line, f)
            line += 1
    out += _marker(chart, f)
    out += legend
    out.append(_text(f.margin, height - 20 * f.scale, chart.credit, f.fit(chart.credit, 13, 0.5), "#555"))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _text(x: float, y: float, words: str, size: float, fill: str, more: str = "") -> str:
    extra = f" {more}" if more else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:.1f}" fill="{fill}"{extra}>{xml(words)}</text>'


def _explained(chart: Chart) -> str:
    """The subtitle a picture has unless an editor gives one: what its bars show."""
    day = f"; the dark line marks {chart.on}" if chart.shows(chart.on) else ""
    return f"Each bar is a stretch on sale, coloured by body style{day}."


def _grid(chart: Chart, f: Frame) -> list[str]:
    """A line and a label for each year shown (or every few years), above and below the rows."""
    out = []
    step = year_step(chart, f.plot / (f.small * 3.6))
    for year in range(chart.first.year, chart.last.year + 1, step):
        at = f.x(dt.date(year, 1, 1))
        out.append(f'<line x1="{at:.1f}" y1="{f.top - 4 * f.scale:.1f}" x2="{at:.1f}" y2="{f.bottom:.1f}" '
                   'stroke="#e3e3e3"/>')  # fmt: skip
        if at + f.small * 2.4 <= f.right + 14 * f.scale:
            for y in (f.top - 8 * f.scale, f.bottom + 20 * f.scale):
                out.append(_text(at + 3 * f.scale, y, str(year), f.small, "#444"))
    out.append(f'<line x1="{f.right:.1f}" y1="{f.top - 4 * f.scale:.1f}" x2="{f.right:.1f}" y2="{f.bottom:.1f}" '
               'stroke="#e3e3e3"/>')  # fmt: skip
    return out


def _marker(chart: Chart, f: Frame) -> list[str]:
    """The day asked: a line down the rows, its date above the years, clear of them."""
    if not chart.shows(chart.on):
        return []
    at = f.x(chart.on)
    anchor = "end" if at > f.right - 60 * f.scale else "start" if at < f.left + 60 * f.scale else "middle"
    y = f.top - 30 * f.scale
    return [
        f'<line x1="{at:.1f}" y1="{f.top - 2 * f.scale:.1f}" x2="{at:.1f}" y2="{f.bottom + 4 * f.scale:.1f}" '
        f'stroke="#222" stroke-width="{1.5 * f.scale:.1f}"/>',
        f'<path d="M{at - 5 * f.scale:.1f} {y + 4 * f.scale:.1f} L{at + 5 * f.scale:.1f} {y + 4 * f.scale:.1f} '
        f'L{at:.1f} {y + 11 * f.scale:.1f} Z" fill="#222"/>',
        _text(at, y, str(chart.on), f.small, "#222", f'text-anchor="{anchor}"'),
    ]


def _row(row: Row, top: float, line: int, f: Frame) -> list[str]:
    """A row: its shading, its label, and its bars (with the names of a renamed model in them)."""
    faint = f.chart.recedes(row)
    out = []
    if line % 2:
        out.append(f'<rect x="0" y="{top:.1f}" width="{f.width}" height="{f.row:.1f}" fill="#f6f6f6"/>')
    weight = ' font-weight="bold"' if f.chart.highlight and not faint else ""
    out.append(_text(f.left - 16 * f.scale, top + f.row / 2 + f.label_size * 0.35, row.label, f.label_size,
                     "#999" if faint else "#111", f'text-anchor="end"{weight}'))  # fmt: skip
    y = top + (f.row - f.bar) / 2
    group = ' opacity="0.25"' if faint else ""
    out.append(f"<g{group}>")
    for bar in row.bars:
        out += _bar(row, bar, y, f)
    for n, bar in enumerate(row.bars):  # over the bars, so that a later bar of the same name cannot hide it
        if len(row.models) > 1 and (n == 0 or bar.renamed):
            following = next((b for b in row.bars[n + 1 :] if b.renamed), None)
            room = (f.x(following.start) if following else f.x_after(row.bars[-1].end)) - f.x(bar.start)
            out += _name(bar, y, room, f)
    out.append("</g>")
    return out


def _bar(row: Row, bar: Bar, y: float, f: Frame) -> list[str]:
    """One bar: on sale, expected (faded, dashed), its lead-in, its marks and its arrow."""
    chart, s, out = f.chart, f.scale, []
    colour = COLOURS[bar.body] if bar.model is not None else _BRAND_COLOUR
    start, end = f.x(bar.start), max(f.x_after(bar.end), f.x(bar.start) + 3 * s)  # a short window stays visible
    split = start if bar.since_planned else min(max(f.x_after(chart.on), start), end) if bar.until_planned else end
    tip = f"<title>{xml(bar.model.name if bar.model else row.label)}: {xml(bar.label)}</title>"
    if split > start:
        out.append(f'<rect x="{start:.1f}" y="{y:.1f}" width="{split - start:.1f}" height="{f.bar:.1f}" '
                   f'rx="{2 * s:.1f}" fill="{colour}">{tip}</rect>')  # fmt: skip
    if end > split:
        out.append(f'<rect x="{split:.1f}" y="{y:.1f}" width="{end - split:.1f}" height="{f.bar:.1f}" '
                   f'rx="{2 * s:.1f}" fill="{colour}" fill-opacity="0.3" stroke="{colour}" '
                   f'stroke-dasharray="{3 * s:.1f} {2 * s:.1f}">{tip}</rect>')  # fmt: skip
    middle = y + f.bar / 2
    if bar.seen_first:
        out.append(_lead_in(max(start - 16 * s, f.left), start, middle, colour, s))
    if bar.renamed:
        out.append(f'<line x1="{start:.1f}" y1="{y:.1f}" x2="{start:.1f}" y2="{y + f.bar:.1f}" stroke="#ffffff" '
                   f'stroke-width="{3 * s:.1f}"/>')  # fmt: skip
    elif bar.generation:
        out.append(f'<line x1="{start:.1f}" y1="{y - 3 * s:.1f}" x2="{start:.1f}" y2="{y + f.bar + 3 * s:.1f}" '
                   f'stroke="#111" stroke-width="{2 * s:.1f}">'
                   f"<title>generation {xml(bar.generation)}</title></line>")  # fmt: skip
    if bar.cut:
        out.append(_arrow(start - 2 * s, y, f.bar, -10 * s, colour))
    if bar.open:
        out.append(_arrow(end + 2 * s, y, f.bar, 10 * s, colour))
    return out


def _arrow(x: float, y: float, height: float, length: float, colour: str) -> str:
    """A triangle from the edge at `x` pointing `length` along (left if negative)."""
    return (f'<path d="M{x:.1f} {y:.1f} L{x + length:.1f} {y + height / 2:.1f} L{x:.1f} {y + height:.1f} Z" '
            f'fill="{colour}"/>')  # fmt: skip


def _lead_in(x1: float, x2: float, y: float, colour: str, s: float) -> str:
    return (f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="{3 * s:.1f}" stroke-dasharray="{2 * s:.1f} {2 * s:.1f}"/>')  # fmt: skip


def _name(bar: Bar, y: float, room: float, f: Frame) -> list[str]:
    """The model's name at the start of its stretch in a row of renames, where it fits inside the bar."""
    if bar.model is None:
        return []
    size = 13 * f.scale
    if len(bar.model.name) * _EM * size + 10 * f.scale > room:
        return []
    ink = _ink(COLOURS[bar.body]) if not bar.since_planned else "#111"
    return [_text(f.x(bar.start) + 5 * f.scale, y + f.bar / 2 + size * 0.35, bar.model.name, size, ink,
                  'font-weight="bold"')]  # fmt: skip


def _ink(colour: str) -> str:
    """White or near-black, whichever reads better on `colour` (by WCAG contrast)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#ffffff" if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.0575) else "#111111"


def _legend(chart: Chart, f: Frame, y: float) -> tuple[list[str], float]:
    """A swatch for each body style and each mark drawn, in lines that fit the width; and the height they take."""
    s, size = f.scale, f.small
    entries = [(body_name(body), _box(f'fill="{COLOURS[body]}"')) for body in chart.bodies()]
    if chart.drawn("brand"):
        entries.append(("the brand itself", _box(f'fill="{_BRAND_COLOUR}"')))
    marks = {kind: (f"on sale before {chart.first.year}" if kind == "cut" else label, swatch)
             for kind, (label, swatch) in _MARKS.items()}  # fmt: skip
    entries += [entry for kind, entry in marks.items() if chart.drawn(kind)]
    out, at, top = [], f.margin, y
    for label, swatch in entries:
        wide = 42 * s + len(label) * 0.52 * size + 24 * s
        if at > f.margin and at + wide > f.width - f.margin:
            at, y = f.margin, y + 26 * s
        out.append(f'<g transform="translate({at:.1f} {y - 11 * s:.1f}) scale({s:.3f})">{swatch}</g>'
                   + _text(at + 42 * s, y, label, size, "#333"))  # fmt: skip
        at += wide
    return out, y - top + 10 * s


_GREY = 'fill="#777"'
# The legend's sample of each mark a bar can have, 24 by 12 at 960 pixels, and its words.
_MARKS = {
    "expected": ("expected", f'<rect width="24" height="12" rx="2" {_GREY} fill-opacity="0.3" stroke="#777" '
                 'stroke-dasharray="3 2"/>'),
    "first_seen": ("on sale by (launch unknown)", '<line x1="0" y1="6" x2="8" y2="6" stroke="#777" stroke-width="3" '
                   f'stroke-dasharray="2 2"/><rect x="8" width="16" height="12" rx="2" {_GREY}/>'),
    "open": ("still on sale", f'<rect width="24" height="12" rx="2" {_GREY}/><path d="M24 0 L33 6 L24 12 Z" {_GREY}/>'),
    "cut": ("on sale before", f'<path d="M9 0 L0 6 L9 12 Z" {_GREY}/>'
            f'<rect x="11" width="14" height="12" rx="2" {_GREY}/>'),
    "generation": ("new generation", '<line x1="7" y1="-2" x2="7" y2="14" stroke="#111" stroke-width="2"/>'),
    "renamed": ("renamed", f'<rect width="24" height="12" rx="2" {_GREY}/><line x1="12" y1="0" x2="12" y2="12" '
                'stroke="#fff" stroke-width="3"/>'),
}  # fmt: skip


def _box(paint: str) -> str:
    return f'<rect x="0" y="0" width="24" height="12" rx="2" {paint}/>'


def html(chart: Chart, width: int = WIDTH) -> str:
    """The SVG chart in a small self-contained web page; it scrolls sideways on a narrow screen."""
    return page(chart.title, svg(chart, width), width, f"{chart.title}. {chart.credit}")


def page(title_text: str, picture: str, width: int = WIDTH, caption: str | None = None) -> str:
    """An SVG picture in a small self-contained web page under `title_text`, `width` pixels at most."""
    title = xml(title_text)
    words = xml(caption) if caption is not None else f"{title}. Made with lineup."
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        "<style>body{margin:2rem;font-family:Helvetica,Arial,sans-serif;color:#111}"
        f"figure{{margin:0;max-width:{width}px;overflow-x:auto}}svg{{width:100%;min-width:{min(width, 720)}px;"
        "height:auto}</style>\n"
        "</head>\n<body>\n<figure>\n"
        f"{picture}"
        f"<figcaption>{words}</figcaption>\n"
        "</figure>\n</body>\n</html>\n"
    )
