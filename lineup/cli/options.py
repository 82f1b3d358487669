"""The options and arguments lineup's commands share, each declared once, and what reads every value a
command line gives: a command's signature names the ones it takes. A value that is not one is a usage
error (exit 2)."""

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from lineup import dates, load
from lineup.cli import output
from lineup.formats import Color, Format
from lineup.load import cache
from lineup.model import Body, Brand, Dataset, Powertrain
from lineup.text import did_you_mean, shorten
from lineup.value import Value

# --- what reads a value -------------------------------------------------------------------


def path(value: str) -> Path:
    """A path a user typed: not empty (Path("") would quietly mean this folder), no NUL."""
    if not value.strip():
        raise typer.BadParameter("an empty path")
    if "\x00" in value:
        raise typer.BadParameter("a path cannot hold a NUL character")
    return Path(value)


def file(value: str) -> Path:
    """A file to write: a path that does not name a folder (or `-`, standard output)."""
    found = path(value)
    if value != "-" and (not found.name or found.is_dir()):
        raise typer.BadParameter(f"{shorten(value)} is not a file name")
    return found


# The years lineup takes on a command line: from the first car sold (Benz's Patent-Motorwagen, 1886) to
# 50 years from today. A year outside is a typo (`--year 22`, `--year 2202`), not a question.
FIRST_YEAR = 1886
YEARS_AHEAD = 50


def plausible(year: int, subject: str) -> None:
    """Refuse a year no lineup is in; `subject` says what it is (`22 is not a year lineup takes`)."""
    last = dates.today().year + YEARS_AHEAD
    if not FIRST_YEAR <= year <= last:
        raise typer.BadParameter(
            f"{subject}: years run from {FIRST_YEAR} (the first car) to {last} ({YEARS_AHEAD} years from today)"
        )


def taken(found: dates.PartialDate, value: str) -> dates.PartialDate:
    """A date read from the command line, refused if its year is not one lineup takes."""
    plausible(found.year, f"{shorten(value)} is in {found.year}, not a year lineup takes")
    return found


def day(value: str) -> dt.date:
    """One day: YYYY-MM-DD, `today` or `yesterday`."""
    try:
        found = dates.parse_day(value)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    return taken(dates.PartialDate.day(found), value).first


def date(value: str) -> dates.PartialDate:
    """A date at any precision: 2022, 2022-H2, 2022-Q3, 2022-04, 2022-04-15, `today` or `yesterday`."""
    word = dates.day_word(value)
    if word is not None:
        return dates.PartialDate.day(word)
    try:
        return taken(dates.parse(value), value)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None


def year(value: str) -> int:
    """A calendar year lineup takes: 1886 to 50 years from today."""
    return _year(value, "year")


def model_year(value: str) -> int:
    """A model year lineup takes: 1886 to 50 years from today."""
    return _year(value, "model year")


def _year(value: str, kind: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise typer.BadParameter(f"{shorten(value)} is not a {kind}") from None
    plausible(number, f"{number} is not a {kind} lineup takes")
    return number


class Years(Value):
    """A model-year range as given (Typer takes a class, not a tuple, from a parser)."""

    __slots__ = ("span",)

    def __init__(
        self,
        span: tuple[int, int | None],
    ) -> None:
        self.span = span


def years(value: str) -> Years:
    """Model years: 2023, 2019-2023, or 2019- while open."""
    try:
        span = dates.parse_years(value)
    except ValueError as e:
        raise typer.BadParameter(str(e).replace(dates.YEARS_FORMS, "2023, 2019-2023, or 2019- while open")) from None
    for one in (y for y in span if y is not None):
        plausible(one, f"{shorten(value)} holds {one}, not a model year lineup takes")
    return Years(span)


def text(value: str) -> str:
    """Text that says something."""
    if not value.strip():
        raise typer.BadParameter("empty text")
    return value


# --- completion from the data: imported when the shell asks ---------------------------------


def complete_of(kind: str) -> Callable[[typer.Context, str], list[tuple[str, str]]]:
    def offer(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from lineup import complete  # only completion needs it

        found: list[tuple[str, str]] = getattr(complete, kind)(ctx, incomplete)
        return found

    return offer


# --- the options ---------------------------------------------------------------------------


def format_option(help: str) -> Any:
    """-f/--format, taking an output format in any case; commands differ in what its absence means."""
    return typer.Option("-f", "--format", case_sensitive=False, show_default=False, help=help)


def body_option(flag: str, help: str) -> Any:
    """A repeatable option taking body styles, in any case."""
    return typer.Option(flag, case_sensitive=False, metavar="STYLE", show_default=False, help=help)


def text_option(flag: str, metavar: str, help: str) -> Any:
    """An option taking text that says something (not empty, not only spaces)."""
    return typer.Option(flag, parser=text, metavar=metavar, show_default=False, help=help)


def origin_option(help: str) -> Any:
    """--origin, taking a country's ISO code or name (resolved where it is used)."""
    return typer.Option("--origin", metavar="COUNTRY", show_default=False, help=help)


def powertrain_option(help: str, flag: str = "--powertrain") -> Any:
    """A repeatable option taking powertrains, in any case."""
    return typer.Option(flag, case_sensitive=False, metavar="KIND", show_default=False, help=help)


DataOption = Annotated[
    list[Path] | None,
    typer.Option("--data", parser=path, metavar="PATH", show_default=False,
                 help="Data file or folder of *.toml (repeatable). Default: $LINEUP_DATA, else the embedded dataset."),
]  # fmt: skip
EditDataOption = Annotated[
    list[Path] | None,
    typer.Option("--data", parser=path, metavar="PATH", show_default=False,
                 help="Data file or folder of *.toml to edit (repeatable). Default: $LINEUP_DATA."),
]  # fmt: skip
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Read the data files themselves, not the cache (also: LINEUP_NO_CACHE=1).")
]
FormatOption = Annotated[Format | None, format_option("Output format. Default: table on a terminal, else tsv.")]
ColumnsOption = Annotated[
    str | None,
    typer.Option("--columns", metavar="A,B", show_default=False,
                 help="Columns to print, in this order (see --format json for all)."),
]  # fmt: skip
ColorOption = Annotated[
    Color,
    typer.Option("--color", case_sensitive=False, help="Colour in tables (NO_COLOR and FORCE_COLOR are honoured)."),
]
QuietOption = Annotated[
    bool,
    typer.Option("-q", "--quiet", callback=lambda quiet: output.hush(quiet),
                 help="No notes on stderr (what the answer covers, what was written): errors only."),
]  # fmt: skip
MarketsOption = Annotated[
    list[str] | None,
    typer.Option("-m", "--market", metavar="MARKET", show_default=False, autocompletion=complete_of("markets"),
                 help="Market: ISO code or country name, e.g. TW, taiwan (repeatable)."),
]  # fmt: skip
MarketOption = Annotated[
    str,
    typer.Option("-m", "--market", metavar="MARKET", autocompletion=complete_of("markets"),
                 help="Market: ISO code or country name, e.g. TW, taiwan."),
]  # fmt: skip
OnOption = Annotated[
    dt.date | None,
    typer.Option("--on", parser=day, metavar="DATE", show_default=False,
                 help="On this day: YYYY-MM-DD, today or yesterday. Default: today."),
]  # fmt: skip
AsOfOption = Annotated[
    dt.date | None,
    typer.Option("--as-of", parser=day, metavar="DATE", show_default=False,
                 help="Answer as the sources had it on this day (YYYY-MM-DD, today or yesterday): what was still "
                      "to come then is expected, or unknown if not yet announced. Default: today."),
]  # fmt: skip
YearOption = Annotated[
    int | None,
    typer.Option("--year", parser=year, metavar="YYYY", show_default=False, help="At any time in this calendar year."),
]  # fmt: skip
ModelYearOption = Annotated[
    int | None,
    typer.Option("--model-year", parser=model_year, metavar="YYYY", show_default=False,
                 help="In this model year (calendar years stand in where none are given)."),
]  # fmt: skip
SvgOption = Annotated[
    Path | None,
    typer.Option("--svg", parser=file, metavar="FILE", show_default=False, help="Write the chart as SVG to FILE."),
]
HtmlOption = Annotated[
    Path | None,
    typer.Option("--html", parser=file, metavar="FILE", show_default=False, help="Write the chart as a web page."),
]
BrandArgument = Annotated[
    str,
    typer.Argument(metavar="BRAND", show_default=False, autocompletion=complete_of("brands"),
                   help="Brand id or name, e.g. infiniti."),
]  # fmt: skip
SomeBrandArgument = Annotated[
    str | None,
    typer.Argument(metavar="[BRAND]", show_default=False, autocompletion=complete_of("brands"),
                   help="Brand id or name; every brand if omitted."),
]  # fmt: skip
ModelArgument = Annotated[
    str,
    typer.Argument(metavar="MODEL", show_default=False, autocompletion=complete_of("models"),
                   help="Model id or name, e.g. q60."),
]  # fmt: skip
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(metavar="[PATH]...", parser=path, show_default=False,
                   help="Files or folders. Default: the data the other commands read."),
]  # fmt: skip
NoteOption = Annotated[str | None, text_option("--note", "TEXT", "A note on the window.")]
SourceOption = Annotated[
    list[str] | None,
    text_option("--source", "URL", "Where the fact comes from (repeatable)."),
]  # fmt: skip
MarketNameOption = Annotated[
    str | None,
    text_option("--market-name", "NAME",
                "The name the market uses for the model in this window, where it differs (Q50L)."),
]  # fmt: skip
GenerationOption = Annotated[
    str | None,
    text_option("--generation", "TEXT", "The model's generation in this window, e.g. 2."),
]  # fmt: skip
AllowInvisibleOption = Annotated[
    bool,
    typer.Option("--allow-invisible",
                 help="Write text that holds a control, invisible or reordering character (refused otherwise)."),
]  # fmt: skip
ModelYearsOption = Annotated[
    Years | None,
    typer.Option("--model-years", parser=years, metavar="A-B", show_default=False,
                 help="Model years: 2023, 2019-2023, or 2019- while open."),
]  # fmt: skip
SinceOption = Annotated[
    dates.PartialDate | None,
    typer.Option("--since", parser=date, metavar="DATE", show_default=False,
                 help="The launch: 2022, 2022-H2, 2022-03..."),
]  # fmt: skip
_until = typer.Option("--until", parser=date, metavar="DATE", show_default=False,
                      help="The last day on sale, at any precision.")  # fmt: skip
UntilOption = Annotated[dates.PartialDate | None, _until]
RequiredUntilOption = Annotated[dates.PartialDate, _until]  # drop's: with no default, Typer requires it


BODY_STYLES = ", ".join(Body)
POWERTRAINS = ", ".join(Powertrain)


# --- values that depend on one another, read in the command: usage errors all the same ------------


def columns(spec: str | None, available: Sequence[str]) -> list[str] | None:
    """--columns checked against the columns of the table asked for."""
    if spec is None:
        return None
    picked = [c.strip() for c in spec.split(",") if c.strip()]
    unknown = [c for c in picked if c not in available]
    if unknown:
        hint = did_you_mean(unknown[0], available)
        raise typer.BadParameter(f"unknown column {shorten(unknown[0])}{hint}; columns: {', '.join(available)}",
                                 param_hint="--columns")  # fmt: skip
    if not picked:
        raise typer.BadParameter(f"no columns given; columns: {', '.join(available)}", param_hint="--columns")
    return picked


def one_of(**given: Any) -> None:
    """At most one of these options (by their names as typed: on="--on"): each asks a different question."""
    named = [name for name, value in given.items() if value is not None]
    if len(named) > 1:
        flags = [f"--{name.replace('_', '-')}" for name in named]
        raise typer.BadParameter(f"{' and '.join(flags)} ask different questions: use one", param_hint=flags[1])


def markets(values: Sequence[str] | None, dataset: Dataset) -> list[str]:
    """The market codes -m names (a code, a country's name, or a region the data defines), each once."""
    from lineup import query  # only the commands that ask about markets need it

    return query.markets(values or (), dataset.regions)


def known(brand: Brand, as_of: dt.date | None) -> Brand:
    """The brand as its sources had it on --as-of (default today)."""
    from lineup import query  # only the commands that answer questions need it

    today = dates.today()
    return query.as_known(brand, as_of or today, today)


def store(no_cache: bool) -> cache.Cache | None:
    """The cache, unless --no-cache or LINEUP_NO_CACHE says not to; None then, or if it cannot be had."""
    return None if no_cache or cache.disabled() else cache.Cache.open()


def dataset(data: Sequence[Path] | None, no_cache: bool, brand: str | None = None) -> Dataset:
    """The data --data names, else $LINEUP_DATA, else the embedded dataset.

    Read through the cache unless --no-cache or LINEUP_NO_CACHE says not to; with `brand`, that brand is the one
    held ready."""
    named = load.named(brand) if brand else None
    return load.load(load.data_paths(list(data) if data else None), store(no_cache), named)
