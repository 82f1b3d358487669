"""The commands that answer questions: show, has, diff, model, timeline."""

import datetime as dt
import sys
from enum import StrEnum
from typing import Annotated

import typer

from lineup import countries, dates, query
from lineup.cli import options
from lineup.cli.options import (
    AsOfOption,
    BrandArgument,
    ColorOption,
    ColumnsOption,
    DataOption,
    FormatOption,
    HtmlOption,
    MarketsOption,
    ModelArgument,
    ModelYearOption,
    NoCacheOption,
    OnOption,
    QuietOption,
    SomeBrandArgument,
    SvgOption,
    YearOption,
)
from lineup.cli.output import note, write_file
from lineup.formats import Color, Format
from lineup.model import Body, Powertrain
from lineup.text import did_you_mean, shorten


def show(
    brand: SomeBrandArgument = None,
    market: MarketsOption = None,
    on: OnOption = None,
    year: YearOption = None,
    model_year: ModelYearOption = None,
    body: Annotated[
        list[Body] | None,
        options.body_option("--body", f"Only models of this body style (repeatable): {options.BODY_STYLES}."),
    ] = None,
    exclude_body: Annotated[
        list[Body] | None, options.body_option("--exclude-body", "Leave out this body style (repeatable).")
    ] = None,
    powertrain: Annotated[
        list[Powertrain] | None,
        options.powertrain_option(f"Only models with this powertrain (repeatable): {options.POWERTRAINS}."),
    ] = None,
    origin: Annotated[
        list[str] | None,
        options.origin_option("Only brands from this country, e.g. JP or japan (repeatable)."),
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Also the models that had left, and those still expected, with when.")
    ] = False,
    sales_year: Annotated[
        int | None,
        typer.Option(
            "--sales",
            parser=options.year,
            metavar="YYYY",
            show_default=False,
            help="Add each model's units sold in this calendar year in its market (needs -m).",
        ),
    ] = None,
    as_of: AsOfOption = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    columns: ColumnsOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """Show the models on sale: per market with -m, else each model with its markets.

    \b
    Examples:
      lineup show infiniti -m TW
      lineup show infiniti -m TW --on 2022-03-15 -f json
      lineup show -m taiwan --body coupe --origin JP
      lineup show infiniti -m US --exclude-body suv --exclude-body crossover
      lineup show lexus -m US --model-year 2023 --all
      lineup show infiniti -m US --year 2020 --sales 2020
    """
    from lineup import (
        render,
        scope,
        tables,
    )  # what prints an answer and its notes: `has`, which prints none, goes without

    asked = _when(on, year, model_year)
    if sales_year is not None and not market:
        raise typer.BadParameter("sales are per market: give -m", param_hint="--sales")
    available = tables.SHOW_BY_MARKET if market else tables.SHOW_BY_MODEL
    picked = options.columns(columns, (*available, "sales", "sales_period") if sales_year is not None else available)
    filters = query.Filters(
        body=frozenset(body or ()),
        exclude_body=frozenset(exclude_body or ()),
        powertrain=frozenset(powertrain or ()),
        origin=frozenset(countries.resolve(value, "country") for value in origin or ()),
    )
    dataset = options.dataset(data, no_cache, brand)
    markets = options.markets(market, dataset)
    chosen = [query.find_brand(dataset, brand)] if brand is not None else list(dataset.brands.values())
    brands = [options.known(b, as_of) for b in chosen if filters.keeps_brand(b)]
    entries = query.lineup(brands, markets, asked, filters, others=all_, ref=as_of or dates.today())
    table = tables.show_table(entries, bool(markets), markets)
    if sales_year is not None:
        from lineup import sales_tables  # only --sales needs it

        table = sales_tables.year_sales({b.id: b for b in brands}, table, sales_year)
    render.emit(table, fmt, picked, color, sys.stdout)
    if not entries:
        whose = f"of {chosen[0].name} " if brand is not None else ""
        where = f" in {', '.join(markets)}" if markets else ""
        given = (("--body", body), ("--exclude-body", exclude_body), ("--powertrain", powertrain), ("--origin", origin))
        matching = (
            " matching " + " and ".join(flag for flag, value in given if value) if any(v for _, v in given) else ""
        )
        note(f"no models {whose}{'' if all_ else 'on sale '}{asked}{where}{matching}")
    if filters.origin and not brands:
        note(scope.no_origin(chosen, filters.origin))
        return
    for text in scope.scope_notes(brands, markets, one_brand=brand is not None, when=asked):
        note(text)


def has(
    brand: BrandArgument,
    model: ModelArgument,
    market: MarketsOption = None,
    on: OnOption = None,
    year: YearOption = None,
    model_year: ModelYearOption = None,
    as_of: AsOfOption = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
) -> None:
    """Exit 0 if the model is on sale (in any given market), 1 if not; print nothing.

    \b
    Examples:
      lineup has infiniti q60 -m TW --on 2021-01-01 && echo "on sale"
      if ! lineup has infiniti q60 -m TW; then echo "gone from Taiwan"; fi
    """
    asked = _when(on, year, model_year)
    dataset = options.dataset(data, no_cache, brand)
    markets = options.markets(market, dataset)
    found = options.known(query.find_brand(dataset, brand), as_of)
    raise typer.Exit(0 if query.on_sale(found, query.find_model(found, model), markets, asked) else 1)


def diff(
    times: Annotated[
        list[str],
        typer.Argument(
            metavar="[BRAND] FROM TO",
            show_default=False,
            autocompletion=options.complete_of("brands"),
            help="A brand id or name (every brand if left out), then two times: a year (2021) or a date "
            "(2022-04, 2022-04-15); TO before FROM reads the change backwards.",
        ),
    ],
    market: MarketsOption = None,
    model_year: Annotated[
        bool, typer.Option("--model-year", help="FROM and TO are model years: compare model-year lineups.")
    ] = False,
    kinds: Annotated[
        list[str] | None,
        typer.Option(
            "--change",
            metavar="KIND",
            show_default=False,
            help="Only changes of this kind (repeatable): added, dropped, changed, ... (docs/commands.md).",
        ),
    ] = None,
    with_sales: Annotated[
        bool, typer.Option("--sales", help="Add each dropped model's units in its last whole year on sale there.")
    ] = False,
    as_of: AsOfOption = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    columns: ColumnsOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """Show what was added, dropped or changed between two times, per market, with the date of each change.

    A year means on sale at any time in that year; a date means that day (a month, any day of it). With no brand,
    every brand's changes.

    \b
    Examples:
      lineup diff infiniti 2021 2023 -m TW
      lineup diff infiniti 2023 2021 -m TW    # the same change, read backwards
      lineup diff infiniti 2017 2019 -m US --model-year
      lineup diff infiniti 2021 2024 -m US --sales
      lineup diff 2021 2023 -m TW --change added --change dropped
    """
    from lineup import diffs, render, scope, tables  # what diff and printing an answer need: `has` goes without them

    if len(times) not in (2, 3):
        raise typer.BadParameter(f"give [BRAND] FROM TO, not {len(times)} words", param_hint="[BRAND] FROM TO")
    brand = times[0] if len(times) == 3 else None
    start, end = times[-2:]
    wanted = _kinds(kinds, diffs.Change)
    try:
        a = _period(start, model_year, "FROM")
    except typer.BadParameter as e:
        if brand is None:  # `diff infiniti 2021`: a brand, and one time only
            e.message += "; after a brand, give both FROM and TO"
        raise
    b = _period(end, model_year, "TO")
    if diffs.overlap(a, b):
        raise typer.BadParameter(f"{shorten(start)} and {shorten(end)} overlap: compare times that do not",
                                 param_hint="FROM TO")  # fmt: skip
    picked = options.columns(columns, (*tables.DIFF, "sales", "sales_period") if with_sales else tables.DIFF)
    dataset = options.dataset(data, no_cache, brand)
    markets = options.markets(market, dataset)
    chosen = [query.find_brand(dataset, brand)] if brand is not None else list(dataset.brands.values())
    brands = [options.known(found, as_of) for found in chosen]
    changes = [d for found in brands for d in diffs.diff(found, markets, a, b, as_of or dates.today())
               if not wanted or d.change in wanted]  # fmt: skip
    if len(brands) > 1:  # each market's changes together, in the order asked (else by code), brand by brand
        order = {code: i for i, code in enumerate(markets)}
        changes.sort(key=lambda d: (order.get(d.market, len(order)), d.market))
    table = tables.diff_table(changes, with_brand=len(brands) > 1)
    if with_sales:
        from lineup import sales_tables  # only --sales needs it

        table = sales_tables.dropped_sales(table, changes)
    render.emit(table, fmt, picked, color, sys.stdout)
    if not changes:
        whose = f"{brands[0].name}'s" if brand is not None else "the"
        kind = f" of kind {', '.join(sorted(wanted))}" if wanted else ""
        years = "model year " if model_year else ""
        where = f" in {', '.join(markets)}" if markets else ""
        note(f"no changes{kind} in {whose} lineups{where} from {years}{start} to {end}")
    unknown = [d for d in changes if d.change is diffs.Change.unknown]
    if unknown:
        where = ", ".join(dict.fromkeys(d.market for d in unknown))
        note(f"{len(unknown)} unknown: missing where the data marks its coverage partial ({where}), so gone or "
             "only not listed; -f json gives the coverage note")  # fmt: skip
    for text in scope.scope_notes(brands, markets, one_brand=brand is not None):
        note(text)


def _kinds(values: list[str] | None, kinds: type[StrEnum]) -> set[str]:
    """The kinds of change --change asks for, each one lineup knows (a usage error if not)."""
    known = [str(kind) for kind in kinds]
    for value in values or ():
        if value.lower() not in known:
            raise typer.BadParameter(f"{shorten(value)} is not a kind of change{did_you_mean(value.lower(), known)}; "
                                     f"kinds: {', '.join(known)}", param_hint="--change")  # fmt: skip
    return {value.lower() for value in values or ()}


def model(
    brand: BrandArgument,
    model_text: ModelArgument,
    as_of: AsOfOption = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    columns: ColumnsOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """Show one model's story: what it is, what it follows and what follows it, every window in every market.

    \b
    Examples:
      lineup model infiniti q60
      lineup model infiniti q60 -f json
      lineup model lexus lc --columns market,since,until
    """
    from lineup import render, story  # what tells and prints a story: `has`, which prints none, goes without

    picked = options.columns(columns, story.WINDOWS)
    dataset = options.dataset(data, no_cache)
    found = options.known(query.find_brand(dataset, brand), as_of)
    chosen = query.find_model(found, model_text)
    ref = as_of or dates.today()
    back, ahead = query.lineage(dataset, chosen)
    told = story.model_story(found, chosen, query.history(found, chosen, ref), back, ahead,
                             query.production_planned(chosen, ref))  # fmt: skip
    chosen_format = fmt or render.default_format(sys.stdout)
    shown = picked or render.default_columns(told.windows, chosen_format)
    story.write(told, chosen_format, shown, sys.stdout, render.Style(sys.stdout.isatty(), color, not picked))


def _pixels(value: str) -> int:
    """A picture's width in pixels, from 480 (a phone) to 4800 (a poster)."""
    try:
        number = int(value)
    except ValueError:
        raise typer.BadParameter(f"{shorten(value)} is not a number of pixels") from None
    if not 480 <= number <= 4800:
        raise typer.BadParameter(f"{number} is not a width lineup draws (480-4800 pixels)")
    return number


# The words an editor puts around a timeline picture, and what stands out in it: only timeline takes them.
_TitleOption = Annotated[
    str | None,
    options.text_option("--title", "TEXT", "The chart's title. Default: the brand, the markets and the years."),
]  # fmt: skip
_SubtitleOption = Annotated[
    str | None,
    options.text_option("--subtitle", "TEXT", "A line under the title. Default: in a picture, what the bars show."),
]  # fmt: skip
_CreditOption = Annotated[
    str | None,
    options.text_option("--credit", "TEXT",
                        "The credit line. Default: 'Source: lineup data', with the credit a drawn source asks for."),
]  # fmt: skip
_WidthOption = Annotated[
    int | None,
    typer.Option("--width", parser=_pixels, metavar="PX", show_default=False,
                 help="Width of the --svg or --html picture in pixels; its text grows with it. Default: 960."),
]  # fmt: skip
_HighlightOption = Annotated[
    list[str] | None,
    typer.Option("--highlight", metavar="MODEL", show_default=False, autocompletion=options.complete_of("models"),
                 help="Make this model's row stand out, the others recede (repeatable)."),
]  # fmt: skip


def timeline(
    brand: BrandArgument,
    market: MarketsOption = None,
    start: Annotated[
        int | None,
        typer.Option(
            "--from", parser=options.year, metavar="YEAR", help="First year shown. Default: the first launch."
        ),
    ] = None,
    end: Annotated[
        int | None,
        typer.Option(
            "--to", parser=options.year, metavar="YEAR", help="Last year shown. Default: the last end, or this year."
        ),
    ] = None,
    as_of: AsOfOption = None,
    svg: SvgOption = None,
    html: HtmlOption = None,
    title: _TitleOption = None,
    subtitle: _SubtitleOption = None,
    credit: _CreditOption = None,
    width: _WidthOption = None,
    highlight: _HighlightOption = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
    columns: ColumnsOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """Draw a brand's models across the years, a bar for each stretch on sale, coloured by body style.

    A model renamed (the EX became the QX50) keeps one row, its label changing at the rename. In a terminal the
    chart fits the width; -f tsv, csv, json... give its bars as rows.

    \b
    Examples:
      lineup timeline infiniti -m TW
      lineup timeline infiniti -m US --from 2010 --svg infiniti-us.svg
      lineup timeline lexus -m TW --as-of 2022-11-07 --html lexus-tw.html
      lineup timeline infiniti -m US --svg q60.svg --width 1200 --highlight q60 \\
          --title "The Q60 and its kin" --subtitle "Infiniti's US lineup" \\
          --credit "Source: lineup; Infiniti"
    """
    from lineup import chart, render, scope  # what drawing and printing need: `has` goes without them

    if start is not None and end is not None and start > end:
        raise typer.BadParameter(f"--from {start} is after --to {end}", param_hint="--from")
    if width is not None and not (svg or html):
        raise typer.BadParameter("sets the width of an --svg or --html picture; a terminal chart fits the terminal",
                                 param_hint="--width")  # fmt: skip
    picked = options.columns(columns, chart.BARS)
    dataset = options.dataset(data, no_cache, brand)
    markets = options.markets(market, dataset)
    found = options.known(query.find_brand(dataset, brand), as_of)
    drawn = chart.chart(found, markets, as_of or dates.today(), start, end)
    drawn = chart.dress(drawn, title, subtitle, credit, highlight or ())
    notes = scope.scope_notes([found], markets, one_brand=True)
    if not drawn.rows:
        span = f" from {start}" if start is not None else ""
        notes.insert(0, f"nothing to draw: no stretch on sale of {found.name}{span}" + (f" to {end}" if end else ""))
    elif svg or html:
        from lineup import svg as pictures  # only a picture needs it

        for path, writer in ((svg, pictures.svg), (html, pictures.html)):
            if path:
                write_file(path, writer(drawn, width or pictures.WIDTH))
    chosen = fmt or render.default_format(sys.stdout)
    if (svg or html) and fmt is None:
        pass  # the picture is the answer
    elif chosen is Format.table and drawn.rows:
        from lineup import chart_terminal  # only a chart for a person needs it

        chart_terminal.write_terminal(drawn, render.make_console(sys.stdout, color))
    else:
        render.emit(chart.table(drawn), chosen, picked, color, sys.stdout)
    for text in notes:  # after the chart, as every command's notes come after its answer
        note(text)


def _when(on: dt.date | None, year: int | None, model_year: int | None) -> query.When:
    """The time --on, --year or --model-year asks about (one of them); today if none."""
    options.one_of(on=on, year=year, model_year=model_year)
    if year is not None:
        return query.When.in_year(year)
    if model_year is not None:
        return query.When.in_model_year(model_year)
    return query.When.on(on or dates.today())


def _period(value: str, by_model_year: bool, name: str) -> query.When:
    """FROM or TO of `lineup diff`: a year or a date, or a model year."""
    if by_model_year:
        try:
            return query.When.in_model_year(options.model_year(value))
        except typer.BadParameter as e:  # read here, not by Typer: say which argument it is
            raise typer.BadParameter(e.message, param_hint=name) from None
    try:
        found = dates.parse(value)
    except ValueError:
        raise typer.BadParameter(f"{shorten(value)} is not a year or a date: {dates.FORMS}", param_hint=name) from None
    try:
        return query.When.during(options.taken(found, value))
    except typer.BadParameter as e:  # read here, not by Typer: say which argument it is
        raise typer.BadParameter(e.message, param_hint=name) from None
