"""lineup's values: brands, models, windows on sale, regions. Immutable, and cheap to make, which
start-up and large data sets both need."""

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum

from lineup.dates import PartialDate, Period
from lineup.text import KeyPath
from lineup.value import EMPTY, Value


class Body(StrEnum):
    """A body style."""

    sedan = "sedan"
    coupe = "coupe"
    convertible = "convertible"
    hatchback = "hatchback"
    wagon = "wagon"
    suv = "suv"
    crossover = "crossover"
    minivan = "minivan"
    van = "van"
    pickup = "pickup"


class Powertrain(StrEnum):
    """A powertrain: combustion, diesel, hybrid, plug-in hybrid, battery or fuel-cell electric."""

    ice = "ice"
    diesel = "diesel"
    hybrid = "hybrid"
    phev = "phev"
    bev = "bev"
    fcev = "fcev"


class Place(Value):
    """Where a value is written: a file and a key path in it."""

    __slots__ = ("file", "key")

    def __init__(
        self,
        file: str,
        key: KeyPath,
    ) -> None:
        self.file = file
        self.key = key

    def at(self, *keys: str | int) -> "Place":
        """The place of a key inside this one."""
        return Place(self.file, (*self.key, *keys))


class Span(Value):
    """A stretch of time with its evidence, such as a model's production."""

    __slots__ = ("since", "until", "note", "sources", "place", "plan", "announced", "until_announced")

    def __init__(
        self,
        since: PartialDate | None = None,
        until: PartialDate | None = None,
        note: str | None = None,
        sources: tuple[str, ...] = (),
        place: Place | None = None,
        plan: bool = False,
        announced: PartialDate | None = None,
        until_announced: PartialDate | None = None,
    ) -> None:
        self.since = since
        self.until = until
        self.note = note
        self.sources = sources
        self.place = place
        self.plan = plan  # an announcement not yet confirmed by a record: expected whatever its dates say
        # The day a source first reported its dates that were then still to come; its end's, if later.
        self.announced = announced
        self.until_announced = until_announced


class Facts(Value):
    """What a window says of its model in its market and stretch.

    Body styles, powertrains, generation, and the name the market uses. What it leaves None is as the model says."""

    __slots__ = ("body", "powertrain", "generation", "name")

    def __init__(
        self,
        body: tuple[Body, ...] | None = None,
        powertrain: tuple[Powertrain, ...] | None = None,
        generation: str | None = None,
        name: str | None = None,
    ) -> None:
        self.body = body
        self.powertrain = powertrain
        self.generation = generation
        self.name = name


class Window(Value):
    """One stretch in which a model is on sale in a market.

    Calendar dates and model years stand in for each other where one is missing
    (docs/data.md): a window with only model years is on sale in those calendar years,
    and a window with only dates covers the model years of its calendar years.
    """

    __slots__ = ("since", "until", "note", "sources", "table", "plan", "model_years", "first_seen", "facts",
                 "announced", "until_announced", "path")  # fmt: skip

    def __init__(
        self,
        since: PartialDate | None = None,
        until: PartialDate | None = None,
        note: str | None = None,
        sources: tuple[str, ...] = (),
        table: Place | None = None,
        plan: bool = False,
        model_years: tuple[int, int | None] | None = None,
        first_seen: bool = False,
        facts: Facts | None = None,
        announced: PartialDate | None = None,
        until_announced: PartialDate | None = None,
        path: KeyPath = (),
    ) -> None:
        self.since = since
        self.until = until
        self.note = note
        self.sources = sources
        # Where it is written: at `path` under `table` (a brand's markets or presence). Its place is made
        # only when asked for (a message, an edit): one for every window read would cost a large dataset
        # a tenth of its reading time.
        self.table = table
        self.plan = plan
        self.model_years = model_years
        # True when `since` is only the first date a source shows the model on sale (written `on_sale_by`):
        # the launch was then or earlier, day unknown.
        self.first_seen = first_seen
        self.facts = facts  # what differs from the model in this market and stretch; None: nothing
        # The day a source first reported its dates that were then still to come; its end's, if later.
        self.announced = announced
        self.until_announced = until_announced
        self.path = path

    @property
    def place(self) -> Place | None:
        """Where the window is written."""
        return None if self.table is None else self.table.at(*self.path)

    @property
    def index(self) -> int | None:
        """Its number in a list of windows; None: written as a table of its own."""
        return self.path[-1] if self.path and type(self.path[-1]) is int else None

    @property
    def start(self) -> dt.date:
        """The first day on sale."""
        if self.since is not None:
            return self.since.first
        assert self.model_years is not None  # the loader requires one of the two
        return dt.date(self.model_years[0], 1, 1)

    @property
    def end(self) -> dt.date | None:
        """The last day on sale, or None while the window is open."""
        if self.until is not None:
            return self.until.last
        if self.model_years is not None and self.model_years[1] is not None:
            return dt.date(self.model_years[1], 12, 31)
        return None

    @property
    def first_model_year(self) -> int:
        """Its first model year (its first calendar year, if it has no model years)."""
        return self.model_years[0] if self.model_years is not None else self.start.year

    @property
    def last_model_year(self) -> int | None:
        """Its last model year (its last calendar year, if it has no model years); None while open."""
        if self.model_years is not None and self.model_years[1] is not None:
            return self.model_years[1]
        end = self.end
        return end.year if end is not None else None


class Model(Value):
    """A nameplate of a brand, with what it is and where it comes from."""

    __slots__ = (
        "id",
        "brand",
        "name",
        "body",
        "powertrain",
        "follows",
        "production",
        "generation",
        "note",
        "sources",
        "place",
    )

    def __init__(
        self,
        id: str,
        brand: str,
        name: str,
        body: tuple[Body, ...],
        powertrain: tuple[Powertrain, ...] = (),
        follows: tuple[str, ...] = (),
        production: Span | None = None,
        generation: str | None = None,
        note: str | None = None,
        sources: tuple[str, ...] = (),
        place: Place | None = None,
    ) -> None:
        self.id = id
        self.brand = brand
        self.name = name
        self.body = body
        self.powertrain = powertrain
        self.follows = follows  # qualified ids: "infiniti/g37-coupe"
        self.production = production
        self.generation = generation
        self.note = note
        self.sources = sources
        self.place = place

    @property
    def key(self) -> str:
        """The model's id across brands: `infiniti/q60`."""
        return f"{self.brand}/{self.id}"


class Coverage(Value):
    """What the data claims about a brand's lineup in one market as a whole.

    For all time, or for a stretch (`since`/`until` or model years), as one list of several stretches says."""

    __slots__ = ("complete", "note", "sources", "since", "until", "model_years")

    def __init__(
        self,
        complete: bool,
        note: str | None = None,
        sources: tuple[str, ...] = (),
        since: PartialDate | None = None,
        until: PartialDate | None = None,
        model_years: tuple[int, int | None] | None = None,
    ) -> None:
        self.complete = complete
        self.note = note
        self.sources = sources
        self.since = since
        self.until = until
        self.model_years = model_years

    @property
    def dated(self) -> bool:
        """Whether it speaks of a stretch, not of all time."""
        return self.since is not None or self.until is not None or self.model_years is not None

    def covers(self, day: dt.date | None = None, model_year: int | None = None) -> bool:
        """Whether the stretch holds the day or model year (an undated one holds every one).

        A stretch of model years holds their calendar years too, and one of dates the model years of its years."""
        if model_year is not None:
            first, last = self.model_years or (
                self.since.first.year if self.since else None,
                self.until.last.year if self.until else None,
            )
            return (first is None or first <= model_year) and (last is None or model_year <= last)
        assert day is not None
        start = self.since.first if self.since else dt.date(self.model_years[0], 1, 1) if self.model_years else None
        end = self.until.last if self.until else None
        if end is None and self.model_years and self.model_years[1] is not None:
            end = dt.date(self.model_years[1], 12, 31)
        return (start is None or start <= day) and (end is None or day <= end)


class Figure(Value):
    """Units of a model sold in a market in one period, as a source reports them."""

    __slots__ = ("period", "units", "note", "sources", "place", "change", "compared_with")

    def __init__(
        self,
        period: Period,
        units: int,
        note: str | None = None,
        sources: tuple[str, ...] = (),
        place: Place | None = None,
        change: float | None = None,
        compared_with: Period | None = None,
    ) -> None:
        self.period = period
        self.units = units
        self.note = note
        self.sources = sources
        self.place = place
        # A change in percent the source reports, on `compared_with` (the same period a year earlier
        # unless it says otherwise), for when the base figure is not known.
        self.change = change
        self.compared_with = compared_with

    @property
    def versus(self) -> Period | None:
        """The period a reported change compares with; None if no change is reported."""
        if self.change is None:
            return None
        return self.compared_with or self.period.shifted(-12)


class Region(Value):
    """A named set of markets (North America: US, CA, MX), which `-m` takes for its markets."""

    __slots__ = ("id", "name", "markets", "note", "sources", "place")

    def __init__(
        self,
        id: str,
        name: str,
        markets: tuple[str, ...],
        note: str | None = None,
        sources: tuple[str, ...] = (),
        place: Place | None = None,
    ) -> None:
        self.id = id
        self.name = name
        self.markets = markets
        self.note = note
        self.sources = sources
        self.place = place


class Brand(Value):
    """A make, its models, and their windows on sale per market."""

    __slots__ = ("id", "name", "parent", "origin", "note", "sources", "models", "markets", "coverage", "places",
                 "presence", "sales")  # fmt: skip

    def __init__(
        self,
        id: str,
        name: str,
        parent: str | None = None,
        origin: str | None = None,
        note: str | None = None,
        sources: tuple[str, ...] = (),
        models: Mapping[str, Model] = EMPTY,
        markets: Mapping[str, Mapping[str, tuple[Window, ...]]] = EMPTY,
        coverage: Mapping[str, tuple[Coverage, ...]] = EMPTY,
        places: Mapping[str, Place] = EMPTY,
        presence: Mapping[str, tuple[Window, ...]] = EMPTY,
        sales: Mapping[str, Mapping[str, tuple[Figure, ...]]] = EMPTY,
    ) -> None:
        self.id = id
        self.name = name
        self.parent = parent
        self.origin = origin
        self.note = note
        self.sources = sources
        self.models = models
        self.markets = markets  # market code -> model id -> windows in date order
        self.coverage = coverage  # market code -> what the data claims of the lineup, undated or by stretch
        # Where each of the brand's own keys and each market, coverage and presence code is written
        # ("origin", "markets.TW", "presence.ID").
        self.places = places
        self.presence = presence  # market code -> the brand's own windows there: when it entered and left
        self.sales = sales  # market code -> model id -> its figures in period order

    def is_complete(self, market: str) -> bool:
        """Whether the data claims to hold the brand's whole lineup in `market` for all time."""
        stretches = self.coverage.get(market, ())
        return bool(stretches) and all(c.complete for c in stretches) and not any(c.dated for c in stretches)

    def partial_at(self, market: str, day: dt.date | None = None, model_year: int | None = None) -> Coverage | None:
        """The stretch of coverage marked partial that holds the day or model year, if one does.

        A dated stretch with `complete = false`: there a model missing from the data may have been on sale."""
        return next(
            (c for c in self.coverage.get(market, ()) if c.dated and not c.complete and c.covers(day, model_year)),
            None,
        )


class Dataset(Value):
    """Brands by id, and the files they were read from."""

    __slots__ = ("brands", "files", "regions")

    def __init__(
        self,
        brands: Mapping[str, Brand],
        files: tuple[str, ...] = (),
        regions: Mapping[str, Region] = EMPTY,
    ) -> None:
        self.brands = brands
        self.files = files
        self.regions = regions  # region id -> its markets


def facts_of(model: Model, window: Window | None) -> Facts:
    """The model's facts in a window's market and stretch.

    The window's where it states one, else the model's (its name, body styles, powertrains and generation)."""
    own = window.facts if window is not None else None
    if own is None:
        return Facts(model.body, model.powertrain, model.generation, model.name)
    return Facts(
        model.body if own.body is None else own.body,
        model.powertrain if own.powertrain is None else own.powertrain,
        model.generation if own.generation is None else own.generation,
        model.name if own.name is None else own.name,
    )


def without_places(brand: Brand) -> Brand:
    """A brand without the places its facts are written at, to compare what two readings say.

    Another layout of a file moves the places, not the facts."""
    return brand._replace(
        models={
            key: model._replace(place=None, production=model.production and model.production._replace(place=None))
            for key, model in brand.models.items()
        },
        markets={
            code: {key: tuple(w._replace(table=None, path=()) for w in windows) for key, windows in entries.items()}
            for code, entries in brand.markets.items()
        },
        presence={
            code: tuple(w._replace(table=None, path=()) for w in windows) for code, windows in brand.presence.items()
        },
        sales={
            code: {key: tuple(f._replace(place=None) for f in figures) for key, figures in entries.items()}
            for code, entries in brand.sales.items()
        },
        places={},
    )
