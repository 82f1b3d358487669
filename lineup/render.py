"""Answers as tables of rows, and one writer per output format."""

import re
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from lineup import countries
from lineup.dates import PartialDate
from lineup.model import Brand, Dataset, Model
from lineup.query import Entry, Status, end_of, start_of
from lineup.text import did_you_mean, shorten, tsv_field, visible

if TYPE_CHECKING:
    from lineup.diffs import Difference


class Format(StrEnum):
    table = "table"
    tsv = "tsv"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


class Years(NamedTuple):
    """A model-year range; `last` is None while it is open."""

    first: int
    last: int | None

    def __str__(self) -> str:
        if self.last == self.first:
            return str(self.first)
        return f"{self.first}-{self.last if self.last is not None else ''}"


class Start(NamedTuple):
    """A window's start; `first_seen` when only the first date seen on sale is known."""

    date: PartialDate
    first_seen: bool

    def __str__(self) -> str:
        return f"by {self.date}" if self.first_seen else str(self.date)


class End(NamedTuple):
    """A window's end; `planned` when it is still a plan on the day asked (an announced end)."""

    date: PartialDate
    planned: bool

    def __str__(self) -> str:
        return f"{self.date} (expected)" if self.planned else str(self.date)


Value = str | int | bool | None | PartialDate | Years | Start | End | tuple[str, ...]
Row = Mapping[str, Value]


class Table(NamedTuple):
    """Rows of named values. `columns` are all the columns, in order; `shown` are
    those a person sees by default (JSON, for programs, gets every column). A table
    for people gives each row its style (`styles`) and rules off each `group`."""

    columns: tuple[str, ...]
    shown: tuple[str, ...]
    rows: tuple[Row, ...]
    styles: tuple[str | None, ...] = ()
    group: str | None = None


# --- the answers as tables -------------------------------------------------------

# Every column of each kind of table, in order; JSON gives all of them.
SHOW_BY_MARKET = (
    "brand", "model", "status", "market", "body", "powertrain", "since", "until", "model_years",
    "expected", "end_expected", "first_seen", "note", "sources", "brand_id", "model_id", "country",
)  # fmt: skip
SHOW_BY_MODEL = (
    "brand", "model", "status", "body", "powertrain", "markets", "expected", "left", "brand_id", "model_id",
)  # fmt: skip
BRANDS = ("id", "name", "parent", "origin", "models", "markets")
MARKETS = ("market", "country", "brands", "models", "complete", "note")


class Names:
    """Display names, with the id added where a brand has two models of one name (the old and new Q60)."""

    def __init__(self) -> None:
        self._shared: dict[str, set[str]] = {}  # brand id -> names that more than one model has

    def __call__(self, brand: Brand, model: Model) -> str:
        shared = self._shared.get(brand.id)
        if shared is None:
            counts = Counter(m.name for m in brand.models.values())
            shared = self._shared[brand.id] = {name for name, n in counts.items() if n > 1}
        if model.name in shared and model.id != model.name.casefold():
            return f"{model.name} ({model.id})"
        return model.name


def show_table(entries: Sequence[Entry], by_market: bool) -> Table:
    """`lineup show`: a row per model and market, or per model with its markets."""
    if by_market:
        shown: tuple[str, ...] = ("brand", "model", "status", "market", "body", "since", "until", "model_years")
        names = Names()
        rows = tuple(_market_row(entry, names(entry.brand, entry.model)) for entry in entries)
    else:
        shown = ("brand", "model", "status", "body", "markets", "expected", "left")
        rows = _model_rows(entries)
    styles = tuple(_ROW_STYLES.get(str(row["status"])) for row in rows)
    return Table(SHOW_BY_MARKET if by_market else SHOW_BY_MODEL, shown, rows, styles)


def _market_row(entry: Entry, name: str) -> Row:
    window = entry.window
    years = window.model_years
    return {
        "brand": entry.brand.name,
        "model": name,
        "market": entry.market,
        "body": tuple(entry.model.body),
        "powertrain": tuple(entry.model.powertrain),
        "since": Start(window.since, window.first_seen) if window.since else None,
        "until": End(window.until, entry.until_planned) if window.until else None,
        "model_years": Years(*years) if years else None,
        "status": str(entry.status),
        "expected": entry.since_planned,
        "end_expected": entry.until_planned,
        "first_seen": window.first_seen,
        "note": window.note,
        "sources": window.sources,
        "brand_id": entry.brand.id,
        "model_id": entry.model.id,
        "country": countries.name(entry.market),
    }


def _model_rows(entries: Sequence[Entry]) -> tuple[Row, ...]:
    grouped: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        grouped.setdefault((entry.brand.id, entry.model.id), []).append(entry)
    rows: list[Row] = []
    names = Names()
    for group in grouped.values():
        first = group[0]
        selling = tuple(e.market for e in group if e.status is Status.on_sale)
        coming = tuple(f"{e.market} {start_of(e.window)}" for e in group if e.status is Status.expected)
        left = tuple(f"{e.market} {end_of(e.window)}" for e in group if e.status is Status.left)
        status = Status.on_sale if selling else Status.expected if coming else Status.left
        rows.append(
            {
                "brand": first.brand.name,
                "model": names(first.brand, first.model),
                "body": tuple(first.model.body),
                "powertrain": tuple(first.model.powertrain),
                "markets": selling,
                "status": str(status),
                "expected": coming,
                "left": left,
                "brand_id": first.brand.id,
                "model_id": first.model.id,
            }
        )
    return tuple(rows)


DIFF = (
    "market", "change", "model", "date", "expected", "replaces", "sources", "note", "other_date",
    "brand", "brand_id", "model_id", "country",
)  # fmt: skip


def diff_table(changes: Sequence["Difference"]) -> Table:
    """`lineup diff`: a row per change, grouped by market."""
    names = Names()
    rows = tuple(
        {
            "market": d.market,
            "change": str(d.change),
            "model": names(d.brand, d.model),
            "date": str(d.date),
            "sources": d.window.sources,
            "note": d.window.note,
            "expected": d.expected,
            "other_date": str(d.other) if d.other is not None else None,
            "replaces": tuple(names(d.brand, m) for m in d.replaces),
            "brand": d.brand.name,
            "brand_id": d.brand.id,
            "model_id": d.model.id,
            "country": countries.name(d.market),
        }
        for d in changes
    )
    styles = tuple("italic" if row["expected"] else None for row in rows)
    shown = ("market", "change", "model", "date", "expected", "replaces", "sources")
    return Table(DIFF, shown, rows, styles, group="market")


WINDOWS = (
    "market", "status", "since", "until", "model_years", "note", "sources", "expected", "end_expected",
    "first_seen", "country",
)  # fmt: skip


def model_story(
    brand: Brand,
    model: Model,
    entries: Sequence[Entry],
    back: Sequence[Model],
    ahead: Sequence[Model],
    production_planned: bool,
) -> "Story":
    """`lineup model`: one model's facts, its lineage both ways, and every window in every market."""
    rows = tuple(_market_row(entry, entry.model.name) for entry in entries)
    shown = ("market", "status", "since", "until", "model_years", "note", "sources")
    styles = tuple(_ROW_STYLES.get(str(row["status"])) for row in rows)
    return Story(brand, model, tuple(back), tuple(ahead), production_planned, Table(WINDOWS, shown, rows, styles))


class Story(NamedTuple):
    """One model's own facts, the models before and after it, and its windows as a table."""

    brand: Brand
    model: Model
    back: tuple[Model, ...]  # the models it follows, nearest first
    ahead: tuple[Model, ...]  # the models that follow it, nearest first
    production_planned: bool  # the end of production is still a plan on the day asked
    windows: Table

    def as_json(self, columns: Sequence[str]) -> dict[str, object]:
        model, production = self.model, self.model.production
        return {
            "brand": self.brand.name,
            "brand_id": self.brand.id,
            "model": model.name,
            "model_id": model.id,
            "body": list(model.body),
            "powertrain": list(model.powertrain),
            "generation": model.generation,
            "production": None
            if production is None
            else {
                "since": json_of(production.since),
                "until": json_of(production.until),
                "end_expected": self.production_planned,
                "note": production.note,
                "sources": list(production.sources),
            },
            "follows": [_link(m) for m in self.back],
            "followed_by": [_link(m) for m in self.ahead],
            "note": model.note,
            "sources": list(model.sources),
            "windows": [{c: json_of(row[c]) for c in columns} for row in self.windows.rows],
        }

    def lines(self) -> list[tuple[str, list[str]]]:
        """The facts as labelled lines for people; empty ones left out."""
        model, production = self.model, self.model.production
        made: list[str] = []
        if production is not None:
            made = [f"{production.since or '?'} to {production.until or 'now'}"]
            made[0] += " (expected)" if self.production_planned else ""
            made += [text for text in (production.note, *production.sources) if text]
        lines = [
            ("body", [", ".join(model.body)]),
            ("powertrain", [", ".join(model.powertrain)] if model.powertrain else []),
            ("generation", [model.generation] if model.generation else []),
            ("production", made),
            ("follows", [f"{m.name} ({m.key})" for m in self.back]),
            ("followed by", [f"{m.name} ({m.key})" for m in self.ahead]),
            ("note", [model.note] if model.note else []),
            ("sources", list(model.sources)),
        ]
        return [(label, value) for label, value in lines if value]


def _link(model: Model) -> dict[str, str]:
    return {"brand_id": model.brand, "model_id": model.id, "model": model.name}


FINDINGS = ("file", "line", "column", "severity", "message", "rule")


def findings_table(findings: Sequence[Any]) -> Table:
    """`lineup check`: a row per problem."""
    rows = tuple({c: getattr(f, c) for c in FINDINGS} for f in findings)
    styles = tuple("bold" if f.severity == "error" else None for f in findings)
    return Table(FINDINGS, FINDINGS, rows, styles)


def brands_table(dataset: Dataset) -> Table:
    """`lineup brands`: what the data holds, a brand a row."""
    rows = tuple(
        {
            "id": b.id,
            "name": b.name,
            "parent": b.parent,
            "origin": b.origin,
            "models": len(b.models),
            "markets": tuple(b.markets),
        }
        for b in dataset.brands.values()
    )
    return Table(BRANDS, BRANDS, rows)


def markets_table(brands: Sequence[Brand], one_brand: bool) -> Table:
    """`lineup markets`: the markets the data covers, with how many models each."""
    codes = sorted({code for b in brands for code in b.markets})
    rows = []
    for code in codes:
        holding = [b for b in brands if code in b.markets]
        row: dict[str, Value] = {
            "market": code,
            "country": countries.name(code),
            "brands": tuple(b.id for b in holding),
            "models": sum(len(b.markets[code]) for b in holding),
            "complete": all(b.is_complete(code) for b in holding),
            "note": "; ".join(c.note for b in holding if (c := b.coverage.get(code)) and c.note) or None,
        }
        rows.append(row)
    shown = ("market", "country", "models", "complete", "note") if one_brand else MARKETS
    return Table(MARKETS, shown, tuple(rows))


def parse_columns(spec: str, available: Sequence[str]) -> list[str]:
    """`--columns a,b` checked against the columns a kind of table has; ValueError says what is wrong."""
    picked = [c.strip() for c in spec.split(",") if c.strip()]
    unknown = [c for c in picked if c not in available]
    if unknown:
        raise ValueError(
            f"unknown column {shorten(unknown[0])}{did_you_mean(unknown[0], available)}; "
            f"columns: {', '.join(available)}"
        )
    if not picked:
        raise ValueError(f"no columns given; columns: {', '.join(available)}")
    return picked


def default_columns(table: Table, fmt: Format) -> list[str]:
    """JSON gets every column; a table for people leaves out the shown columns that are empty in every row."""
    if fmt in (Format.json, Format.jsonl):
        return list(table.columns)
    if fmt is Format.table and table.rows:
        return [c for c in table.shown if any(row[c] not in (None, "", ()) for row in table.rows)]
    return list(table.shown)


# --- writers -------------------------------------------------------------------


class Style(NamedTuple):
    """How to write for this output: to a terminal, in colour or not."""

    terminal: bool
    color: Color = Color.auto


_JSON_RAW = re.compile(r"[\x7f-\x9f]")


def text_of(value: Value, separator: str = ", ") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple) and not isinstance(value, PartialDate | Years | Start | End):
        return separator.join(value)
    return str(value)


def json_of(value: Value) -> object:
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, Start | End):
        return str(value.date)
    if isinstance(value, Years):
        return [value.first, value.last]
    if isinstance(value, tuple):
        return list(value)
    return value


def _machine_text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return text_of(value, ",")


def write_tsv(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    for row in table.rows:
        out.write("\t".join(tsv_field(_machine_text(row[c])) for c in columns) + "\n")


def write_csv(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    import csv

    clean = visible if style.terminal else str
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in table.rows:
        writer.writerow([clean(_machine_text(row[c])) for c in columns])


def _json(value: object, indent: int | None = None) -> str:
    import json

    # json leaves DEL and the C1 controls (U+0080-U+009F, among them CSI) raw; a terminal would obey them.
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def write_json(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    out.write(_json([{c: json_of(row[c]) for c in columns} for row in table.rows], indent=2) + "\n")


def write_jsonl(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    for row in table.rows:
        out.write(_json({c: json_of(row[c]) for c in columns}) + "\n")


def write_markdown(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    def cell(value: Value) -> str:
        return visible(text_of(value)).replace("|", "\\|")

    out.write("| " + " | ".join(columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for row in table.rows:
        out.write("| " + " | ".join(cell(row[c]) for c in columns) + " |\n")


def write_table(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    console = Console(file=out, markup=False, emoji=False, highlight=False, **_CONSOLE[style.color])
    cells = [[visible(text_of(row[c])) for c in columns] for row in table.rows]
    headers = [column.replace("_", " ") for column in columns]
    grid = RichTable(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, collapse_padding=True)
    for header, width in zip(headers, _min_widths(headers, cells, console.width), strict=True):
        grid.add_column(header, min_width=width, overflow="fold")
    previous = None
    for i, (row, texts) in enumerate(zip(table.rows, cells, strict=True)):
        if table.group is not None and i and row[table.group] != previous:
            grid.add_section()
        previous = row[table.group] if table.group is not None else None
        # Text() never reads markup, and visible() defuses escape sequences.
        grid.add_row(*(Text(t) for t in texts), style=table.styles[i] if table.styles else None)
    console.print(grid)


def _min_widths(headers: list[str], cells: list[list[str]], width: int) -> list[int | None]:
    """Widths below which a column would break words, where the terminal has room for them.

    Rich wraps cells between words, but when it must narrow a table it may cut inside a word
    ("convertibl e"); a minimum of the longest word (up to 14) prevents that when all fit.
    """
    words = [min(14, max([len(h), *(len(w) for row in cells for w in row[i].split())])) for i, h in enumerate(headers)]
    for minimums in (words, [len(h) for h in headers]):
        if sum(minimums) + 2 * len(minimums) <= width:
            return list(minimums)
    return [None] * len(headers)


# Plans read differently from facts, and what has left recedes.
_ROW_STYLES = {Status.expected.value: "italic", Status.left.value: "dim"}

# auto leaves colour to Rich, which reads the terminal, NO_COLOR and FORCE_COLOR;
# an explicit --color wins over the environment.
_CONSOLE: dict[Color, dict[str, Any]] = {
    Color.auto: {},
    Color.always: {"force_terminal": True, "no_color": False},
    Color.never: {"color_system": None},
}


def console_options(color: Color) -> dict[str, Any]:
    """Settings for a Rich console that honour --color."""
    return dict(_CONSOLE[color])


WRITERS: dict[Format, Callable[[Table, Sequence[str], TextIO, Style], None]] = {
    Format.table: write_table,
    Format.tsv: write_tsv,
    Format.csv: write_csv,
    Format.json: write_json,
    Format.jsonl: write_jsonl,
    Format.markdown: write_markdown,
}


def emit(table: Table, fmt: Format | None, columns: Sequence[str] | None, color: Color, out: TextIO) -> None:
    """Write a table: in `fmt`, else as a table on a terminal and TSV in a pipe; `columns`, else those
    the format shows by default."""
    chosen = fmt or default_format(out)
    WRITERS[chosen](table, columns or default_columns(table, chosen), out, Style(out.isatty(), color))


def default_format(out: TextIO = sys.stdout) -> Format:
    """A table for a person at a terminal; header-less TSV for a pipe."""
    return Format.table if out.isatty() else Format.tsv


def write_story(story: Story, fmt: Format, columns: Sequence[str], out: TextIO, style: Style) -> None:
    """The model's facts then its windows for people; JSON as one object; other formats, the windows alone."""
    writers = {Format.json: _write_story_json, Format.table: _write_story_table}
    writers.get(fmt, lambda s, c, o, st: WRITERS[fmt](s.windows, c, o, st))(story, columns, out, style)


def _write_story_json(story: Story, columns: Sequence[str], out: TextIO, style: Style) -> None:
    out.write(_json(story.as_json(columns), indent=2) + "\n")


def _write_story_table(story: Story, columns: Sequence[str], out: TextIO, style: Style) -> None:
    # Notes and sources are long: a list of labelled blocks reads better than a table of narrow columns.
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    console = Console(file=out, markup=False, emoji=False, highlight=False, **_CONSOLE[style.color])
    console.print(Text(visible(f"{story.brand.name} {story.model.name} ({story.model.key})"), style="bold"))
    facts = RichTable.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    for label, value in story.lines():
        facts.add_row(label, Text("\n".join(map(visible, value))))
    console.print(facts)
    if not story.windows.rows:
        return
    console.print()
    console.print(Text("windows", style="bold"))
    windows = RichTable.grid(padding=(0, 2))
    windows.add_column(no_wrap=True)
    windows.add_column(overflow="fold")
    for row, row_style in zip(story.windows.rows, story.windows.styles, strict=True):
        since, until = text_of(row["since"]), text_of(row["until"])
        ahead = row["status"] == Status.expected and not until
        parts = [
            f"from {since}" if ahead else f"{since} to {until or 'now'}" if since else f"until {until}" if until else ""
        ]
        parts += [f"model years {row['model_years']}"] if row["model_years"] else []
        lines = [f"{', '.join(p for p in parts if p)} ({row['status']})"]
        for column in (c for c in columns if c in ("note", "sources", "country") and row[c]):
            cell = row[column]
            lines += text_of(cell, "\n").split("\n")
        windows.add_row(Text(str(row["market"])), Text("\n".join(map(visible, lines)), style=row_style or ""))
    console.print(windows)
