"""lineup's values: brands, models, windows on sale, and the one error type."""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from lineup.dates import PartialDate

# A key path inside a TOML document: table keys and array indexes.
KeyPath = tuple[str | int, ...]


class LineupError(Exception):
    """A problem the user can fix, printed as one line: `FILE:LINE: KEY: message`."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        key: KeyPath = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.key = key

    def __str__(self) -> str:
        place = place_text(self.file, self.line, self.column)
        where = f"{place}: " if place else ""
        key = f"{format_key(self.key)}: " if self.key else ""
        return f"{where}{key}{self.message}"


def place_text(file: str | None, line: int | None, column: int | None) -> str:
    """`FILE:LINE:COL`, as far as each is known: how editors and compilers name a place."""
    return ":".join(str(part) for part in (file, line, column) if part is not None)


def count(n: int, word: str, plural: str | None = None) -> str:
    """`1 file`, `2 files`; `1 entry`, `2 entries` with the plural given."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


class UsageError(LineupError):
    """A command given the wrong options for what it finds in the data: exit 2, as for other usage errors."""

    exit_code = 2

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")


# Latin letters that Unicode does not decompose into a base letter and a mark.
_LATIN = {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "\u0131": "i", "ħ": "h", "ŧ": "t"}
_PUNYCODE_ID = re.compile(r"xn--[a-z0-9-]*[a-z0-9]")


def slug(name: str) -> str:
    """A stable id from a name, empty if it has no letter or digit: `Mercedes-Benz` and `Mercedes Benz`
    are `mercedes-benz`, `Škoda` is `skoda`, `3 Series` is `3-series`. A name in another script keeps
    its letters, spelt as IDNA spells a domain name (`日本` is `xn--wgv71a`), so that two such names
    never share an id."""
    if _PUNYCODE_ID.fullmatch(name):  # already an id made so: the same again
        return name
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", name).casefold())
    plain = "".join(_LATIN.get(c, c) for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[\W_]+", "-", plain).strip("-")
    if not words.isascii():
        words = "xn--" + words.encode("punycode").decode("ascii").strip("-")
    return words


def shorten(text: str, limit: int = 60) -> str:
    """`text` quoted for a message, cut short when someone passed a very long value."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like `word`, if one is close enough to suggest."""
    import difflib  # only needed when something is wrong

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str], names: Mapping[str, str] | None = None) -> str:
    """`; did you mean 'x'?` for the closest of `choices`, or nothing; `names` maps a choice to what to show."""
    close = closest(word, choices)
    return f"; did you mean {(names or {}).get(close, close)!r}?" if close else ""


def format_key(key: KeyPath) -> str:
    """Write a key path as TOML does: `brands.infiniti.markets.TW.q60[0].until`."""
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            bare = part and all(c.isascii() and (c.isalnum() or c in "-_") for c in part)
            text = part if bare else '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'
            out += f".{text}" if out else text
    return out


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


@dataclass(frozen=True, slots=True)
class Place:
    """Where a value is written: a file and a key path in it."""

    file: str
    key: KeyPath

    def at(self, *keys: str | int) -> "Place":
        """The place of a key inside this one."""
        return Place(self.file, (*self.key, *keys))


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of time with its evidence, such as a model's production."""

    since: PartialDate | None = None
    until: PartialDate | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()
    place: Place | None = field(default=None, compare=False, repr=False)
    # An announcement not yet confirmed by a record: expected whatever its dates say.
    plan: bool = False


@dataclass(frozen=True, slots=True)
class Window(Span):
    """One stretch in which a model is on sale in a market.

    Calendar dates and model years stand in for each other where one is missing
    (SPEC §2): a window with only model years is on sale in those calendar years,
    and a window with only dates covers the model years of its calendar years.
    """

    model_years: tuple[int, int | None] | None = None
    # True when `since` is only the first date a source shows the model on sale
    # (written `on_sale_by`): the launch was then or earlier, day unknown.
    first_seen: bool = False

    @property
    def start(self) -> dt.date:
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
        return self.model_years[0] if self.model_years is not None else self.start.year

    @property
    def last_model_year(self) -> int | None:
        if self.model_years is not None and self.model_years[1] is not None:
            return self.model_years[1]
        end = self.end
        return end.year if end is not None else None


@dataclass(frozen=True, slots=True)
class Model:
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
    place: Place | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> str:
        return f"{self.brand}/{self.id}"


@dataclass(frozen=True, slots=True)
class Coverage:
    """What the data claims about a brand's lineup in one market as a whole."""

    complete: bool
    note: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Brand:
    id: str
    name: str
    parent: str | None = None
    origin: str | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()
    models: Mapping[str, Model] = field(default_factory=dict)
    # market code -> model id -> windows in date order
    markets: Mapping[str, Mapping[str, tuple[Window, ...]]] = field(default_factory=dict)
    coverage: Mapping[str, Coverage] = field(default_factory=dict)
    # Where the brand's origin and each market and coverage code are written ("origin", "markets.TW").
    places: Mapping[str, Place] = field(default_factory=dict, compare=False, repr=False)

    def is_complete(self, market: str) -> bool:
        coverage = self.coverage.get(market)
        return coverage is not None and coverage.complete


@dataclass(frozen=True, slots=True)
class Dataset:
    brands: Mapping[str, Brand]
    files: tuple[str, ...] = ()
