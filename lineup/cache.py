"""A cache of what each data file says, checked, so that the next read of an unchanged file skips TOML.

One entry per data file, named by a hash of its real path, holding the path, the file's size and
modification time (ns) and lineup's version: an entry that does not match all four is not used, and
is written again. An entry is JSON (data only: reading it can run no code), in a folder of the user's
own (created 0700, and not used unless it is the user's and no one else's). What each file says of a
brand is in two parts: the names, ids and keys every read needs, and the models and windows, kept as
text and decoded only for a brand someone asks about. A checksum of the entry, on its first line,
finds one damaged after it was written. An entry that cannot be read, for whatever reason, is read from the data file
again; one that cannot be written is skipped. Nothing about the cache is ever an error.
"""

import contextlib
import datetime as dt
import json
import os
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lineup import __version__
from lineup.dates import PartialDate, Precision
from lineup.load import Attr, BrandPart, Heavy
from lineup.model import Body, Coverage, Model, Place, Powertrain, Span, Window

FORMAT = 1
ENV_NO_CACHE = "LINEUP_NO_CACHE"


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
            checksum, _, body = self._entry(real).read_bytes().partition(b"\n")
            if checksum != _checksum(body):
                return None  # damaged since it was written: truncated, or changed
            entry = json.loads(body)
            if entry["key"] != [FORMAT, __version__, real, info.st_size, info.st_mtime_ns]:
                return None
            return [_part(str(path), light) for light in entry["parts"]]
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    def put(self, path: Path, stamp: tuple[int, int], parts: list[BrandPart]) -> None:
        """Keep what a file says, read with stamp (mtime in ns, size); quietly nothing if it cannot."""
        with contextlib.suppress(OSError, ValueError):
            real = str(path.resolve())
            mtime, size = stamp
            entry = {"key": [FORMAT, __version__, real, size, mtime], "parts": [_light(part) for part in parts]}
            body = json.dumps(entry, separators=(",", ":")).encode()
            import tempfile  # only a run that writes needs it

            handle, name = tempfile.mkstemp(prefix=".entry.", dir=self.folder)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(_checksum(body) + b"\n" + body)
                Path(name).replace(self._entry(real))
            except BaseException:
                with contextlib.suppress(OSError):
                    Path(name).unlink()
                raise

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

    def _entry(self, real: str) -> Path:
        """The entry of a file; two paths that share a name share an entry, which each rewrites in turn."""
        return self.folder / f"{zlib.crc32(real.encode()):08x}-{zlib.adler32(real.encode()):08x}.json"


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
        "attrs": {key: [value.value, list(value.place.key)] for key, value in part.attrs.items()},
        "models": {model_id: list(follows) for model_id, follows in part.models.items()},
        "markets": part.markets,
        "coverage": part.coverage,
        "broken": sorted(part.broken),
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


def _part(file: str, light: dict[str, Any]) -> BrandPart:
    brand_id = light["id"]
    attrs = {
        key: Attr(tuple(value) if key == "sources" else value, Place(file, tuple(where)))
        for key, (value, where) in light["attrs"].items()
    }
    text = light["heavy"]
    return BrandPart(
        id=brand_id,
        file=file,
        attrs=attrs,
        models={model_id: tuple(follows) for model_id, follows in light["models"].items()},
        markets={code: list(listed) for code, listed in light["markets"].items()},
        coverage=list(light["coverage"]),
        broken=set(light["broken"]),
        load_heavy=lambda: _heavy(file, brand_id, text),
    )


def _heavy(file: str, brand_id: str, text: str) -> Heavy:
    data = json.loads(text)
    brand = ("brands", brand_id)
    markets: dict[str, dict[str, tuple[Window, ...]]] = {}
    for code, entries in data["markets"].items():
        markets[code] = {
            model_id: tuple(_window_of(Place(file, (*brand, "markets", code, model_id)), w) for w in windows)
            for model_id, windows in entries.items()
        }
    return Heavy(
        models={
            model_id: _model_of(Place(file, (*brand, "models", model_id)), brand_id, model_id, m)
            for model_id, m in data["models"].items()
        },
        markets=markets,
        coverage={code: Coverage(c[0], c[1], tuple(c[2])) for code, c in data["coverage"].items()},
    )


def _date(date: PartialDate | None) -> list[int] | None:
    return None if date is None else [date.first.toordinal(), int(date.precision)]


_PRECISIONS = tuple(Precision)
_DATES: dict[tuple[int, int], PartialDate] = {}  # data holds a few dates many times: each is made once


def _date_of(value: list[int] | None) -> PartialDate | None:
    if value is None:
        return None
    key = (value[0], value[1])
    date = _DATES.get(key)
    if date is None:
        date = _DATES[key] = PartialDate(dt.date.fromordinal(value[0]), _PRECISIONS[value[1]])
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


def _model_of(place: Place, brand_id: str, model_id: str, m: list[Any]) -> Model:
    name, body, powertrain, follows, production, generation, note, sources = m
    span = None
    if production is not None:
        since, until, pnote, psources, plan = production
        span = Span(_date_of(since), _date_of(until), pnote, tuple(psources), place.at("production"), plan)
    return Model(
        id=model_id,
        brand=brand_id,
        name=name,
        body=tuple(Body(b) for b in body),
        powertrain=tuple(Powertrain(p) for p in powertrain),
        follows=tuple(follows),
        production=span,
        generation=generation,
        note=note,
        sources=tuple(sources),
        place=place,
    )


def _window(w: Window) -> list[Any]:
    assert w.place is not None
    index = w.place.key[5] if len(w.place.key) > 5 else None  # its place in a list of windows, if one
    years = list(w.model_years) if w.model_years is not None else None
    return [_date(w.since), _date(w.until), w.note, list(w.sources), index, w.plan, years, w.first_seen]


def _window_of(place: Place, w: list[Any]) -> Window:
    since, until, note, sources, index, plan, years, first_seen = w
    return Window(
        _date_of(since),
        _date_of(until),
        note,
        tuple(sources),
        place if index is None else place.at(index),
        plan,
        (years[0], years[1]) if years is not None else None,
        first_seen,
    )
