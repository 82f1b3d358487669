"""`lineup sales`: a model's units per period with the changes people quote, or a brand's models ranked."""

import sys
from typing import Annotated

import typer

from lineup import dates, query, sales, sales_tables
from lineup.cli import options
from lineup.cli.options import (
    BrandArgument,
    ColorOption,
    ColumnsOption,
    DataOption,
    FormatOption,
    HtmlOption,
    MarketsOption,
    NoCacheOption,
    QuietOption,
    SvgOption,
    YearOption,
)
from lineup.cli.output import note, write_file
from lineup.dates import Period
from lineup.formats import Color, Format
from lineup.model import Brand, Figure, Model
from lineup.tables import Table
from lineup.text import shorten


def period(value: str) -> Period:
    """--period: a year, half, quarter, month or run of months."""
    try:
        found = dates.parse_period(value)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    for year in {found.first.year, found.last.year}:
        options.plausible(year, f"{shorten(value)} is in {year}, not a year lineup takes")
    return found


def sales_command(
    brand: BrandArgument,
    model_text: Annotated[
        str | None,
        typer.Argument(
            metavar="[MODEL]",
            show_default=False,
            autocompletion=options.complete_of("models"),
            help="Model id or name, e.g. q60. Omitted, with --year or --period: the models ranked.",
        ),
    ] = None,
    market: MarketsOption = None,
    year: YearOption = None,
    period_: Annotated[
        Period | None,
        typer.Option(
            "--period",
            parser=period,
            metavar="PERIOD",
            show_default=False,
            help="One period: 2021-H1, 2021-Q2, 2021-09 or 2021-01..2021-09.",
        ),
    ] = None,
    svg: SvgOption = None,
    html: HtmlOption = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    columns: ColumnsOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """Show units sold per period, with the change on the period before and on a year earlier, and the source.

    With a model: its figures in period order. Without one, with --year or --period: the brand's models ranked by
    units, each with its share. A change is computed only from two recorded figures of the same length; a change
    a source reports is shown apart (reported, and what it compares with).

    \b
    Examples:
      lineup sales infiniti q60 -m US
      lineup sales infiniti -m US --year 2020
      lineup sales infiniti -m US --period 2021-H1 -f json
      lineup sales infiniti q60 -m US --svg q60-us.svg
    """
    options.one_of(year=year, period=period_)
    asked = Period(dates.PartialDate.year_of(year).first, 12) if year is not None else period_
    ranking = model_text is None and asked is not None
    later: list[str] = []  # notes that follow the answer
    picked = options.columns(columns, sales_tables.RANKING if ranking else sales_tables.FIGURES)
    dataset = options.dataset(data, no_cache, brand)
    markets = options.markets(market, dataset)
    found = query.find_brand(dataset, brand)
    chosen = query.find_model(found, model_text) if model_text is not None else None
    codes = markets or list(found.sales)
    if ranking:
        assert asked is not None
        if len(codes) != 1:
            raise typer.BadParameter("a ranking is of one market: give one -m", param_hint="-m")
        table, later = _ranking(found, codes[0], asked)
    else:
        rows = [(m, code, sales.compared(figures)) for m in ([chosen] if chosen else found.models.values())
                for code in codes if (figures := _within(found.sales.get(code, {}).get(m.id, ()), asked))]  # fmt: skip
        table = sales_tables.figures_table(found, rows)
        if not rows:
            what = f"{found.name} {chosen.name}" if chosen else found.name
            later.insert(0, f"no sales figures for {what}{_where(codes)}{'' if asked is None else f' in {asked}'}")
        if rows and (svg or html):
            from lineup import sales_chart  # only a picture needs it

            drawing = sales_chart.chart(found, [(m, code, [c.figure for c in found_]) for m, code, found_ in rows])
            for path, writer in ((svg, sales_chart.svg), (html, sales_chart.html)):
                if path:
                    write_file(path, writer(drawing))
            if fmt is None:
                return
    from lineup import render  # what prints an answer

    chosen_format = fmt or render.default_format(sys.stdout)
    render.emit(table, chosen_format, picked, color, sys.stdout)
    if chosen_format is Format.table and not ranking:
        for m, code, found_ in rows:
            line = sales_tables.trend(found, m, code, [c.figure for c in found_])
            if line:
                sys.stdout.write(line + "\n")
    for text in later:
        note(text)


def _within(figures: tuple[Figure, ...], asked: Period | None) -> tuple[Figure, ...]:
    """The figures of periods inside `asked` (all of them if None)."""
    if asked is None:
        return figures
    return tuple(f for f in figures if asked.first <= f.period.first and f.period.last <= asked.last)


def _where(codes: list[str]) -> str:
    return f" in {', '.join(codes)}" if codes else ""


def _ranking(brand: Brand, market: str, asked: Period) -> tuple[Table, list[str]]:
    """The brand's models ranked, and what to say of the ranking's scope."""
    ranked = sales.ranking(brand, market, asked)
    notes = []
    if not ranked:
        notes.append(f"no sales figures for {brand.name}'s models in {market} for {asked}")
    else:
        missing: list[Model] = sales.unranked(brand, market, asked, ranked)
        if missing:
            names = ", ".join(m.name for m in missing)
            notes.append(f"not known to cover every model: no figure for {names}, on sale in {market} in {asked}; "
                         "shares are of the models listed")  # fmt: skip
        elif not brand.is_complete(market):
            notes.append(f"shares are of the models listed: the data is not known to hold every model {brand.name} "
                         f"sold in {market} in {asked}")  # fmt: skip
    return sales_tables.ranking_table(brand, market, ranked), notes
