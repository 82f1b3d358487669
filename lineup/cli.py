"""The `lineup` command line: parses options, asks lineup.query, writes with lineup.render."""

import datetime as dt
import io
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from typer.core import TyperGroup

from lineup import __version__, commands, countries, dates, files, load, query, render
from lineup.model import Body, Dataset, LineupError, Powertrain, count, shorten, slug
from lineup.render import Color, Format

if TYPE_CHECKING:
    from lineup.importer import Reading


class _Group(TyperGroup):
    """Turns a LineupError, or any failure, into one line on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as e:
            if not isinstance(e, LineupError) and getattr(e, "exit_code", None) is not None:
                raise  # a usage error: typer reports it
            raise typer.Exit(commands.outcome(e)) from None


def _fail(message: str, code: int) -> NoReturn:
    commands.fail(message)
    raise typer.Exit(code)


_T = TypeVar("_T")


def _version(value: bool) -> None:
    if value:
        print(f"lineup {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=_Group,
    name="lineup",
    help="Track car makers' model lineups per brand and market over time.",
    epilog="Run 'lineup COMMAND --help' for examples. Data: --data PATH, else $LINEUP_DATA, else the embedded dataset.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    pass


# --- options shared by commands, declared once -------------------------------------


def _parse_day(value: str) -> dt.date:
    try:
        return dates.parse_day(value)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None


def _parse_file(value: str) -> Path:
    path = _parse_path(value)
    if value != "-" and (not path.name or path.is_dir()):
        raise typer.BadParameter(f"{shorten(value)} is not a file name")
    return path


def _parse_path(value: str) -> Path:
    return _option(commands.path_of, value)


def _option(parse: Callable[..., _T], *values: Any, **named: Any) -> _T:
    """What `parse` makes of an option's values; the OptionError it raises, as Typer's usage error."""
    try:
        return parse(*values, **named)
    except commands.OptionError as e:
        raise typer.BadParameter(str(e), param_hint=e.option) from None


DataOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        parser=_parse_path,
        metavar="PATH",
        help="Data file or folder of *.toml (repeatable). Default: $LINEUP_DATA, else the embedded dataset.",
        show_default=False,
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option("--no-cache", help="Read the data files themselves, not the cache (also: LINEUP_NO_CACHE=1)."),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "-f",
        "--format",
        case_sensitive=False,
        help="Output format. Default: table on a terminal, else tsv.",
        show_default=False,
    ),
]
ColumnsOpt = Annotated[
    str | None,
    typer.Option(
        "--columns",
        metavar="A,B",
        help="Columns to print, in this order (see --format json for all).",
        show_default=False,
    ),
]
ColorOpt = Annotated[
    Color,
    typer.Option("--color", case_sensitive=False, help="Colour in tables (NO_COLOR and FORCE_COLOR are honoured)."),
]


def _complete_brands(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from lineup import complete

    return complete.brands(ctx, incomplete)


def _complete_models(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from lineup import complete

    return complete.models(ctx, incomplete)


def _complete_markets(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from lineup import complete

    return complete.markets(ctx, incomplete)


MarketOpt = Annotated[
    list[str] | None,
    typer.Option(
        "-m",
        "--market",
        metavar="MARKET",
        help="Market: ISO code or country name, e.g. TW, taiwan (repeatable).",
        show_default=False,
        autocompletion=_complete_markets,
    ),
]
OnOpt = Annotated[
    dt.date | None,
    typer.Option(
        "--on", parser=_parse_day, metavar="DATE", help="On this day (YYYY-MM-DD). Default: today.", show_default=False
    ),
]
YearOpt = Annotated[
    int | None, typer.Option("--year", metavar="YYYY", help="At any time in this calendar year.", show_default=False)
]
ModelYearOpt = Annotated[
    int | None,
    typer.Option(
        "--model-year",
        metavar="YYYY",
        help="In this model year (calendar years stand in where none are given).",
        show_default=False,
    ),
]
RefOpt = Annotated[
    dt.date | None,
    typer.Option(
        "--on",
        parser=_parse_day,
        metavar="DATE",
        help="The day that splits fact from plan: what comes after it is expected. Default: today.",
        show_default=False,
    ),
]


def _choices(flag: str, metavar: str, help: str) -> Any:
    """A repeatable option taking words of a vocabulary, in any case."""
    return typer.Option(flag, case_sensitive=False, metavar=metavar, help=help, show_default=False)


BrandArg = Annotated[
    str,
    typer.Argument(
        metavar="BRAND", help="Brand id or name, e.g. infiniti.", show_default=False, autocompletion=_complete_brands
    ),
]
ModelArg = Annotated[
    str,
    typer.Argument(
        metavar="MODEL", help="Model id or name, e.g. q60.", show_default=False, autocompletion=_complete_models
    ),
]
BODY_STYLES = ", ".join(Body)


def _when(on: dt.date | None, year: int | None, model_year: int | None) -> query.When:
    return _option(commands.when, on, year, model_year)


def _columns(spec: str | None, available: tuple[str, ...]) -> list[str] | None:
    return _option(commands.picked_columns, spec, available)


# --- commands ------------------------------------------------------------------------


@app.command()
def show(
    brand: Annotated[
        str | None,
        typer.Argument(
            metavar="[BRAND]",
            help="Brand id or name; every brand if omitted.",
            show_default=False,
            autocompletion=_complete_brands,
        ),
    ] = None,
    market: MarketOpt = None,
    on: OnOpt = None,
    year: YearOpt = None,
    model_year: ModelYearOpt = None,
    body: Annotated[
        list[Body] | None,
        _choices("--body", "STYLE", f"Only models of this body style (repeatable): {BODY_STYLES}."),
    ] = None,
    exclude_body: Annotated[
        list[Body] | None,
        _choices("--exclude-body", "STYLE", "Leave out this body style (repeatable)."),
    ] = None,
    powertrain: Annotated[
        list[Powertrain] | None,
        _choices("--powertrain", "KIND", f"Only models with this powertrain (repeatable): {', '.join(Powertrain)}."),
    ] = None,
    origin: Annotated[
        list[str] | None,
        typer.Option(
            "--origin",
            metavar="COUNTRY",
            help="Only brands from this country, e.g. JP or japan (repeatable).",
            show_default=False,
        ),
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Also the models that had left, and those still expected, with when.")
    ] = False,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
    fmt: FormatOpt = None,
    columns: ColumnsOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    """Show the models on sale: per market with -m, else each model with its markets.

    \b
    Examples:
      lineup show infiniti -m TW
      lineup show infiniti -m TW --on 2022-03-15 -f json
      lineup show -m taiwan --body coupe --origin JP
      lineup show infiniti -m US --exclude-body suv --exclude-body crossover
      lineup show lexus -m US --model-year 2023 --all
    """
    _option(commands.show, **locals())  # every parameter, by the name the two share


@app.command()
def has(
    brand: BrandArg,
    model: ModelArg,
    market: MarketOpt = None,
    on: OnOpt = None,
    year: YearOpt = None,
    model_year: ModelYearOpt = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Exit 0 if the model is on sale (in any given market), 1 if not; print nothing.

    \b
    Examples:
      lineup has infiniti q60 -m TW --on 2021-01-01 && echo "on sale"
      if ! lineup has infiniti q60 -m TW; then echo "gone from Taiwan"; fi
    """
    when = _when(on, year, model_year)
    markets = commands.markets_of(market)
    found = query.find_brand(commands.load_data(data, no_cache), brand)
    raise typer.Exit(0 if query.on_sale(found, query.find_model(found, model), markets, when) else 1)


@app.command()
def diff(
    brand: BrandArg,
    start: Annotated[str, typer.Argument(metavar="FROM", help="A year (2021) or a date (2022-04, 2022-04-15).")],
    end: Annotated[str, typer.Argument(metavar="TO", help="The same; before FROM to read the change backwards.")],
    market: MarketOpt = None,
    model_year: Annotated[
        bool, typer.Option("--model-year", help="FROM and TO are model years: compare model-year lineups.")
    ] = False,
    on: RefOpt = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
    fmt: FormatOpt = None,
    columns: ColumnsOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    """Show what was added and dropped between two times, per market, with the date of each change.

    A year means on sale at any time in that year; a date means that day (a month, any day of it).

    \b
    Examples:
      lineup diff infiniti 2021 2023 -m TW
      lineup diff infiniti 2023 2021 -m TW          # the same change, read backwards
      lineup diff infiniti 2017 2019 -m US --model-year
    """
    _option(commands.diff, **locals())  # every parameter, by the name the two share


@app.command()
def model(
    brand: BrandArg,
    model: ModelArg,
    on: RefOpt = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
    fmt: FormatOpt = None,
    columns: ColumnsOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    """Show one model's story: what it is, what it follows and what follows it, every window in every market.

    \b
    Examples:
      lineup model infiniti q60
      lineup model infiniti q60 -f json
      lineup model lexus lc --columns market,since,until
    """
    picked = _columns(columns, render.WINDOWS)
    dataset = commands.load_data(data, no_cache)
    found = query.find_brand(dataset, brand)
    chosen = query.find_model(found, model)
    ref = on or dates.today()
    back, ahead = query.lineage(dataset, chosen)
    entries = query.history(found, chosen, ref)
    story = render.model_story(found, chosen, entries, back, ahead, query.production_planned(chosen, ref))
    fmt = fmt or render.default_format(sys.stdout)
    columns_out = picked or render.default_columns(story.windows, fmt)
    render.write_story(story, fmt, columns_out, sys.stdout, render.Style(sys.stdout.isatty(), color))


@app.command()
def timeline(
    brand: BrandArg,
    market: MarketOpt = None,
    start: Annotated[
        int | None, typer.Option("--from", metavar="YEAR", help="First year shown. Default: the first launch.")
    ] = None,
    end: Annotated[
        int | None, typer.Option("--to", metavar="YEAR", help="Last year shown. Default: the last end, or this year.")
    ] = None,
    on: RefOpt = None,
    svg: Annotated[
        Path | None,
        typer.Option(
            "--svg", parser=_parse_file, metavar="FILE", help="Write the chart as SVG to FILE.", show_default=False
        ),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", parser=_parse_file, metavar="FILE", help="Write the chart as a web page.", show_default=False
        ),
    ] = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
    fmt: FormatOpt = None,
    columns: ColumnsOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    """Draw a brand's models across the years, a bar for each stretch on sale, coloured by body style.

    In a terminal the chart fits the width; -f tsv, csv, json... give its bars as rows.

    \b
    Examples:
      lineup timeline infiniti -m TW
      lineup timeline infiniti -m US --from 2010 --svg infiniti-us.svg
      lineup timeline lexus -m TW --on 2022-11-07 --html lexus-tw.html
    """
    from lineup import timeline as timeline_chart

    for name, year in (("--from", start), ("--to", end)):
        if year is not None and not dates.MIN_YEAR <= year <= dates.MAX_YEAR:
            raise typer.BadParameter(f"{year} is not a year", param_hint=name)
    if start is not None and end is not None and start > end:
        raise typer.BadParameter(f"--from {start} is after --to {end}", param_hint="--from")
    picked = _columns(columns, timeline_chart.BARS)
    markets = commands.markets_of(market)
    found = query.find_brand(commands.load_data(data, no_cache), brand)
    chart = timeline_chart.chart(found, markets, on or dates.today(), start, end)
    for note in query.scope_notes([found], markets, one_brand=True):
        commands.note(note)
    outputs = [(path, writer) for path, writer in ((svg, timeline_chart.svg), (html, timeline_chart.html)) if path]
    for path, writer in outputs:
        _write_file(path, writer(chart))
    if outputs and fmt is None:
        return
    chosen = fmt or render.default_format(sys.stdout)
    if chosen is Format.table:
        timeline_chart.write_terminal(chart, sys.stdout, render.console_options(color))
    else:
        commands.emit(timeline_chart.table(chart), chosen, picked, color)


def _write_file(path: Path, text: str) -> None:
    if str(path) == "-":
        sys.stdout.write(text)
        return
    files.atomic_write(path, text)
    commands.note(f"wrote {path}")


@app.command()
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            parser=_parse_path,
            help="Files or folders to check. Default: the data the other commands read.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", metavar="RULE", help="Only these rules (repeatable).", show_default=False),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="RULE", help="Not these rules (repeatable).", show_default=False),
    ] = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "-f",
            "--format",
            case_sensitive=False,
            help="Default: one line a problem. json: an array.",
            show_default=False,
        ),
    ] = None,
    columns: ColumnsOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    """Check data files: every problem as FILE:LINE:COL: severity: message [rule], for editors and CI.

    Errors exit 1; warnings alone exit 0 (1 with --strict). On success, one summary line on stderr.

    \b
    Examples:
      lineup check data/
      lineup check --strict --ignore missing-source data/lineups.toml
      lineup check -f json | jq '.[] | select(.severity == "error")'
    """
    code = _option(commands.check, **locals())  # every parameter, by the name the two share
    if code:
        raise typer.Exit(code)


@app.command(name="fmt")
def fmt_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            parser=_parse_path,
            help="Files or folders to format. Default: the data the other commands read.",
            show_default=False,
        ),
    ] = None,
    check_only: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if a file would change, and say which.")
    ] = False,
    diff_too: Annotated[
        bool, typer.Option("--diff", help="Show how each file would change; write nothing (implies --check).")
    ] = False,
    data: DataOpt = None,
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
    from lineup import fmt as formatting

    targets = list(paths or ()) or load.data_paths(data)
    context = list(data or ()) if paths else []
    writing = not (check_only or diff_too)
    if not writing:
        results = formatting.format_files(load.expand(targets), load.expand(context))
    else:
        from lineup import edit

        with edit.locked_data([*targets, *context]):  # listed, read and written under the lock edits take
            results = formatting.format_files(load.expand(targets), load.expand(context))
            formatting.write(results)
    refused = [r for r in results if r.refused]
    for result in refused:
        sys.stderr.write(f"error: {render.visible(result.refused or '')}\n")
    changed = [r for r in results if r.changed]
    for result in changed:
        if writing:
            commands.note(f"reformatted {result.path}")
        else:
            sys.stdout.write(f"would reformat {result.path}\n")
            if diff_too:
                sys.stdout.write(formatting.unified_diff(result))
    verb = "reformatted" if writing else "would be reformatted"
    unchanged = len(results) - len(changed) - len(refused)
    summary = f"{count(len(changed), 'file')} {verb}, {unchanged} unchanged"
    commands.note(summary + (f", {len(refused)} refused" if refused else ""))
    if refused or (changed and not writing):
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the data format, for editors and other tools.

    \b
    Examples:
      lineup schema > lineup.schema.json
      lineup schema | jq '.properties.brands'
    """
    import json

    from lineup.schema import schema as build

    sys.stdout.write(json.dumps(build(), indent=2) + "\n")


def _date(value: str) -> dates.PartialDate:
    try:
        return dates.parse(value)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None


@dataclass(frozen=True)
class _ModelYears:
    """--model-years as given (typer takes a class, not a tuple, from a parser)."""

    span: tuple[int, int | None]


def _model_years(value: str) -> _ModelYears:
    try:
        return _ModelYears(dates.parse_years(value))
    except ValueError as e:
        message = str(e).replace(dates.YEARS_FORMS, "2023, 2019-2023, or 2019- while open")
        raise typer.BadParameter(message) from None


def _text(value: str) -> str:
    if not value.strip():
        raise typer.BadParameter("empty text")
    return value


def _year(value: str) -> int:
    try:
        year = int(value)
    except ValueError:
        raise typer.BadParameter(f"{shorten(value)} is not a year") from None
    if not dates.MIN_YEAR <= year <= dates.MAX_YEAR:
        raise typer.BadParameter(f"{year} is not a year lineup takes ({dates.MIN_YEAR}-{dates.MAX_YEAR})")
    return year


def _shell(path: Path) -> str:
    """A path as a shell command line takes it."""
    import shlex

    return shlex.quote(str(path))


MarketOneOpt = Annotated[
    str,
    typer.Option(
        "-m",
        "--market",
        metavar="MARKET",
        help="Market: ISO code or country name, e.g. TW, taiwan.",
        autocompletion=_complete_markets,
    ),
]
NoteOpt = Annotated[
    str | None, typer.Option("--note", parser=_text, metavar="TEXT", help="A note on the window.", show_default=False)
]
SourceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--source", parser=_text, metavar="URL", help="Where the fact comes from (repeatable).", show_default=False
    ),
]
SinceOpt = Annotated[
    dates.PartialDate | None,
    typer.Option(
        "--since", parser=_date, metavar="DATE", help="The launch: 2022, 2022-H2, 2022-03...", show_default=False
    ),
]
UntilOpt = Annotated[
    dates.PartialDate | None,
    typer.Option(
        "--until", parser=_date, metavar="DATE", help="The last day on sale, at any precision.", show_default=False
    ),
]


@app.command()
def add(
    brand: BrandArg,
    model: ModelArg,
    market: MarketOneOpt,
    since: SinceOpt = None,
    until: UntilOpt = None,
    model_years: Annotated[
        _ModelYears | None,
        typer.Option(
            "--model-years",
            parser=_model_years,
            metavar="A-B",
            help="Model years: 2023, 2019-2023, or 2019- while open.",
            show_default=False,
        ),
    ] = None,
    note: NoteOpt = None,
    source: SourceOpt = None,
    body: Annotated[
        list[Body] | None,
        _choices("--body", "STYLE", "A new model's body style (repeatable); needed for a new model."),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", parser=_text, help="A new model's name (default: MODEL as typed).", show_default=False),
    ] = None,
    powertrain: Annotated[
        list[Powertrain] | None,
        _choices("--powertrain", "KIND", "A new model's powertrain (repeatable)."),
    ] = None,
    follows: Annotated[
        list[str] | None,
        typer.Option(
            "--follows",
            parser=_text,
            metavar="MODEL",
            help="The model a new one follows (repeatable).",
            show_default=False,
        ),
    ] = None,
    brand_name: Annotated[
        str | None,
        typer.Option(
            "--brand-name", parser=_text, help="A new brand's name (default: BRAND as typed).", show_default=False
        ),
    ] = None,
    origin: Annotated[
        str | None,
        typer.Option(
            "--origin",
            metavar="COUNTRY",
            help="A new brand's country, e.g. JP; needed for a new brand.",
            show_default=False,
        ),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            parser=_parse_file,
            metavar="FILE",
            help="Where a brand new to the data goes (default: see the README).",
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Record a launch: open a window of a model in a market (a new model needs --body).

    \b
    Examples:
      lineup add Acme Roadster -m JP --since 2025-03 --body convertible --origin JP --source URL
      lineup add acme roadster -m TW --since 2025-H2 --source https://example.com/roadster-taiwan
      lineup add infiniti QX65 -m US --since 2026-H2 --body crossover --source https://example.com/qx65
    """
    from lineup import edit

    if since is None and model_years is None:
        raise typer.BadParameter("a window needs --since (or --model-years)", param_hint="--since")
    code = countries.resolve(market)
    window = edit.NewWindow(since, until, model_years.span if model_years else None, note, tuple(source or ()))
    new_model = edit.NewModel(
        name, tuple(b.value for b in body or ()), tuple(p.value for p in powertrain or ()), tuple(follows or ())
    )
    new_brand = edit.NewBrand(brand_name, countries.resolve(origin, "country") if origin else None)
    with edit.session(edit.roots(data), [file] if file else []) as work:
        added = edit.add(work, brand, model, code, window, new_model, new_brand, file)
        edit.commit(work)
        outside = not work.reads(added.path)
    commands.note(f"added a window of {added.brand}/{added.model} in {code} to {added.path}")
    for note in added.notes:
        commands.note(note)
    if outside:
        commands.note(f"{added.path} is not in the data read; read it too with --data {_shell(added.path)}")


@app.command()
def drop(
    brand: BrandArg,
    model: ModelArg,
    market: MarketOneOpt,
    until: Annotated[
        dates.PartialDate,
        typer.Option("--until", parser=_date, metavar="DATE", help="The last day on sale, at any precision."),
    ],
    note: NoteOpt = None,
    source: SourceOpt = None,
    last_model_year: Annotated[
        int | None,
        typer.Option(
            "--last-model-year",
            parser=_year,
            metavar="YEAR",
            help="The last model year, for a window whose model years are open (2019-).",
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Record a withdrawal: close a model's open window in a market.

    \b
    Examples:
      lineup drop acme roadster -m TW --until 2026-06 --source https://example.com/roadster-ends
      lineup drop acme roadster -m JP --until 2026 --note "Sold out; no successor announced."
    """
    from lineup import edit

    code = countries.resolve(market)
    with edit.session(edit.roots(data)) as work:
        found = query.find_brand(work.dataset, brand)
        chosen = query.find_model(found, model)
        path = edit.drop(work, found, chosen.id, code, until, note, source or (), last_model_year)
        edit.commit(work)
    commands.note(f"closed the window of {found.id}/{chosen.id} in {code} at {until} in {path}")


@app.command()
def init(
    path: Annotated[
        str,
        typer.Argument(
            metavar="PATH",
            help="A .toml file to write, or a folder to write lineups.toml in (made if need be).",
        ),
    ],
) -> None:
    """Start a data file of your own, a copy of the embedded dataset, to edit with add and drop.

    \b
    Examples:
      lineup init my-lineups.toml && export LINEUP_DATA=$PWD/my-lineups.toml
      lineup init data/
    """
    from lineup import edit

    target = edit.init(_parse_path(path), as_file=_names_a_file(path, Path(path)))
    use = f"--data {_shell(target)} or export LINEUP_DATA={_shell(target.resolve())}"
    commands.note(f"wrote {target}; use it with {use}")


import_app = typer.Typer(
    cls=_Group,
    help="Load data from other formats into lineup's files.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(import_app, name="import")


@import_app.command(name="csv")
def import_csv(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...", parser=_parse_path, help="CSV files with columns year,make,model,body_styles."
        ),
    ],
    market: MarketOneOpt,
    make: Annotated[
        list[str] | None,
        typer.Option("--make", metavar="NAME", help="Only this make, in any case (repeatable).", show_default=False),
    ] = None,
    into: Annotated[
        str | None,
        typer.Option(
            "--into",
            metavar="PATH",
            help="A folder (one file per brand) or a .toml file. Default: the data, if it is one file or folder.",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            parser=_text,
            metavar="URL",
            help="The windows' source. Default: the files' names.",
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Import model-year lists: each make a brand, each model a model, each run of years a window.

    A missing model year splits a window. Brands, models and windows the data (--data, else LINEUP_DATA)
    already has are kept as they are, and edited where they are; where the lists disagree with them,
    the disagreement is reported. Importing again changes nothing.

    \b
    Examples:
      lineup import csv us-car-models/*.csv -m US --into data/us/
      lineup import csv 2024.csv -m US --make Lexus --make INFINITI --data data/ --into data/us.toml
    """
    from lineup import edit, importer

    code = countries.resolve(market)
    given = load.data_paths(data) if data or os.environ.get(load.ENV_VAR) else []
    if into is None and len(given) != 1:
        raise typer.BadParameter("say where the imported data goes", param_hint="--into")
    target = _parse_path(into) if into is not None else given[0]
    as_file = _names_a_file(into or str(target), target)
    found = _read_lists(paths, make or ())
    with edit.session([*given, target], [target] if as_file else [], empty_ok=True) as work:
        outcome = importer.merge(work, found, code, target, as_file, source or importer.default_source(paths))
        written = edit.commit(work)
        outside = bool(given) and not work.reads(target)
    for note in [*found.notes, *found.merged, *outcome.merged]:
        commands.note(note)
    for wanted in make or ():
        if slug(wanted) not in found.makes:
            commands.note(f"no make in the lists is {wanted!r}")
    for style, rows in sorted(found.unmapped.items()):
        commands.note(f"body style {style!r} has no lineup word: left out of {count(rows, 'row')}, which are kept")
    for conflict in outcome.conflicts:
        commands.note(f"kept as it was: {conflict}")
    if outside:
        commands.note(f"{target} is not in the data read; read it too with --data {_shell(target)}")
    skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(found.skipped.items())) or "none"
    sys.stderr.write(
        f"read {count(found.rows, 'row')}: {count(outcome.brands, 'brand')}, {count(outcome.models, 'model')}, "
        f"{count(outcome.windows, 'window')} ({outcome.new_windows} new, "
        f"{count(len(outcome.conflicts), 'conflict')} kept as they were); "
        f"rows skipped: {skipped}; {count(len(written), 'file')} written\n"
    )


def _names_a_file(text: str, path: Path) -> bool:
    """Whether a path given for data to write names a file: an existing one, or a name ending in .toml
    (not a folder, nor written with a trailing slash); anything else names a folder."""
    if path.is_file():
        return True
    return not (path.is_dir() or text.endswith(os.sep)) and path.suffix.casefold() == ".toml"


def _read_lists(paths: list[Path], makes: Sequence[str]) -> "Reading":
    from lineup import importer

    if not sys.stderr.isatty():
        return importer.read(paths, makes)
    from rich.console import Console
    from rich.progress import Progress

    total = sum(p.stat().st_size for p in paths if p.is_file())
    with Progress(transient=True, console=Console(stderr=True)) as progress:
        task = progress.add_task(f"reading {count(len(paths), 'file')}", total=total)
        return importer.read(paths, makes, lambda n: progress.advance(task, n))


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    sqlite = "sqlite"


@app.command()
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
            parser=_parse_file,
            metavar="FILE",
            help="Write to FILE (replaced whole, or not at all). Default: stdout; sqlite needs a file.",
            show_default=False,
        ),
    ] = None,
    on: Annotated[
        dt.date | None,
        typer.Option(
            "--on",
            parser=_parse_day,
            metavar="DATE",
            help="The day that splits fact from plan, for `expected`. Default: today.",
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Export every window, one row each: brand, model, market, dates with their precision, model years,
    body styles, powertrains, note, sources and whether it is expected.

    \b
    Examples:
      lineup export -f csv -o lineups.csv
      lineup export -f sqlite -o lineups.sqlite && sqlite3 lineups.sqlite 'SELECT count(*) FROM windows'
      lineup export -f jsonl | jq -c 'select(.market == "TW")'
    """
    from lineup import export as exporting

    if fmt is ExportFormat.sqlite and (output is None or str(output) == "-"):
        raise typer.BadParameter("an SQLite database goes to a file: give -o FILE", param_hint="--output")
    dataset = commands.load_data(data, no_cache)
    ref = on or dates.today()
    if fmt is ExportFormat.sqlite:
        assert output is not None
        written = _export_sqlite(dataset, ref, output)
    else:
        out = io.StringIO() if output is not None and str(output) != "-" else sys.stdout
        if fmt is ExportFormat.csv:
            written = exporting.write_csv(dataset, ref, out)
        else:
            written = exporting.write_json(dataset, ref, out, lines=fmt is ExportFormat.jsonl)
        if isinstance(out, io.StringIO):
            assert output is not None
            files.atomic_write(output, out.getvalue())
    if output is not None and str(output) != "-":
        commands.note(f"wrote {count(written, 'window')} to {output}")


def _export_sqlite(dataset: Dataset, ref: dt.date, output: Path) -> int:
    """A new database beside `output`, renamed over it once complete: never half a database."""
    import sqlite3
    import tempfile

    from lineup import export as exporting

    folder = output.resolve().parent
    try:
        handle, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise LineupError(f"cannot write: {e.strerror or e}", file=str(output)) from None
    os.close(handle)
    temporary = Path(name)
    try:
        temporary.unlink()  # sqlite makes the file itself
        written = exporting.write_sqlite(dataset, ref, temporary)
        temporary.replace(output)
    except BaseException as e:
        temporary.unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise LineupError(f"cannot write: {e.strerror or e}", file=str(output)) from None
        if isinstance(e, sqlite3.Error):  # a full disk, say: "database or disk is full"
            raise LineupError(f"cannot write: {e}", file=str(output)) from None
        raise
    return written


@app.command()
def brands(
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
    fmt: FormatOpt = None,
    columns: ColumnsOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    """List the brands the data holds, with their models and markets.

    \b
    Examples:
      lineup brands
      for b in $(lineup brands --columns id); do lineup show "$b" -m US; done
    """
    picked = _columns(columns, render.BRANDS)
    commands.emit(render.brands_table(commands.load_data(data, no_cache)), fmt, picked, color)


@app.command()
def markets(
    brand: Annotated[
        str | None,
        typer.Argument(
            metavar="[BRAND]", help="Only this brand's markets.", show_default=False, autocompletion=_complete_brands
        ),
    ] = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
    fmt: FormatOpt = None,
    columns: ColumnsOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    """List the markets the data covers, and whether each lineup is known to be complete.

    \b
    Examples:
      lineup markets
      lineup markets infiniti -f json
    """
    picked = _columns(columns, render.MARKETS)
    dataset = commands.load_data(data, no_cache)
    chosen = [query.find_brand(dataset, brand)] if brand is not None else list(dataset.brands.values())
    commands.emit(render.markets_table(chosen, one_brand=brand is not None), fmt, picked, color)


cache_app = typer.Typer(
    cls=_Group,
    help="The cache of what each data file says, which spares reading unchanged files again.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(cache_app, name="cache")


@cache_app.command(name="info")
def cache_info() -> None:
    """Where the cache is, how many data files and check reports it holds, and its size.

    \b
    Examples:
      lineup cache info
    """
    from lineup import cache

    place = cache.folder()
    opened = cache.Cache.open()
    if opened is None:
        print(f"{place}: not used (it cannot be made, or others can read or write it)")
        return
    entries = list(opened.entries())
    size = sum(entry.stat().st_size for entry in entries if entry.exists())
    reports = sum(entry.name.startswith(cache.REPORT) for entry in entries)
    state = "off (LINEUP_NO_CACHE is set)" if cache.disabled() else "on"
    held = f"{count(len(entries) - reports, 'data file')}, {count(reports, 'check report')}"
    print(f"{place}: {held}, {size / 2**20:.1f} MB; cache {state}")


@cache_app.command(name="clear")
def cache_clear() -> None:
    """Empty the cache: the next reads read the data files themselves.

    \b
    Examples:
      lineup cache clear
    """
    from lineup import cache

    opened = cache.Cache.open()
    removed = opened.clear() if opened is not None else 0
    commands.note(f"removed {count(removed, 'entry', 'entries')} from {cache.folder()}")


def main() -> None:
    """The entry point of scripts installed before lineup.quick was: the same command."""
    from lineup.quick import main as quick_main

    quick_main()
