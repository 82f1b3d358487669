"""`lineup import csv`: model-year lists (year,make,model,body_styles) into lineup's data files."""

import csv
import functools
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from lineup import dates, files
from lineup.edit import Session
from lineup.errors import LineupError
from lineup.load import source
from lineup.load.paths import real
from lineup.model import Body, Window
from lineup.text import shorten, slug

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
MAX_NOTES = 10  # the first few skipped rows are located; the rest are counted
MIN_NEIGHBOUR = 4  # models a neighbouring year's list must hold for a year under half of it to be thin


@dataclass
class Found:
    """One make's models as the lists give them, keyed by id: every spelling, body styles, model years."""

    names: Counter[str] = field(default_factory=Counter)
    models: dict[str, "FoundModel"] = field(default_factory=dict)  # by id
    unstyled: Counter[int] = field(default_factory=Counter)  # model year -> its rows with no body style
    rows: Counter[int] = field(default_factory=Counter)  # model year -> its rows

    def copy(self) -> "Found":
        """A copy to merge others into."""
        out = Found()
        out.absorb(self)
        return out

    def absorb(self, other: "Found") -> None:
        """Take in what another spelling of the same make found."""
        self.names.update(other.names)
        self.unstyled.update(other.unstyled)
        self.rows.update(other.rows)
        for key, model in other.models.items():
            if key in self.models:
                self.models[key].absorb(model)
            else:
                self.models[key] = model.copy()

    def counts(self) -> Counter[int]:
        """How many models the lists hold in each model year."""
        return Counter(year for model in self.models.values() for year in model.names)

    def thin(self, covered: set[int], short: Mapping[int, int]) -> dict[int, str]:
        """The model years whose list for this make is thin, each with why.

        Under half the models of each neighbouring year the lists cover, where each holds enough to tell
        (MIN_NEIGHBOUR); no row with a body style; or a year whose whole list is `short` (rows in it) while the
        make was on the lists up to it."""
        counts = self.counts()
        if not counts:
            return {}
        found = {}
        last_listed = max(counts)
        for year in sorted(y for y in covered if y >= min(counts)):
            near = [counts[y] for y in (year - 1, year + 1) if y in covered]
            if counts[year] and near and min(near) >= MIN_NEIGHBOUR and all(2 * counts[year] < n for n in near):
                around = " and ".join(f"{counts[y]} in {y}" for y in (year - 1, year + 1) if y in covered)
                found[year] = f"{counts[year]} models, under half of {around}"
            elif self.rows[year] and self.unstyled[year] == self.rows[year]:
                found[year] = "no body styles"
            elif year in short and last_listed >= min(short) - 1:
                found[year] = f"the whole list holds {short[year]} rows, under half of a usual year's"
        return found

    @property
    def name(self) -> str:
        """The most common spelling, preferring one that is not all capitals (Infiniti over INFINITI)."""
        ordered = [name for name, _ in self.names.most_common()]
        return next((n for n in ordered if not n.isupper()), ordered[0])


@dataclass
class FoundModel:
    """One model as the lists give it: its spelling each year, and its body styles."""

    names: dict[int, str] = field(default_factory=dict)  # the spelling of each year
    body: Counter[Body] = field(default_factory=Counter)

    def copy(self) -> "FoundModel":
        """A copy to merge others into."""
        return FoundModel(dict(self.names), Counter(self.body))

    def absorb(self, other: "FoundModel") -> None:
        """Take in what another spelling of the same model found."""
        self.names.update(other.names)
        self.body.update(other.body)

    @property
    def name(self) -> str:
        """The model's latest spelling."""
        return self.names[max(self.names)]  # the latest spelling

    @property
    def years(self) -> set[int]:
        """The model years the lists have it in."""
        return set(self.names)


@dataclass
class Reading:
    """What reading the lists found: each make's models, and the rows not used."""

    makes: dict[str, Found] = field(default_factory=dict)  # by brand id
    rows: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> rows not used
    unmapped: Counter[str] = field(default_factory=Counter)  # body style without a lineup word -> rows
    notes: list[str] = field(default_factory=list)  # the first few rows skipped, located
    years: set[int] = field(default_factory=set)  # the model years the lists cover
    per_year: Counter[int] = field(default_factory=Counter)  # model year -> rows, of every make

    def short(self) -> dict[int, int]:
        """The model years whose whole list holds under half the rows of the median year's, with their rows."""
        if not self.per_year:
            return {}
        typical = sorted(self.per_year.values())[len(self.per_year) // 2]
        return {year: n for year, n in self.per_year.items() if 2 * n < typical}

    @property
    def merged(self) -> list[str]:
        """Notes on names spelt differently (beyond case) that make one id, so one brand or model."""
        out = []
        for make_id, make in sorted(self.makes.items()):
            spellings = _spellings(make.names)
            if len(spellings) > 1:
                out.append(f"the makes {' and '.join(map(repr, spellings))} are one brand, {make_id}")
            for model_id, model in sorted(make.models.items()):
                spellings = _spellings(model.names.values())
                if len(spellings) > 1:
                    out.append(f"the {make.name} models {' and '.join(map(repr, spellings))} are one, {model_id}")
        return out


def _spellings(names: Iterable[str]) -> list[str]:
    """The names that differ other than in case, each once."""
    return sorted({name.casefold(): name for name in sorted(names)}.values())


def read(paths: Sequence[Path], makes: Iterable[str] = (), step: Callable[[int], None] = lambda n: None) -> Reading:
    """Read the lists; `makes` keeps only those makes (any case).

    Rows that cannot be used are counted and the first ones located in `notes`; a body style that does not map is
    reported, its row kept. `step` is told, now and then, how many more characters have been read (for a progress
    bar)."""
    wanted = {slug(m) for m in makes}
    out = Reading()
    seen: set[Path] = set()
    for path in paths:
        if real(path) in seen:  # a list named twice is read once
            continue
        seen.add(real(path))
        rows = csv.DictReader(_counted(io.StringIO(list_text(path)), step))
        try:
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
                    if len(out.notes) < MAX_NOTES:
                        out.notes.append(f"{path}:{rows.line_num}: {problem}")
        except csv.Error as e:
            raise LineupError(f"not a readable CSV file: {e}", file=str(path), line=rows.line_num) from None
    return out


def list_text(path: Path) -> str:
    """A list's text; a byte that is not UTF-8 is an error with its line."""
    try:
        raw, _ = files.read_bytes(path, source.MAX_BYTES)
    except OSError as e:
        raise LineupError(f"cannot read: {e.strerror or e}", file=str(path)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        message = f"not UTF-8 text (byte 0x{raw[e.start]:02x}); save the file as UTF-8"
        raise LineupError(message, file=str(path), line=line) from None


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
    good_year = year.isascii() and year.isdigit() and dates.MIN_YEAR <= int(year) <= dates.MAX_YEAR
    if good_year:
        out.years.add(int(year))  # the lists cover that year, for every make
        out.per_year[int(year)] += 1
    if not make or not model:
        return "no make or model"
    make_id, model_id = slug(make), slug(model)
    if wanted and make_id not in wanted:
        return None
    if not make_id or not model_id:
        return "no letter or digit in the make or model"
    if not good_year:
        return f"year {shorten(year, 20)} is not a year"
    styles, unmapped = _styles(row.get("body_styles") or "")
    found = out.makes.get(make_id) or out.makes.setdefault(make_id, Found())
    found.names[make] += 1
    found.rows[int(year)] += 1
    if not styles:
        found.unstyled[int(year)] += 1
    entry = found.models.get(model_id) or found.models.setdefault(model_id, FoundModel())
    entry.names[int(year)] = model
    entry.body.update(styles)
    if unmapped is not None:
        out.unmapped[unmapped] += 1
    return None


@functools.cache  # a list holds a few dozen distinct cells in thousands of rows
def _styles(cell: str) -> tuple[tuple[Body, ...], str | None]:
    """The body styles of a cell (a JSON list of names, or one name), and a name with no lineup word."""
    if not cell.strip():
        return (), None
    try:
        listed = json.loads(cell)
    except (json.JSONDecodeError, RecursionError):
        listed = cell
    names = listed if isinstance(listed, list) else [listed]
    styles: list[Body] = []
    unmapped = None
    for name in names:
        body = BODY_STYLES.get(name.strip().casefold()) if isinstance(name, str) else None
        if body is None:
            text = name if isinstance(name, str) else "(not a name)"
            unmapped = text if len(text) <= 40 else text[:37] + "..."
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


@dataclass
class Outcome:
    """What an import did: how much it read and added, and what it kept as it was."""

    brands: int = 0
    models: int = 0
    windows: int = 0
    new_windows: int = 0
    conflicts: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # names the data's ids bring together
    partial: list[str] = field(default_factory=list)  # makes and the model years their lists are thin in


def merge(work: Session, found: Reading, market: str, into: Path, into_file: bool, source: str) -> Outcome:
    """Put what the lists say into the data: new brands and models with their windows.

    For a model the data already has in the market, keep the hand-written windows and report any disagreement. A
    brand new to the data goes into `into` (a file, or else BRAND.toml in that folder); one the data has is edited
    where it is. A file is opened for editing only when something is added to it."""
    outcome = Outcome()
    short = found.short()
    brands = _targets(found.makes, work.dataset.brands, lambda make: make.names, outcome.merged, "makes", "brand")
    for brand_id, (brand, make) in sorted(brands.items()):
        if brand is not None:
            path = work.target(brand_id, market, None)
        else:
            path = work.writable(into) if into_file else into / f"{brand_id}.toml"

        def table(path: Path = path, brand_id: str = brand_id) -> dict[str, Any]:
            brands: dict[str, dict[str, Any]] = work.document(work.known(path)).setdefault("brands", {})
            return brands.setdefault(brand_id, {})

        if brand is None:
            table().setdefault("name", make.name)
        outcome.brands += 1
        known_models = brand.models if brand is not None else {}
        models = _targets(make.models, known_models, lambda m: m.names.values(), outcome.merged,
                          f"{make.name} models", "model")  # fmt: skip
        for model_id, (known, entry) in sorted(models.items()):
            if known is None:
                definition: dict[str, Any] = {"name": entry.name}
                if entry.body:
                    definition["body"] = [b.value for b, _ in entry.body.most_common()]
                table().setdefault("models", {})[model_id] = definition
            outcome.models += 1
            wanted = runs(entry.years)
            outcome.windows += len(wanted)
            existing = brand.markets.get(market, {}).get(model_id, ()) if brand is not None else ()
            if not existing:
                windows = [{"model_years": _years(a, b), "source": source} for a, b in wanted]
                table().setdefault("markets", {}).setdefault(market, {})[model_id] = windows
                outcome.new_windows += len(wanted)
            elif (have := _model_years(existing, found.years)) != entry.years:
                outcome.conflicts.append(_conflict(brand_id, model_id, market, have, entry.years))
        for model_id, existing in brand.markets.get(market, {}).items() if brand is not None else ():
            if model_id not in models and (have := _model_years(existing, found.years)):
                outcome.conflicts.append(_conflict(brand_id, model_id, market, have, set()))
        thin = make.thin(found.years, short)
        if thin:
            said = f"{brand_id} {_spans(set(thin))}"
            if brand is not None and market in brand.coverage:
                said += f" (not recorded: the data already says what it covers of {brand_id} in {market})"
            else:
                table().setdefault("coverage", {})[market] = _partial(thin, source)
            outcome.partial.append(said)
    return outcome


def _partial(thin: Mapping[int, str], source: str) -> list[dict[str, Any]]:
    """Stretches of partial coverage for the thin model years, each run of years with why."""
    stretches = []
    for first, last in runs(thin):
        why = "; ".join(f"{year}: {thin[year]}" for year in range(first, last + 1))
        note = f"The model-year list is thin here ({why}): a model missing from it may still have been on sale."
        stretches.append({"model_years": _years(first, last), "complete": False, "note": note, "source": source})
    return stretches


_Found = TypeVar("_Found", Found, "FoundModel")


def _targets(
    items: Mapping[str, _Found],
    known: Mapping[str, Any],
    names: Callable[[_Found], Iterable[str]],
    notes: list[str],
    what: str,
    kind: str,
) -> dict[str, tuple[Any, _Found]]:
    """What the lists found, by the id it takes in the data: the data's brand or model (by id, else by
    name) with everything the lists say of it, merged where two of them reach the same one."""
    out: dict[str, tuple[Any, _Found]] = {}
    spelt: dict[str, list[str]] = {}
    for key in sorted(items):
        item = items[key]
        match = _known(known, key, names(item))
        target = match.id if match is not None else key
        if target in out:
            out[target][1].absorb(item)
        else:
            out[target] = (match, item.copy())
        spelt.setdefault(target, []).append(_spellings(names(item))[0])
    for target, spellings in spelt.items():
        if len(spellings) > 1:
            notes.append(f"the {what} {' and '.join(map(repr, spellings))} are the data's {kind} {target}")
    return out


def _conflict(brand: str, model: str, market: str, have: set[int], lists: set[int]) -> str:
    return (
        f"{brand}/{model} in {market}: in the years the lists cover, the data has {_spans(have)}, "
        f"the lists {_spans(lists)}"
    )


def _known(items: Any, key: str, names: Iterable[str]) -> Any:
    """The brand or model the data has for an id or any of these names (ignoring case), if any."""
    if key in items:
        return items[key]
    spelt = {name.casefold() for name in names}
    return next((item for item in items.values() if item.name.casefold() in spelt), None)


def _years(first: int, last: int) -> int | str:
    return first if first == last else dates.years_text(first, last)


def _model_years(windows: Iterable[Window], covered: set[int]) -> set[int]:
    """The model years of the windows among those the lists cover (an open window runs on through them)."""
    out: set[int] = set()
    for w in windows:
        out.update(range(w.first_model_year, (w.last_model_year or max(covered)) + 1))
    return out & covered


def _spans(years: set[int]) -> str:
    """Model years as the data writes them: 2019, 2019-2023, 2025."""
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs(years)) or "none"


def default_source(paths: Sequence[Path]) -> str:
    """A stable citation for windows read from `paths`, so that importing them again changes nothing."""
    names = sorted({p.name for p in paths})
    listed = ", ".join(names) if len(names) <= 3 else f"{names[0]} to {names[-1]}, {len(names)} files"
    return f"model-year lists: {listed}"
