"""A cache of what each data file says, so that reading an unchanged file skips TOML, and a question
about one brand of a large dataset reads that brand alone.

Every entry is data (reading one runs no code), written whole or not at all, in a folder of the user's
own (made 0700, and not used unless it is the user's and no one else's, and not a link). Its first
line is a checksum of the rest, which finds an entry damaged since it was written. An entry that
does not match what it is for is not used, and is written again; one that cannot be written is
skipped. The kinds of entry:

- `file-*.bin`, one per data file: a line of JSON with the file it is of (its real path, size, times
  of change and inode, and what made the entry: see _code), then what it says of each brand (a
  record: lineup.load.records), each at an offset that line gives, with its own checksum, in the
  format of Python's marshal module (see _pack).
- `set-*.json`, one per list of data files: that the merge of those files, as they were, found
  nothing wrong. With it, a question about one brand opens that brand's part of the entries of the
  files that hold it, and nothing else.
- `check-*.json`: what `lineup check` found in a list of files on a day (see lineup.validation).

A file changed within a few seconds of being read is not cached (nor any set or report holding it):
where the system keeps times coarsely (to the second, or two), a second change in the same moment
would leave its size and times as they were, and its entry would look current when it is not.
"""

import contextlib
import json
import marshal
import os
import re
import stat
import sys
import time
import weakref
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from lineup import __version__, files
from lineup.errors import LineupError
from lineup.load.values import is_id
from lineup.value import Value

FORMAT = 7  # the layout of entries; lineup's code is stamped on them too (_code)
ENV_NO_CACHE = "LINEUP_NO_CACHE"
FILE, SET, REPORT = "file-", "set-", "check-"  # how the name of each kind of entry starts
SETTLED_NS = 3_000_000_000  # a change younger than this may share its times with the next one
MAX_ENTRY = 1 << 30
# The names of entries (and of earlier versions' entries), and of an entry being written.
_NAME = r"((file|set|check)-)?[0-9a-f]{8}-[0-9a-f]{8}\.(json|bin)|\.entry\.[A-Za-z0-9_]+"
_CHECKSUM = rb"[0-9a-f]{9,24}"


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
    """Whether LINEUP_NO_CACHE says not to use the cache."""
    return os.environ.get(ENV_NO_CACHE, "") not in ("", "0")


def identity(info: os.stat_result) -> list[int]:
    """What tells a file as it is now.

    Its size and time of change, and the time anything about it changed and its inode, which tell a file put back
    with its old time or replaced by another."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


_CODE: list[object] = []
_PYTHON = (sys.implementation.cache_tag, marshal.version)  # what reads a record as it was written (see _pack)


def _code() -> list[object]:
    """What made an entry: the entries' format, lineup's version, when its code last changed, and the
    Python and marshal versions. An entry made by other code (a checkout edited, a build reinstalled at
    the same version, another Python sharing the folder) is not read."""
    if not _CODE:
        package = Path(__file__).parents[1]
        code = [entry for folder in (package, package / "load") for entry in os.scandir(folder)]
        changed = max(entry.stat().st_mtime_ns for entry in code if entry.name.endswith(".py"))
        _CODE.extend((FORMAT, __version__, changed, *_PYTHON))
    return _CODE


def settled(info: os.stat_result) -> bool:
    """Whether the file last changed long enough ago that a change now would change its times."""
    return max(info.st_mtime_ns, info.st_ctime_ns) < time.time_ns() - SETTLED_NS


class Index(Value):
    """A data file's entry: where each brand's table lies in it (offset, length, checksum)."""

    __slots__ = ("entry", "start", "brands", "inode", "regions")

    def __init__(
        self,
        entry: Path,
        start: int,
        brands: Mapping[str, list[int]],
        inode: int,
        regions: Any = None,
    ) -> None:
        self.entry = entry
        self.start = start
        self.brands = brands
        self.inode = inode  # of the entry read: one another run wrote since is another file
        self.regions = regions if regions is not None else {}  # the file's regions, as records keeps them


class Cache:
    """The cache folder, checked to be the user's own."""

    def __init__(self, where: Path) -> None:
        self.folder = where
        # The one entry kept open, and the index it was opened for: a pass over many brands reads the tables of
        # one data file after another, each entry opened once rather than once a brand. One at a time, so that a
        # dataset of many files does not hold a file open for each.
        self._held: list[tuple[Index, BinaryIO]] = []
        weakref.finalize(self, _close, self._held)

    @classmethod
    def open(cls, where: Path | None = None) -> "Cache | None":
        """The cache, its folder made private if new; None if it cannot be had, or is not private."""
        path = where or folder()
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = path.lstat()
        except OSError:
            return None
        if not stat.S_ISDIR(info.st_mode) or not _private(info):
            return None
        return cls(path)

    # -- data files

    def index(self, real: str, info: os.stat_result) -> Index | None:
        """The entry of the data file at `real`, if it is of the file as `info` finds it now."""
        entry = self._entry(real, FILE)
        try:
            with files.open_regular(entry) as opened:
                first = opened.readline(MAX_ENTRY)
                header = _checked(first)
                if header is None or header.get("key") != [*_code(), real, *identity(info)]:
                    return None
                brands = header["brands"]
                if type(brands) is not dict or not all(is_id(b) and _span(span) for b, span in brands.items()):
                    return None
                return Index(entry, len(first), brands, os.fstat(opened.fileno()).st_ino, header.get("regions"))
        except (OSError, LineupError, *_UNREADABLE):
            return None

    def tables(self, index: Index, brand_ids: list[str] | None = None) -> dict[str, Any] | None:
        """Each brand's table in the entry (only those of `brand_ids`, if given); None if one is damaged, or if
        the entry is no longer the one indexed (another run wrote it again, or it was forgotten)."""
        wanted = list(index.brands) if brand_ids is None else brand_ids
        try:
            opened = self._open(index)
            if opened is None:
                return None  # written again since it was indexed, perhaps for another state of the file
            out = {}
            for brand_id in wanted:
                offset, length, checksum = index.brands[brand_id]
                opened.seek(index.start + offset)
                chunk = opened.read(length)
                if len(chunk) != length or zlib.crc32(chunk) != checksum:
                    return None
                out[brand_id] = _unpack(chunk)
            return out
        except (OSError, LineupError, *_UNREADABLE):
            return None

    def _open(self, index: Index) -> BinaryIO | None:
        """The entry of `index`, open (kept so until another entry is read); None if it is another file now."""
        if self._held and self._held[0][0] is index:
            return self._held[0][1]
        _close(self._held)
        opened = files.open_regular(index.entry)
        if os.fstat(opened.fileno()).st_ino != index.inode:
            opened.close()
            return None
        self._held.append((index, opened))
        return opened

    def forget(self, index: Index) -> None:
        """Remove the entry `index` was read from, if it is still the one there."""
        if self._held and self._held[0][0] is index:
            _close(self._held)  # (a system may not remove an open file)
        with contextlib.suppress(OSError):
            if index.entry.lstat().st_ino == index.inode:
                index.entry.unlink()

    def put(self, real: str, info: os.stat_result, tables: Mapping[str, Any], regions: Any = None) -> None:
        """Keep each brand's table of a data file read after `info` was taken, and its regions.

        Quietly nothing if it cannot, or if the file changed too recently to tell from a change to come."""
        if not settled(info):
            return
        with contextlib.suppress(OSError, ValueError, TypeError):
            chunks, brands, offset = [], {}, 0
            for brand_id, table in tables.items():
                chunk = _pack(table)
                brands[brand_id] = [offset, len(chunk), zlib.crc32(chunk)]
                chunks.append(chunk)
                offset += len(chunk)
            header = _dumps({"key": [*_code(), real, *identity(info)], "brands": brands, "regions": regions or {}})
            entry = self._entry(real, FILE)
            self._write(entry, [_checksum(header), b" ", header, b"\n", *chunks])
            former = entry.with_suffix(".json")  # the name earlier versions gave the entry: of no use now
            if _ours(former):
                former.unlink()

    # -- sets of files, and reports

    def recall(self, entry: Path, key: list[Any]) -> Any:
        """What `entry` holds if it was kept under `key` by this format and version of lineup.

        None if not, or if the entry is damaged."""
        try:
            with files.open_regular(entry) as opened:
                first, _, body = opened.read(MAX_ENTRY).partition(b"\n")
            kept = _whole(first, body)
            return kept["value"] if kept is not None and kept.get("key") == [*_code(), *key] else None
        except (OSError, LineupError, *_UNREADABLE):
            return None

    def keep(self, entry: Path, key: list[Any], value: Any) -> None:
        """Keep `value` in `entry` under `key`, whole or not at all; quietly nothing if it cannot."""
        with contextlib.suppress(OSError, ValueError, TypeError):
            body = _dumps({"key": [*_code(), *key], "value": value})
            self._write(entry, [_checksum(body), b"\n", body])

    def set_entry(self, reals: list[str]) -> Path:
        """Where the merge of these files keeps what it found."""
        return self._entry("\n".join(reals), SET)

    def report_entry(self, files: list[str]) -> Path:
        """Where `lineup check` keeps what it found in these files (the last day it checked them)."""
        return self._entry("\n".join(files), REPORT)

    def forget_reports(self, but: Path, age: float = 86400) -> None:
        """Remove the check reports last written more than `age` seconds ago (a report is of one day), except `but`.

        Each list of files checked leaves one, and nothing else would remove it."""
        reports: list[Path] = []  # by name first: entries() opens every entry to see it is lineup's
        with contextlib.suppress(OSError), os.scandir(self.folder) as found:
            reports = [
                Path(item.path) for item in found if item.name.startswith(REPORT) and re.fullmatch(_NAME, item.name)
            ]
        for entry in reports:
            with contextlib.suppress(OSError):
                info = entry.lstat()
                old = stat.S_ISREG(info.st_mode) and info.st_mtime < time.time() - age
                if entry != but and old and _ours(entry):
                    entry.unlink()

    # -- the folder

    def entries(self) -> Iterator[Path]:
        """The entries lineup wrote: its names, with its first line; never what a link leads to."""
        with contextlib.suppress(OSError), os.scandir(self.folder) as found:
            for item in found:
                if re.fullmatch(_NAME, item.name) and item.is_file(follow_symlinks=False) and _ours(Path(item.path)):
                    yield Path(item.path)

    def clear(self) -> int:
        """Remove every entry lineup wrote; the number removed."""
        removed = 0
        for entry in list(self.entries()):
            with contextlib.suppress(OSError):
                entry.unlink()
                removed += 1
        return removed

    def _entry(self, name: str, kind: str) -> Path:
        """The entry for `name`; two names that share a hash share an entry, which each rewrites in turn."""
        raw = os.fsencode(name)  # any name the system gives, UTF-8 or not
        suffix = ".bin" if kind == FILE else ".json"  # a data file's entry is mostly marshal's format
        return self.folder / f"{kind}{zlib.crc32(raw):08x}-{zlib.adler32(raw):08x}{suffix}"

    def _write(self, entry: Path, parts: list[bytes]) -> None:
        import tempfile  # only a run that writes needs it

        handle, name = tempfile.mkstemp(prefix=".entry.", dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.writelines(parts)
            Path(name).replace(entry)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(name).unlink()
            raise


# What bad JSON or marshal data, a value missing or of the wrong type, or a number out of range raise as it is read;
# and a size no one wrote (marshal believes a list's length, which a forged entry could make too large for memory).
_UNREADABLE = (ValueError, KeyError, TypeError, OverflowError, RecursionError, EOFError, MemoryError)


def _dumps(value: Any) -> bytes:
    """JSON as compact as it comes."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _close(held: list[tuple[Index, BinaryIO]]) -> None:
    """Close the entry a cache holds open, if any."""
    for _, opened in held:
        opened.close()
    held.clear()


def _pack(table: Any) -> bytes:
    """A brand's record in marshal's format: Python's own for its cache of compiled code, and data alone
    (it makes values, never runs code). It reads in half the time JSON does, and keeps tuples as tuples.
    A damaged chunk is found by its checksum before it is read; a forged one is kept out by the folder's
    privacy, as it is for Python's own cache."""
    return marshal.dumps(table, marshal.version)


def _unpack(chunk: bytes) -> Any:
    """A brand's record as _pack() wrote it."""
    return marshal.loads(chunk)


def _checksum(body: bytes) -> bytes:
    """A check that what follows is as written: it finds damage; it is no defence against a forger
    (the folder's privacy is)."""
    return f"{zlib.crc32(body):08x}{len(body):x}".encode()


def _whole(first: bytes, body: bytes) -> dict[str, Any] | None:
    """The JSON object of an entry's body if its first line is the body's checksum."""
    return _object(body) if first == _checksum(body) else None


def _checked(line: bytes) -> dict[str, Any] | None:
    """A header line, `CHECKSUM JSON`: its JSON object if the checksum is right."""
    checksum, _, body = line.rstrip(b"\n").partition(b" ")
    return _object(body) if checksum == _checksum(body) else None


def _object(body: bytes) -> dict[str, Any] | None:
    value = json.loads(body)
    return value if type(value) is dict else None  # what lineup writes; anything else is not its entry


def _span(value: Any) -> bool:
    return type(value) is list and len(value) == 3 and all(type(n) is int and n >= 0 for n in value)


def _ours(entry: Path) -> bool:
    """Whether a file starts as lineup's entries do (a checksum, then a line break or a space)."""
    if entry.name.startswith("."):
        return True  # lineup's own temporary name, left by a write that was cut short
    try:
        with files.open_regular(entry) as opened:
            first = opened.read(40)
    except (OSError, LineupError):
        return False
    head = re.split(rb"[ \n]", first, maxsplit=1)[0]
    return bool(re.fullmatch(_CHECKSUM, head)) and len(head) < len(first)


def _private(info: os.stat_result) -> bool:
    """A folder only its owner, this user, can read or write: no one else can feed it to us."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o077
