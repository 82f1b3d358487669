"""A cache of what each data file says, checked, so that the next read of an unchanged file skips TOML.

One entry per data file, named by a hash of its real path, holding the path, the file's size, its
times of change of contents and of anything about it (ns), its inode, and lineup's version: an entry
that does not match them all is not used, and is written again. `lineup check` keeps what it found
in entries of the same kind, one per list of files (see lineup.check). An entry is JSON (data only:
reading it can run no code), in a folder of the user's own (created 0700, and not used unless it is
the user's and no one else's). What each file says of a brand is in two parts: the names, ids and
keys every read needs, and the models and windows, kept as text and decoded only for a brand someone
asks about. A checksum of the entry, on its first line, finds one damaged after it was written;
every value is checked as it is decoded all the same, for what the rest of lineup relies on, so that
one changed with its checksum made to match (by a hand, or a bug) is read again rather than believed
where it can be told. An entry that cannot be read is read from the data file again; one that cannot
be written is skipped. The one error: a heavy part found bad after its light part was used, when the
file, read again, no longer says what that light part said (it changed in the meantime).
"""

import contextlib
import datetime as dt
import json
import os
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lineup import __version__, countries, dates, load
from lineup.dates import PartialDate, Precision
from lineup.load import Attr, BrandPart, Heavy
from lineup.model import Body, Coverage, LineupError, Model, Place, Powertrain, Span, Window

FORMAT = 4
ENV_NO_CACHE = "LINEUP_NO_CACHE"
REPORT = "check-"  # how the name of an entry holding a check's findings starts


def folder() -> Path:
    """Where the cache lives: $XDG_CACHE_HOME/lineup, else the system's place for caches."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if base and Path(base).is_absolute():
        return Path(base) / "lineup"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "lineup"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "lineup" / "Cache"
    return Path.home() / ".cache" / "lineup"


def disabled() -> bool:
    return os.environ.get(ENV_NO_CACHE, "") not in ("", "0")


@dataclass(frozen=True, slots=True)
class Cache:
    folder: Path
    # What files whose entry was found bad said, read again from their TOML: each file read once.
    _again: dict[str, dict[str, BrandPart]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def open(cls, where: Path | None = None) -> "Cache | None":
        """The cache, its folder made private if new; None if it cannot be had, or is not private."""
        path = where or folder()
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = path.stat()
        except OSError:
            return None
        if not _private(info):
            return None
        return cls(path)

    def get(self, path: Path) -> list[BrandPart] | None:
        """What the file says, if the cache holds it for the file as it is now."""
        try:
            info = path.stat()
            real = str(path.resolve())
            parts = self.recall(self._entry(real), [real, *identity(info)])
            if parts is None:
                return None
            return [self._part(str(path), real, light) for light in _list(parts)]
        except (OSError, *_UNREADABLE):
            return None

    def put(self, path: Path, info: os.stat_result, parts: list[BrandPart]) -> None:
        """Keep what a file says, as read after `info` was taken; quietly nothing if it cannot. Kept
        under the file as it was then: if it changed while it was read, the entry will not match it."""
        if any(part.broken for part in parts):
            return  # a part with a problem (never the case for a file the reader puts): not kept
        with contextlib.suppress(OSError, ValueError):
            real = str(path.resolve())
            self.keep(self._entry(real), [real, *identity(info)], [_light(part) for part in parts])

    def recall(self, entry: Path, key: list[Any]) -> Any:
        """What `entry` holds if it was kept under `key` by this format and version of lineup; None if
        not, or if the entry is damaged."""
        try:
            checksum, _, body = entry.read_bytes().partition(b"\n")
            if checksum != _checksum(body):
                return None  # damaged since it was written: truncated, or changed
            kept = json.loads(body)
            return kept["value"] if kept["key"] == [FORMAT, __version__, *key] else None
        except (OSError, *_UNREADABLE):
            return None

    def keep(self, entry: Path, key: list[Any], value: Any) -> None:
        """Keep `value` in `entry` under `key`, whole or not at all; quietly nothing if it cannot."""
        with contextlib.suppress(OSError, ValueError):
            body = json.dumps({"key": [FORMAT, __version__, *key], "value": value}, separators=(",", ":")).encode()
            import tempfile  # only a run that writes needs it

            handle, name = tempfile.mkstemp(prefix=".entry.", dir=self.folder)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(_checksum(body) + b"\n" + body)
                Path(name).replace(entry)
            except BaseException:
                with contextlib.suppress(OSError):
                    Path(name).unlink()
                raise

    def forget_reports(self, but: Path, age: float = 86400) -> None:
        """Remove the check reports last written more than `age` seconds ago (a report is of one day),
        except `but`: each list of files checked leaves one, and nothing else would remove it."""
        import time  # only a check that wrote its report needs it

        for entry in self.entries():
            with contextlib.suppress(OSError):
                if entry.name.startswith(REPORT) and entry != but and entry.stat().st_mtime < time.time() - age:
                    entry.unlink()

    def report_entry(self, files: list[str]) -> Path:
        """Where `lineup check` keeps what it found in these files (the last day it checked them)."""
        return self._entry("\n".join(files), REPORT)

    def _part(self, file: str, real: str, light: Any) -> BrandPart:
        """One brand's part of an entry, its light part checked now and its heavy part when decoded, each
        value for what the rest of lineup relies on. A heavy part found bad is read from the file again."""
        _need(type(light) is dict)
        brand_id = _id(light["id"])
        part = BrandPart(
            id=brand_id,
            file=file,
            attrs={
                key: Attr(_ATTRS[key](value), Place(file, ("brands", brand_id, key)))
                for key, value in _dict(light["attrs"]).items()
            },
            models={_id(model_id): _texts(follows) for model_id, follows in _dict(light["models"]).items()},
            markets={_code(code): _strings(listed) for code, listed in _dict(light["markets"]).items()},
            coverage=[_code(code) for code in _list(light["coverage"])],
        )
        text = _text(light["heavy"])

        def decode() -> Heavy:
            try:
                heavy = _heavy(file, brand_id, text)
                _need(_agree(part, heavy))
                return heavy
            except _UNREADABLE:
                return self._read_again(part, real)

        part.load_heavy = decode
        return part

    def _read_again(self, part: BrandPart, real: str) -> Heavy:
        """A brand's heavy part from the data file, its entry found bad and removed. The rest of the
        entry was used already: an error if the file no longer says the same (it changed since)."""
        again = self._again.get(part.file)
        if again is None:
            with contextlib.suppress(OSError):
                self._entry(real).unlink()
            again = self._again[part.file] = load.read_parts(Path(part.file))
        fresh = again.get(part.id)
        if fresh is None or not _same_light(fresh, part):
            raise LineupError("changed while it was read: run the command again", file=part.file)
        return fresh.full()

    def entries(self) -> Iterator[Path]:
        with contextlib.suppress(OSError):
            yield from (p for p in self.folder.iterdir() if p.suffix == ".json")

    def clear(self) -> int:
        """Remove every entry; the number removed."""
        removed = 0
        for entry in list(self.entries()):
            with contextlib.suppress(OSError):
                entry.unlink()
                removed += 1
        return removed

    def _entry(self, real: str, kind: str = "") -> Path:
        """The entry of a file; two paths that share a name share an entry, which each rewrites in turn."""
        name = os.fsencode(real)  # any name the system gives, UTF-8 or not
        return self.folder / f"{kind}{zlib.crc32(name):08x}-{zlib.adler32(name):08x}.json"


def identity(info: os.stat_result) -> list[int]:
    """What tells a file as it is now: its size and time of change, and the time anything about it
    changed and its inode, which tell a file put back with its old time or replaced by another."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _checksum(body: bytes) -> bytes:
    """A check that the entry is as written: it finds damage, it is no defence against a forger
    (the folder's privacy is)."""
    return f"{zlib.crc32(body):08x}{len(body):x}".encode()


def _private(info: os.stat_result) -> bool:
    """A folder only its owner, this user, can read or write: no one else can feed it to us."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o077


# --- what a file says, to JSON and back -----------------------------------------------------------


def _light(part: BrandPart) -> dict[str, Any]:
    heavy = part.full()
    return {
        "id": part.id,
        "attrs": {key: value.value for key, value in part.attrs.items()},  # each at ("brands", id, key)
        "models": {model_id: list(follows) for model_id, follows in part.models.items()},
        "markets": part.markets,
        "coverage": part.coverage,
        "heavy": json.dumps(
            {
                "models": {model_id: _model(model) for model_id, model in heavy.models.items()},
                "markets": {
                    code: {model_id: [_window(w) for w in windows] for model_id, windows in entries.items()}
                    for code, entries in heavy.markets.items()
                },
                "coverage": {code: [c.complete, c.note, list(c.sources)] for code, c in heavy.coverage.items()},
            },
            separators=(",", ":"),
        ),
    }


def _heavy(file: str, brand_id: str, text: str) -> Heavy:
    data = _dict(json.loads(text))
    brand = ("brands", brand_id)
    markets: dict[str, dict[str, tuple[Window, ...]]] = {}
    for code, entries in _dict(data["markets"]).items():
        markets[code] = {
            model_id: _windows_of(Place(file, (*brand, "markets", code, model_id)), windows)
            for model_id, windows in _dict(entries).items()
        }
    return Heavy(
        models={
            model_id: _model_of(Place(file, (*brand, "models", model_id)), brand_id, model_id, m)
            for model_id, m in _dict(data["models"]).items()
        },
        markets=markets,
        coverage={code: _coverage_of(c) for code, c in _dict(data["coverage"]).items()},
    )


# --- checks of what an entry holds: each raises _Damaged if it is not what lineup writes ------------


class _Damaged(ValueError):
    """An entry whose checksum matches but whose contents are not what lineup writes."""


# What bad JSON, a value missing or of the wrong type, or a number out of range raise as it is decoded.
_UNREADABLE = (ValueError, KeyError, TypeError, OverflowError, RecursionError)


def _need(ok: bool) -> None:
    if not ok:
        raise _Damaged


def _dict(value: Any) -> dict[str, Any]:
    _need(type(value) is dict)
    return value  # type: ignore[no-any-return]


def _list(value: Any) -> list[Any]:
    _need(type(value) is list)
    return value  # type: ignore[no-any-return]


def _text(value: Any) -> str:
    _need(type(value) is str and bool(value.strip()))
    return value  # type: ignore[no-any-return]


def _maybe_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _texts(value: Any) -> tuple[str, ...]:
    _need(type(value) is list and _STR.issuperset(map(type, value)))
    return tuple(value)


_STR = {str}


def _id(value: Any) -> str:
    _need(type(value) is str and load.is_id(value))
    return value  # type: ignore[no-any-return]


def _strings(value: Any) -> list[str]:
    """The models a market lists: checked as ids when the files are merged, as a data file's are."""
    _need(type(value) is list and _STR.issuperset(map(type, value)))
    return value  # type: ignore[no-any-return]


def _code(value: Any) -> str:
    _need(type(value) is str and countries.is_code(value))
    return value  # type: ignore[no-any-return]


def _flag(value: Any) -> bool:
    _need(type(value) is bool)
    return value  # type: ignore[no-any-return]


_ATTRS = {"name": _text, "parent": _text, "note": _text, "origin": _code, "sources": _texts}


def _agree(part: BrandPart, heavy: Heavy) -> bool:
    """Whether a brand's heavy part has the models, windows and coverage its light part says."""
    listed = {code: set(ids) for code, ids in part.markets.items() if ids}
    return (
        {model_id: model.follows for model_id, model in heavy.models.items()} == part.models
        and {code: set(entries) for code, entries in heavy.markets.items() if entries} == listed
        and set(heavy.coverage) == set(part.coverage)
    )


def _same_light(a: BrandPart, b: BrandPart) -> bool:
    return (a.id, a.attrs, a.models, a.markets, a.coverage, a.broken) == (
        b.id, b.attrs, b.models, b.markets, b.coverage, b.broken,
    )  # fmt: skip


# --- models, windows and dates, to JSON and back -------------------------------------------------


def _date(date: PartialDate | None) -> list[int] | None:
    return None if date is None else [date.first.toordinal(), int(date.precision)]


_PRECISIONS = tuple(Precision)
_DATES: dict[tuple[int, int], PartialDate] = {}  # data holds a few dates many times: each is made once


def _date_of(value: Any) -> PartialDate | None:
    if value is None:
        return None
    _need(type(value) is list)
    date = _DATES.get(tuple(value))  # only dates checked are kept
    if date is None:
        ordinal, precision = value
        _need(type(ordinal) is int and type(precision) is int and 0 <= precision < len(_PRECISIONS))
        date = PartialDate(dt.date.fromordinal(ordinal), _PRECISIONS[precision])
        _need(dates.parse(str(date)) == date)  # a date data can hold: the first day of its year, month...
        _DATES[(ordinal, precision)] = date
    return date


def _span(span: Span | None) -> list[Any] | None:
    if span is None:
        return None
    return [_date(span.since), _date(span.until), span.note, list(span.sources), span.plan]


def _model(model: Model) -> list[Any]:
    return [
        model.name,
        [b.value for b in model.body],
        [p.value for p in model.powertrain],
        list(model.follows),
        _span(model.production),
        model.generation,
        model.note,
        list(model.sources),
    ]


def _model_of(place: Place, brand_id: str, model_id: str, m: Any) -> Model:
    name, body, powertrain, follows, production, generation, note, sources = _list(m)
    span = None
    if production is not None:
        since, until, pnote, psources, plan = _list(production)
        span = Span(_date_of(since), _date_of(until), _maybe_text(pnote), _texts(psources), place.at("production"),
                    _flag(plan))  # fmt: skip
        _need((span.since or span.until) is not None and _in_order(span.since, span.until))
    return Model(
        id=model_id,
        brand=brand_id,
        name=_text(name),
        body=tuple(Body(_text(b)) for b in _list(body)),  # none: not known, as an import may leave it
        powertrain=tuple(Powertrain(_text(p)) for p in _list(powertrain)),
        follows=_texts(follows),
        production=span,
        generation=_maybe_text(generation),
        note=_maybe_text(note),
        sources=_texts(sources),
        place=place,
    )


def _in_order(since: PartialDate | None, until: PartialDate | None) -> bool:
    return since is None or until is None or since.first <= until.last


def _coverage_of(c: Any) -> Coverage:
    complete, note, sources = _list(c)
    return Coverage(_flag(complete), _maybe_text(note), _texts(sources))


def _window(w: Window) -> list[Any]:
    assert w.place is not None
    index = w.place.key[5] if len(w.place.key) > 5 else None  # its place in a list of windows, if one
    years = list(w.model_years) if w.model_years is not None else None
    return [_date(w.since), _date(w.until), w.note, list(w.sources), index, w.plan, years, w.first_seen]


def _windows_of(place: Place, ws: Any) -> tuple[Window, ...]:
    _need(type(ws) is list and bool(ws))
    if len(ws) == 1:
        return (_window_of(place, ws[0]),)
    windows = tuple(_window_of(place, w) for w in ws)
    _need(next(load.overlaps(windows), None) is None)  # in order and apart, as in a file
    return windows


def _window_of(place: Place, w: Any) -> Window:
    """A window; the checks written out in one place, as a large dataset has a great many windows."""
    _need(type(w) is list)
    since, until, note, sources, index, plan, years, first_seen = w
    start = None if since is None else _DATES.get(tuple(since)) or _date_of(since)
    end = None if until is None else _DATES.get(tuple(until)) or _date_of(until)
    model_years = None
    if years is not None:
        _need(type(years) is list)
        first, last = years
        model_years = (first, last)
    _need(
        (note is None or (type(note) is str and bool(note.strip())))
        and type(sources) is list
        and _STR.issuperset(map(type, sources))
        and (index is None or (type(index) is int and index >= 0))
        and type(plan) is bool
        and type(first_seen) is bool
        and (start is not None or (model_years is not None and not first_seen))
        and (
            years is None
            or (
                type(first) is int
                and dates.MIN_YEAR <= first <= dates.MAX_YEAR
                and (last is None or (type(last) is int and first <= last <= dates.MAX_YEAR))
            )
        )
    )
    window = Window(
        start, end, note, tuple(sources), place if index is None else place.at(index), plan, model_years, first_seen
    )
    if end is not None or (model_years is not None and model_years[1] is not None):
        _need(window.start <= window.end)  # type: ignore[operator]
    return window
