"""One writer per output format, for people (Rich tables) and for programs (TSV, CSV, JSON, JSON Lines,
Markdown), every value written as text: data never drives a terminal or a document."""

import errno
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

from lineup.formats import Color, Format
from lineup.tables import Cell, End, Name, Number, Start, Table, json_of, text_of
from lineup.text import sites, tsv_field, unseen_escaped, visible
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
    """How to write for this output: to a terminal, in colour or not; sources in full or as their sites."""

    __slots__ = ("terminal", "color", "brief")

    def __init__(
        self,
        terminal: bool,
        color: Color = Color.auto,
        brief: bool = True,
    ) -> None:
        self.terminal = terminal
        self.color = color
        self.brief = brief  # a table for people shows a source as its site, unless --columns asked for sources


def _machine_text(value: Cell) -> str:
    """A cell as data for a program, as JSON has it: a date column holds the date alone, a name the name alone."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Number | Start | End | Name):
        return str(json_of(value))
    if isinstance(value, tuple):
        return ",".join(_machine_text(v) for v in value)
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


def json_text(value: object, indent: int | None = None) -> str:
    import json

    return unseen_escaped(json.dumps(value, indent=indent, ensure_ascii=False))


def write_json(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    """A JSON array of objects, every column."""
    out.write(json_text([{c: json_of(row[c]) for c in columns} for row in table.rows], indent=2) + "\n")


def write_jsonl(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    """JSON Lines: an object a line."""
    for row in table.rows:
        out.write(json_text({c: json_of(row[c]) for c in columns}) + "\n")


def write_markdown(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    """A Markdown table, for a document people read: every source in full."""
    twins = _twins(table)

    def cell(value: Cell, column: str) -> str:
        return _MARKUP.sub(_markdown_escape, _people_text(value, column, False, twins, lines=", "))

    out.write("| " + " | ".join(columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for row in table.rows:
        out.write("| " + " | ".join(cell(row[c], c) for c in columns) + " |\n")


# The characters that begin or end Markdown's inline markup (code, emphasis, strike-through, a link, an
# image, a tag, an entity, a cell's end), backslash-escaped so that a cell renders as the text it holds.
_MARKUP = re.compile(r"[\\`*_~\[\]<>&!|]")


def _markdown_escape(match: re.Match[str]) -> str:
    return "\\" + match[0]


def write_table(table: Table, columns: Sequence[str], out: TextIO, style: Style) -> None:
    """A table for a person at a terminal: no word or web address broken, no blank edge lines.

    Of the columns shown by default, one that holds the same in every row is said once, above the table, and
    the last ones are left out, and named below it, where the terminal is too narrow for their longest words."""
    from rich import box
    from rich.console import Group
    from rich.table import Table as RichTable
    from rich.text import Text

    console = make_console(out, style.color)
    twins = _twins(table)
    texts = {c: [_people_text(row[c], c, style.brief, twins) for row in table.rows] for c in columns}
    shown, same, narrow = list(columns), list[str](), list[str]()
    if style.brief:
        same = _same_in_every_row(texts)
        shown = [c for c in shown if c not in same]
        while len(shown) > 2 and _longest_words(shown, texts) + 2 * (len(shown) - 1) > console.width:
            narrow.insert(0, shown.pop())
    grid = RichTable(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, collapse_padding=True, show_edge=False)
    for column, width in zip(shown, _widths([_header(c) for c in shown], [texts[c] for c in shown], console.width),
                             strict=True):  # fmt: skip
        # Units and shares line up on the right; a reported change, with its period, reads as text.
        numbers = any(isinstance(n := row[column], Number) and n.versus is None for row in table.rows)
        grid.add_column(_header(column), width=width, overflow="fold", justify="right" if numbers else "left")
    previous = None
    for i, row in enumerate(table.rows):
        if table.group is not None and i and row[table.group] != previous:
            grid.add_section()
        previous = row[table.group] if table.group is not None else None
        # Text() never reads markup, and visible() defuses escape sequences.
        grid.add_row(*(Text(texts[c][i]) for c in shown), style=table.styles[i] if table.styles else None)
    above = [Text("  ".join(f"{_header(c)}: {texts[c][0]}" for c in same))] if same else []
    left = ", ".join(map(_header, narrow))
    below = [Text(f"not shown, for want of width: {left} (see a wider terminal, --columns, -f json)")] if narrow else []
    print_rich(console, Group(*above, grid, *below), out)


def _header(column: str) -> str:
    return column.replace("_", " ")


def _same_in_every_row(texts: Mapping[str, list[str]]) -> list[str]:
    """The columns whose text is the same, and not empty, in every one of two rows or more (all but one at most)."""
    same = [c for c, column in texts.items() if len(column) > 1 and column[0] and len(set(column)) == 1]
    return same[: len(texts) - 1]


def _longest_words(columns: Sequence[str], texts: Mapping[str, list[str]]) -> int:
    """The width of the columns if each were as narrow as its longest word."""
    from rich.cells import cell_len

    return sum(max(cell_len(w) for text in (_header(c), *texts[c]) for w in text.split()) for c in columns)


def _people_text(value: Cell, column: str, brief: bool, twins: set[str], lines: str = "\n") -> str:
    """A cell as a person reads it: sources as their sites if `brief`, else in full, joined by `lines`; a
    model's name with its years only where the table holds another model of that name."""
    if column == "sources" and isinstance(value, tuple):
        return sites(map(str, value)) if brief else lines.join(map(visible, map(str, value)))
    if isinstance(value, Name) and value.name not in twins:
        return visible(value.name)
    return visible(text_of(value))


def _twins(table: Table) -> set[str]:
    """The names that more than one model of the table's rows has (the old and the new Q60)."""
    ids: dict[str, set[object]] = {}
    for row in table.rows:
        if isinstance(name := row.get("model"), Name):
            ids.setdefault(name.name, set()).add((row.get("brand_id"), row.get("model_id")))
    return {name for name, models in ids.items() if len(models) > 1}


def make_console(out: TextIO, color: Color) -> Any:
    """A Rich console that writes to `out` as lineup writes: no markup read in data, --color honoured.

    A reader gone (`| head -1`) ends the run as every other output does, with 141; Rich's own way is exit 1."""
    from rich.console import Console

    console = Console(file=out, markup=False, emoji=False, highlight=False, **_CONSOLE[color])
    console.on_broken_pipe = _reader_gone  # type: ignore[method-assign]
    return console


def _reader_gone() -> None:
    raise BrokenPipeError(errno.EPIPE, "the reader of the output went away")


# Spaces that end a line, before any colour codes that close it.
_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


def print_rich(console: Any, renderable: Any, out: TextIO) -> None:
    """Print what Rich draws with no spaces at the ends of lines: they are noise in a pipe or a file."""
    with console.capture() as captured:
        console.print(renderable)
    out.write(_TRAILING.sub(r"\1", captured.get()))


def _widths(headers: list[str], columns: list[list[str]], width: int) -> list[int]:
    """Each column's width: all of it where the terminal has room; else the widest give up room first.

    No column is made narrower than its longest word or web address while the terminal has room for
    them all (Rich, left to itself, cuts words: "convertibl e"); when it has not, only the longest words
    are cut, back to one limit, the largest that fits.
    """
    from rich.cells import cell_len

    def longest(i: int, parts: Callable[[str], list[str]]) -> int:
        return max(cell_len(part) for text in (headers[i], *columns[i]) for part in parts(text))

    natural = [longest(i, str.splitlines) for i in range(len(headers))]
    words = [longest(i, str.split) for i in range(len(headers))]  # a header may wrap too: "model / years"
    room = width - 2 * (len(headers) - 1)  # two spaces between columns
    limit = max(words, default=0)
    while limit > 1 and sum(min(w, limit) for w in words) > room:
        limit -= 1
    floors = [min(w, limit) for w in words]
    level = max(natural, default=0)
    while level > 1 and sum(max(f, min(n, level)) for f, n in zip(floors, natural, strict=True)) > room:
        level -= 1
    return [max(f, min(n, level)) for f, n in zip(floors, natural, strict=True)]


# auto leaves colour to Rich, which reads the terminal, NO_COLOR and FORCE_COLOR;
# an explicit --color wins over the environment.
_CONSOLE: dict[Color, dict[str, Any]] = {
    Color.auto: {},
    Color.always: {"force_terminal": True, "no_color": False},
    Color.never: {"color_system": None},
}


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

    `columns`, else those the format shows by default. An empty answer is nothing for people and in TSV; for
    programs, CSV's header and JSON's empty array."""
    chosen = fmt or default_format(out)
    if not table.rows and chosen in (Format.table, Format.markdown):
        return  # a header over nothing says less than nothing: the command says on stderr why it is empty
    style = Style(out.isatty(), color, brief=not columns)
    WRITERS[chosen](table, columns or default_columns(table, chosen), out, style)


def default_format(out: TextIO = sys.stdout) -> Format:
    """A table for a person at a terminal; header-less TSV for a pipe."""
    return Format.table if out.isatty() else Format.tsv
