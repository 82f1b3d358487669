"""A data file's document -> what it says of each brand, checked value by value; every problem at its place.

What no single file can tell (the same model in two files, a reference to another file) is the merge's
to check (lineup.load.merge). A brand's part has two sides: its names, ids and keys, which the merge
needs, and its models and windows as values, which only a question about the brand needs.
"""

import datetime as dt
import itertools
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal

from lineup import dates
from lineup.load.values import ValueReader, choices
from lineup.model import Body, Coverage, Facts, Figure, Model, Place, Powertrain, Region, Span, Window
from lineup.text import KeyPath
from lineup.value import Value

# The keys of each table, in the order lineup fmt writes them (the schema takes the same lists).
SPAN_KEYS = ("since", "until", "announced", "until_announced", "plan", "note", "source", "sources")
FACT_KEYS = ("name", "body", "powertrain", "generation")  # a window's own facts of its model
WINDOW_KEYS = ("since", "on_sale_by", "until", "model_years", "announced", "until_announced", "plan", *FACT_KEYS,
               "note", "source", "sources")  # fmt: skip
PRESENCE_KEYS = tuple(key for key in WINDOW_KEYS if key not in FACT_KEYS and key != "model_years")
BRAND_KEYS = ("name", "parent", "origin", "note", "source", "sources", "models", "markets", "presence", "coverage",
              "sales")  # fmt: skip
MODEL_KEYS = ("name", "body", "powertrain", "follows", "generation", "note", "source", "sources", "production")
COVERAGE_KEYS = ("since", "until", "model_years", "complete", "note", "source", "sources")
REGION_KEYS = ("name", "markets", "note", "source", "sources")
DOCUMENT_KEYS = ("regions", "brands")
_WINDOW_KEYS = frozenset(WINDOW_KEYS)
_PRESENCE_KEYS = frozenset(PRESENCE_KEYS)
_DATED_KEYS = frozenset(("announced", "until_announced", *FACT_KEYS))  # rare: read apart from the rest


class Attr(Value):
    """A brand's value (its name, origin...) as one file writes it."""

    __slots__ = ("value", "place")

    def __init__(
        self,
        value: Any,
        place: Place,
    ) -> None:
        self.value = value
        self.place = place


class Built(Value):
    """A brand's models, windows (in date order), coverage, presence and sales, as one file gives them."""

    __slots__ = ("models", "markets", "coverage", "presence", "sales")

    def __init__(
        self,
        models: dict[str, Model],
        markets: dict[str, dict[str, tuple[Window, ...]]],
        coverage: dict[str, tuple[Coverage, ...]],
        presence: dict[str, tuple[Window, ...]],
        sales: dict[str, dict[str, tuple[Figure, ...]]],
    ) -> None:
        self.models = models
        self.markets = markets
        self.coverage = coverage
        self.presence = presence
        self.sales = sales


class BrandPart:
    """What one file says of one brand.

    The names, ids and keys the merge across files checks, and the brand's values, `built` (None once let go, until
    the brand is asked for)."""

    __slots__ = ("attrs", "broken", "built", "coverage", "file", "id", "markets", "models", "presence", "sales")

    def __init__(self, brand_id: str, file: str) -> None:
        self.id = brand_id
        self.file = file
        self.attrs: dict[str, Attr] = {}
        self.models: dict[str, tuple[str, ...]] = {}  # model id -> what it follows
        self.markets: dict[str, list[str]] = {}  # code -> the models with windows there
        self.coverage: list[str] = []  # codes
        self.presence: list[str] = []  # codes
        self.sales: dict[str, list[str]] = {}  # code -> the models with figures there
        # Written but invalid, already reported: later checks must not report them again as missing.
        self.broken: set[str] = set()
        self.built: Built | None = Built({}, {}, {}, {}, {})

    def at(self, *keys: str | int) -> Place:
        """The place of a key of the brand in its file."""
        return Place(self.file, ("brands", self.id, *keys))


def overlaps(windows: Sequence[Window]) -> Iterator[tuple[Window, Window]]:
    """Each two windows, of windows in date order, where the first does not end before the second starts."""
    return ((before, after) for before, after in itertools.pairwise(windows)
            if before.end is None or before.end >= after.start)  # fmt: skip


class Reader(ValueReader):
    """Checks documents into brand parts, collecting every problem (lineup.load.values reads each value)."""

    def __init__(self, where: Callable[[Place], str] = lambda place: place.file) -> None:
        super().__init__(where)
        self.regions: list[Region] = []  # the regions of the documents read, in the order read

    # -- documents and brands

    def document(self, file: str, doc: dict[str, Any]) -> list[BrandPart]:
        """What one file says of each brand, checked on its own (not yet against the other files).

        The regions it defines are kept in `regions`."""
        self._unknown_keys(Place(file, ()), doc, DOCUMENT_KEYS)
        if "regions" in doc:
            self._regions(Place(file, ("regions",)), doc["regions"])
        brands = doc.get("brands", {})
        if not self._is_table(Place(file, ("brands",)), brands):
            return []
        parts = []
        for brand_id, table in brands.items():
            part = self.brand(file, brand_id, table)
            if part is not None:
                parts.append(part)
        return parts

    def brand(self, file: str, brand_id: str, table: Any) -> BrandPart | None:
        """What a file says of one brand, from the table it writes for it."""
        place = Place(file, ("brands", brand_id))
        if not (self._is_id(place, brand_id, "brand") and self._is_table(place, table)):
            return None
        self._unknown_keys(place, table, BRAND_KEYS)
        part = BrandPart(brand_id, file)
        for key in ("name", "parent", "note"):
            if key in table:
                self._attr(part, key, self._text(place.at(key), table[key]))
        if "origin" in table:
            self._attr(part, "origin", self._code(place.at("origin"), table["origin"], "country code"))
        sources = self._sources(place, table)
        if sources:
            self._attr(part, "sources", sources)
        self._models(part, place.at("models"), table.get("models", {}))
        self._markets(part, place.at("markets"), table.get("markets", {}))
        self._presence(part, place.at("presence"), table.get("presence", {}))
        self._coverage(part, place.at("coverage"), table.get("coverage", {}))
        self._sales(part, place.at("sales"), table.get("sales", {}))
        return part

    def _attr(self, part: BrandPart, key: str, value: Any) -> None:
        if value is None:
            part.broken.add(f"brand {key}")
        else:
            part.attrs[key] = Attr(value, part.at(key))

    def _models(self, part: BrandPart, place: Place, models: Any) -> None:
        if not self._is_table(place, models):
            return
        assert part.built is not None
        for model_id, table in models.items():
            mplace = place.at(model_id)
            model = None
            if self._is_id(mplace, model_id, "model") and self._is_table(mplace, table):
                model = self._model(mplace, part.id, model_id, table)
            if model is None:
                part.broken.add(model_id)
            else:
                part.built.models[model_id] = model
                part.models[model_id] = model.follows

    def _markets(self, part: BrandPart, place: Place, markets: Any) -> None:
        if not self._is_table(place, markets):
            return
        assert part.built is not None
        for code, entries in markets.items():
            kplace = place.at(code)
            if self._code(kplace, code, "market code") is None or not self._is_table(kplace, entries):
                continue
            listed = part.markets.setdefault(code, [])
            built = part.built.markets.setdefault(code, {})
            for model_id, value in entries.items():
                model_id = sys.intern(model_id)  # kept for the merge: one string for every brand's "m01"
                windows = self._windows(place, (code, model_id), value)
                if windows is None:
                    continue
                if len(windows) > 1:
                    windows.sort(key=lambda w: (w.start, w.end or dt.date.max))
                    self._check_overlaps(windows)  # a model's windows in a market are all in one file
                listed.append(model_id)
                built[model_id] = tuple(windows)

    def _presence(self, part: BrandPart, place: Place, presence: Any) -> None:
        """The brand's own windows per market: when it entered and, where it did, left."""
        if not self._is_table(place, presence):
            return
        assert part.built is not None
        for code, value in presence.items():
            cplace = place.at(code)
            if self._code(cplace, code, "market code") is None:
                continue
            windows = self._windows(place, (code,), value, presence=True)
            if windows is None:
                continue
            windows.sort(key=lambda w: (w.start, w.end or dt.date.max))
            self._check_overlaps(windows)
            part.presence.append(code)
            part.built.presence[code] = tuple(windows)

    def _coverage(self, part: BrandPart, place: Place, coverage: Any) -> None:
        if not self._is_table(place, coverage):
            return
        assert part.built is not None
        for code, value in coverage.items():
            cplace = place.at(code)
            if self._code(cplace, code, "market code") is None:
                continue
            tables = value if isinstance(value, list) else [value]
            stretches = [self._stretch(cplace.at(i) if isinstance(value, list) else cplace, t) for i, t in
                         enumerate(tables)]  # fmt: skip
            if not tables or None in stretches:
                if not tables:
                    self.fail(cplace, "expected a table, or a list of tables, one a stretch", "type")
                continue
            found = [c for c in stretches if c is not None]
            if len(found) > 1 and not all(c.dated for c in found):
                self.fail(cplace, "several stretches of coverage each need dates (since, until or model_years)",
                          "required")  # fmt: skip
                continue
            part.coverage.append(code)
            part.built.coverage[code] = tuple(found)

    def _stretch(self, place: Place, table: Any) -> Coverage | None:
        """One stretch of coverage: for all time, or dated like a window."""
        if not self._is_table(place, table):
            return None
        self._unknown_keys(place, table, COVERAGE_KEYS)
        complete = table.get("complete")
        if not isinstance(complete, bool):
            self.fail(place.at("complete"), "needs `complete = true` or `complete = false`", "type")
            return None
        since, until, valid = self._dates(place, table, "since")
        model_years = self._model_years(place, table["model_years"]) if "model_years" in table else None
        if not valid or ("model_years" in table and model_years is None):
            return None
        if since is not None and until is not None and until.last < since.first:
            self.fail(place.at("until"), f"until {until} is before since {since}", "date-order")
            return None
        return Coverage(complete, self._note(place, table), self._sources(place, table), since, until, model_years)

    def _sales(self, part: BrandPart, place: Place, sales: Any) -> None:
        """Each model's sales figures per market: `[[brands.b.sales.US.q60]]`, one table a period."""
        if not self._is_table(place, sales):
            return
        assert part.built is not None
        for code, entries in sales.items():
            kplace = place.at(code)
            if self._code(kplace, code, "market code") is None or not self._is_table(kplace, entries):
                continue
            for model_id, value in entries.items():
                mplace = kplace.at(model_id)
                tables = value if isinstance(value, list) else [value]
                if not tables:
                    self.fail(mplace, "expected a figure such as { period = 2020, units = 2792 } or a list of them",
                              "type")  # fmt: skip
                    continue
                figures = [self._figure(mplace.at(i) if isinstance(value, list) else mplace, t) for i, t in
                           enumerate(tables)]  # fmt: skip
                if None in figures:
                    continue
                part.sales.setdefault(code, []).append(model_id)
                found = sorted((f for f in figures if f is not None), key=lambda f: f.period)
                part.built.sales.setdefault(code, {})[model_id] = tuple(found)

    def _regions(self, place: Place, regions: Any) -> None:
        """Named sets of markets: `[regions.north-america]` with `name` and `markets`."""
        if not self._is_table(place, regions):
            return
        for region_id, table in regions.items():
            rplace = place.at(region_id)
            if not (self._is_id(rplace, region_id, "region") and self._is_table(rplace, table)):
                continue
            self._unknown_keys(rplace, table, REGION_KEYS)
            name = self._text(rplace.at("name"), table["name"]) if "name" in table else None
            if "name" not in table:
                self.fail(rplace, f"region {region_id!r} needs a name", "required")
            codes = self._text_list(rplace.at("markets"), table.get("markets", []))
            markets = [self._code(rplace.at("markets", i), code, "market code") for i, code in enumerate(codes or ())]
            if not codes:
                self.fail(rplace.at("markets"), f"region {region_id!r} needs its markets, e.g. markets = ['US', 'CA']",
                          "required")  # fmt: skip
            if name is None or not codes or None in markets:
                continue
            note, sources = self._note(rplace, table), self._sources(rplace, table)
            listed = tuple(dict.fromkeys(code for code in markets if code is not None))
            self.regions.append(Region(region_id, name, listed, note, sources, rplace))

    def _check_overlaps(self, windows: Sequence[Window]) -> None:
        for before, after in overlaps(windows):
            assert after.place is not None
            assert before.place is not None
            message = f"window {_span_text(after)} overlaps window {_span_text(before)} at {self.where(before.place)}"
            self.fail(after.place, message, "overlap")

    # -- models and windows

    def _model(self, place: Place, brand_id: str, model_id: str, table: dict[str, Any]) -> Model | None:
        self._unknown_keys(place, table, MODEL_KEYS)
        if "name" in table:
            name = self._text(place.at("name"), table["name"])
        else:
            name = None
            self.fail(place, f"model {model_id!r} needs a name, e.g. name = {model_id.upper()!r}", "required")
        body: tuple[Body, ...] | None = ()  # left out: not known (an import from a list without it, say)
        if "body" in table:
            body = self._vocabulary(place.at("body"), table["body"], Body, "body style")
            if body == ():
                message = f"needs at least one body style ({choices(Body)}); leave `body` out if it is unknown"
                self.fail(place.at("body"), message, "required")
                body = None
        powertrain = self._vocabulary(place.at("powertrain"), table["powertrain"], Powertrain, "powertrain") \
            if "powertrain" in table else ()  # fmt: skip
        follows: tuple[str, ...] | None = ()
        if "follows" in table:
            names = self._text_list(place.at("follows"), table["follows"])
            follows = None if names is None else tuple(n if "/" in n else f"{brand_id}/{n}" for n in names)
        production = None
        if "production" in table and self._is_table(place.at("production"), table["production"]):
            production = self._span(place.at("production"), table["production"])
        generation = self._generation(place, table["generation"]) if "generation" in table else None
        note, sources = self._note(place, table), self._sources(place, table)
        if name is None or body is None or powertrain is None or follows is None:
            return None
        if "generation" in table and generation is None:
            return None
        return Model(model_id, brand_id, name, body, powertrain, follows, production, generation, note, sources, place)

    def _windows(self, table: Place, path: tuple[str, ...], value: Any, presence: bool = False) -> list[Window] | None:
        """The windows at `path` under `table`: one table of them, or a list."""
        place = table.at(*path)
        if isinstance(value, dict):
            window = self._window(place, value, presence, (table, path))
            return None if window is None else [window]
        if not isinstance(value, list) or not value:
            message = f"expected a window such as {{ since = 2017 }} or a list of windows, not {dates.describe(value)}"
            self.fail(place, message, "type")
            return None
        file, key = place.file, place.key
        found = []
        for i, item in enumerate(value):
            at = Place(file, (*key, i))
            window = self._window(at, item, presence, (table, (*path, i))) if self._is_table(at, item) else None
            if window is not None:
                found.append(window)
        return found if len(found) == len(value) else None

    def _span(self, place: Place, table: dict[str, Any]) -> Span | None:
        """A production span: `since` and/or `until`, with its note and sources."""
        self._unknown_keys(place, table, SPAN_KEYS)
        since, until, valid = self._dates(place, table, "since")
        note, sources, plan = self._note(place, table), self._sources(place, table), self._plan(place, table)
        announced, until_announced, reported = self._announced(place, table)
        if not valid or plan is None or not reported:
            return None
        if since is None and until is None:
            self.fail(place, "needs `since` or `until`", "required")
            return None
        if since is not None and until is not None and until.last < since.first:
            self.fail(place.at("until"), f"until {until} is before since {since}", "date-order")
            return None
        return Span(since, until, note, sources, place, plan, announced, until_announced)

    def _window(
        self, place: Place, table: dict[str, Any], presence: bool, written: tuple[Place, KeyPath]
    ) -> Window | None:
        """A window on sale: a start (`since`, `on_sale_by` or `model_years`), maybe an end. The path
        every window of a large dataset takes: each value is checked where it is read, and a place is
        made for a key only when there is a problem to report at it. A brand's `presence` takes no
        model's facts and no model years. `written`: the table it is under, and its path there."""
        if not (_PRESENCE_KEYS if presence else _WINDOW_KEYS).issuperset(table):
            self._unknown_keys(place, table, PRESENCE_KEYS if presence else WINDOW_KEYS)
        first_seen = "on_sale_by" in table
        if first_seen and "since" in table:
            message = "use `since` (the launch) or `on_sale_by` (first seen on sale, launch unknown), not both"
            self.fail(place.at("on_sale_by"), message, "type")
            return None
        start_key = "on_sale_by" if first_seen else "since"
        since = until = model_years = None
        valid = True
        if start_key in table:
            since = self._date(place, start_key, table[start_key])
            valid = since is not None
        if "until" in table:
            until = self._date(place, "until", table["until"])
            valid = valid and until is not None
        if "model_years" in table:
            model_years = self._model_years(place, table["model_years"])
            valid = valid and model_years is not None
        note = table.get("note")
        if note is not None and not (type(note) is str and note.strip()):
            note = self._text(place.at("note"), note)
            valid = False
        source = table.get("source")
        if type(source) is str and source.strip() and "sources" not in table:
            sources: tuple[str, ...] = (source,)
        else:
            sources = self._sources(place, table)
        plan = table.get("plan", False)
        if type(plan) is not bool:
            plan = self._plan(place, table)
        facts = announced = until_announced = None
        if not _DATED_KEYS.isdisjoint(table):
            announced, until_announced, reported = self._announced(place, table)
            facts = self._facts(place, table)
            valid = valid and reported and facts is not False
        if not valid or plan is None or facts is False:
            return None
        if since is None and model_years is None:
            needs = (
                "`since` (a date) or `on_sale_by`" if presence else "`since` (a date), `on_sale_by` or `model_years`"
            )
            self.fail(place, f"a window needs {needs}", "required")
            return None
        window = Window(since, until, note, sources, written[0], plan, model_years, first_seen, facts or None,
                        announced, until_announced, written[1])  # fmt: skip
        end = window.end
        if end is not None and end < window.start:
            start = f"{start_key} {since}" if since is not None else f"model year {window.first_model_year}"
            if until is not None:
                self.fail(place.at("until"), f"until {until} is before {start}", "date-order")
            else:
                message = (
                    f"model years end in {window.last_model_year}, before the window starts ({start}); add `until`"
                )
                self.fail(place.at("model_years"), message, "date-order")
            return None
        return window

    def _announced(self, place: Place, table: dict[str, Any]) -> tuple[Any, Any, bool]:
        """`announced` and `until_announced` as dates; False when one is written but invalid."""
        announced, until_announced, valid = self._dates(place, table, "announced", "until_announced")
        if valid and announced is not None and until_announced is not None and until_announced.last < announced.first:
            message = f"until_announced {until_announced} is before announced {announced}"
            self.fail(place.at("until_announced"), message, "date-order")
            return None, None, False
        return announced, until_announced, valid

    def _facts(self, place: Place, table: dict[str, Any]) -> Facts | Literal[False] | None:
        """The model's facts a window states for its market and stretch; None if it states none,
        False if one is invalid (reported)."""
        if not any(key in table for key in FACT_KEYS):
            return None
        body = powertrain = generation = name = None
        valid = True
        if "body" in table:
            body = self._vocabulary(place.at("body"), table["body"], Body, "body style")
            if body == ():
                self.fail(place.at("body"), f"needs at least one body style ({choices(Body)})", "required")
                body = None
            valid = body is not None
        if "powertrain" in table:
            powertrain = self._vocabulary(place.at("powertrain"), table["powertrain"], Powertrain, "powertrain")
            valid = valid and powertrain is not None
        if "generation" in table:
            generation = self._generation(place, table["generation"])
            valid = valid and generation is not None
        if "name" in table:
            name = self._text(place.at("name"), table["name"])
            valid = valid and name is not None
        return Facts(body, powertrain, generation, name) if valid else False

    def _generation(self, place: Place, value: Any) -> str | None:
        """A generation, written as text or a number (`2` is `"2"`)."""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return self._text(place.at("generation"), value)


def _span_text(window: Window) -> str:
    start = str(window.since) if window.since else f"model year {window.first_model_year}"
    end = str(window.until) if window.until else (str(window.last_model_year) if window.end else "open")
    return f"{start}..{end}"
