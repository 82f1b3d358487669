"""Data files -> one merged, validated Dataset; every problem names its file and place."""

import codecs
import contextlib
import datetime as dt
import functools
import gc
import itertools
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from lineup import countries, dates
from lineup.model import (
    Body,
    Brand,
    Coverage,
    Dataset,
    KeyPath,
    LineupError,
    Model,
    Place,
    Powertrain,
    Span,
    Window,
    count,
    did_you_mean,
    shorten,
)

if TYPE_CHECKING:
    from lineup.cache import Cache
    from lineup.tomlpos import Positions

ENV_VAR = "LINEUP_DATA"

ID_SYNTAX = r"[a-z0-9]([a-z0-9._-]*[a-z0-9])?"
_ID = re.compile(ID_SYNTAX)
# The keys of each table, in the order lineup fmt writes them (the schema takes the same lists).
SPAN_KEYS = ("since", "until", "plan", "note", "source", "sources")
WINDOW_KEYS = ("since", "on_sale_by", "until", "model_years", "plan", "note", "source", "sources")
BRAND_KEYS = ("name", "parent", "origin", "note", "source", "sources", "models", "markets", "coverage")
MODEL_KEYS = ("name", "body", "powertrain", "follows", "generation", "note", "source", "sources", "production")
COVERAGE_KEYS = ("complete", "note", "source", "sources")


def is_id(text: str) -> bool:
    """Whether `text` can be a brand or model id: lower-case letters, digits and - . _"""
    return _ID.fullmatch(text) is not None


def embedded_path() -> Path:
    """The dataset shipped with lineup (inside the package, or beside it in a checkout)."""
    packaged = Path(__file__).resolve().parent / "data" / "lineups.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "data" / "lineups.toml"


def is_packaged(path: Path) -> bool:
    """Whether `path` is in the data folder installed inside the package, which edits must not touch."""
    return path.resolve().is_relative_to(Path(__file__).resolve().parent / "data")


def data_paths(options: Sequence[Path] | None, environ: Mapping[str, str] = os.environ) -> list[Path]:
    """Where to read: every --data path, else $LINEUP_DATA, else the embedded dataset."""
    if options:
        return list(options)
    from_env = [Path(p) for p in environ.get(ENV_VAR, "").split(os.pathsep) if p]
    return from_env or [embedded_path()]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files to read: each file as given, each folder's *.toml files recursively in sorted order."""
    files: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if "\x00" in str(path):  # the system would refuse it with a ValueError
            raise LineupError(f"{shorten(str(path))} is not a path: it holds a NUL character")
        if path.is_dir():
            found = sorted(_toml_files(path))
            if not found:
                raise LineupError("no .toml files in this folder", file=str(path))
        elif path.exists():
            found = [path]
        elif path.is_symlink():
            raise LineupError("is a symlink that leads nowhere (a loop, or a target not there)", file=str(path))
        else:
            raise LineupError("no such file or folder", file=str(path))
        for file in found:
            try:
                real = file.resolve(strict=True)
            except (OSError, RuntimeError):  # a symlink loop: reading it will say so, as a problem of its own
                files.append(file)
                continue
            if real not in seen:  # the same file named twice is read once
                seen.add(real)
                files.append(file)
    return files


def holds_data(folder: Path) -> bool:
    """Whether a folder holds a data file, as expand() finds them."""
    return any(True for _ in _toml_files(folder))


def folders(root: Path) -> Iterator[Path]:
    """The real path of `root` and of each folder under it that expand() reads."""
    yield root.resolve()
    for path, dirs, _ in _walk(root):
        yield from (Path(path, d).resolve() for d in dirs)


def is_read_in(folder: Path, path: Path) -> bool:
    """Whether expand() of `folder` takes in the file `path` (a .toml name, no hidden part below it)."""
    try:
        parts = path.resolve().relative_to(folder.resolve()).parts
    except ValueError:
        return False
    return path.name.endswith(".toml") and not any(part.startswith(".") for part in parts)


def _toml_files(folder: Path) -> Iterator[Path]:
    for root, _, names in _walk(folder):
        for name in names:
            if name.endswith(".toml") and not name.startswith("."):
                yield Path(root) / name


def _walk(folder: Path) -> Iterator[tuple[str, list[str], list[str]]]:
    """The folder and its folders that are not hidden. os.walk does not follow symlinked folders, so a
    symlink loop cannot trap it; a folder it cannot read is an error, not data quietly left out."""

    def unreadable(error: OSError) -> None:
        raise LineupError(f"cannot read the folder: {error.strerror or error}", file=error.filename)

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        yield root, dirs, names


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the data, at a place in a file."""

    file: str
    key: KeyPath
    message: str
    rule: str
    line: int | None = None
    column: int | None = None

    def error(self) -> LineupError:
        return LineupError(self.message, file=self.file, line=self.line, column=self.column, key=self.key)


def load(paths: Sequence[Path], cache: "Cache | None" = None) -> Dataset:
    """Read and merge files; raise the first problem as a LineupError."""
    reading = read(expand(paths), cache=cache)
    problems = reading.problems
    if problems:
        error = problems[0].error()
        if len(problems) > 1:
            error.message += f" (and {count(len(problems) - 1, 'more problem')})"
        raise error
    assert reading.dataset is not None
    return reading.dataset


@dataclass(frozen=True, slots=True)
class Reading:
    """What reading files gave: the dataset (None if anything was wrong), every problem, and the texts."""

    dataset: Dataset | None
    problems: list[Problem]
    texts: Mapping[str, str]
    _reader: "_Reader"

    @property
    def documents(self) -> Mapping[str, dict[str, Any]]:
        """Each file's parsed TOML, when read with keep_documents (for an edit); not to be changed."""
        return self._reader.documents

    def stamp(self, file: str) -> tuple[int, int] | None:
        """The file's modification time (ns) and size when it was read, to see if it changed since."""
        return self._reader.stamps.get(file)

    def has_bom(self, file: str) -> bool:
        """Whether the file starts with a byte-order mark (its text, as read, does not)."""
        return file in self._reader.boms

    def problem(self, place: Place, message: str, rule: str) -> Problem:
        """A problem at `place`, with its line and column."""
        found = self._reader.position(place.file, place.key)
        line, column = found if found else (None, None)
        return Problem(place.file, place.key, message, rule, line, column)


def read(
    files: Sequence[Path],
    texts: Mapping[str, str] | None = None,
    keep_documents: bool = False,
    cache: "Cache | None" = None,
) -> Reading:
    """Read and merge files, collecting every problem found instead of stopping at the first.
    `texts` gives the contents of some files instead of the disk (to check an edit before writing it);
    `keep_documents` keeps each file's parsed TOML, which an edit starts from; `cache` keeps what
    each file says, checked, for the next read of the same file."""
    reader = _Reader(keep_documents, cache)
    with _collector_paused():  # reading makes many objects and frees none: counting them is waste
        for file in files:
            given = (texts or {}).get(str(file))
            reader.read_file(file, given)
        dataset = reader.build()
    problems = reader.located_problems()
    return Reading(None if problems else dataset, problems, reader.texts, reader)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- reading one file -------------------------------------------------------------

_Choice = TypeVar("_Choice", Body, Powertrain)

MAX_HINTS = 20  # problems that get a did-you-mean
MAX_BYTES = 100 * 1024 * 1024  # tomllib needs about a minute for this much; split larger data into files


@dataclass(slots=True)
class Attr:
    value: Any
    place: Place


@dataclass(slots=True)
class Heavy:
    """A brand's models, windows and coverage as one file gives them: what is built only when asked."""

    models: dict[str, Model] = field(default_factory=dict)
    markets: dict[str, dict[str, tuple[Window, ...]]] = field(default_factory=dict)  # windows in date order
    coverage: dict[str, Coverage] = field(default_factory=dict)


@dataclass(slots=True)
class BrandPart:
    """What one file says of one brand. The light part (names, ids, keys) is what merging files and
    checking references needs; the heavy part is built, or read from the cache, only when asked."""

    id: str
    file: str
    attrs: dict[str, "Attr"] = field(default_factory=dict)
    models: dict[str, tuple[str, ...]] = field(default_factory=dict)  # model id -> what it follows
    markets: dict[str, list[str]] = field(default_factory=dict)  # code -> the models with windows there
    coverage: list[str] = field(default_factory=list)  # codes
    # Written but invalid, already reported: later checks must not report them again as missing.
    broken: set[str] = field(default_factory=set)
    heavy: Heavy | None = None
    load_heavy: Callable[[], Heavy] | None = None

    def full(self) -> Heavy:
        if self.heavy is None:
            assert self.load_heavy is not None
            self.heavy = self.load_heavy()
        return self.heavy

    def at(self, *keys: str | int) -> Place:
        return Place(self.file, ("brands", self.id, *keys))


class _Reader:
    def __init__(self, keep_documents: bool = False, cache: "Cache | None" = None) -> None:
        self.keep_documents = keep_documents
        self.cache = cache
        self.cached: set[str] = set()  # files read from the cache, whose text is read only if a place is needed
        self.documents: dict[str, dict[str, Any]] = {}
        self.boms: set[str] = set()  # files that start with a byte-order mark, which texts leave out
        self.stamps: dict[str, tuple[int, int]] = {}  # each file's mtime (ns) and size when read
        self.stats: dict[str, os.stat_result] = {}  # all that was known of it then (taken before reading it)
        self.hints = 0  # problems given a did-you-mean so far
        self.texts: dict[str, str] = {}
        self.problems: list[Problem] = []
        self.parts: dict[str, list[BrandPart]] = {}  # brand id -> what each file says of it, in file order
        self.files: list[str] = []
        self._positions: dict[str, Positions] = {}

    # -- problems

    def hint(self, word: str, choices: Iterable[str]) -> str:
        """A did-you-mean for the first few problems: each looks at every choice, and a file of
        thousands of mistakes must not cost thousands of times thousands of comparisons."""
        self.hints += 1
        return did_you_mean(word, choices) if self.hints <= MAX_HINTS else ""

    def fail(self, place: Place, message: str, rule: str) -> None:
        self.problems.append(Problem(place.file, place.key, message, rule))

    def where(self, place: Place) -> str:
        line = self.position(place.file, place.key)
        return f"{place.file}:{line[0]}" if line else place.file

    def position(self, file: str, key: KeyPath) -> tuple[int, int] | None:
        if not key:
            return None
        text = self.texts.get(file)
        if text is None and file in self.cached:  # read from the cache: its text is needed only now
            text = _read_text(Path(file))
            if text is not None:
                self.texts[file] = text
        if text is None:
            return None
        if file not in self._positions:
            from lineup.tomlpos import Positions  # only a problem needs a line: a clean read, none

            self._positions[file] = Positions(text)
        return self._positions[file].find(key)

    def located_problems(self) -> list[Problem]:
        out = []
        for p in self.problems:
            if p.line is None and p.key:
                pos = self.position(p.file, p.key)
                if pos is not None:
                    p = Problem(p.file, p.key, p.message, p.rule, pos[0], pos[1])
            out.append(p)
        return sorted(out, key=lambda p: (p.file, p.line or 0, p.column or 0))

    # -- files

    def read_file(self, path: Path, given: str | None = None) -> None:
        file = str(path)
        self.files.append(file)
        if given is None and self.cache is not None and not self.keep_documents:
            parts = self.cache.get(path)
            if parts is not None:
                self.cached.add(file)
                self._add(parts)
                return
        text = given if given is not None else self._text_of(path, file)
        if text is None:
            return
        deep = _deep_key(text)
        if deep is not None:  # tomllib takes time and memory quadratic in a key's parts
            line, column = _line_column(text, deep)
            message = f"a key of more than {MAX_KEY_PARTS} parts: lineup's keys have a few (brands.x.markets.TW)"
            self.problems.append(Problem(file, (), message, "toml-syntax", line, column))
            return
        try:
            doc = parse_toml(text)
        except ValueError as e:  # tomli's TOMLDecodeError
            self.problems.append(_syntax_problem(file, e, text))
            return
        except RecursionError:
            self.problems.append(Problem(file, (), "nested too deeply to read", "toml-syntax"))
            return
        self.texts[file] = text
        if self.keep_documents:
            self.documents[file] = doc
        before = len(self.problems)
        parts = self._document(file, doc)
        self._add(parts)
        if self.cache is not None and given is None and len(self.problems) == before and file in self.stats:
            self.cache.put(path, self.stats[file], parts)

    def _text_of(self, path: Path, file: str) -> str | None:
        try:
            info = path.stat()
            if stat.S_ISDIR(info.st_mode):
                self.problems.append(Problem(file, (), "is a folder, not a file", "read"))
                return None
            if not stat.S_ISREG(info.st_mode):  # a device or a pipe could block or never end
                self.problems.append(Problem(file, (), "is not a regular file", "read"))
                return None
            if info.st_size > MAX_BYTES:
                size = f"{info.st_size / 2**20:.0f} MB"
                self.problems.append(
                    Problem(
                        file,
                        (),
                        f"is {size}, more than lineup reads in one file "
                        f"({MAX_BYTES // 2**20} MB); split it into several files",
                        "read",
                    )
                )
                return None
            raw = path.read_bytes()
            self.stamps[file] = (info.st_mtime_ns, info.st_size)
            self.stats[file] = info
        except OSError as e:
            self.problems.append(Problem(file, (), f"cannot read: {e.strerror or e}", "read"))
            return None
        if raw.startswith(codecs.BOM_UTF8):
            self.boms.add(file)
        try:
            return raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as e:
            line = raw.count(b"\n", 0, e.start) + 1
            start = raw.rfind(b"\n", 0, e.start) + 1
            column = len(raw[start : e.start].decode("utf-8", errors="replace")) + 1  # in characters, as elsewhere
            message = f"not UTF-8 text (byte 0x{raw[e.start]:02x}); save the file as UTF-8"
            self.problems.append(Problem(file, (), message, "encoding", line, column))
            return None

    def _add(self, parts: Iterable[BrandPart]) -> None:
        for part in parts:
            self.parts.setdefault(part.id, []).append(part)

    def _document(self, file: str, doc: dict[str, Any]) -> list[BrandPart]:
        """What one file says of each brand, checked on its own (not yet against the other files)."""
        self._unknown_keys(Place(file, ()), doc, ("brands",))
        brands = doc.get("brands", {})
        if not self._is_table(Place(file, ("brands",)), brands):
            return []
        parts = []
        for brand_id, table in brands.items():
            place = Place(file, ("brands", brand_id))
            if self._is_id(place, brand_id, "brand") and self._is_table(place, table):
                parts.append(self._brand(place, brand_id, table))
        return parts

    def _brand(self, place: Place, brand_id: str, table: dict[str, Any]) -> BrandPart:
        self._unknown_keys(place, table, BRAND_KEYS)
        part = BrandPart(brand_id, place.file, heavy=Heavy())
        for key in ("name", "parent", "note"):
            if key in table:
                self._attr(part, place, key, self._text(place.at(key), table[key]))
        if "origin" in table:
            self._attr(part, place, "origin", self._country(place.at("origin"), table["origin"]))
        sources = self._sources(place, table)
        if sources:
            self._attr(part, place, "sources", sources)
        self._models(part, place.at("models"), table.get("models", {}))
        self._markets(part, place.at("markets"), table.get("markets", {}))
        self._coverage(part, place.at("coverage"), table.get("coverage", {}))
        return part

    def _models(self, part: BrandPart, place: Place, models: Any) -> None:
        if not self._is_table(place, models):
            return
        heavy = part.full()
        for model_id, table in models.items():
            mplace = place.at(model_id)
            if not (self._is_id(mplace, model_id, "model") and self._is_table(mplace, table)):
                part.broken.add(model_id)
                continue
            model = self._model(mplace, part.id, model_id, table)
            if model is None:
                part.broken.add(model_id)
            else:
                heavy.models[model_id] = model
                part.models[model_id] = model.follows

    def _markets(self, part: BrandPart, place: Place, markets: Any) -> None:
        if not self._is_table(place, markets):
            return
        heavy = part.full()
        for code, entries in markets.items():
            kplace = place.at(code)
            if self._market_code(kplace, code) is None or not self._is_table(kplace, entries):
                continue
            listed = part.markets.setdefault(code, [])
            for model_id, value in entries.items():
                wplace = kplace.at(model_id)
                windows = self._windows(wplace, value)
                if windows is None:
                    continue
                ordered = tuple(sorted(windows, key=lambda w: (w.start, w.end or dt.date.max)))
                self._check_overlaps(ordered)  # a model's windows in a market are all in one file
                listed.append(model_id)
                heavy.markets.setdefault(code, {})[model_id] = ordered

    def _coverage(self, part: BrandPart, place: Place, coverage: Any) -> None:
        if not self._is_table(place, coverage):
            return
        heavy = part.full()
        for code, value in coverage.items():
            cplace = place.at(code)
            if self._market_code(cplace, code) is None or not self._is_table(cplace, value):
                continue
            self._unknown_keys(cplace, value, COVERAGE_KEYS)
            complete = value.get("complete")
            if not isinstance(complete, bool):
                self.fail(cplace.at("complete"), "needs `complete = true` or `complete = false`", "type")
                continue
            part.coverage.append(code)
            heavy.coverage[code] = Coverage(complete, self._note(cplace, value), self._sources(cplace, value))

    def _attr(self, part: BrandPart, place: Place, key: str, value: Any) -> None:
        if value is None:
            part.broken.add(f"brand {key}")
        else:
            part.attrs[key] = Attr(value, place.at(key))

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
                message = f"needs at least one body style ({_choices(Body)}); leave `body` out if it is unknown"
                self.fail(place.at("body"), message, "required")
                body = None
        powertrain = (
            self._vocabulary(place.at("powertrain"), table["powertrain"], Powertrain, "powertrain")
            if "powertrain" in table
            else ()
        )
        follows: tuple[str, ...] | None = ()
        if "follows" in table:
            names = self._text_list(place.at("follows"), table["follows"])
            follows = None if names is None else tuple(n if "/" in n else f"{brand_id}/{n}" for n in names)
        production = None
        if "production" in table:
            pplace = place.at("production")
            if self._is_table(pplace, table["production"]):
                production = self._span(pplace, table["production"])
        generation = table.get("generation")
        if isinstance(generation, int) and not isinstance(generation, bool):
            generation = str(generation)
        elif generation is not None:
            generation = self._text(place.at("generation"), generation)
        note, sources = self._note(place, table), self._sources(place, table)
        if name is None or body is None or powertrain is None or follows is None:
            return None
        return Model(
            id=model_id,
            brand=brand_id,
            name=name,
            body=body,
            powertrain=powertrain,
            follows=follows,
            production=production,
            generation=generation,
            note=note,
            sources=sources,
            place=place,
        )

    def _windows(self, place: Place, value: Any) -> list[Window] | None:
        if isinstance(value, dict):
            items = [(place, value)]
        elif isinstance(value, list) and value:
            items = [(place.at(i), v) for i, v in enumerate(value)]
        else:
            message = f"expected a window such as {{ since = 2017 }} or a list of windows, not {dates.describe(value)}"
            self.fail(place, message, "type")
            return None
        windows = [self._window(wplace, table) for wplace, table in items if self._is_table(wplace, table)]
        found = [w for w in windows if w is not None]
        return found if len(found) == len(items) else None

    def _dates(self, place: Place, table: dict[str, Any], start_key: str) -> tuple[Any, Any, bool]:
        """`start_key` and `until` of a table as dates; False when one is written but invalid."""
        since = self._date(place.at(start_key), table[start_key]) if start_key in table else None
        until = self._date(place.at("until"), table["until"]) if "until" in table else None
        valid = (since is not None or start_key not in table) and (until is not None or "until" not in table)
        return since, until, valid

    def _span(self, place: Place, table: dict[str, Any]) -> Span | None:
        """A production span: `since` and/or `until`, with its note and sources."""
        self._unknown_keys(place, table, SPAN_KEYS)
        since, until, valid = self._dates(place, table, "since")
        note, sources, plan = self._note(place, table), self._sources(place, table), self._plan(place, table)
        if not valid or plan is None:
            return None
        if since is None and until is None:
            self.fail(place, "needs `since` or `until`", "required")
            return None
        if since is not None and until is not None and until.last < since.first:
            self.fail(place.at("until"), f"until {until} is before since {since}", "date-order")
            return None
        return Span(since, until, note, sources, place, plan)

    def _window(self, place: Place, table: dict[str, Any]) -> Window | None:
        """A window on sale: a start (`since`, `on_sale_by` or `model_years`), maybe an end."""
        self._unknown_keys(place, table, WINDOW_KEYS)
        first_seen = "on_sale_by" in table
        if first_seen and "since" in table:
            message = "use `since` (the launch) or `on_sale_by` (first seen on sale, launch unknown), not both"
            self.fail(place.at("on_sale_by"), message, "type")
            return None
        start_key = "on_sale_by" if first_seen else "since"
        since, until, valid = self._dates(place, table, start_key)
        model_years = (
            self._model_years(place.at("model_years"), table["model_years"]) if "model_years" in table else None
        )
        note, sources, plan = self._note(place, table), self._sources(place, table), self._plan(place, table)
        if not valid or plan is None or ("model_years" in table and model_years is None):
            return None
        if since is None and model_years is None:
            self.fail(place, "a window needs `since` (a date), `on_sale_by` or `model_years`", "required")
            return None
        window = Window(since, until, note, sources, place, plan, model_years, first_seen)
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

    def _model_years(self, place: Place, value: Any) -> tuple[int, int | None] | None:
        try:
            return dates.parse_years(value)
        except ValueError as e:
            self.fail(place, str(e), "date-order" if "backwards" in str(e) else "date")
            return None

    # -- checks on single values

    def _unknown_keys(self, place: Place, table: dict[str, Any], allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f" (allowed: {', '.join(allowed)})"
                self.fail(place.at(key), f"unknown key {shorten(key)}{hint}", "unknown-key")

    def _is_table(self, place: Place, value: Any) -> bool:
        if isinstance(value, dict):
            return True
        self.fail(place, f"expected a table, not {dates.describe(value)}", "type")
        return False

    def _is_id(self, place: Place, key: str, what: str) -> bool:
        if _ID.fullmatch(key):
            return True
        suggestion = re.sub(r"[^a-z0-9._-]+", "-", key.casefold()).strip("-._")
        hint = f"; write {suggestion!r}" if suggestion and _ID.fullmatch(suggestion) else ""
        self.fail(place, f"{what} id {shorten(key)} must be lower-case letters, digits and - . _{hint}", "id")
        return False

    def _text(self, place: Place, value: Any) -> str | None:
        if isinstance(value, str) and value.strip():
            return value
        self.fail(place, f"expected text, not {dates.describe(value)}", "type")
        return None

    def _plan(self, place: Place, table: dict[str, Any]) -> bool | None:
        value = table.get("plan", False)
        if isinstance(value, bool):
            return value
        self.fail(place.at("plan"), f"plan is `true` or `false`, not {dates.describe(value)}", "type")
        return None

    def _note(self, place: Place, table: dict[str, Any]) -> str | None:
        return self._text(place.at("note"), table["note"]) if "note" in table else None

    def _text_list(self, place: Place, value: Any) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            one = self._text(place, value)
            return None if one is None else (one,)
        texts = [self._text(place.at(i), item) for i, item in enumerate(value)]
        return None if None in texts else tuple(t for t in texts if t is not None)

    def _sources(self, place: Place, table: dict[str, Any]) -> tuple[str, ...]:
        if "source" in table and "sources" in table:
            self.fail(place.at("sources"), "use `source` for one source or `sources` for several, not both", "type")
            return ()
        if "source" in table:
            one = self._text(place.at("source"), table["source"])
            return (one,) if one else ()
        if "sources" in table:
            many = table["sources"]
            if not isinstance(many, list) or not many:
                self.fail(place.at("sources"), "sources is a list of URLs or citations", "type")
                return ()
            return self._text_list(place.at("sources"), many) or ()
        return ()

    def _date(self, place: Place, value: Any) -> dates.PartialDate | None:
        try:
            return dates.parse(value)
        except ValueError as e:
            self.fail(place, str(e), "date")
            return None

    def _market_code(self, place: Place, code: Any) -> str | None:
        return self._code(place, code, "market code")

    def _country(self, place: Place, code: Any) -> str | None:
        return self._code(place, code, "country code")

    def _code(self, place: Place, code: Any, what: str) -> str | None:
        if not isinstance(code, str):
            self.fail(place, f"expected a {what} such as 'JP', not {dates.describe(code)}", "type")
        elif countries.is_code(code):
            return code
        elif countries.is_code(code.upper()):
            self.fail(place, f"{what}s are upper-case: write {code.upper()!r}", "market-code")
        else:
            try:
                found = countries.resolve(code)
                hint = f"; {countries.name(found)} is {found!r}"
            except LineupError:
                region = code.casefold() in countries.REGIONS
                hint = (
                    f"; {code} is a region: list its countries ({countries.REGIONS[code.casefold()]})" if region else ""
                )
            self.fail(place, f"{shorten(code)} is not an ISO 3166-1 alpha-2 country code{hint}", "market-code")
        return None

    def _vocabulary(self, place: Place, value: Any, kind: type[_Choice], what: str) -> tuple[_Choice, ...] | None:
        names = self._text_list(place, value)
        if names is None:
            return None
        out: list[_Choice] = []
        for i, name in enumerate(names):
            at = place.at(i) if isinstance(value, list) else place
            try:
                item = kind(name)
            except ValueError:
                hint = did_you_mean(name.casefold(), [k.value for k in kind])
                self.fail(at, f"unknown {what} {shorten(name)}{hint} (one of {_choices(kind)})", "vocabulary")
                return None
            if item in out:
                self.fail(at, f"{what} {name!r} is listed twice", "duplicate")
                return None
            out.append(item)
        return tuple(out)

    # -- merging and cross-checks

    def build(self) -> Dataset:
        """Merge what the files say of each brand, checking what no single file can: the same thing
        said twice, names said differently, references between files. Only names, ids and keys are
        needed for that; each brand's models and windows are put together when it is first asked for."""
        merged: dict[str, list[BrandPart]] = {}
        for brand_id, parts in self.parts.items():
            if self._merge(brand_id, parts):
                merged[brand_id] = parts
        self._check_follows(merged)
        return Dataset(LazyBrands(dict(sorted(merged.items()))), tuple(self.files))

    def _merge(self, brand_id: str, parts: list[BrandPart]) -> bool:
        """Check that the files agree on a brand; False if it cannot be built (it has no name)."""
        attrs: dict[str, Attr] = {}
        models: dict[str, BrandPart] = {}
        windows: dict[tuple[str, str], BrandPart] = {}
        coverage: dict[str, BrandPart] = {}
        broken = set().union(*(part.broken for part in parts))
        for part in parts:
            for key, value in part.attrs.items():
                known = attrs.setdefault(key, value)
                if known.value != value.value:
                    message = (
                        f"brand {brand_id!r} has {key} {value.value!r} here but {known.value!r} "
                        f"at {self.where(known.place)}"
                    )
                    self.fail(value.place, message, "duplicate")
            for model_id in part.models:
                self._once(models, model_id, part, ("models", model_id), f"model {model_id!r} is")
            for code, listed in part.markets.items():
                for model_id in listed:
                    what = f"windows of {model_id!r} in {code} are"
                    self._once(windows, (code, model_id), part, ("markets", code, model_id), what)
            for code in part.coverage:
                self._once(coverage, code, part, ("coverage", code), f"coverage of {code} is")
        if "name" not in attrs:
            if "brand name" not in broken:
                message = f"brand {brand_id!r} needs a name, e.g. name = {brand_id.title()!r}"
                self.fail(Place(parts[0].file, ("brands", brand_id)), message, "required")
            return False
        for (code, model_id), part in sorted(windows.items()):
            if model_id not in models and model_id not in broken:
                message = f"brand {brand_id!r} defines no model {model_id!r}{self.hint(model_id, models)}"
                self.fail(part.at("markets", code, model_id), message, "unknown-model")
        return True

    def _once(self, seen: dict[Any, BrandPart], key: Any, part: BrandPart, at: KeyPath, what: str) -> None:
        """A thing two files of one brand both define (`what` says it: "model 'q60' is"), at its second."""
        first = seen.setdefault(key, part)
        if first is not part:
            message = f"{what} defined twice: here and at {self.where(first.at(*at))}"
            self.fail(part.at(*at), message, "duplicate")

    def _check_overlaps(self, windows: tuple[Window, ...]) -> None:
        for before, after in overlaps(windows):
            assert after.place is not None
            assert before.place is not None
            self.fail(
                after.place,
                f"window {_span_text(after)} overlaps window {_span_text(before)} at {self.where(before.place)}",
                "overlap",
            )

    def _check_follows(self, merged: dict[str, list[BrandPart]]) -> None:
        known = {f"{brand_id}/{m}" for brand_id, parts in merged.items() for part in parts for m in part.models}
        broken = {f"{part.id}/{m}" for parts in self.parts.values() for part in parts for m in part.broken}
        broken |= {f"{brand_id}/" for brand_id in self.parts if brand_id not in merged}
        for parts in merged.values():
            for part in parts:
                for model_id, follows in part.models.items():
                    for target in follows:
                        if target in known or target in broken or f"{target.split('/')[0]}/" in broken:
                            continue
                        message = f"follows {target!r}, which no file defines{self.hint(target, known)}"
                        self.fail(part.at("models", model_id, "follows"), message, "follows")


def overlaps(windows: Sequence[Window]) -> Iterator[tuple[Window, Window]]:
    """Each two windows, of windows in date order, where the first does not end before the second starts."""
    return ((before, after) for before, after in itertools.pairwise(windows)
            if before.end is None or before.end >= after.start)  # fmt: skip


def read_parts(path: Path) -> dict[str, BrandPart]:
    """What one file says of each brand, read from its TOML; its first problem, if any, raised."""
    reader = _Reader()
    reader.read_file(path)
    problems = reader.located_problems()
    if problems:
        raise problems[0].error()
    return {brand_id: parts[0] for brand_id, parts in reader.parts.items()}


class LazyBrands(Mapping[str, Brand]):
    """A dataset's brands by id, each put together from its files' parts when first asked for: a
    question about one brand of a large dataset builds that brand only."""

    def __init__(self, parts: dict[str, list[BrandPart]]) -> None:
        self._parts = parts
        self._built: dict[str, Brand] = {}

    def __getitem__(self, brand_id: str) -> Brand:
        brand = self._built.get(brand_id)
        if brand is None:
            brand = self._built[brand_id] = _brand_of(brand_id, self._parts[brand_id])
        return brand

    def __iter__(self) -> Iterator[str]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)

    def __contains__(self, brand_id: object) -> bool:
        return brand_id in self._parts


def _brand_of(brand_id: str, parts: list[BrandPart]) -> Brand:
    """A brand from what its files say (already checked to agree)."""
    attrs: dict[str, Any] = {}
    places: dict[str, Place] = {}
    models: dict[str, Model] = {}
    markets: dict[str, dict[str, tuple[Window, ...]]] = {}
    coverage: dict[str, Coverage] = {}
    for part in parts:
        heavy = part.full()
        for key, value in part.attrs.items():
            attrs.setdefault(key, value.value)
            if key == "origin":
                places.setdefault("origin", value.place)
        models.update(heavy.models)
        for code in part.markets:
            places.setdefault(f"markets.{code}", part.at("markets", code))
            if heavy.markets.get(code):  # a market table with no windows says nothing of sales
                markets.setdefault(code, {}).update(heavy.markets[code])
        for code in part.coverage:
            places.setdefault(f"coverage.{code}", part.at("coverage", code))
        coverage.update(heavy.coverage)
    return Brand(
        id=brand_id,
        name=attrs["name"],
        parent=attrs.get("parent"),
        origin=attrs.get("origin"),
        note=attrs.get("note"),
        sources=attrs.get("sources", ()),
        models=dict(sorted(models.items())),
        markets={code: dict(sorted(entries.items())) for code, entries in sorted(markets.items())},
        coverage=dict(sorted(coverage.items())),
        places=places,
    )


def _choices(kind: type[Body] | type[Powertrain]) -> str:
    return ", ".join(k.value for k in kind)


def _span_text(window: Window) -> str:
    start = str(window.since) if window.since else f"model year {window.first_model_year}"
    end = str(window.until) if window.until else (str(window.last_model_year) if window.end else "open")
    return f"{start}..{end}"


MAX_KEY_PARTS = 32
_KEY_PART = r"""(?:[A-Za-z0-9_-]++|"(?:[^"\\\n]|\\.)*+"|'[^'\n]*+')"""


@functools.cache
def _deep_key_pattern() -> re.Pattern[str]:
    """A key (at a line's start, in a [table] header, or in an inline table) of more parts than any
    lineup data has: matched possessively, so the search itself stays linear. Made when first needed."""
    return re.compile(
        rf"(?m)(^[ \t]*+\[{{0,2}}[ \t]*+|[{{,][ \t]*+){_KEY_PART}(?:[ \t]*+\.[ \t]*+{_KEY_PART}){{{MAX_KEY_PARTS}}}"
    )


def parse_toml(text: str) -> dict[str, Any]:
    """A TOML document, read by tomli: the standard tomllib, compiled (two to three times faster).
    Imported here: a read from the cache needs no parser."""
    import tomli

    return tomli.loads(text)


def _deep_key(text: str) -> int | None:
    """Where a key of more than MAX_KEY_PARTS parts starts, if one does. Only a line of that many dots
    can hold one, and they are few: the pattern runs on those lines alone."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if line.count(".") >= MAX_KEY_PARTS and (found := _deep_key_pattern().search(line)):
            return sum(len(before) + 1 for before in lines[:number]) + found.end(1)
    return None


def _read_text(path: Path) -> str | None:
    """A file's text, for the line of a place in a file read from the cache."""
    try:
        return path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):
        return None


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _syntax_problem(file: str, error: ValueError, text: str) -> Problem:
    message = str(error)
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if match:
        described = f"not valid TOML: {message[: match.start()]}"
        return Problem(file, (), described, "toml-syntax", int(match[1]), int(match[2]))
    match = re.search(r"\s*\(at end of document\)$", message)
    if match:
        described = f"not valid TOML: {message[: match.start()]} at the end of the file"
        line = text.count("\n") + 1
        return Problem(file, (), described, "toml-syntax", line, len(text) - (text.rfind("\n") + 1) + 1)
    return Problem(file, (), f"not valid TOML: {message}", "toml-syntax")
