"""Editing data files without loss: under a lock, checked before writing, written atomically.

An edit reads the data files, changes the documents of the files it must, and writes them in
lineup's canonical layout (`lineup fmt`). Only files already in that layout are edited, so a
git diff shows the edited lines and nothing else; a file in another layout, or with comments,
is refused with a way forward instead of being rewritten.
"""

import contextlib
import datetime as dt
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lineup import dates, files, fmt, load, query
from lineup.model import Dataset, LineupError, Window

Document = dict[str, Any]

PACKAGED = (
    "is the dataset installed with lineup, which edits never change: start your own data file with "
    "`lineup init FILE`, then use `--data FILE` or `export LINEUP_DATA=FILE`"
)


@dataclass
class Session:
    """The data files as read under the lock, and the documents an edit has changed."""

    roots: list[Path]  # the paths given: files and folders
    paths: list[Path]  # the files read
    reading: load.Reading  # the data as read, which locates its places by line
    changed: dict[str, Document] = field(default_factory=dict)

    @property
    def dataset(self) -> Dataset:
        assert self.reading.dataset is not None  # session() refuses data that does not load
        return self.reading.dataset

    def document(self, path: Path) -> Document:
        """The document of `path` to change: its data, or a new empty one for a file not there yet."""
        key = str(path)
        if key not in self.changed:
            text = self.reading.texts.get(key)
            if text is not None:
                _editable(path, text, self.reading.documents[key])
            self.changed[key] = tomllib.loads(text) if text is not None else {}  # a copy to change
        return self.changed[key]

    def holding(self, *keys: str) -> Path | None:
        """The first file that writes the table at `keys` (brands, x, markets, TW), if one does."""
        for key, doc in self.reading.documents.items():
            table: Any = doc
            for part in keys:
                table = table.get(part) if isinstance(table, dict) else None
            if table is not None:
                return Path(key)
        return None

    def reads(self, path: Path) -> bool:
        """Whether the data as given (files and folders) takes in `path`, so that later reads see it."""
        real = path.resolve()
        return any(real == r.resolve() or (r.is_dir() and real.is_relative_to(r.resolve())) for r in self.roots)

    def target(self, brand: str, market: str, file: Path | None) -> Path:
        """Where an edit of `brand` in `market` goes: the file holding that market of the brand, else the
        file holding the brand, else `file`, else the one data file, else BRAND.toml in the one data folder."""
        found = self.holding("brands", brand, "markets", market) or self.holding("brands", brand)
        if found is not None:
            if file is not None and file.resolve() != found.resolve():
                raise LineupError(f"{brand!r} is already in {found}, where its edits go", file=str(file))
            return found
        if file is not None:  # the data's own spelling of it, so that its text is the one edited
            return next((p for p in self.paths if p.resolve() == file.resolve()), file)
        if len(self.roots) == 1 and self.roots[0].is_dir():
            return self.roots[0] / f"{brand}.toml"
        if len(self.paths) == 1:
            return self.paths[0]
        raise LineupError(f"the data is in several files and none holds {brand!r}: say which with --file")


def _editable(path: Path, text: str, doc: Document) -> None:
    if load.is_packaged(path):
        raise LineupError(PACKAGED, file=str(path))
    comment = fmt.first_comment(text)
    if comment is not None:
        raise LineupError(
            f"holds comments (line {comment}), which an edit would lose: edit this file by hand, "
            "or move its comments into `note` fields",
            file=str(path),
        )
    if fmt.dumps(doc, fmt.directive_of(text)) != text:
        raise LineupError(
            "is not in lineup's canonical layout, so an edit would rewrite more than it must: "
            f"run `lineup fmt {path}` first (and commit that), then edit",
            file=str(path),
        )


@contextlib.contextmanager
def session(roots: Sequence[Path], extra: Sequence[Path] = (), empty_ok: bool = False) -> Iterator[Session]:
    """The data under a lock held until the edit is written; `extra` names files that may not exist yet.
    With `empty_ok`, a folder with no data yet (or none at all) is an empty dataset to add to."""
    if empty_ok:
        roots = [r for r in roots if r.is_file() or (r.is_dir() and any(r.rglob("*.toml")))] or []
    data = load.expand([*roots, *(e for e in extra if e.exists())])  # an existing target is read, never replaced
    folders = sorted({p.resolve().parent for p in [*data, *extra]} | {r.resolve() for r in roots if r.is_dir()})
    with files.locked(folders):
        reading = load.read(data, keep_documents=True)
        if reading.problems or reading.dataset is None:
            error = reading.problems[0].error()
            error.message += " (fix the data before editing it; see lineup check)"
            raise error
        yield Session(list(roots), list(data), reading)


def commit(work: Session) -> list[Path]:
    """Write the changed documents: check that they make valid data, then write each file atomically."""
    texts = {
        key: fmt.dumps(doc, fmt.directive_of(work.reading.texts.get(key, ""))) for key, doc in work.changed.items()
    }
    texts = {key: text for key, text in texts.items() if text != work.reading.texts.get(key)}
    if not texts:
        return []
    paths = [*work.paths, *(Path(key) for key in texts if key not in work.reading.texts)]
    after = load.read(paths, texts)
    if after.problems:
        error = after.problems[0].error()
        error.message = f"the edit would make the data invalid, so nothing was written: {error.message}"
        raise error
    for key in texts:
        if load.is_packaged(Path(key)):
            raise LineupError(PACKAGED, file=key)
    files.write_all({Path(key): text for key, text in texts.items()})
    return [Path(key) for key in texts]


# --- add and drop ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewWindow:
    since: dates.PartialDate | None
    until: dates.PartialDate | None
    model_years: tuple[int, int | None] | None
    note: str | None
    sources: tuple[str, ...]

    def table(self) -> Document:
        table: Document = {}
        if self.since is not None:
            table["since"] = str(self.since)
        if self.until is not None:
            table["until"] = str(self.until)
        if self.model_years is not None:
            first, last = self.model_years
            table["model_years"] = f"{first}-{last if last is not None else ''}"
        if self.note:
            table["note"] = self.note
        if self.sources:
            table["sources"] = list(self.sources)
        return table


def add(
    work: Session,
    brand: str,
    model: str,
    market: str,
    window: NewWindow,
    new_model: Document | None,
    new_brand: Document | None,
    file: Path | None,
) -> Path:
    """Open a window; a new model or brand comes with its definition. Returns the file to write."""
    _refuse_overlap(work, brand, model, market, window)
    path = work.target(brand, market, file)
    doc = work.document(path)
    table = doc.setdefault("brands", {}).setdefault(brand, {})
    if new_brand is not None:
        table.update(new_brand)
    if new_model is not None:
        table.setdefault("models", {})[model] = new_model
    entries = table.setdefault("markets", {}).setdefault(market, {})
    existing = entries.get(model, [])
    entries[model] = [*(existing if isinstance(existing, list) else [existing]), window.table()]
    return path


def _refuse_overlap(work: Session, brand: str, model: str, market: str, window: NewWindow) -> None:
    known = work.dataset.brands.get(brand)
    new = Window(since=window.since, until=window.until, model_years=window.model_years)
    for old in known.markets.get(market, {}).get(model, ()) if known is not None else ():
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
    brand: str,
    model: str,
    market: str,
    until: dates.PartialDate,
    note: str | None,
    sources: Sequence[str],
) -> Path:
    """Close the model's open window in the market. Returns the file to write."""
    found = work.dataset.brands[brand].markets.get(market, {}).get(model, ())
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
    path = Path(window.place.file)
    doc = work.document(path)
    key = window.place.key  # brands, brand, markets, market, model[, index]
    value = doc["brands"][brand]["markets"][market][model]
    table = value[key[5]] if len(key) > 5 else value
    table["until"] = str(until)
    if note:
        table["note"] = f"{table['note']} {note}" if table.get("note") else note
    if sources:
        known = [table["source"]] if "source" in table else list(table.get("sources", []))
        table.pop("source", None)
        table["sources"] = list(dict.fromkeys([*known, *sources]))
    return path


def _span(window: Window) -> str:
    start = f"{window.since} or earlier" if window.first_seen else query.start_of(window)
    return f"{start} to {query.end_of(window) or 'now'}"


def init(path: Path) -> Path:
    """Start a data file of one's own: a copy of the embedded dataset at `path`, a .toml file, or else a
    folder (made if need be) to hold lineups.toml."""
    target = path if path.suffix == ".toml" and not path.is_dir() else path / "lineups.toml"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LineupError(f"cannot make the folder: {e.strerror or e}", file=str(target.parent)) from None
    with files.locked([target.parent]):
        if target.exists():
            raise LineupError("already exists; lineup init never overwrites a file", file=str(target))
        files.atomic_write(target, load.embedded_path().read_text(encoding="utf-8"))
    return target
