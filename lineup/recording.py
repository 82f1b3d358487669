"""Recording the news in data: a launch (add), a withdrawal (drop), a change of what a model is sold
as (change). Each changes the documents of an edit session (lineup.edit), which checks and writes them."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lineup import dates, query
from lineup.edit import Document, Session
from lineup.errors import LineupError, UsageError
from lineup.model import Brand, Model, Window
from lineup.text import character_name, hidden, shorten, slug


@dataclass(frozen=True, slots=True)
class NewFacts:
    """The model's facts a window states for its market and stretch, as given on the command line.

    Each is None or empty when not given."""

    name: str | None = None
    body: tuple[str, ...] = ()
    powertrain: tuple[str, ...] = ()
    generation: str | None = None

    def __bool__(self) -> bool:
        return bool(self.name or self.body or self.powertrain or self.generation)

    def table(self) -> Document:
        """The facts as a window's keys."""
        table: Document = {}
        if self.name:
            table["name"] = self.name
        if self.body:
            table["body"] = list(dict.fromkeys(self.body))
        if self.powertrain:
            table["powertrain"] = list(dict.fromkeys(self.powertrain))
        if self.generation:
            table["generation"] = self.generation
        return table


@dataclass(frozen=True, slots=True)
class NewWindow:
    """A window `add` opens, as given on the command line."""

    since: dates.PartialDate | None
    until: dates.PartialDate | None
    model_years: tuple[int, int | None] | None
    note: str | None
    sources: tuple[str, ...]
    facts: NewFacts = NewFacts()
    announced: dates.PartialDate | None = None
    plan: bool = False

    def table(self) -> Document:
        """The window as a data file writes it."""
        table: Document = {}
        if self.since is not None:
            table["since"] = str(self.since)
        if self.until is not None:
            table["until"] = str(self.until)
        if self.model_years is not None:
            table["model_years"] = dates.years_text(*self.model_years)
        if self.announced is not None:
            table["announced"] = str(self.announced)
        if self.plan:
            table["plan"] = True
        table.update(self.facts.table())
        if self.note:
            table["note"] = self.note
        if self.sources:
            table["sources"] = list(dict.fromkeys(self.sources))
        return table

    def texts(self) -> list[tuple[str, str | None]]:
        """The window's texts, each with the option that gives it."""
        return [("--note", self.note), *(("--source", source) for source in self.sources),
                ("--market-name", self.facts.name), ("--generation", self.facts.generation)]  # fmt: skip


@dataclass(frozen=True, slots=True)
class NewModel:
    """What `add` may say of a model new to the brand (each None or empty when not given)."""

    name: str | None = None
    body: tuple[str, ...] = ()
    powertrain: tuple[str, ...] = ()
    follows: tuple[str, ...] = ()

    def differences(self, model: Model) -> list[str]:
        """The options given whose values are not the known model's (values that agree are fine)."""
        follows = {f if "/" in f else f"{model.brand}/{f}" for f in self.follows}
        checks = (
            ("--name", self.name is not None and self.name != model.name),
            ("--body", bool(self.body) and set(self.body) != {b.value for b in model.body}),
            ("--powertrain", bool(self.powertrain) and set(self.powertrain) != {p.value for p in model.powertrain}),
            ("--follows", bool(follows) and follows != set(model.follows)),
        )
        return [option for option, differs in checks if differs]


@dataclass(frozen=True, slots=True)
class NewBrand:
    """What `add` may say of a brand new to the data."""

    name: str | None = None
    origin: str | None = None

    def differences(self, brand: Brand) -> list[str]:
        """The options given whose values are not the known brand's (values that agree are fine)."""
        checks = (
            ("--brand-name", self.name is not None and self.name != brand.name),
            ("--origin", self.origin is not None and self.origin != brand.origin),
        )
        return [option for option, differs in checks if differs]


@dataclass(frozen=True, slots=True)
class Added:
    """What `add` did: the file it wrote to, the brand and model, and notes for the user."""

    path: Path
    brand: str
    model: str
    notes: tuple[str, ...] = ()  # a brand or model new to the data whose name is close to a known one


def _find(items: Mapping[str, Any], text: str) -> tuple[Any, str]:
    """The brand or model `text` names (by id, name, or the id it would make), or a did-you-mean hint."""
    found, hint = query.lookup(items, text)
    if found is None and (made := slug(text)) in items:
        return items[made], ""  # `Mercedes Benz` for mercedes-benz: the same id, so the same brand
    return found, hint


def _describe(options: list[str]) -> str:
    return f"{', '.join(options)} {'describes' if len(options) == 1 else 'describe'} a new one"


def add(
    work: Session,
    brand_text: str,
    model_text: str,
    market: str,
    window: NewWindow,
    new_model: NewModel = NewModel(),
    new_brand: NewBrand = NewBrand(),
    file: Path | None = None,
    allow_invisible: bool = False,
) -> Added:
    """Open a window of a model in a market; a model or brand new to the data comes with what defines it.

    The options that define one are refused for one the data has, rather than dropped unsaid; text with a character
    a reader does not see, unless `allow_invisible`."""
    brand, hint = _find(work.dataset.brands, brand_text)
    notes = []
    if brand is None:
        brand_id = new_id(brand_text, "BRAND")
        if new_brand.origin is None:
            then = f"{hint} To add it" if hint else "; to add it"
            raise UsageError("--origin", f"{shorten(brand_text)} is not a brand of the data{then}, give --origin")
        definition: Document = {"name": new_brand.name or brand_text, "origin": new_brand.origin}
        if hint:
            notes.append(f"{brand_id} is a brand new to the data{hint}")
    else:
        brand_id, definition = brand.id, {}
        if differing := new_brand.differences(brand):
            raise UsageError(
                differing[0],
                f"{brand.name} is a brand of the data, with other values: {_describe(differing)}",
            )
    model_id, model_definition, hint = _model(brand, model_text, new_model, window)
    if hint:
        notes.append(f"{model_id} is a model new to {brand.name if brand else brand_id}{hint}")
    if not allow_invisible:
        brand_name = ("--brand-name" if new_brand.name else "BRAND", definition.get("name"))
        model_name = ("--name" if new_model.name else "MODEL", model_definition.get("name"))
        refuse_invisible([brand_name, model_name, *window.texts()])
    _refuse_overlap(work, brand, model_id, market, window)
    path = work.target(brand_id, market, file)
    table = work.document(path).setdefault("brands", {}).setdefault(brand_id, {})
    table.update(definition)
    if model_definition:
        table.setdefault("models", {})[model_id] = model_definition
    entries = table.setdefault("markets", {}).setdefault(market, {})
    existing = entries.get(model_id, [])
    entries[model_id] = [*(existing if isinstance(existing, list) else [existing]), window.table()]
    return Added(path, brand_id, model_id, tuple(notes))


def _model(brand: Brand | None, text: str, new: NewModel, window: NewWindow) -> tuple[str, Document, str]:
    """The model's id; its definition if it is new to the brand; a did-you-mean hint if it is new."""
    known, hint = _find(brand.models, text) if brand is not None else (None, "")
    if known is not None:
        if differing := new.differences(known):
            year = window.since.year if window.since else window.model_years[0] if window.model_years else 0
            raise UsageError(
                differing[0],
                f"{known.name} is a model of {brand.name if brand else ''} already, with other values: "
                f"{_describe(differing)} (a different car reusing the name needs its own id, e.g. {known.id}-{year})",
            )
        return known.id, {}, ""
    model_id = new_id(text, "MODEL")
    if not new.body:
        where = f"of {brand.name}" if brand is not None else "of the new brand"
        then = f"{hint} To add it" if hint else "; to add it"
        raise UsageError("--body", f"{shorten(text)} is not a model {where}{then}, give --body")
    definition: Document = {"name": new.name or text, "body": list(dict.fromkeys(new.body))}
    if new.powertrain:
        definition["powertrain"] = list(dict.fromkeys(new.powertrain))
    if new.follows:
        definition["follows"] = list(dict.fromkeys(new.follows))
    return model_id, definition, hint


def refuse_invisible(texts: Sequence[tuple[str, str | None]]) -> None:
    """Refuse text, given as (option, text), that holds a control, invisible or reordering character.

    One that would hide or reorder what a reader of the data sees, and that was most likely pasted in."""
    for option, text in texts:
        if text and (character := hidden(text)):
            raise UsageError(
                option,
                f"{shorten(text)} holds {character_name(character)}, which a reader does not see; "
                "if it is meant, give --allow-invisible",
            )


def new_id(text: str, what: str) -> str:
    """The id of a brand or model new to the data, made from a name as import makes it.

    `Land Rover` is `land-rover`."""
    made = slug(text)
    if not made:
        raise UsageError(what, f"{shorten(text)} cannot be an id: it has no letter or digit")
    return made


def _refuse_overlap(work: Session, brand: Brand | None, model: str, market: str, window: NewWindow) -> None:
    new = Window(since=window.since, until=window.until, model_years=window.model_years)
    for old in brand.markets.get(market, {}).get(model, ()) if brand is not None else ():
        if new.start <= (old.end or dt.date.max) and old.start <= (new.end or dt.date.max):
            hint = "close it first with lineup drop" if old.end is None else "give other dates"
            assert old.place is not None
            message = (
                f"{model} in {market} already has a window from {_span(old)}, "
                f"which a window from {_span(new)} would overlap: {hint}"
            )
            raise work.reading.problem(old.place, message, "overlap").error()


def drop(
    work: Session,
    brand: Brand,
    model: str,
    market: str,
    until: dates.PartialDate,
    note: str | None = None,
    sources: Sequence[str] = (),
    last_model_year: int | None = None,
    allow_invisible: bool = False,
) -> Path:
    """Close the model's open window in the market.

    Returns the file to write. A note or source with a character a reader does not see is refused unless
    `allow_invisible`."""
    if not allow_invisible:
        refuse_invisible([("--note", note), *(("--source", source) for source in sources)])
    found = brand.markets.get(market, {}).get(model, ())
    window = next((w for w in found if w.end is None), None)
    if window is None:
        message = f"{model} has no open window in {market} to close"
        if not found:
            raise LineupError(f"{message}: it has no window there at all")
        assert found[-1].place is not None
        spans = ", ".join(_span(w) for w in found)
        raise work.reading.problem(found[-1].place, f"{message} (its windows: {spans})", "drop").error()
    assert window.place is not None
    if until.last < window.start:
        message = f"{until} is before the start of the open window ({query.start_of(window)})"
        raise work.reading.problem(window.place, message, "drop").error()
    open_years = window.model_years is not None and window.model_years[1] is None
    if open_years != (last_model_year is not None):
        first = window.model_years[0] if window.model_years else None
        raise UsageError(
            "--last-model-year",
            f"the window's model years are open ({first}-): say the last with --last-model-year"
            if open_years
            else "the window has no open model years to close",
        )
    if window.model_years is not None and last_model_year is not None and last_model_year < window.model_years[0]:
        raise UsageError(
            "--last-model-year", f"{last_model_year} is before the window's first model year, {window.model_years[0]}"
        )
    assert window.table is not None
    path = Path(window.table.file)
    value = work.document(path)["brands"][brand.id]["markets"][market][model]
    table = value if window.index is None else value[window.index]
    table["until"] = str(until)
    if window.model_years is not None and last_model_year is not None:
        table["model_years"] = dates.years_text(window.model_years[0], last_model_year)
    if note:
        table["note"] = f"{table['note']} {note}" if table.get("note") else note
    if sources:
        known = [table["source"]] if "source" in table else list(table.get("sources", []))
        table.pop("source", None)
        table["sources"] = list(dict.fromkeys([*known, *sources]))
    return path


def change(
    work: Session,
    brand: Brand,
    model: str,
    market: str,
    on: dates.PartialDate | None,
    model_year: int | None,
    facts: NewFacts,
    note: str | None = None,
    sources: Sequence[str] = (),
    allow_invisible: bool = False,
) -> Path:
    """Record a change within a stretch on sale.

    Close the window on sale `on` (or in `model_year`) the period before, and open the next one from then with the
    new facts, in one edit, so that lineup reports a `changed` row, not a drop and a launch. Returns the file to
    write."""
    if not facts:
        raise UsageError("--body", "say what changed: --body, --powertrain, --generation or --market-name")
    if not allow_invisible:
        refuse_invisible([("--note", note), *(("--source", s) for s in sources), ("--market-name", facts.name),
                          ("--generation", facts.generation)])  # fmt: skip
    found = brand.markets.get(market, {}).get(model, ())
    when = query.When.in_model_year(model_year) if model_year is not None else query.When.during(on) if on else None
    assert when is not None, "the command line gives --on or --model-year"
    window = next((w for w in found if when.covers(w)), None)
    if window is None:
        spans = ", ".join(_span(w) for w in found) or "none"
        raise LineupError(f"{model} has no window in {market} on sale {when} to change (its windows: {spans})")
    assert window.place is not None
    if window.model_years is not None and model_year is None:
        raise UsageError("--model-year", "the window is of model years: say the first one the change is in")
    if window.since is not None and window.model_years is None and on is None:
        raise UsageError("--on", "the window has dates, not model years: say when the change came with --on")
    if (on is not None and window.since is not None and on.first <= window.since.last) or (
        model_year is not None and window.model_years is not None and model_year <= window.model_years[0]
    ):
        message = f"the change {when} is at the window's start: no stretch before it to close; edit its facts"
        raise work.reading.problem(window.place, message, "change").error()
    assert window.table is not None
    path = Path(window.table.file)
    entries = work.document(path)["brands"][brand.id]["markets"][market]
    value = entries[model]
    old = value if window.index is None else value[window.index]
    new = {k: v for k, v in old.items() if k not in ("since", "on_sale_by", "note", "source", "sources", "announced",
                                                           "plan")}  # fmt: skip
    if on is not None:
        new["since"] = str(on)
        old["until"] = str(dates.before(on))
        old.pop("until_announced", None)  # its end is the change now; the new one keeps the old end's
    if model_year is not None and window.model_years is not None:
        first, last = window.model_years
        old["model_years"] = dates.years_text(first, model_year - 1)
        new["model_years"] = dates.years_text(model_year, last)
    new.update(facts.table())
    if note:
        new["note"] = note
    new["sources"] = list(dict.fromkeys(sources or _sources_of(old)))
    windows = value if isinstance(value, list) else [value]
    windows.insert(windows.index(old) + 1, new)
    entries[model] = windows
    return path


def _sources_of(table: Document) -> list[str]:
    return [table["source"]] if "source" in table else list(table.get("sources", []))


def _span(window: Window) -> str:
    start = f"{window.since} or earlier" if window.first_seen else query.start_of(window)
    return f"{start} to {query.end_of(window) or 'now'}"
