"""`lineup import csv`: model-year lists (year,make,model,body_styles) into lineup's data files."""

import csv
import functools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lineup import dates
from lineup.edit import Session
from lineup.model import Body, LineupError

# The list's body styles in lineup's words. "Van/Minivan" does not say which: a van is the wider word.
BODY_STYLES = {
    "sedan": Body.sedan,
    "coupe": Body.coupe,
    "convertible": Body.convertible,
    "hatchback": Body.hatchback,
    "wagon": Body.wagon,
    "suv": Body.suv,
    "crossover": Body.crossover,
    "pickup": Body.pickup,
    "van": Body.van,
    "minivan": Body.minivan,
    "van/minivan": Body.van,
}
COLUMNS = ("year", "make", "model", "body_styles")


@dataclass
class Found:
    """One make's models as the list gives them: names, body styles and model years."""

    names: Counter[str] = field(default_factory=Counter)
    models: dict[str, "FoundModel"] = field(default_factory=dict)  # by name, case-folded


@dataclass
class FoundModel:
    names: dict[int, str] = field(default_factory=dict)  # the spelling of each year
    body: Counter[Body] = field(default_factory=Counter)
    years: set[int] = field(default_factory=set)

    @property
    def name(self) -> str:
        return self.names[max(self.names)]  # the latest spelling


@dataclass
class Reading:
    makes: dict[str, Found] = field(default_factory=dict)  # by make, case-folded
    rows: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> rows not used
    unmapped: Counter[str] = field(default_factory=Counter)  # body style without a lineup word -> rows
    notes: list[str] = field(default_factory=list)  # the first few problems, located


def read(paths: Sequence[Path], makes: Iterable[str] = (), step: Callable[[int], None] = lambda n: None) -> Reading:
    """Read the lists; `makes` keeps only those makes (any case). Rows that cannot be used are counted
    and the first ones located in `notes`; a body style that does not map is reported, its row kept.
    `step` is told, now and then, how many more characters have been read (for a progress bar)."""
    wanted = {m.casefold() for m in makes}
    out = Reading()
    for path in paths:
        try:
            handle = path.open(newline="", encoding="utf-8-sig")
        except OSError as e:
            raise LineupError(f"cannot read: {e.strerror or e}", file=str(path)) from None
        with handle:
            try:
                rows = csv.DictReader(_counted(handle, step))
                missing = [c for c in COLUMNS if c not in (rows.fieldnames or ())]
                if missing:
                    raise LineupError(
                        f"no {', '.join(missing)} column; the columns are {', '.join(COLUMNS)}", file=str(path)
                    )
                for row in rows:
                    out.rows += 1
                    problem = _row(out, row, wanted)
                    if problem is not None:
                        out.skipped[problem] += 1
                        if len(out.notes) < 10:
                            out.notes.append(f"{path}:{rows.line_num}: {problem}")
            except (UnicodeDecodeError, csv.Error) as e:
                raise LineupError(f"not a readable CSV file: {e}", file=str(path)) from None
    return out


def _counted(lines: Iterable[str], step: Callable[[int], None], every: int = 1 << 16) -> Iterator[str]:
    """The lines, telling `step` how many characters went by every `every` or so."""
    pending = 0
    for line in lines:
        pending += len(line)
        if pending >= every:
            step(pending)
            pending = 0
        yield line
    step(pending)


def _row(out: Reading, row: dict[str, Any], wanted: set[str]) -> str | None:
    """Add one row; return why it cannot be used, or None. A body style that does not map is noted."""
    make, model, year = ((row.get(key) or "").strip() for key in ("make", "model", "year"))
    if not make or not model:
        return "no make or model"
    if wanted and make.casefold() not in wanted:
        return None
    if not (year.isdigit() and dates.MIN_YEAR <= int(year) <= dates.MAX_YEAR):
        return f"year {year!r} is not a year"
    styles, unmapped = _styles(row.get("body_styles") or "")
    found = out.makes.get(make.casefold()) or out.makes.setdefault(make.casefold(), Found())
    found.names[make] += 1
    entry = found.models.get(model.casefold()) or found.models.setdefault(model.casefold(), FoundModel())
    entry.names[int(year)] = model
    entry.years.add(int(year))
    entry.body.update(styles)
    if unmapped is not None:
        out.unmapped[unmapped] += 1
    return None


@functools.cache  # a list holds a few dozen distinct cells in thousands of rows
def _styles(cell: str) -> tuple[tuple[Body, ...], str | None]:
    if not cell.strip():
        return (), None
    try:
        listed = json.loads(cell)
    except json.JSONDecodeError:
        listed = [cell]
    names = listed if isinstance(listed, list) else [listed]
    styles: list[Body] = []
    unmapped = None
    for name in names:
        body = BODY_STYLES.get(str(name).strip().casefold())
        if body is None:
            unmapped = str(name)
        elif body not in styles:
            styles.append(body)
    return tuple(styles), unmapped


def runs(years: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive model years as ranges: a missing year splits them."""
    out: list[tuple[int, int]] = []
    for year in sorted(set(years)):
        if out and year == out[-1][1] + 1:
            out[-1] = (out[-1][0], year)
        else:
            out.append((year, year))
    return out


def slug(name: str) -> str:
    """A stable id from a name: `Mercedes-Benz` -> `mercedes-benz`, `3 Series` -> `3-series`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9._-]+", "-", plain.casefold()).strip("-._") or "x"


@dataclass
class Outcome:
    brands: int = 0
    models: int = 0
    windows: int = 0
    new_windows: int = 0
    conflicts: list[str] = field(default_factory=list)


def merge(work: Session, found: Reading, market: str, into: Path, source: str) -> Outcome:
    """Put what the lists say into the data: new brands and models with their windows; for a model the
    data already has in the market, keep the hand-written windows and report any disagreement."""
    outcome = Outcome()
    for make_key in sorted(found.makes):
        make = found.makes[make_key]
        name = _brand_name(make.names)
        brand = work.dataset.brands.get(slug(name)) or next(
            (b for b in work.dataset.brands.values() if b.name.casefold() == make_key), None
        )
        brand_id = brand.id if brand is not None else slug(name)
        path = work.target(brand_id, market, None) if brand is not None else _file(work, into, brand_id)

        def table(path: Path = path, brand_id: str = brand_id) -> dict[str, Any]:
            """The brand's table to add to; a file is opened for editing only when something is added."""
            brands: dict[str, dict[str, Any]] = work.document(path).setdefault("brands", {})
            return brands.setdefault(brand_id, {})

        if brand is None:
            table().setdefault("name", name)
        outcome.brands += 1
        ids = _model_ids(make, brand)
        for model_key in sorted(make.models):
            entry, model_id = make.models[model_key], ids[model_key]
            known = brand.models.get(model_id) if brand is not None else None
            if known is None:
                definition: dict[str, Any] = {"name": entry.name}
                if entry.body:
                    definition["body"] = [b.value for b, _ in entry.body.most_common()]
                table().setdefault("models", {}).setdefault(model_id, definition)
            outcome.models += 1
            wanted = [{"model_years": _years(a, b), "source": source} for a, b in runs(entry.years)]
            outcome.windows += len(wanted)
            existing = brand.markets.get(market, {}).get(model_id, ()) if brand is not None else ()
            if not existing:
                table().setdefault("markets", {}).setdefault(market, {})[model_id] = wanted
                outcome.new_windows += len(wanted)
            elif [(w.first_model_year, w.last_model_year) for w in existing] != runs(entry.years):
                have = ", ".join(_span(w.first_model_year, w.last_model_year) for w in existing)
                lists = ", ".join(_span(a, b) for a, b in runs(entry.years))
                outcome.conflicts.append(f"{brand_id}/{model_id} in {market}: the data has {have}, the lists {lists}")
    return outcome


def _brand_name(names: Counter[str]) -> str:
    """The make's most common spelling, preferring one that is not all capitals (Infiniti over INFINITI)."""
    ordered = [name for name, _ in names.most_common()]
    return next((n for n in ordered if not n.isupper()), ordered[0])


def _model_ids(make: Found, brand: Any) -> dict[str, str]:
    """A stable id per model: the data's id for a model it has (by id or name), else one made from the name."""
    taken: set[str] = set(brand.models) if brand is not None else set()
    out = {}
    for key in sorted(make.models):
        entry = make.models[key]
        known = None
        if brand is not None:
            known = brand.models.get(slug(entry.name)) or next(
                (m for m in brand.models.values() if m.name.casefold() == key), None
            )
        if known is not None:
            out[key] = known.id
            continue
        base = slug(entry.name)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        out[key] = candidate
    return out


def _years(first: int, last: int) -> int | str:
    return first if first == last else f"{first}-{last}"


def _span(first: int, last: int | None) -> str:
    """Model years as the data writes them: 2019, 2019-2023, or 2019- while open."""
    return str(first) if first == last else f"{first}-{last or ''}"


def _file(work: Session, into: Path, brand: str) -> Path:
    """Where a brand new to the data goes: its own file in a folder, or the one data file."""
    if into.suffix == ".toml":
        return into
    return into / f"{brand}.toml"


def default_source(paths: Sequence[Path]) -> str:
    """A stable citation for windows read from `paths`, so that importing them again changes nothing."""
    names = sorted(p.name for p in paths)
    listed = ", ".join(names) if len(names) <= 3 else f"{names[0]} to {names[-1]}, {len(names)} files"
    return f"model-year lists: {listed}"
