"""lineup's values: brands, models, windows on sale. Named tuples: immutable, and cheap to make, which
start-up and large data sets both need."""

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import NamedTuple

from lineup.dates import PartialDate
from lineup.text import KeyPath


class Body(StrEnum):
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
    ice = "ice"
    diesel = "diesel"
    hybrid = "hybrid"
    phev = "phev"
    bev = "bev"
    fcev = "fcev"


class Place(NamedTuple):
    """Where a value is written: a file and a key path in it."""

    file: str
    key: KeyPath

    def at(self, *keys: str | int) -> "Place":
        """The place of a key inside this one."""
        return Place(self.file, (*self.key, *keys))


class Span(NamedTuple):
    """A stretch of time with its evidence, such as a model's production."""

    since: PartialDate | None = None
    until: PartialDate | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()
    place: Place | None = None
    # An announcement not yet confirmed by a record: expected whatever its dates say.
    plan: bool = False


class Window(NamedTuple):
    """One stretch in which a model is on sale in a market.

    Calendar dates and model years stand in for each other where one is missing
    (docs/data.md): a window with only model years is on sale in those calendar years,
    and a window with only dates covers the model years of its calendar years.
    """

    since: PartialDate | None = None
    until: PartialDate | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()
    place: Place | None = None
    plan: bool = False
    model_years: tuple[int, int | None] | None = None
    # True when `since` is only the first date a source shows the model on sale
    # (written `on_sale_by`): the launch was then or earlier, day unknown.
    first_seen: bool = False

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


class Model(NamedTuple):
    """A nameplate of a brand, with what it is and where it comes from."""

    id: str
    brand: str
    name: str
    body: tuple[Body, ...]
    powertrain: tuple[Powertrain, ...] = ()
    follows: tuple[str, ...] = ()  # qualified ids: "infiniti/g37-coupe"
    production: Span | None = None
    generation: str | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()
    place: Place | None = None

    @property
    def key(self) -> str:
        """The model's id across brands: `infiniti/q60`."""
        return f"{self.brand}/{self.id}"


class Coverage(NamedTuple):
    """What the data claims about a brand's lineup in one market as a whole."""

    complete: bool
    note: str | None = None
    sources: tuple[str, ...] = ()


class Brand(NamedTuple):
    """A make, its models, and their windows on sale per market."""

    id: str
    name: str
    parent: str | None = None
    origin: str | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()
    models: Mapping[str, Model] = {}
    # market code -> model id -> windows in date order
    markets: Mapping[str, Mapping[str, tuple[Window, ...]]] = {}
    coverage: Mapping[str, Coverage] = {}
    # Where the brand's origin and each market and coverage code are written ("origin", "markets.TW").
    places: Mapping[str, Place] = {}

    def is_complete(self, market: str) -> bool:
        """Whether the data claims to hold the brand's whole lineup in `market`."""
        coverage = self.coverage.get(market)
        return coverage is not None and coverage.complete


class Dataset(NamedTuple):
    """Brands by id, and the files they were read from."""

    brands: Mapping[str, Brand]
    files: tuple[str, ...] = ()


def without_places(brand: Brand) -> Brand:
    """A brand without the places its facts are written at (which another layout of a file moves), to
    compare what two readings say."""
    return brand._replace(
        models={
            key: model._replace(place=None, production=model.production and model.production._replace(place=None))
            for key, model in brand.models.items()
        },
        markets={
            code: {key: tuple(w._replace(place=None) for w in windows) for key, windows in entries.items()}
            for code, entries in brand.markets.items()
        },
        places={},
    )
