"""Answers as tables: rows of named values, with the columns each kind of answer has and those a
person sees by default; and each value as text and as JSON."""

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from lineup import countries
from lineup.dates import PartialDate
from lineup.model import Brand, Coverage, Dataset, Model, Window
from lineup.query import Entry, Status, end_of, start_of
from lineup.value import Value

if TYPE_CHECKING:
    from lineup.diffs import Difference

# Plans read differently from facts, and what has left recedes.
ROW_STYLES = {Status.expected.value: "italic", Status.left.value: "dim", Status.earlier.value: "dim"}


class Years(Value):
    """A model-year range; `last` is None while it is open."""

    __slots__ = ("first", "last")

    def __init__(
        self,
        first: int,
        last: int | None,
    ) -> None:
        self.first = first
        self.last = last

    def __str__(self) -> str:
        if self.last == self.first:
            return str(self.first)
        return f"{self.first}-{self.last if self.last is not None else ''}"


class Start(Value):
    """A window's start; `first_seen` when only the first date seen on sale is known."""

    __slots__ = ("date", "first_seen")

    def __init__(
        self,
        date: PartialDate,
        first_seen: bool,
    ) -> None:
        self.date = date
        self.first_seen = first_seen

    def __str__(self) -> str:
        return f"by {self.date}" if self.first_seen else str(self.date)


class End(Value):
    """A window's end; `planned` when it is still a plan on the day asked (an announced end)."""

    __slots__ = ("date", "planned")

    def __init__(
        self,
        date: PartialDate,
        planned: bool,
    ) -> None:
        self.date = date
        self.planned = planned

    def __str__(self) -> str:
        return f"{self.date} (expected)" if self.planned else str(self.date)


class Number(Value):
    """A count of units (`2,792` for people), a change (`-44.6%`) or a share (`29.0%`); plain for programs."""

    __slots__ = ("value", "unit", "versus")

    def __init__(self, value: float, unit: str = "", versus: str | None = None) -> None:
        self.value = value
        self.unit = unit  # "" for a count, "change" or "share" for percent
        self.versus = versus  # for people: the period a change a source reports compares with

    def __str__(self) -> str:
        if self.unit == "change":
            return f"{self.value:+.1f}%" + (f" vs {self.versus}" if self.versus else "")
        return f"{self.value:.1f}%" if self.unit == "share" else f"{self.value:,}"


class Name(Value):
    """A model's name; for people, with the years it was sold where another model of the brand has the same name."""

    __slots__ = ("name", "years")

    def __init__(self, name: str, years: str | None = None) -> None:
        self.name = name
        self.years = years  # `2014-2015`, `2017-`: tells apart the old and new Q60 in a table for people

    def __str__(self) -> str:
        return f"{self.name} ({self.years})" if self.years else self.name

    def __lt__(self, other: "Name") -> bool:
        return str(self) < str(other)


Cell = str | int | bool | None | PartialDate | Years | Start | End | Number | Name | tuple[str | Name, ...]
Row = Mapping[str, Cell]


class Table(Value):
    """Rows of named values.

    `columns` are all the columns, in order; `shown` are those a person sees by default (JSON, for programs, gets
    every column). A table for people gives each row its style (`styles`) and rules off each `group`."""

    __slots__ = ("columns", "shown", "rows", "styles", "group")

    def __init__(
        self,
        columns: tuple[str, ...],
        shown: tuple[str, ...],
        rows: tuple[Row, ...],
        styles: tuple[str | None, ...] = (),
        group: str | None = None,
    ) -> None:
        self.columns = columns
        self.shown = shown
        self.rows = rows
        self.styles = styles
        self.group = group


# --- the answers as tables -------------------------------------------------------

# Every column of each kind of table, in order; JSON gives all of them.
SHOW_BY_MARKET = (
    "brand", "model", "status", "market", "body", "powertrain", "since", "until", "model_years",
    "expected", "end_expected", "first_seen", "generation", "note", "sources", "brand_id", "model_id", "country",
)  # fmt: skip
SHOW_BY_MODEL = (
    "brand", "model", "status", "body", "powertrain", "markets", "expected", "later", "left", "brand_id", "model_id",
)  # fmt: skip
BRANDS = ("id", "name", "parent", "origin", "models", "markets", "presence")
MARKETS = ("market", "country", "brand", "models", "entered", "left", "complete", "coverage", "note", "brand_id")


class Names:
    """Models' names as cells, with the years added where a brand has two models of one name (the old and new Q60)."""

    def __init__(self) -> None:
        self._shared: dict[str, set[str]] = {}  # brand id -> names that more than one model has

    def __call__(self, brand: Brand, model: Model, name: str | None = None) -> Name:
        """The model's name, or the `name` a market uses for it."""
        shared = self._shared.get(brand.id)
        if shared is None:
            counts = Counter(m.name for m in brand.models.values())
            shared = self._shared[brand.id] = {name for name, n in counts.items() if n > 1}
        if name is not None and name != model.name:
            return Name(name)
        return Name(model.name, years_sold(brand, [model]) if model.name in shared else None)


def years_sold(brand: Brand, models: Sequence[Model], calendar: bool = False) -> str | None:
    """From the first year the models were on sale in any market to the last (`2014-2015`, `2017-` while on sale):
    model years, or with `calendar`, calendar years."""
    ids = {model.id for model in models}
    windows = [w for entries in brand.markets.values() for key, ws in entries.items() if key in ids for w in ws]
    if not windows:
        return None
    if calendar:
        first, ends = min(w.start.year for w in windows), [None if w.end is None else w.end.year for w in windows]
    else:
        first, ends = min(w.first_model_year for w in windows), [w.last_model_year for w in windows]
    return str(Years(first, None if None in ends else max(e for e in ends if e is not None)))


def show_table(entries: Sequence[Entry], by_market: bool, markets: Sequence[str] = ()) -> Table:
    """`lineup show`: a row per model and market, or per model with its markets.

    With several `markets` asked (a region's, say), each market's rows come together, in the order asked."""
    by_market_first = len(markets) > 1
    if by_market:
        shown: tuple[str, ...] = ("brand", "model", "status", "market", "body", "since", "until", "model_years")
        names = Names()
        ordered = sorted(entries, key=lambda e: markets.index(e.market)) if by_market_first else entries
        rows = tuple(market_row(entry, names(entry.brand, entry.model, entry.facts.name)) for entry in ordered)
    else:
        shown = ("brand", "model", "status", "body", "markets", "expected", "later", "left")
        rows = _model_rows(entries)
    styles = tuple(ROW_STYLES.get(str(row["status"])) for row in rows)
    group = "market" if by_market and by_market_first else None
    return Table(SHOW_BY_MARKET if by_market else SHOW_BY_MODEL, shown, rows, styles, group=group)


def market_row(entry: Entry, name: "Name | str") -> Row:
    window = entry.window
    years = window.model_years
    return {
        "brand": entry.brand.name,
        "model": name,
        "market": entry.market,
        "body": tuple(entry.facts.body or ()),
        "powertrain": tuple(entry.facts.powertrain or ()),
        "generation": entry.facts.generation,
        "since": Start(window.since, window.first_seen) if window.since else None,
        "until": End(window.until, entry.until_planned) if window.until else None,
        "model_years": Years(*years) if years else None,
        "status": str(entry.status),
        "expected": entry.since_planned,
        "end_expected": entry.until_planned,
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
    names = Names()
    for group in grouped.values():
        first = group[0]
        selling = tuple(e.market for e in group if e.status is Status.on_sale)
        coming = tuple(f"{e.market} {start_of(e.window)}" for e in group if e.status is Status.expected)
        later = tuple(f"{e.market} {start_of(e.window)}" for e in group if e.status is Status.later)
        left = tuple(f"{e.market} {end_of(e.window)}" for e in group if e.status is Status.left
                     and not any(o.market == e.market and o.status is not Status.left for o in group))  # fmt: skip
        status = (Status.on_sale if selling else Status.expected if coming else Status.later if later
                  else Status.left)  # fmt: skip
        rows.append(
            {
                "brand": first.brand.name,
                "model": names(first.brand, first.model),
                "body": tuple(dict.fromkeys(b for e in group for b in e.facts.body or ())),
                "powertrain": tuple(dict.fromkeys(p for e in group for p in e.facts.powertrain or ())),
                "markets": selling,
                "status": str(status),
                "expected": coming,
                "later": later,
                "left": left,
                "brand_id": first.brand.id,
                "model_id": first.model.id,
            }
        )
    return tuple(rows)


DIFF = (
    "market", "change", "model", "what", "date", "expected", "replaces", "sources", "note", "other_date",
    "brand", "brand_id", "model_id", "country",
)  # fmt: skip


def diff_table(changes: Sequence["Difference"], with_brand: bool = False) -> Table:
    """`lineup diff`: a row per change, grouped by market; `with_brand`, the brand of each too.

    A change of the brand's own presence has no model; an `unknown` one has the note of the coverage that makes it
    so."""
    names = Names()
    rows = tuple(
        {
            "market": d.market,
            "change": str(d.change),
            "model": names(d.brand, d.model) if d.model is not None else None,
            "what": d.what if d.model is not None else f"{d.brand.name} itself",
            "date": str(d.date),
            "sources": d.window.sources,
            "note": _unknown_note(d) if d.coverage is not None else d.window.note,
            "expected": d.expected,
            "other_date": str(d.other) if d.other is not None else None,
            "replaces": tuple(names(d.brand, m) for m in d.replaces),
            "brand": d.brand.name,
            "brand_id": d.brand.id,
            "model_id": d.model.id if d.model is not None else None,
            "country": countries.name(d.market),
        }
        for d in changes
    )
    styles = tuple("italic" if row["expected"] or row["change"] == "unknown" else None for row in rows)
    shown = ("market", *(("brand",) if with_brand else ()), "change", "model", "what", "date", "expected",
             "replaces", "sources")  # fmt: skip
    return Table(DIFF, shown, rows, styles, group="market")


def _unknown_note(d: "Difference") -> str:
    coverage = d.coverage
    assert coverage is not None
    said = f": {coverage.note}" if coverage.note else ""
    return f"the data's coverage of {d.brand.name} in {d.market} is partial there, so it may only be missing{said}"


FINDINGS = ("file", "line", "column", "severity", "message", "rule")


def findings_table(findings: Sequence[Any]) -> Table:
    """`lineup check`: a row per problem."""
    rows = tuple({c: getattr(f, c) for c in FINDINGS} for f in findings)
    styles = tuple("bold" if f.severity == "error" else None for f in findings)
    return Table(FINDINGS, FINDINGS, rows, styles)


def brands_table(dataset: Dataset) -> Table:
    """`lineup brands`: what the data holds, a brand a row, with where the brand itself was and when."""
    rows = tuple(
        {
            "id": b.id,
            "name": b.name,
            "parent": b.parent,
            "origin": b.origin,
            "models": len(b.models),
            "markets": tuple(b.markets),
            "presence": tuple(f"{code} {_stay(w)}" for code, stays in b.presence.items() for w in stays),
        }
        for b in dataset.brands.values()
    )
    return Table(BRANDS, BRANDS, rows)


def _stay(window: Window) -> str:
    """A brand's stay in a market: `2011-03 to 2018-05`, or `since 1989-11`."""
    return f"{window.since} to {window.until}" if window.until else f"since {window.since}"


def markets_table(brands: Sequence[Brand], one_brand: bool) -> Table:
    """`lineup markets`.

    A row per brand and market the data covers (its models there, or its own presence), with when the brand entered
    and left, and what the data claims of its lineup there."""
    rows: list[Row] = []
    for b in brands:
        for code in sorted({*b.markets, *b.presence, *b.coverage}):
            stays = b.presence.get(code, ())
            stretches = b.coverage.get(code, ())
            rows.append(
                {
                    "market": code,
                    "country": countries.name(code),
                    "brand": b.name,
                    "models": len(b.markets.get(code, ())),
                    "entered": str(stays[0].since) if stays else None,
                    "left": str(stays[-1].until) if stays and stays[-1].until else None,
                    "complete": b.is_complete(code),
                    "coverage": tuple(_stretch(c) for c in stretches if c.dated),
                    "note": "; ".join(c.note for c in stretches if c.note and not c.dated) or None,
                    "brand_id": b.id,
                }
            )
    rows.sort(key=lambda row: (str(row["market"]), str(row["brand_id"])))
    shown = ("market", "country", "models", "entered", "left", "complete", "coverage", "note")
    return Table(MARKETS, shown if one_brand else ("market", "brand", *shown[2:]), tuple(rows))


def _stretch(c: Coverage) -> str:
    """A dated stretch of coverage as a person reads it: `MY2023-2026 partial`."""
    if c.model_years is not None:
        first, last = c.model_years
        span = f"MY{first}" if first == last else f"MY{first}-{last if last is not None else ''}"
    else:
        span = f"{c.since or ''}..{c.until or ''}"
    return f"{span} {'complete' if c.complete else 'partial'}"


def text_of(value: Cell, separator: str = ", ") -> str:
    """A cell as text for people; lists joined with `separator`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return separator.join(map(str, value))
    return str(value)


def json_of(value: Cell) -> object:
    """A cell as a JSON value; dates as their text."""
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, Start | End):
        return str(value.date)
    if isinstance(value, Years):
        return [value.first, value.last]
    if isinstance(value, Number):
        return value.value
    if isinstance(value, Name):
        return value.name
    if isinstance(value, tuple):
        return [v.name if isinstance(v, Name) else v for v in value]
    return value
