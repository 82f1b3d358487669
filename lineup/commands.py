"""What commands do once their options are read, with no Typer in it: the Typer command line
(lineup.cli) and the quick way in for plain queries (lineup.quick) run the same code."""

import contextlib
import datetime as dt
import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lineup import countries, dates, load, query, render
from lineup.model import Body, Dataset, LineupError, Powertrain, shorten
from lineup.render import Color, Format

if TYPE_CHECKING:
    from lineup.cache import Cache


class OptionError(ValueError):
    """An option's value that does not fit the question: a usage error, which Typer explains."""

    def __init__(self, option: str | None, message: str) -> None:
        super().__init__(message)
        self.option = option


# --- options ----------------------------------------------------------------------


def path_of(value: str) -> Path:
    if not value.strip():  # Path("") would quietly mean the current folder
        raise OptionError(None, "an empty path")
    if "\x00" in value:
        raise OptionError(None, "a path cannot hold a NUL character")
    return Path(value)


def when(on: dt.date | None, year: int | None, model_year: int | None) -> query.When:
    given = [
        name for name, value in (("--on", on), ("--year", year), ("--model-year", model_year)) if value is not None
    ]
    if len(given) > 1:
        raise OptionError(given[1], f"{' and '.join(given)} ask different questions: use one")
    for name, value in (("--year", year), ("--model-year", model_year)):
        if value is not None and not dates.MIN_YEAR <= value <= dates.MAX_YEAR:
            raise OptionError(name, f"{value} is not a year")
    if year is not None:
        return query.When.in_year(year)
    if model_year is not None:
        return query.When.in_model_year(model_year)
    return query.When.on(on or dates.today())


def period(value: str, by_model_year: bool, name: str) -> query.When:
    """FROM or TO of `lineup diff`: a year or a date, or a model year."""
    if by_model_year:
        text = value.strip()
        if len(text) == 4 and text.isdigit() and int(text) >= dates.MIN_YEAR:
            return query.When.in_model_year(int(text))
        raise OptionError(name, f"{shorten(value)} is not a model year such as 2019")
    try:
        return query.When.during(dates.parse(value))
    except ValueError:
        raise OptionError(name, f"{shorten(value)} is not a year or a date: {dates.FORMS}") from None


def picked_columns(spec: str | None, available: tuple[str, ...]) -> list[str] | None:
    if spec is None:
        return None
    try:
        return render.parse_columns(spec, available)
    except ValueError as e:
        raise OptionError("--columns", str(e)) from None


# --- reading and writing ----------------------------------------------------------


def load_data(data: Sequence[Path] | None, no_cache: bool = False) -> Dataset:
    return load.load(load.data_paths(list(data) if data else None), cache_of(no_cache))


def cache_of(no_cache: bool) -> "Cache | None":
    """The cache, unless --no-cache or LINEUP_NO_CACHE says not to use it (or it cannot be had)."""
    from lineup import cache

    return None if no_cache or cache.disabled() else cache.Cache.open()


def markets_of(values: Sequence[str] | None) -> list[str]:
    return list(dict.fromkeys(countries.resolve(v) for v in values or ()))


def emit(table: render.Table, fmt: Format | None, picked: list[str] | None, color: Color) -> None:
    chosen = fmt or render.default_format(sys.stdout)
    shown = picked or render.default_columns(table, chosen)
    render.WRITERS[chosen](table, shown, sys.stdout, render.Style(sys.stdout.isatty(), color))


def note(message: str) -> None:
    sys.stderr.write(f"note: {render.visible(message)}\n")


def fail(message: str) -> None:
    sys.stderr.write(f"error: {render.visible(message)}\n")


def flush() -> None:
    """Write out what is left of the output, so that a failure to is found while lineup can still
    say so, not as Python exits."""
    sys.stdout.flush()


# What a write to a full, broken or closed output raises.
_WRITING = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EPIPE}


def _nothing_more_out() -> None:
    """Nothing more can be written where stdout goes: the rest, and Python's last flush, go nowhere."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def outcome(error: Exception) -> int:
    """The exit code of a command that raised `error`, what went wrong written on stderr."""
    if isinstance(error, LineupError):
        fail(str(error))
        return error.exit_code
    if isinstance(error, BrokenPipeError):  # the reader went away (`lineup show | head`)
        _nothing_more_out()
        return 141  # stop quietly, as `cat` does
    if isinstance(error, OSError) and error.errno in _WRITING:
        _nothing_more_out()
        fail(f"cannot write the output: {error.strerror or error}")
        return 1
    if isinstance(error, OSError):  # the system's, not lineup's: say it as it says it
        fail(f"{error.filename}: {error.strerror}" if error.filename else f"{error.strerror or error}")
        return 1
    if os.environ.get("LINEUP_DEBUG"):
        raise error
    fail(f"internal error: {type(error).__name__}: {error} (set LINEUP_DEBUG=1 for a traceback; please report it)")
    return 1


# --- commands ---------------------------------------------------------------------


def show(
    brand: str | None = None,
    market: Sequence[str] | None = None,
    on: dt.date | None = None,
    year: int | None = None,
    model_year: int | None = None,
    body: Sequence[Body] | None = None,
    exclude_body: Sequence[Body] | None = None,
    powertrain: Sequence[Powertrain] | None = None,
    origin: Sequence[str] | None = None,
    all_: bool = False,
    data: Sequence[Path] | None = None,
    no_cache: bool = False,
    fmt: Format | None = None,
    columns: str | None = None,
    color: Color = Color.auto,
) -> None:
    """`lineup show`; an OptionError before anything is read or written."""
    asked = when(on, year, model_year)
    picked = picked_columns(columns, render.SHOW_BY_MARKET if market else render.SHOW_BY_MODEL)
    markets = markets_of(market)
    filters = query.Filters(
        body=frozenset(body or ()),
        exclude_body=frozenset(exclude_body or ()),
        powertrain=frozenset(powertrain or ()),
        origin=frozenset(countries.resolve(o, "country") for o in origin or ()),
    )
    dataset = load_data(data, no_cache)
    chosen = [query.find_brand(dataset, brand)] if brand is not None else list(dataset.brands.values())
    brands = [b for b in chosen if filters.keeps_brand(b)]
    entries = query.lineup(brands, markets, asked, filters, others=all_, ref=on or dates.today())
    emit(render.show_table(entries, by_market=bool(markets)), fmt, picked, color)
    for text in query.scope_notes(brands, markets, one_brand=brand is not None):
        note(text)


def diff(
    brand: str,
    start: str,
    end: str,
    market: Sequence[str] | None = None,
    model_year: bool = False,
    on: dt.date | None = None,
    data: Sequence[Path] | None = None,
    no_cache: bool = False,
    fmt: Format | None = None,
    columns: str | None = None,
    color: Color = Color.auto,
) -> None:
    """`lineup diff`; an OptionError before anything is read or written."""
    from lineup import diffs

    a = period(start, model_year, "FROM")
    b = period(end, model_year, "TO")
    if diffs.overlap(a, b):
        raise OptionError("FROM TO", f"{shorten(start)} and {shorten(end)} overlap: compare times that do not")
    picked = picked_columns(columns, render.DIFF)
    markets = markets_of(market)
    found = query.find_brand(load_data(data, no_cache), brand)
    changes = diffs.diff(found, markets, a, b, on or dates.today())
    emit(render.diff_table(changes), fmt, picked, color)
    for text in query.scope_notes([found], markets, one_brand=True):
        note(text)


def rules(values: Sequence[str] | None, name: str) -> set[str]:
    from lineup.check import RULES

    unknown = [v for v in values or () if v not in RULES]
    if unknown:
        raise OptionError(name, f"unknown rule {unknown[0]!r}; rules: {', '.join(RULES)}")
    return set(values or ())


def check(
    paths: Sequence[Path] | None = None,
    strict: bool = False,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    data: Sequence[Path] | None = None,
    no_cache: bool = False,
    fmt: Format | None = None,
    columns: str | None = None,
    color: Color = Color.auto,
) -> int:
    """`lineup check`: its exit code; an OptionError before anything is read or written."""
    from lineup import check as checking

    if columns is not None and fmt is None:
        raise OptionError("--columns", "columns are for tables and data formats: give -f too")
    chosen = rules(select, "--select") or set(checking.RULES)
    chosen -= rules(ignore, "--ignore")
    if not chosen:
        raise OptionError("--ignore", "no rule is left to check")
    picked = picked_columns(columns, render.FINDINGS)
    files = load.expand([*(paths or ()), *(data or ())] or load.data_paths(None))
    report = checking.check(files, dates.today(), chosen, cache_of(no_cache))
    if fmt is None:
        for finding in report.findings:
            sys.stdout.write(render.visible(str(finding)) + "\n")
    elif report.findings or fmt in (Format.json, Format.jsonl):
        emit(render.findings_table(report.findings), fmt, picked, color)
    sys.stderr.write(report.summary() + "\n")
    return 1 if report.errors or report.hidden or (strict and report.warnings) else 0
