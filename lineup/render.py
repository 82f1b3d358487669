"""One writer per output format, for people (Rich tables) and for programs (TSV, CSV, JSON, JSON Lines,
Markdown), every value written as text: data never drives a terminal or a document."""

import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from lineup.formats import Color, Format
from lineup.query import Status
from lineup.tables import Cell, Number, Story, Table, json_of, text_of
from lineup.text import tsv_field, unseen_escaped, visible
from lineup.value import Value


def default_columns(table: Table, fmt: Format) -> list[str]:
    """JSON gets every column; a table for people leaves out the shown columns that are empty in every row."""
    if fmt in (Format.json, Format.jsonl):
        return list(table.columns)
    if fmt is Format.table and table.rows:
        return [c for c in table.shown if any(row[c] not in (None, "", ()) for row in table.rows)]
    return list(table.shown)


# --- writers -------------------------------------------------------------------


class Style(Value):
    """How to write for this output: to a terminal, in colour or not."""

    __slots__ = ("terminal", "color")

    def __init__(
        self,
        terminal: bool,
        color: Color = Color.auto,
    ) -> None:
        self.terminal = terminal
        self.color = color


def _machine_text(value: Cell) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Number):
        return str(value.value)
    return text_of(value, ",")


def write_tsv(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    """Tab-separated values, no header: for cut, awk and shell loops."""
    for row in table.rows:
        out.write("\t".join(tsv_field(_machine_text(row[c])) for c in columns) + "\n")


def write_csv(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    """Comma-separated values with a header, controls and invisible characters shown as escapes."""
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in table.rows:
        writer.writerow([visible(_machine_text(row[c])) for c in columns])


def _json(value: object, indent: int | None = None) -> str:
    import json

    return unseen_escaped(json.dumps(value, indent=indent, ensure_ascii=False))


def write_json(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    """A JSON array of objects, every column."""
    out.write(_json([{c: json_of(row[c]) for c in columns} for row in table.rows], indent=2) + "\n")


def write_jsonl(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    """JSON Lines: an object a line."""
    for row in table.rows:
        out.write(_json({c: json_of(row[c]) for c in columns}) + "\n")


def write_markdown(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    """A Markdown table."""

    def cell(value: Cell) -> str:
        return _MARKUP.sub(_markdown_escape, visible(text_of(value)))

    out.write("| " + " | ".join(columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for row in table.rows:
        out.write("| " + " | ".join(cell(row[c]) for c in columns) + " |\n")


# The characters that begin or end Markdown's inline markup (code, emphasis, strike-through, a link, an
# image, a tag, an entity, a cell's end), backslash-escaped so that a cell renders as the text it holds.
_MARKUP = re.compile(r"[\\`*_~\[\]<>&!|]")


def _markdown_escape(match: re.Match[str]) -> str:
    return "\\" + match[0]


def write_table(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    """A table for a person at a terminal."""
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
    """Write a table: in `fmt`, else as a table on a terminal and TSV in a pipe.

    `columns`, else those the format shows by default."""
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
