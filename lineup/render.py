"""Answers as tables of rows, and one writer per output format."""

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple, TextIO

from lineup import countries
from lineup.dates import PartialDate
from lineup.model import Brand, Dataset
from lineup.query import Entry, Status


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


Value = str | int | bool | None | PartialDate | Years | Start | tuple[str, ...]
Row = Mapping[str, Value]


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of named values. `columns` are all the columns, in order; `shown` are
    those a person sees by default (JSON, for programs, gets every column)."""

    columns: tuple[str, ...]
    shown: tuple[str, ...]
    rows: tuple[Row, ...]


# --- the answers as tables -------------------------------------------------------

_BY_MARKET = (
    "brand", "model", "market", "body", "powertrain", "since", "until", "model_years",
    "status", "first_seen", "note", "sources", "brand_id", "model_id", "country",
)  # fmt: skip
_BY_MODEL = ("brand", "model", "body", "powertrain", "markets", "status", "left", "brand_id", "model_id")


def show_table(entries: Sequence[Entry], by_market: bool, with_status: bool) -> Table:
    """`lineup show`: a row per model and market, or per model with its markets."""
    if by_market:
        shown: tuple[str, ...] = ("brand", "model", "market", "body", "since", "until", "model_years")
        return Table(_BY_MARKET, shown + (("status",) if with_status else ()), tuple(map(_market_row, entries)))
    shown = ("brand", "model", "body", "powertrain", "markets")
    return Table(_BY_MODEL, shown + (("status", "left") if with_status else ()), _model_rows(entries))


def _market_row(entry: Entry) -> Row:
    window = entry.window
    years = window.model_years
    return {
        "brand": entry.brand.name,
        "model": entry.model.name,
        "market": entry.market,
        "body": tuple(entry.model.body),
        "powertrain": tuple(entry.model.powertrain),
        "since": Start(window.since, window.first_seen) if window.since else None,
        "until": window.until,
        "model_years": Years(*years) if years else None,
        "status": str(entry.status),
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
    for group in grouped.values():
        first = group[0]
        selling = tuple(e.market for e in group if e.status is Status.on_sale)
        left = tuple(f"{e.market} {_until(e)}" for e in group if e.status is Status.left)
        rows.append(
            {
                "brand": first.brand.name,
                "model": first.model.name,
                "body": tuple(first.model.body),
                "powertrain": tuple(first.model.powertrain),
                "markets": selling,
                "status": str(Status.on_sale if selling else Status.left),
                "left": left,
                "brand_id": first.brand.id,
                "model_id": first.model.id,
            }
        )
    return tuple(rows)


def _until(entry: Entry) -> str:
    window = entry.window
    if window.until is not None:
        return str(window.until)
    return f"MY{window.last_model_year}"


def brands_table(dataset: Dataset) -> Table:
    """`lineup brands`: what the data holds, a brand a row."""
    columns = ("id", "name", "parent", "origin", "models", "markets")
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
    return Table(columns, columns, rows)


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
        }
        rows.append(row)
    columns = ("market", "country", "brands", "models", "complete")
    shown = ("market", "country", "models", "complete") if one_brand else columns
    return Table(columns, shown, tuple(rows))


# --- writers -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Style:
    """How to write for this output: to a terminal, in colour or not."""

    terminal: bool
    color: Color = Color.auto


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_TSV_SPECIAL = re.compile(r"[\\\x00-\x1f\x7f-\x9f]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\\": "\\\\"}


def visible(text: str) -> str:
    """Control characters as escapes (`\\x1b`), so data never drives the terminal."""
    return _CONTROL.sub(lambda m: _NAMED.get(m[0]) or f"\\x{ord(m[0]):02x}", text)


def _tsv_field(text: str) -> str:
    # Backslash is escaped too, so every escape in a TSV field reads back unambiguously.
    return _TSV_SPECIAL.sub(lambda m: _NAMED.get(m[0]) or f"\\x{ord(m[0]):02x}", text)


def text_of(value: Value, separator: str = ", ") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple) and not isinstance(value, Years | Start):
        return separator.join(value)
    return str(value)


def json_of(value: Value) -> object:
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, Start):
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
        out.write("\t".join(_tsv_field(_machine_text(row[c])) for c in columns) + "\n")


def write_csv(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    import csv

    clean = visible if style.terminal else str
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in table.rows:
        writer.writerow([clean(_machine_text(row[c])) for c in columns])


def write_json(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    import json

    rows = [{c: json_of(row[c]) for c in columns} for row in table.rows]
    out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")


def write_jsonl(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    import json

    for row in table.rows:
        out.write(json.dumps({c: json_of(row[c]) for c in columns}, ensure_ascii=False) + "\n")


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

    # auto leaves the choice to Rich, which reads the terminal, NO_COLOR and FORCE_COLOR;
    # an explicit --color wins over the environment.
    settings: dict[str, object] = {}
    if style.color is Color.always:
        settings = {"force_terminal": True, "no_color": False}
    elif style.color is Color.never:
        settings = {"color_system": None}
    console = Console(file=out, markup=False, emoji=False, highlight=False, **settings)  # type: ignore[arg-type]
    cells = [[visible(text_of(row[c])) for c in columns] for row in table.rows]
    grid = RichTable(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for column in columns:
        # Rich wraps between words where it can; "fold" breaks what cannot (long URLs).
        header = column.replace("_", " ")
        grid.add_column(header, min_width=len(header), overflow="fold")
    for row, texts in zip(table.rows, cells, strict=True):
        left = row.get("status") == Status.left
        # Text() never reads markup, and visible() defuses escape sequences.
        grid.add_row(*(Text(t) for t in texts), style="dim" if left else None)
    console.print(grid)


WRITERS: dict[Format, Callable[[Table, Sequence[str], TextIO, Style], None]] = {
    Format.table: write_table,
    Format.tsv: write_tsv,
    Format.csv: write_csv,
    Format.json: write_json,
    Format.jsonl: write_jsonl,
    Format.markdown: write_markdown,
}


def default_format(out: TextIO = sys.stdout) -> Format:
    """A table for a person at a terminal; header-less TSV for a pipe."""
    return Format.table if out.isatty() else Format.tsv
