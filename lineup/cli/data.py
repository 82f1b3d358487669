"""The commands about the data as a whole: brands, markets, check, fmt, schema, export, cache."""

import sys
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from lineup import dates, load
from lineup.cli import options
from lineup.cli.options import (
    AsOfOption,
    ColorOption,
    ColumnsOption,
    DataOption,
    FormatOption,
    NoCacheOption,
    PathsArgument,
    QuietOption,
    SomeBrandArgument,
)
from lineup.cli.output import PlainCommand, fail, note, plain_typer
from lineup.formats import Color, Format
from lineup.load import cache
from lineup.text import count


def brands(
    data: DataOption = None,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    columns: ColumnsOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """List the brands the data holds, with their models and markets.

    \b
    Examples:
      lineup brands
      for b in $(lineup brands --columns id); do lineup show "$b" -m US; done
    """
    from lineup import render, tables  # what prints an answer: not every command of this module needs it

    picked = options.columns(columns, tables.BRANDS)
    render.emit(tables.brands_table(options.dataset(data, no_cache)), fmt, picked, color, sys.stdout)


def markets(
    brand: SomeBrandArgument = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    columns: ColumnsOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """List the markets the data covers, and whether each lineup is known to be complete.

    \b
    Examples:
      lineup markets
      lineup markets infiniti -f json
    """
    from lineup import query, render, tables  # what finds a brand and prints an answer

    picked = options.columns(columns, tables.MARKETS)
    dataset = options.dataset(data, no_cache, brand)
    chosen = [query.find_brand(dataset, brand)] if brand is not None else list(dataset.brands.values())
    render.emit(tables.markets_table(chosen, one_brand=brand is not None), fmt, picked, color, sys.stdout)


def check(
    paths: PathsArgument = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", metavar="RULE", help="Only these rules (repeatable).", show_default=False),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="RULE", help="Not these rules (repeatable).", show_default=False),
    ] = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
    fmt: Annotated[Format | None, options.format_option("Default: one line a problem. json: an array.")] = None,
    columns: ColumnsOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """Check data files: every problem as FILE:LINE:COL: severity: message [rule], for editors and CI.

    Errors exit 1; warnings alone exit 0 (1 with --strict). On success, one summary line on stderr.

    \b
    Examples:
      lineup check data/
      lineup check --strict --ignore missing-source data/lineups.toml
      lineup check -f json | jq '.[] | select(.severity == "error")'
    """
    from lineup import render, tables, validation  # check's rules, and its findings as a table

    if columns is not None and fmt is None:
        raise typer.BadParameter("columns are for tables and data formats: give -f too", param_hint="--columns")
    chosen = _rules(select, "--select", validation.RULES) or set(validation.RULES)
    chosen -= _rules(ignore, "--ignore", validation.RULES)
    if not chosen:
        raise typer.BadParameter("no rule is left to check", param_hint="--ignore")
    picked = options.columns(columns, tables.FINDINGS)
    files = load.expand([*(paths or ()), *(data or ())] or load.data_paths(None))
    report = validation.check(files, dates.today(), chosen, options.store(no_cache))
    if fmt is None:
        sys.stdout.writelines(f"{finding}\n" for finding in map(str, report.findings))
    elif report.findings or fmt in (Format.json, Format.jsonl):
        render.emit(tables.findings_table(report.findings), fmt, picked, color, sys.stdout)
    sys.stderr.write(report.summary() + "\n")
    if report.errors or report.hidden or (strict and report.warnings):
        raise typer.Exit(1)


def _rules(values: list[str] | None, name: str, known: Mapping[str, object]) -> set[str]:
    unknown = [v for v in values or () if v not in known]
    if unknown:
        raise typer.BadParameter(f"unknown rule {unknown[0]!r}; rules: {', '.join(known)}", param_hint=name)
    return set(values or ())


def fmt(
    paths: PathsArgument = None,
    check_only: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if a file would change, and say which.")
    ] = False,
    diff_too: Annotated[
        bool, typer.Option("--diff", help="Show how each file would change; write nothing (implies --check).")
    ] = False,
    data: DataOption = None,
    quiet: QuietOption = False,
) -> None:
    """Rewrite data files in the canonical layout: sorted ids, keys in one order, windows in date order.

    Files with comments are refused, never stripped. Writes are atomic and keep the file's mode. With
    PATHs, --data names other files to read with them (the rest of a brand split across files) but
    not to format: a pre-commit hook can format only the files a commit changes.

    \b
    Examples:
      lineup fmt data/
      lineup fmt --check data/lineups.toml
      lineup fmt --diff data/
      lineup fmt --check data/infiniti-tw.toml --data data/
    """
    from lineup import edit, layout  # only fmt lays files out

    targets = list(paths or ()) or load.data_paths(data)
    context = list(data or ()) if paths else []
    writing = not (check_only or diff_too)
    if not writing:
        results = layout.format_files(load.expand(targets), load.expand(context))
    else:
        with edit.locked_data([*targets, *context]):  # listed, read and written under the lock edits take
            results = layout.format_files(load.expand(targets), load.expand(context))
            layout.write(results)
    refused = [r for r in results if r.refused]
    for result in refused:
        fail(result.refused or "")
    changed = [r for r in results if r.changed]
    for result in changed:
        if writing:
            note(f"reformatted {result.path}")
        else:
            sys.stdout.write(f"would reformat {result.path}\n")
            if diff_too:
                sys.stdout.write(layout.unified_diff(result))
    verb = "reformatted" if writing else "would be reformatted"
    unchanged = len(results) - len(changed) - len(refused)
    summary = f"{count(len(changed), 'file')} {verb}, {unchanged} unchanged"
    note(summary + (f", {len(refused)} refused" if refused else ""))
    if refused or (changed and not writing):
        raise typer.Exit(1)


def schema() -> None:
    """Print the JSON Schema of the data format, for editors and other tools.

    \b
    Examples:
      lineup schema > lineup.schema.json
      lineup schema | jq '.properties.brands'
    """
    import json

    from lineup.json_schema import schema as build  # only schema builds it

    sys.stdout.write(json.dumps(build(), indent=2) + "\n")


class ExportFormat(StrEnum):
    """What `lineup export` writes."""

    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    sqlite = "sqlite"


class ExportTable(StrEnum):
    """What a row of an export is."""

    windows = "windows"
    sales = "sales"


def export(
    fmt: Annotated[
        ExportFormat,
        typer.Option("-f", "--format", case_sensitive=False, help="csv (with a header), json, jsonl or sqlite."),
    ] = ExportFormat.csv,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            parser=options.file,
            metavar="FILE",
            show_default=False,
            help="Write to FILE (replaced whole, or not at all). Default: stdout; sqlite needs a file.",
        ),
    ] = None,
    table: Annotated[
        ExportTable,
        typer.Option(
            "--table",
            case_sensitive=False,
            help="What a row is, for csv, json and jsonl: a window, or a sales figure. SQLite has both.",
        ),
    ] = ExportTable.windows,
    as_of: AsOfOption = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
) -> None:
    """Export every window, one row each.

    A row holds the brand, model, market, dates with their precision, model years, body styles,
    powertrains, note, sources and whether it is expected.

    \b
    Examples:
      lineup export -f csv -o lineups.csv
      lineup export -f sqlite -o lineups.sqlite \\
        && sqlite3 lineups.sqlite 'SELECT count(*) FROM windows'
      lineup export -f jsonl | jq -c 'select(.market == "TW")'
      lineup export --table sales -f csv -o sales.csv
    """
    from lineup import files, flat  # only export flattens the data

    target = None if output is None or str(output) == "-" else output  # None: standard output
    if fmt is ExportFormat.sqlite and target is None:
        raise typer.BadParameter("an SQLite database goes to a file: give -o FILE", param_hint="--output")
    dataset = options.dataset(data, no_cache)
    ref = as_of or dates.today()
    if ref < dates.today():  # the data as its sources had it then
        dataset = dataset._replace(brands={brand_id: options.known(b, as_of) for brand_id, b in dataset.brands.items()})

    def write(out: TextIO) -> int:
        if table is ExportTable.sales:
            return flat.write_sales(fmt.value, dataset, out)
        return flat.WRITERS[fmt.value](dataset, ref, out)

    if target is None:
        write(sys.stdout)
        return
    if fmt is ExportFormat.sqlite:
        written = flat.write_sqlite(dataset, ref, target)
    else:
        with files.writing(target) as out:  # in place of the file once all of it is written
            written = write(out)
    what = "figure" if table is ExportTable.sales and fmt is not ExportFormat.sqlite else "window"
    note(f"wrote {count(written, what)} to {target}")


cache_app = plain_typer(name="cache", no_args_is_help=True)


@cache_app.callback()
def _cache() -> None:
    """The cache of what each data file says, which spares reading unchanged files again."""


@cache_app.command(name="info", cls=PlainCommand)
def cache_info() -> None:
    """Where the cache is, how many data files and check reports it holds, and its size.

    \b
    Examples:
      lineup cache info
    """
    place = cache.folder()
    opened = cache.Cache.open()
    if opened is None:
        print(f"{place}: not used (it cannot be made, or others can read or write it)")
        return
    entries = list(opened.entries())
    size = sum(entry.lstat().st_size for entry in entries if entry.exists())
    kinds = [sum(entry.name.startswith(kind) for entry in entries) for kind in (cache.FILE, cache.REPORT)]
    state = "off (LINEUP_NO_CACHE is set)" if cache.disabled() else "on"
    held = f"{count(kinds[0], 'data file')}, {count(kinds[1], 'check report')}"
    print(f"{place}: {held}, {size / 2**20:.1f} MB; cache {state}")


@cache_app.command(name="clear", cls=PlainCommand)
def cache_clear(quiet: QuietOption = False) -> None:
    """Empty the cache: the next reads read the data files themselves.

    \b
    Examples:
      lineup cache clear
    """
    opened = cache.Cache.open()
    removed = opened.clear() if opened is not None else 0
    note(f"removed {count(removed, 'entry', 'entries')} from {cache.folder()}")
