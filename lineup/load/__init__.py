"""Data files -> one merged, checked Dataset; every problem names its file and place.

The parts: paths (which files), source (a file's text and TOML document), reader (a document -> what
it says of each brand, checked), merge (what several files say -> one brand each), cache (what a
file said, kept for the next read), positions (the line and column of a key, for messages).
"""

import contextlib
import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lineup.errors import LineupError, Problem
from lineup.load import records
from lineup.load.cache import Cache, Index, identity, settled
from lineup.load.merge import LazyBrands, check_brand, combine, regions_of
from lineup.load.paths import (
    ENV_VAR,
    data_paths,
    embedded_path,
    expand,
    folders,
    holds_data,
    is_packaged,
    is_read_in,
    real,
)
from lineup.load.reader import Attr, BrandPart, Built, Reader
from lineup.load.values import is_id
from lineup.model import Dataset, Place
from lineup.text import count

if TYPE_CHECKING:
    from lineup.load.positions import Positions

__all__ = [
    "ENV_VAR", "MAX_TOTAL", "Reading", "data_paths", "embedded_path", "expand", "folders", "holds_data", "is_id",
    "is_packaged", "is_read_in", "load", "read", "real",
]  # fmt: skip

Keep = Callable[[BrandPart], bool]

# The most data read at once, in all the files, whether from the cache or not. Read for the first time,
# data takes about five times its size in memory, and the largest file about fifteen times its size
# more while it is parsed (source.MAX_BYTES caps one file): at most about 3 GB, at these limits.
MAX_TOTAL = 256 * 2**20


def load(paths: Sequence[Path], cache: Cache | None = None, keep: Keep | None = None) -> Dataset:
    """Read and merge the data at `paths`; raise the first problem as a LineupError.

    `keep` says which brands to hold ready (all, if not given): the others are built again if they are asked for."""
    reading = read(expand(paths), cache=cache, keep=keep)
    problems = reading.problems
    if problems:
        error = problems[0].error()
        if len(problems) > 1:
            error.message += f" (and {count(len(problems) - 1, 'more problem')})"
        raise error
    assert reading.dataset is not None
    return reading.dataset


def named(text: str) -> Keep:
    """The brands whose id or name is `text`, in any case: those a question about it needs."""
    wanted = text.casefold()
    return lambda part: part.id == wanted or str(getattr(part.attrs.get("name"), "value", "")).casefold() == wanted


def read(
    files: Sequence[Path],
    texts: Mapping[str, str] | None = None,
    keep_documents: bool = False,
    cache: Cache | None = None,
    keep: Keep | None = None,
) -> "Reading":
    """Read and merge files, collecting every problem instead of stopping at the first.

    `texts` gives the contents of some files instead of the disk (to check an edit before writing it);
    `keep_documents` keeps each file's TOML document, which an edit starts from; `cache` keeps what each file says
    for the next read of the same file."""
    for trusted in (True, False):
        reading = Reading(cache if texts is None and not keep_documents else None, keep, trusted)
        with _collector_paused():  # reading makes many objects and frees none: counting them is waste
            if reading.cache is None or not reading.recall(files):
                for file in files:
                    reading.read_file(file, (texts or {}).get(str(file)), keep_documents)
                reading.merge(files)
        if not (reading.problems and reading.cached):
            break  # else a problem in what the cache gave, perhaps the cache's: read the files themselves
    return reading


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Reading:
    """What reading files gave.

    The dataset (None if anything was wrong), every problem, and each file's text, document (for an edit), and
    status as it was read."""

    def __init__(self, cache: Cache | None, keep: Keep | None, trusted: bool = True) -> None:
        self.cache = cache
        self.keep = keep
        self.trusted = trusted  # the cache's entries are read (else only written)
        self.dataset: Dataset | None = None
        self.problems: list[Problem] = []
        self.texts: dict[str, str] = {}
        self.documents: dict[str, dict[str, Any]] = {}
        self._reader = Reader(self.where)
        self._parts: dict[str, list[BrandPart]] = {}  # brand id -> what each file says of it, in file order
        self._stats: dict[str, list[Any]] = {}  # file -> its real path and identity when read
        self._settled = True  # every file read changed long enough ago for a set entry to be kept
        self._boms: set[str] = set()
        self._indexes: dict[str, Index] = {}  # files read from the cache
        self._decoder = records.Decoder()
        self._positions: dict[str, Positions] = {}  # made when a problem needs a line
        self._total = 0  # the bytes of the files read so far, from the cache or not
        self._reread: dict[str, dict[str, BrandPart]] = {}  # file -> its parts, read again for brands let go

    # -- what callers ask

    @property
    def cached(self) -> bool:
        """Whether any file was read from the cache."""
        return bool(self._indexes)

    def stamp(self, file: str) -> tuple[int, int] | None:
        """The file's modification time (ns) and size when it was read, to see if it changed since."""
        stats = self._stats.get(file)
        return (stats[2], stats[1]) if stats else None

    def has_bom(self, file: str) -> bool:
        """Whether the file starts with a byte-order mark (its text, as read, does not)."""
        return file in self._boms

    def problem(self, place: Place, message: str, rule: str) -> Problem:
        """A problem at `place`, with its line and column."""
        found = self.position(place.file, place.key)
        line, column = found if found else (None, None)
        return Problem(place.file, place.key, message, rule, line, column)

    def where(self, place: Place) -> str:
        """`FILE:LINE` of a place, for a message that points at it."""
        found = self.position(place.file, place.key)
        return f"{place.file}:{found[0]}" if found else place.file

    def position(self, file: str, key: tuple[str | int, ...]) -> tuple[int, int] | None:
        """The line and column of a key in a file, read again if it came from the cache."""
        if not key:
            return None
        if file not in self._positions:
            text = self.texts.get(file)
            if text is None:
                from lineup.load import source  # a file's text: a question answered from the cache needs none

                text = source.text_of(Path(file))
            if text is None:
                return None
            from lineup.load.positions import Positions  # only a problem needs a line: a clean read, none

            self._positions[file] = Positions(text)
        return self._positions[file].find(key)

    # -- reading

    def recall(self, files: Sequence[Path]) -> bool:
        """The dataset from the cache alone, if it holds every file as it is and a merge that found nothing wrong.

        Nothing is read but the parts of the brands asked for."""
        assert self.cache is not None
        if not self.trusted:
            return False
        try:
            stats = [(str(file), str(real(file)), file.stat()) for file in files]
        except (OSError, RuntimeError, ValueError):
            return False
        if sum(info.st_size for *_, info in stats) > MAX_TOTAL:
            return False  # read file by file, to say which one goes past the limit
        held = [[real, *identity(info)] for _, real, info in stats]
        if self.cache.recall(self.cache.set_entry([real for _, real, _ in stats]), [held]) is not True:
            return False
        holders: dict[str, list[str]] = {}
        regions = []
        for file, where, info in stats:
            index = self.cache.index(where, info)
            if index is None:
                return False
            try:
                regions += records.regions(index.regions, file)
            except records.Damaged:
                return False
            self._indexes[file] = index
            self._stats[file] = [where, *identity(info)]
            for brand_id in index.brands:
                holders.setdefault(brand_id, []).append(file)
        self.dataset = Dataset(
            LazyBrands(sorted(holders), lambda brand_id: self._recalled(brand_id, holders[brand_id]), self._rebuild),
            tuple(str(file) for file in files),
            regions_of(regions, self._reader),
        )
        return True

    def _recalled(self, brand_id: str, holders: list[str]) -> list[BrandPart]:
        """A brand's parts from the entries of the files that hold it, checked as the merge checks a brand
        (the set's entry vouches for the rest); from the files themselves if the entries disagree."""
        parts = [self._cached(file, brand_id) for file in holders]
        checker = Reader(self.where)
        if check_brand(brand_id, parts, checker) and not checker.problems:
            return parts
        return [self._again(file, brand_id, None) for file in holders]

    def read_file(self, path: Path, given: str | None = None, keep_document: bool = False) -> None:
        """Read one file (from the cache, if it holds it as it is), adding what it says of each brand."""
        from lineup.load import source  # a file's text: a question answered from the cache needs none

        file = str(path)
        if self._total > MAX_TOTAL:
            return  # past the limit: said once, at the file that went past it
        if given is None and self.cache is not None and self.trusted and self._from_cache(path):
            return
        if given is not None:
            text, found = given, None
            self._total += len(text)
        else:
            found = source.read(path)
            if isinstance(found, Problem):
                self.problems.append(found)
                return
            text = found.text
            self._total += found.info.st_size
            self._stats[file] = [str(real(path)), *identity(found.info)]
            self._settled = self._settled and settled(found.info)
            if found.bom:
                self._boms.add(file)
        if self._total > MAX_TOTAL:  # refused before it is parsed, which is what takes memory
            from lineup.files import megabytes  # only this refusal needs it

            message = f"the data read adds up to more than {megabytes(MAX_TOTAL)} with this file, which is more "
            self.problems.append(Problem(file, (), message + "than lineup reads at once: read less at once", "read"))
            return
        doc = source.document(file, text)
        if isinstance(doc, Problem):
            self.problems.append(doc)
            return
        if keep_document or given is not None:  # else it is read again if a problem needs a line of it
            self.texts[file] = text
        if keep_document:
            self.documents[file] = doc
        before, regions = len(self._reader.problems), len(self._reader.regions)
        parts = self._reader.document(file, doc)
        if self.cache is not None and isinstance(found, source.Source) and len(self._reader.problems) == before:
            tables = {part.id: records.encode(records.of(part)) for part in parts}
            mine = records.encode_regions(self._reader.regions[regions:])
            self.cache.put(self._stats[file][0], found.info, tables, mine)
        self._add(parts)

    def _from_cache(self, path: Path) -> bool:
        assert self.cache is not None
        file = str(path)
        try:
            where, info = str(real(path)), path.stat()
        except (OSError, ValueError):
            return False
        index = self.cache.index(where, info)
        tables = self.cache.tables(index) if index is not None else None
        if index is None or tables is None or self._total + info.st_size > MAX_TOTAL:
            return False
        try:
            parts = [
                _part(file, brand_id, self._decoder.record(file, brand_id, table)) for brand_id, table in tables.items()
            ]
            self._reader.regions += records.regions(index.regions, file)
        except records.Damaged:  # not what lineup writes: read the file itself
            return False
        self._indexes[file] = index
        self._stats[file] = [where, *identity(info)]
        self._total += info.st_size
        self._add(parts)
        return True

    def _add(self, parts: Iterator[BrandPart] | list[BrandPart]) -> None:
        for part in parts:
            if self.keep is not None and not self.keep(part):
                part.built = None  # let go: built again from the file, or its entry, if asked for
            self._parts.setdefault(part.id, []).append(part)

    def merge(self, files: Sequence[Path]) -> None:
        """Merge what the files say; the dataset if nothing was wrong, which the cache then remembers."""
        merged = combine(self._parts, self._reader)
        regions = regions_of(self._reader.regions, self._reader)
        self.problems = self._located([*self.problems, *self._reader.problems])
        if self.problems:
            return
        self.dataset = Dataset(
            LazyBrands(list(merged), merged.__getitem__, self._rebuild), tuple(map(str, files)), regions
        )
        if self.cache is not None and self._settled and len(self._stats) == len(files):
            held = [self._stats[str(file)] for file in files]  # each file's real path and identity as read
            self.cache.keep(self.cache.set_entry([real for real, *_ in held]), [held], True)

    def _located(self, problems: list[Problem]) -> list[Problem]:
        out = []
        for p in problems:
            if p.line is None and p.key:
                found = self.position(p.file, p.key)
                if found is not None:
                    p = p._replace(line=found[0], column=found[1])
            out.append(p)
        return sorted(out, key=lambda p: (p.file, p.line or 0, p.column or 0))

    # -- a brand's values, when it is asked for

    def _cached(self, file: str, brand_id: str) -> BrandPart:
        """A brand's part of a file, from the file's entry; from the file itself if the entry is bad."""
        assert self.cache is not None
        tables = self.cache.tables(self._indexes[file], [brand_id])
        try:
            if tables is not None:
                return _part(file, brand_id, self._decoder.record(file, brand_id, tables[brand_id]))
        except records.Damaged:
            pass
        return self._again(file, brand_id, None)

    def _rebuild(self, part: BrandPart) -> Built:
        """The values of a part that were let go: from the cache, else the file read again."""
        fresh = (
            self._cached(part.file, part.id) if part.file in self._indexes else self._again(part.file, part.id, part)
        )
        if not _same(fresh, part):
            raise LineupError("changed while it was read: run the command again", file=part.file)
        assert fresh.built is not None
        return fresh.built

    def _again(self, file: str, brand_id: str, known: BrandPart | None) -> BrandPart:
        """A brand's part as the file says it now; an error if it no longer says what was read."""
        parts = self._reread.get(file)
        if parts is None:
            parts = self._reread[file] = self._read_again(file)
        part = parts.get(brand_id)
        if part is None or (known is not None and not _same(part, known)):
            raise LineupError("changed while it was read: run the command again", file=file)
        return part

    def _read_again(self, file: str) -> dict[str, BrandPart]:
        """Each brand's part of a file, read again once however many brands are asked for; none if the
        file changed since it was read. Found right as a whole then, a part read alone is taken as it
        is, whatever a check of it alone says (of models another file defines, say)."""
        if file in self._indexes:
            assert self.cache is not None
            self.cache.forget(self._indexes[file])  # a bad entry: written again by the next read
        from lineup.load import source  # a file's text: a question answered from the cache needs none

        found = source.read(Path(file))
        if isinstance(found, Problem) or [*identity(found.info)] != self._stats.get(file, [])[1:]:
            return {}
        doc = source.document(file, found.text)
        return {} if isinstance(doc, Problem) else {part.id: part for part in Reader(self.where).document(file, doc)}


def _part(file: str, brand_id: str, record: records.Record) -> BrandPart:
    """What a file says of a brand, from what the cache kept."""
    part = BrandPart(brand_id, file)
    part.attrs = {key: Attr(value, part.at(key)) for key, value in record.attrs.items()}
    part.models = {model_id: model.follows for model_id, model in record.models.items()}
    part.markets = {code: list(entries) for code, entries in record.markets.items()}
    part.coverage = list(record.coverage)
    part.presence = list(record.presence)
    part.sales = {code: list(entries) for code, entries in record.sales.items()}
    part.built = Built(record.models, record.markets, record.coverage, record.presence, record.sales)
    return part


def _same(a: BrandPart, b: BrandPart) -> bool:
    """Whether two parts say the same names, ids and keys (what the merge checked)."""
    return (a.id, a.attrs, a.models, a.markets, a.coverage, a.presence, a.sales, a.broken) == (
        b.id, b.attrs, b.models, b.markets, b.coverage, b.presence, b.sales, b.broken,
    )  # fmt: skip
