"""The timeline chart: one row per model, a bar for each stretch on sale; for a terminal, SVG or HTML."""

import datetime as dt
from collections.abc import Sequence

from lineup import countries, renames
from lineup.errors import LineupError
from lineup.model import Body, Brand, Model, Window, facts_of
from lineup.query import end_of, plans, start_of
from lineup.tables import Row as Cells
from lineup.tables import Table, years_sold
from lineup.text import shorten
from lineup.value import Value

# Okabe-Ito colours, which colour-blind readers tell apart, the most common body styles the most distinct.
COLOURS: dict[Body | None, str] = {
    Body.crossover: "#0072B2",  # blue
    Body.suv: "#E69F00",  # orange
    Body.sedan: "#009E73",  # bluish green
    Body.coupe: "#CC79A7",  # reddish purple
    Body.hatchback: "#56B4E9",  # sky blue
    Body.convertible: "#D55E00",  # vermilion
    Body.wagon: "#F0E442",  # yellow
    Body.minivan: "#999999",
    Body.van: "#555555",
    Body.pickup: "#000000",
    None: "#BBBBBB",  # body style unknown
}
CREDIT = "Source: lineup data"


class Bar(Value):
    """One window on sale, as drawn: clipped to the chart, and to the day asked while it is open.

    Coloured by the body style in force in it, and marked where a new generation or a new name starts."""

    __slots__ = ("start", "end", "open", "since_planned", "until_planned", "first_seen", "label", "body",
                 "generation", "model", "renamed", "cut")  # fmt: skip

    def __init__(
        self,
        start: dt.date,
        end: dt.date,
        open: bool,
        since_planned: bool,
        until_planned: bool,
        first_seen: bool,
        label: str,
        body: Body | None = None,
        generation: str | None = None,
        model: Model | None = None,
        renamed: bool = False,
        cut: bool = False,
    ) -> None:
        self.start = start
        self.end = end
        # On sale at its drawn end and after it (the day asked, or the chart's end): drawn with an arrow. Never
        # for a bar whose end is drawn as expected: faded already says the rest is to come.
        self.open = open
        self.since_planned = since_planned  # its launch is still a plan on the day asked: all of it is expected
        self.until_planned = until_planned  # an announced end: the part after the day asked is expected
        self.first_seen = first_seen  # only its first sighting is known, not its launch
        self.label = label  # the dates as the data gives them: "2017 to 2022-04"
        self.body = body  # the first body style in force in the window; None if unknown (or the brand's own)
        self.generation = generation  # the generation it starts, where it follows one of another generation
        self.model = model  # the model it is a window of; None: the brand's own presence
        self.renamed = renamed  # the first bar of a new name in a row of renames (the QX50 after the EX)
        self.cut = cut  # on sale before the chart's first day: drawn from the edge with a mark

    def planned_on(self, day: dt.date, on: dt.date) -> bool:
        """Whether the bar is expected on `day`, the chart's day being `on`."""
        return self.since_planned or (self.until_planned and day > on)

    @property
    def seen_first(self) -> bool:
        """Whether its start is drawn as a first sighting: only that is known, and it lies inside the chart."""
        return self.first_seen and not self.cut

    def expected_after(self, on: dt.date) -> bool:
        """Whether some of it is drawn as expected, the chart's day being `on`."""
        return self.since_planned or (self.until_planned and self.end > on)


class Row(Value):
    """A row of the chart: a model in a market (or a chain of its names) and its bars, or the brand's own stay."""

    __slots__ = ("label", "models", "market", "bars")

    def __init__(
        self,
        label: str,
        models: tuple[Model, ...],
        market: str,
        bars: tuple[Bar, ...],
    ) -> None:
        self.label = (
            label  # "Q50", "EX → QX50" for a chain of renames, "Q60 (2014-2018)" beside another Q60 (an en dash)
        )
        self.models = models  # the model, or each name of a renamed one in order; none: the brand itself
        self.market = market
        self.bars = bars

    @property
    def model(self) -> Model | None:
        """The model, or its latest name in a chain of renames; None for the brand's own row."""
        return self.models[-1] if self.models else None

    @property
    def body(self) -> Body | None:
        """The body style its label shows: its first bar's (a model with several is coloured by its first).

        None if unknown, or for the brand's own row."""
        return self.bars[0].body if self.bars else None


class Chart(Value):
    """What to draw: the rows, the years shown, the day that splits fact from plan, and the words around it."""

    __slots__ = ("title", "first", "last", "on", "rows", "subtitle", "credit", "highlight")

    def __init__(
        self,
        title: str,
        first: dt.date,
        last: dt.date,
        on: dt.date,
        rows: tuple[Row, ...],
        subtitle: str | None = None,
        credit: str = CREDIT,
        highlight: frozenset[str] = frozenset(),
    ) -> None:
        self.title = title
        self.first = first
        self.last = last
        self.on = on
        self.rows = rows
        self.subtitle = subtitle  # None: a picture says what it shows; a terminal says nothing
        self.credit = credit  # "Source: lineup data", with the credit a drawn window's source asks for
        self.highlight = highlight  # ids of the models that stand out; none: every row alike

    @property
    def days(self) -> int:
        """The number of days the chart spans."""
        return (self.last - self.first).days + 1

    @property
    def markets(self) -> list[str]:
        """The markets of the rows, in order, each once."""
        return list(dict.fromkeys(row.market for row in self.rows))

    def bodies(self) -> list[Body | None]:
        """The body styles the bars are coloured by, in the legend's order (the brand's own rows aside)."""
        used = {bar.body for row in self.rows if row.model is not None for bar in row.bars}
        return [body for body in COLOURS if body in used]

    def drawn(self, mark: str) -> bool:
        """Whether a bar shows the mark the legend would explain: expected, first_seen, open, cut, renamed,
        generation, or brand (a row of the brand's own stay)."""
        if mark == "brand":
            return any(row.model is None for row in self.rows)
        bars = [bar for row in self.rows for bar in row.bars]
        if mark == "expected":
            return any(bar.expected_after(self.on) for bar in bars)
        if mark == "first_seen":
            return any(bar.seen_first for bar in bars)
        return any(getattr(bar, mark) for bar in bars)

    def recedes(self, row: Row) -> bool:
        """Whether the row is drawn faint, for others stand out (--highlight)."""
        return bool(self.highlight) and not any(model.id in self.highlight for model in row.models)

    def shows(self, day: dt.date) -> bool:
        """Whether `day` is in the years shown."""
        return self.first <= day <= self.last


def chart(
    brand: Brand, markets: Sequence[str], on: dt.date, start_year: int | None = None, end_year: int | None = None
) -> Chart:
    """Lay out a brand's timeline in `markets` (all of the brand's if none) between two years."""
    chosen = list(markets) or sorted(brand.markets)
    found = [
        (brand.models[model_id], market, window)
        for market in chosen
        for model_id, windows in brand.markets.get(market, {}).items()
        for window in windows
    ]
    years = [w.start.year for _, _, w in found] + [e.year for _, _, w in found if (e := w.end) is not None]
    first_year = start_year if start_year is not None else min(years, default=on.year)
    last_year = end_year if end_year is not None else max([*years, on.year, first_year])
    first, last = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    rows, sources = [], []
    for market in chosen:
        stays = [bar for w in brand.presence.get(market, ()) if (bar := _bar(w, on, first, last)) is not None]
        if stays:
            rows.append(Row(f"{brand.name} itself", (), market, tuple(stays)))
        drawn = [(m, w) for m, where, w in found if where == market and _bar(w, on, first, last) is not None]
        sources += [source for _, w in drawn for source in w.sources]
        rows += _model_rows(brand, market, list(dict.fromkeys(m.id for m, _ in drawn)), on, first, last)
    rows.sort(key=lambda r: (chosen.index(r.market), r.model is not None, r.bars[0].start, r.label))
    span = f"{first_year}" if first_year == last_year else f"{first_year}\N{EN DASH}{last_year}"
    title = f"{brand.name} in {_places(chosen)}, {span}"
    return Chart(title, first, last, on, tuple(_told_apart(brand, rows)), credit=credit_for(sources))


def _model_rows(brand: Brand, market: str, ids: list[str], on: dt.date, first: dt.date, last: dt.date) -> list[Row]:
    """A market's rows: one per model, or per chain of the names of a renamed model, its bars in order."""
    rows = []
    for chain in renames.chains(brand, market, ids):
        bars: list[Bar] = []
        for model_id in chain:
            model, generation, named = brand.models[model_id], None, False
            for n, window in enumerate(brand.markets[market][model_id]):
                facts = facts_of(model, window)
                fresh = facts.generation if n and facts.generation != generation else None
                generation = facts.generation
                bar = _bar(window, on, first, last, facts.body[0] if facts.body else None, fresh)
                if bar is not None:
                    bars.append(bar._replace(model=model, renamed=bool(bars) and not named))
                    named = True
        models = tuple(dict.fromkeys(bar.model for bar in bars if bar.model is not None))
        rows.append(Row(" \N{RIGHTWARDS ARROW} ".join(m.name for m in models), models, market, tuple(bars)))
    return rows


def _told_apart(brand: Brand, rows: list[Row]) -> list[Row]:
    """The rows, those of one label but another model (the Q60 of 2014 and that of 2017) with their years."""
    models: dict[str, set[tuple[str, ...]]] = {}
    for row in rows:
        models.setdefault(row.label, set()).add(tuple(m.id for m in row.models))
    return [row._replace(label=f"{row.label} ({_years(brand, row.models)})") if len(models[row.label]) > 1 else row
            for row in rows]  # fmt: skip


def _years(brand: Brand, models: tuple[Model, ...]) -> str:
    """The calendar years the models were on sale, as a picture prints them: `2014\N{EN DASH}2018`."""
    return (years_sold(brand, models, calendar=True) or "").replace("-", "\N{EN DASH}")


def _bar(
    window: Window, on: dt.date, first: dt.date, last: dt.date, body: Body | None = None, generation: str | None = None
) -> Bar | None:
    """A window as a bar clipped to the years shown; None if it lies outside them."""
    since_planned, until_planned = plans(window, on)
    end = window.end if window.end is not None else max(on, window.start)  # open: as far as known
    if window.start > last or end < first:
        return None
    span = f"{start_of(window)} to {end_of(window) or 'now'}"
    drawn_end = min(end, last)
    expected_end = since_planned or (until_planned and drawn_end > on)
    is_open = (window.end is None or end > last) and not expected_end
    return Bar(max(window.start, first), drawn_end, is_open, since_planned, until_planned, window.first_seen,
               span, body, generation, cut=window.start < first)  # fmt: skip


# Credits that a source asks for wherever what rests on it is shown, by a part of the source's address.
CREDITS = {"github.com/abhionlyone/us-car-models-data": "US model-year list \N{COPYRIGHT SIGN} abhionlyone, CC BY 4.0"}


def credit_for(sources: Sequence[str]) -> str:
    """The credit line of a chart drawn from windows with these sources."""
    owed = [credit for key, credit in CREDITS.items() if any(key in source for source in sources)]
    return "; ".join([CREDIT, *owed])


def dress(chart: Chart, title: str | None, subtitle: str | None, credit: str | None, highlight: Sequence[str]) -> Chart:
    """The chart with an editor's title, subtitle, credit and models to stand out (ids or names of models drawn)."""
    picked = set()
    for text in highlight:
        key = text.casefold()
        drawn_models = [m for row in chart.rows for m in row.models]
        # An id wins over a name, as everywhere (`q60` is not `q60-2013`); a name picks every model of that name.
        found = [m for m in drawn_models if m.id == key] or [m for m in drawn_models if m.name.casefold() == key]
        if not found:
            drawn = ", ".join(dict.fromkeys(m.name for row in chart.rows for m in row.models)) or "none"
            raise LineupError(f"--highlight {shorten(text)}: no such model in this chart; its models: {drawn}")
        picked |= {m.id for m in found}
    return chart._replace(
        title=chart.title if title is None else title,
        subtitle=subtitle,
        credit=chart.credit if credit is None else credit,
        highlight=frozenset(picked),
    )


def body_name(body: Body | None) -> str:
    """A body style as a legend names it."""
    return body.value if body is not None else "unknown"


def _places(codes: Sequence[str]) -> str:
    named = [countries.the(code) for code in codes[:4]]
    more = f" and {len(codes) - 4} more" if len(codes) > 4 else ""
    if len(named) > 1 and not more:
        return ", ".join(named[:-1]) + " and " + named[-1]
    return ", ".join(named) + more


def year_step(chart: Chart, slots: float) -> int:
    """Years between labels, so that about `slots` labels fit."""
    years = chart.last.year - chart.first.year + 1
    return next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000) if years / s <= slots)


# --- as rows ------------------------------------------------------------------------------------

BARS = (
    "model", "market", "body", "start", "end", "expected", "end_expected", "open", "first_seen", "dates",
    "generation", "model_id", "country", "row", "cut", "renamed",
)  # fmt: skip


def table(chart: Chart) -> Table:
    """The chart's bars as rows, for the machine formats; expected means as in `lineup show`.

    `model` is the bar's model's name (the brand's own stay: the row's label), `row` the label of the row it is
    drawn in (`EX → QX50`)."""
    rows: tuple[Cells, ...] = tuple(
        {
            "model": bar.model.name if bar.model is not None else row.label,
            "market": row.market,
            "body": body_name(bar.body) if bar.model is not None else None,
            "start": bar.start.isoformat(),
            "end": bar.end.isoformat(),
            "expected": bar.since_planned,
            "end_expected": bar.until_planned,
            "open": bar.open,
            "first_seen": bar.first_seen,
            "dates": bar.label,
            "model_id": bar.model.id if bar.model is not None else None,
            "generation": bar.generation,
            "country": countries.name(row.market),
            "row": row.label,
            "cut": bar.cut,
            "renamed": bar.renamed,
        }
        for row in chart.rows
        for bar in row.bars
    )
    return Table(BARS, ("model", "market", "body", "start", "end", "expected", "open"), rows)
