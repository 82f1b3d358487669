"""Recording what the data says of a brand as a whole: its name, parent company and origin (`lineup brand`),
and how complete its lineup in a market is known to be (`lineup coverage`). Each changes the documents of an
edit session (lineup.edit), which checks and writes them."""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lineup import dates
from lineup.edit import Document, Session
from lineup.errors import LineupError, UsageError
from lineup.model import Brand
from lineup.recording import refuse_invisible
from lineup.text import count


@dataclass(frozen=True, slots=True)
class BrandFacts:
    """What `lineup brand` sets: each None (or empty) when not given."""

    name: str | None = None
    parent: str | None = None
    origin: str | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()

    def given(self) -> dict[str, str]:
        """The facts that replace the brand's own, by key."""
        facts = {"origin": self.origin, "name": self.name, "parent": self.parent}
        return {key: value for key, value in facts.items() if value is not None}


def set_brand(work: Session, brand: Brand, facts: BrandFacts, allow_invisible: bool = False) -> list[Path]:
    """Set a brand's name, parent or origin, and add to its note and sources; the files to write.

    A fact the brand repeats in several files (as a split brand may) is set in each, so that they still agree; one
    no file states goes where the brand is defined."""
    if not facts.given() and not facts.note and not facts.sources:
        raise UsageError("--origin", "say what to set: --name, --parent, --origin, --note or --source")
    if not allow_invisible:
        refuse_invisible([("--name", facts.name), ("--parent", facts.parent), ("--note", facts.note),
                          *(("--source", s) for s in facts.sources)])  # fmt: skip
    home = work.holding("brands", brand.id, "name") or work.holding("brands", brand.id)
    assert home is not None, "a brand of the data is in a file"
    edited: dict[Path, None] = {}
    for key, value in facts.given().items():
        for path in _stating(work, brand.id, (key,)) or [home]:
            _table(work, path, brand.id)[key] = value
            edited[path] = None
    if facts.note or facts.sources:
        path = next(iter(_stating(work, brand.id, ("note", "source", "sources"))), home)
        table = _table(work, path, brand.id)
        if facts.note:
            table["note"] = f"{table['note']} {facts.note}" if table.get("note") else facts.note
        if facts.sources:
            table["sources"] = list(dict.fromkeys([*_sources(table), *facts.sources]))
            table.pop("source", None)
        edited[path] = None
    return list(edited)


@dataclass(frozen=True, slots=True)
class NewCoverage:
    """What `lineup coverage` says of a brand's lineup in a market: for all time, or for some model years."""

    complete: bool
    model_years: tuple[int, int | None] | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()

    def table(self) -> Document:
        """The stretch as a data file writes it."""
        table: Document = {"complete": self.complete}
        if self.model_years is not None:
            table["model_years"] = dates.years_text(*self.model_years)
        if self.note:
            table["note"] = self.note
        if self.sources:
            table["sources"] = list(dict.fromkeys(self.sources))
        return table


def set_coverage(
    work: Session, brand: Brand, market: str, coverage: NewCoverage, allow_invisible: bool = False
) -> Path:
    """Say how complete a brand's lineup in a market is known to be; the file to write.

    For all time, replacing what the data said for all time; or for a stretch of model years, replacing the
    stretch of those very years or adding one beside the others. A claim that a lineup is complete needs a source:
    it is what `show` trusts to stop saying that models may be missing."""
    if coverage.complete and not coverage.sources:
        raise UsageError("--source", "a lineup said to be complete needs --source, where the whole lineup is listed")
    if not allow_invisible:
        refuse_invisible([("--note", coverage.note), *(("--source", s) for s in coverage.sources)])
    path = work.holding("brands", brand.id, "coverage", market) or work.target(brand.id, market, None)
    table = _table(work, path, brand.id).setdefault("coverage", {})
    old = table.get(market)
    stretches: list[Document] = old if isinstance(old, list) else [] if old is None else [old]
    where = f"{brand.name} in {market} ({path})"
    if coverage.model_years is None:
        if any(_dated(s) for s in stretches):
            dated = count(len(stretches), "stretch", "stretches")
            raise LineupError(f"the coverage of {where} is dated, in {dated}: give --model-years to set one, or edit "
                              "the file by hand")  # fmt: skip
        table[market] = coverage.table()
        return path
    if stretches and not all(_dated(s) for s in stretches):
        raise LineupError(f"the coverage of {where} is for all time: set it again without --model-years, "
                          "or edit the file by hand to split it")  # fmt: skip
    if any("model_years" not in s for s in stretches):
        raise LineupError(f"the coverage of {where} is dated by calendar dates: edit the file by hand")
    kept = [s for s in stretches if _years(s) != coverage.model_years]
    for other in kept:
        if _overlap(_years(other), coverage.model_years):
            raise UsageError("--model-years", f"the coverage of {where} has a stretch for model years "
                             f"{_years_shown(_years(other))}, which these would overlap: give those very years to "
                             "replace it, or others")  # fmt: skip
    table[market] = sorted([*kept, coverage.table()], key=lambda s: _years(s)[0])
    return path


def _table(work: Session, path: Path, brand: str) -> Document:
    """The brand's table in the document of `path`, to change."""
    table: Document = work.document(path).setdefault("brands", {}).setdefault(brand, {})
    return table


def _stating(work: Session, brand: str, keys: Sequence[str]) -> list[Path]:
    """The files whose table of the brand states any of `keys`."""
    found = []
    for key, doc in work.reading.documents.items():
        table: Any = doc.get("brands", {}).get(brand) if isinstance(doc.get("brands"), dict) else None
        if isinstance(table, dict) and any(k in table for k in keys):
            found.append(Path(key))
    return found


def _sources(table: Document) -> list[str]:
    return [table["source"]] if "source" in table else list(table.get("sources", []))


def _dated(stretch: Document) -> bool:
    return any(key in stretch for key in ("since", "until", "model_years"))


def _years(stretch: Document) -> tuple[int, int | None]:
    return dates.parse_years(stretch["model_years"])


def _years_shown(years: tuple[int, int | None]) -> str:
    first, last = years
    return str(first) if first == last else dates.years_text(first, last)


def _overlap(a: tuple[int, int | None], b: tuple[int, int | None]) -> bool:
    end = 10_000  # an open range runs on
    return a[0] <= (b[1] if b[1] is not None else end) and b[0] <= (a[1] if a[1] is not None else end)
