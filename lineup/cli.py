"""The `lineup` command line: parses options, asks lineup.query, writes with lineup.render."""

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from lineup import __version__, countries, dates, load, query, render
from lineup.model import Body, Dataset, LineupError, Powertrain
from lineup.render import Color, Format


class _Group(TyperGroup):
    """Turns a LineupError, or any failure, into one line on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except LineupError as e:
            _fail(str(e), e.exit_code)
        except BrokenPipeError:
            # The reader went away (`lineup show | head`): stop quietly, as `cat` does.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(141) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as e:
            if os.environ.get("LINEUP_DEBUG"):
                raise
            if getattr(e, "exit_code", None) is not None:  # a usage error: typer reports it
                raise
            _fail(f"internal error: {type(e).__name__}: {e} (set LINEUP_DEBUG=1 for a traceback; please report it)", 1)


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"error: {render.visible(message)}\n")
    raise typer.Exit(code)


def _note(message: str) -> None:
    sys.stderr.write(f"note: {render.visible(message)}\n")


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


DataOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        metavar="PATH",
        help="Data file or folder of *.toml (repeatable). Default: $LINEUP_DATA, else the embedded dataset.",
        show_default=False,
    ),
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
MarketOpt = Annotated[
    list[str] | None,
    typer.Option(
        "-m",
        "--market",
        metavar="MARKET",
        help="Market: ISO code or country name, e.g. TW, taiwan (repeatable).",
        show_default=False,
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
BrandArg = Annotated[str, typer.Argument(metavar="BRAND", help="Brand id or name, e.g. infiniti.", show_default=False)]
ModelArg = Annotated[str, typer.Argument(metavar="MODEL", help="Model id or name, e.g. q60.", show_default=False)]


def _when(on: dt.date | None, year: int | None, model_year: int | None) -> query.When:
    given = [
        name for name, value in (("--on", on), ("--year", year), ("--model-year", model_year)) if value is not None
    ]
    if len(given) > 1:
        raise typer.BadParameter(f"{' and '.join(given)} ask different questions: use one", param_hint=given[1])
    for name, value in (("--year", year), ("--model-year", model_year)):
        if value is not None and not dates.MIN_YEAR <= value <= dates.MAX_YEAR:
            raise typer.BadParameter(f"{value} is not a year", param_hint=name)
    if year is not None:
        return query.When(year=year)
    if model_year is not None:
        return query.When(model_year=model_year)
    return query.When(day=on or dates.today())


def _load(data: list[Path] | None) -> Dataset:
    return load.load(load.data_paths(data))


def _markets(values: list[str] | None) -> list[str]:
    return list(dict.fromkeys(countries.resolve(v) for v in values or ()))


def _emit(table: render.Table, fmt: Format | None, columns: str | None, color: Color) -> None:
    chosen = fmt or render.default_format(sys.stdout)
    if columns is not None:
        picked = [c.strip() for c in columns.split(",") if c.strip()]
        unknown = [c for c in picked if c not in table.columns]
        if unknown or not picked:
            problem = f"unknown column {unknown[0]!r}" if unknown else "no columns given"
            raise typer.BadParameter(f"{problem}; columns: {', '.join(table.columns)}", param_hint="--columns")
    else:
        picked = list(table.columns if chosen in (Format.json, Format.jsonl) else table.shown)
    render.WRITERS[chosen](table, picked, sys.stdout, render.Style(sys.stdout.isatty(), color))


# --- commands ------------------------------------------------------------------------


@app.command()
def show(
    brand: Annotated[
        str | None,
        typer.Argument(metavar="[BRAND]", help="Brand id or name; every brand if omitted.", show_default=False),
    ] = None,
    market: MarketOpt = None,
    on: OnOpt = None,
    year: YearOpt = None,
    model_year: ModelYearOpt = None,
    body: Annotated[
        list[Body] | None,
        typer.Option(
            "--body", case_sensitive=False, help="Only models of this body style (repeatable).", show_default=False
        ),
    ] = None,
    exclude_body: Annotated[
        list[Body] | None,
        typer.Option(
            "--exclude-body", case_sensitive=False, help="Leave out this body style (repeatable).", show_default=False
        ),
    ] = None,
    powertrain: Annotated[
        list[Powertrain] | None,
        typer.Option(
            "--powertrain",
            case_sensitive=False,
            help="Only models with this powertrain (repeatable).",
            show_default=False,
        ),
    ] = None,
    origin: Annotated[
        list[str] | None,
        typer.Option(
            "--origin",
            metavar="COUNTRY",
            help="Only brands from this country, e.g. JP (repeatable).",
            show_default=False,
        ),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Also the models that had left, with when.")] = False,
    data: DataOpt = None,
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
    dataset = _load(data)
    when = _when(on, year, model_year)
    markets = _markets(market)
    brands = [query.find_brand(dataset, brand)] if brand else list(dataset.brands.values())
    filters = query.Filters(
        body=frozenset(body or ()),
        exclude_body=frozenset(exclude_body or ()),
        powertrain=frozenset(powertrain or ()),
        origin=frozenset(countries.resolve(o) for o in origin or ()),
    )
    entries = query.lineup(brands, markets, when, filters, include_left=all_)
    _emit(render.show_table(entries, by_market=bool(markets), with_status=all_), fmt, columns, color)
    _coverage_notes(brands, markets, single_brand=brand is not None)


def _coverage_notes(brands: list[Any], markets: list[str], single_brand: bool) -> None:
    if single_brand:
        missing = [m for m in markets if m not in brands[0].markets]
        for code in missing:
            namibia = " (NA is Namibia; name each country of a region)" if code == "NA" else ""
            held = ", ".join(brands[0].markets) or "none"
            _note(
                f"no data for {brands[0].name} in {code} ({countries.name(code)}){namibia}; markets with data: {held}"
            )
    gaps = query.incomplete(brands, markets)
    if gaps:
        listed = ", ".join(f"{b.name} in {m}" for b, m in gaps)
        _note(f"not known to be complete, so models may be missing: {listed}")


@app.command()
def has(
    brand: BrandArg,
    model: ModelArg,
    market: MarketOpt = None,
    on: OnOpt = None,
    year: YearOpt = None,
    model_year: ModelYearOpt = None,
    data: DataOpt = None,
) -> None:
    """Exit 0 if the model is on sale (in any given market), 1 if not; print nothing.

    \b
    Examples:
      lineup has infiniti q60 -m TW --on 2021-01-01 && echo "on sale"
      if ! lineup has infiniti q60 -m TW; then echo "gone from Taiwan"; fi
    """
    dataset = _load(data)
    found = query.find_brand(dataset, brand)
    raise typer.Exit(
        0 if query.on_sale(found, query.find_model(found, model), _markets(market), _when(on, year, model_year)) else 1
    )


@app.command()
def brands(
    data: DataOpt = None, fmt: FormatOpt = None, columns: ColumnsOpt = None, color: ColorOpt = Color.auto
) -> None:
    """List the brands the data holds, with their models and markets.

    \b
    Examples:
      lineup brands
      for b in $(lineup brands --columns id); do lineup show "$b" -m US; done
    """
    _emit(render.brands_table(_load(data)), fmt, columns, color)


@app.command()
def markets(
    brand: Annotated[
        str | None, typer.Argument(metavar="[BRAND]", help="Only this brand's markets.", show_default=False)
    ] = None,
    data: DataOpt = None,
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
    dataset = _load(data)
    chosen = [query.find_brand(dataset, brand)] if brand else list(dataset.brands.values())
    _emit(render.markets_table(chosen, one_brand=brand is not None), fmt, columns, color)


def main() -> None:
    app(prog_name="lineup")
