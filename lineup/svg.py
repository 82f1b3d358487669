"""The timeline chart (lineup.chart) as a picture: a self-contained SVG document, or a web page of it."""

import datetime as dt
import itertools
import re
from typing import Any

from lineup import countries
from lineup.chart import COLOURS, Chart, Row, body_name, year_step
from lineup.text import visible

_WIDTH, _MARGIN, _TOP, _ROW, _BAR, _CHAR = 960, 24, 100, 26, 16, 7.4
_BRAND_COLOUR = "#CCCCCC"  # the brand's own presence, behind its models' colours
_FONT = "Helvetica, Arial, sans-serif"
# Characters XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml(value: str) -> str:
    """Text as SVG and HTML show it: what visible() escapes, and what XML would read as markup."""
    from html import escape

    text = _NOT_XML.sub(lambda m: f"\\u{ord(m[0]):04x}", visible(value))
    return escape(text, quote=True)


def svg(chart: Chart) -> str:
    """The chart as a self-contained SVG document: bars, year grid, the day asked, a legend, a title."""
    left = int(min(max(max((len(r.label) for r in chart.rows), default=4) * _CHAR + 2 * _MARGIN, 120), 340))
    plot = _WIDTH - left - _MARGIN
    several = len(chart.markets) > 1
    lines = len(chart.rows) + (len(chart.markets) if several else 0)
    bottom = _TOP + _ROW * max(lines, 1)
    height = bottom + 96

    def x(day: dt.date) -> float:
        return left + plot * (day - chart.first).days / chart.days

    def x_after(day: dt.date) -> float:  # the right edge of a day
        return left + plot * ((day - chart.first).days + 1) / chart.days

    marker = x(chart.on) if chart.shows(chart.on) else None
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}" font-family="{_FONT}" role="img" aria-labelledby="title">',
        f'<title id="title">{xml(chart.title)}</title>',
        f'<rect width="{_WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="{_MARGIN}" y="32" font-size="20" font-weight="bold" fill="#111">{xml(chart.title)}</text>',
        f'<text x="{_MARGIN}" y="54" font-size="12" fill="#555">Models on sale, coloured by body style. Faded: '
        f"expected after {chart.on}; dotted lead-in: launch unknown; arrow: still on sale.</text>",
    ]
    step = year_step(chart, plot / 48)
    for year in range(chart.first.year, chart.last.year + 1, step):
        at = x(dt.date(year, 1, 1))
        out.append(f'<line x1="{at:.1f}" y1="{_TOP - 8}" x2="{at:.1f}" y2="{bottom}" stroke="#e3e3e3"/>')
        if marker is None or not at - 4 <= marker <= at + 34:
            for y in (_TOP - 12, bottom + 16):
                out.append(f'<text x="{at + 3:.1f}" y="{y}" font-size="12" fill="#444">{year}</text>')
    out.append(f'<line x1="{left + plot}" y1="{_TOP - 8}" x2="{left + plot}" y2="{bottom}" stroke="#e3e3e3"/>')

    line = 0
    for market, group in itertools.groupby(chart.rows, key=lambda r: r.market):
        if several:
            top = _TOP + _ROW * line
            out.append(
                f'<text x="{_MARGIN}" y="{top + _ROW / 2 + 5:.1f}" font-size="13" font-weight="bold" fill="#111">'
                f"{xml(countries.name(market))}</text>"
                f'<line x1="{_MARGIN}" y1="{top + _ROW - 2}" x2="{left + plot}" y2="{top + _ROW - 2}" stroke="#999"/>'
            )
            line += 1
        for row in group:
            out += _svg_row(row, _TOP + _ROW * line, line, left, plot, x, x_after, chart)
            line += 1
    if marker is not None:
        anchor = "end" if marker > _WIDTH - _MARGIN - 50 else "start" if marker < left + 50 else "middle"
        out.append(
            f'<line x1="{marker:.1f}" y1="{_TOP - 26}" x2="{marker:.1f}" y2="{bottom + 4}" stroke="#222" '
            f'stroke-width="1.5"/><text x="{marker:.1f}" y="{_TOP - 30}" font-size="11" text-anchor="{anchor}" '
            f'fill="#222">{chart.on}</text>'
        )
    out += _svg_legend(chart, bottom + 44)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _svg_row(row: Row, top: float, line: int, left: int, plot: float, x: Any, x_after: Any, chart: Chart) -> list[str]:
    out = []
    if line % 2:
        out.append(f'<rect x="0" y="{top}" width="{_WIDTH}" height="{_ROW}" fill="#f6f6f6"/>')
    out.append(
        f'<text x="{left - 10}" y="{top + _ROW / 2 + 4:.1f}" font-size="13" text-anchor="end" fill="#111">'
        f"{xml(row.label)}</text>"
    )
    y = top + (_ROW - _BAR) / 2
    for bar in row.bars:
        colour = COLOURS[bar.body] if row.model is not None else _BRAND_COLOUR
        start, end = x(bar.start), max(x_after(bar.end), x(bar.start) + 3)  # a short window stays visible
        split = start if bar.since_planned else min(max(x_after(chart.on), start), end) if bar.until_planned else end
        tip = f"<title>{xml(row.label)}: {xml(bar.label)}</title>"
        if split > start:
            out.append(
                f'<rect x="{start:.1f}" y="{y:.1f}" width="{split - start:.1f}" height="{_BAR}" rx="2" '
                f'fill="{colour}">{tip}</rect>'
            )
        if end > split:
            out.append(
                f'<rect x="{split:.1f}" y="{y:.1f}" width="{end - split:.1f}" height="{_BAR}" rx="2" fill="{colour}" '
                f'fill-opacity="0.3" stroke="{colour}" stroke-dasharray="3 2">{tip}</rect>'
            )
        if bar.first_seen:
            out.append(
                f'<line x1="{max(start - 14, left):.1f}" y1="{y + _BAR / 2:.1f}" x2="{start:.1f}" '
                f'y2="{y + _BAR / 2:.1f}" stroke="{colour}" stroke-width="3" stroke-dasharray="2 2"/>'
            )
        if bar.generation:
            out.append(
                f'<line x1="{start:.1f}" y1="{y - 3:.1f}" x2="{start:.1f}" y2="{y + _BAR + 3:.1f}" stroke="#111" '
                f'stroke-width="2"><title>generation {xml(bar.generation)}</title></line>'
            )
        if bar.open:
            tip_x = min(end + 9, left + plot + _MARGIN / 2)
            out.append(
                f'<path d="M{end + 1:.1f} {y:.1f} L{tip_x:.1f} {y + _BAR / 2:.1f} L{end + 1:.1f} {y + _BAR:.1f} Z" '
                f'fill="{colour}"/>'
            )
    return out


def _svg_legend(chart: Chart, y: float) -> list[str]:
    out = []
    at = float(_MARGIN)

    def box(paint: str) -> str:
        return f'<rect x="{at:.0f}" y="{y - 11}" width="14" height="12" rx="2" {paint}/>'

    swatches = [(body_name(body), f'fill="{COLOURS[body]}"') for body in chart.bodies()]
    swatches.append(("expected", 'fill="#777" fill-opacity="0.3" stroke="#777" stroke-dasharray="3 2"'))
    if any(row.model is None for row in chart.rows):
        swatches.append(("the brand itself", f'fill="{_BRAND_COLOUR}"'))
    if chart.generations:
        swatches.append(("new generation", ""))
    for label, paint in swatches:
        mark = box(paint) if paint else f'<line x1="{at + 7:.0f}" y1="{y - 13}" x2="{at + 7:.0f}" y2="{y + 3}" ' \
            'stroke="#111" stroke-width="2"/>'  # fmt: skip
        out.append(f'{mark}<text x="{at + 19:.0f}" y="{y}" font-size="12" fill="#333">{label}</text>')
        at += 30 + _CHAR * len(label)
    markets = ", ".join(f"{code} ({countries.name(code)})" for code in chart.markets)
    footer = f"Markets: {xml(markets)}. " if markets else "Nothing on sale in these years. "
    out.append(
        f'<text x="{_MARGIN}" y="{y + 26}" font-size="11" fill="#777">{footer}Data: lineup; the sources of '
        "each window: lineup model BRAND MODEL.</text>"
    )
    return out


def html(chart: Chart) -> str:
    """The SVG chart in a small self-contained web page; it scrolls sideways on a narrow screen."""
    return page(chart.title, svg(chart))


def page(title_text: str, picture: str) -> str:
    """An SVG picture in a small self-contained web page under `title_text`."""
    title = xml(title_text)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        "<style>body{margin:2rem;font-family:Helvetica,Arial,sans-serif;color:#111}"
        "figure{margin:0;max-width:960px;overflow-x:auto}svg{width:100%;min-width:720px;height:auto}</style>\n"
        "</head>\n<body>\n<figure>\n"
        f"{picture}"
        f"<figcaption>{title}. Made with lineup.</figcaption>\n"
        "</figure>\n</body>\n</html>\n"
    )
