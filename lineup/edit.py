"""Editing data files without loss: under a lock, checked before writing, written atomically.

An edit reads the data files, changes the documents of the files it must, and writes them in
lineup's canonical layout (`lineup fmt`). Only files already in that layout are edited, so a
git diff shows the edited lines and nothing else; a file in another layout, or with comments,
is refused with a way forward instead of being rewritten.
"""

import contextlib
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lineup import files, layout, load
from lineup.errors import LineupError
from lineup.load import source
from lineup.model import Dataset

Document = dict[str, Any]

PACKAGED = (
    "is the dataset installed with lineup, which edits never change: start your own data file with "
    "`lineup init FILE`, then use `--data FILE` or `export LINEUP_DATA=FILE`"
)
NO_DATA = (
    "say which data to edit with --data FILE or LINEUP_DATA; the embedded dataset is not edited "
    "(`lineup init FILE` starts a data file of your own from it)"
)


def roots(options: Sequence[Path] | None, environ: Mapping[str, str] = os.environ) -> list[Path]:
    """The data an edit reads and writes: every --data path, else $LINEUP_DATA.

    Never the embedded dataset by default, so that nothing edits it by accident (a checkout's copy included)."""
    given = load.data_paths(options, environ) if options or environ.get(load.ENV_VAR) else []
    if not given:
        raise LineupError(NO_DATA)
    return given


@dataclass
class Session:
    """The data files as read under the lock, and the documents an edit has changed."""

    roots: list[Path]  # the paths given: files and folders
    paths: list[Path]  # the files read
    reading: load.Reading  # the data as read, which locates its places by line
    changed: dict[str, Document] = field(default_factory=dict)

    @property
    def dataset(self) -> Dataset:
        """The data as read under the lock."""
        assert self.reading.dataset is not None  # session() refuses data that does not load
        return self.reading.dataset

    def document(self, path: Path) -> Document:
        """The document of `path` to change: its data, or a new empty one for a file not there yet."""
        key = str(path)
        if key not in self.changed:
            text = self.reading.texts.get(key)
            if text is not None:
                _editable(path, text, self.reading)
            self.changed[key] = source.parse_toml(text) if text is not None else {}  # a copy to change
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
        real = load.real(path)
        return any(load.is_read_in(r, path) if r.is_dir() else real == load.real(r) for r in self.roots)

    def writable(self, path: Path) -> Path:
        """`path` as a file to write, refused if it is in a data folder but one a read of it would skip."""
        for root in (r for r in self.roots if r.is_dir()):
            if load.real(path).is_relative_to(load.real(root)) and not load.is_read_in(root, path):
                raise LineupError(
                    f"is in {root} but would not be read with it (a folder's data is its *.toml files, not "
                    "hidden ones): name it NAME.toml",
                    file=str(path),
                )
        return path

    def known(self, path: Path) -> Path:
        """The data's own spelling of `path` if it reads that file (so that its text is the one edited)."""
        real = load.real(path)
        return next((p for p in self.paths if load.real(p) == real), path)

    def target(self, brand: str, market: str, file: Path | None) -> Path:
        """Where an edit of `brand` in `market` goes.

        The file holding that market of the brand, else the file holding the brand, else `file`, else the one data
        file, else BRAND.toml in the one data folder."""
        found = (
            self.holding("brands", brand, "markets", market)
            or self.holding("brands", brand, "name")  # where the brand is defined
            or self.holding("brands", brand)
        )
        if found is not None:
            if file is not None and load.real(file) != load.real(found):
                raise LineupError(f"{brand!r} is already in {found}, where its edits go", file=str(file))
            return found
        if file is not None:
            return self.writable(self.known(file))
        folders = [r for r in self.roots if r.is_dir()]
        if len(self.roots) == 1 and folders:
            return folders[0] / f"{brand}.toml"
        if len(self.paths) == 1 and not folders:
            return self.paths[0]
        raise LineupError(f"the data is in several files and none holds {brand!r}: say which with --file")


def _editable(path: Path, text: str, reading: load.Reading) -> None:
    if load.is_packaged(path):
        raise LineupError(PACKAGED, file=str(path))
    comment = layout.first_comment(text)
    if comment is not None:
        raise LineupError(
            f"holds comments (line {comment}), which an edit would lose: edit this file by hand, "
            "or move its comments into `note` fields",
            file=str(path),
        )
    if reading.has_bom(str(path)):
        raise LineupError(
            f"starts with a byte-order mark, which lineup's layout has not: run `lineup fmt {path}` first, then edit",
            file=str(path),
        )
    if layout.dumps(reading.documents[str(path)], layout.directive_of(text)) != text:
        raise LineupError(
            "is not in lineup's canonical layout, so an edit would rewrite more than it must: "
            f"run `lineup fmt {path}` first (and commit that), then edit",
            file=str(path),
        )


@contextlib.contextmanager
def session(given: Sequence[Path], extra: Sequence[Path] = (), empty_ok: bool = False) -> Iterator[Session]:
    """The data under a lock held from before the files are listed until the edit is written.

    So a file another writer creates meanwhile is read, not replaced. `extra` names files the edit may write that
    may not exist yet. With `empty_ok`, a folder with no data yet, or one not there yet, is an empty dataset to add
    to."""
    roots = _unique(given)
    with locked_data(roots, extra, empty_ok) as data:
        reading = load.read(data, keep_documents=True)
        if reading.problems or reading.dataset is None:
            problem = reading.problems[0]
            error = problem.error()
            unreadable = problem.rule in ("read", "encoding", "toml-syntax", "unknown-key", "type")
            if unreadable and any(problem.file == str(e) for e in extra):
                error.message += " (this is not a lineup data file)"
            else:
                error.message += " (fix the data before editing it; see lineup check)"
            raise error
        yield Session(roots, data, reading)


@contextlib.contextmanager
def locked_data(roots: Sequence[Path], extra: Sequence[Path] = (), empty_ok: bool = False) -> Iterator[list[Path]]:
    """The data files of `roots` (and the `extra` files that exist), listed and yielded under a lock.

    The lock is on every folder they are in or a writer could add one to: each root folder and its subfolders, the
    real folder of each file (through symlinks), the folder of each extra file (or the nearest one there is). A
    folder that appears between locking and listing means unlocking, and locking again with it: so nothing is read
    unlocked, and the locks are always taken in one sorted pass."""
    folders = {f for root in roots if root.is_dir() for f in load.folders(root)}
    folders |= {_existing(path.parent) for path in [*(r for r in roots if not r.is_dir()), *extra]}
    while True:
        with files.locked(folders):
            readable = [r for r in roots if not empty_ok or r.is_file() or (r.is_dir() and load.holds_data(r))]
            data = load.expand([*readable, *(e for e in extra if e.is_file())])
            needed = {f for root in readable if root.is_dir() for f in load.folders(root)}
            needed |= {load.real(p).parent for p in data}
            if needed <= {load.real(f) for f in folders}:
                yield data
                return
        folders |= needed


def _existing(folder: Path) -> Path:
    """The folder, or its nearest ancestor that exists (where a new folder would be made)."""
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return load.real(folder)


def _unique(paths: Sequence[Path]) -> list[Path]:
    """The paths, each file or folder once however it is spelled."""
    out: dict[Path, Path] = {}
    for path in paths:
        out.setdefault(load.real(path), path)
    return list(out.values())


def make_folder(folder: Path) -> None:
    """Make a folder (and those above it) for a file an edit writes."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LineupError(f"cannot make the folder: {e.strerror or e}", file=str(folder)) from None


def commit(work: Session) -> list[Path]:
    """Write the changed documents: check that they make valid data, then write each file atomically."""
    try:
        texts = {
            key: layout.dumps(doc, layout.directive_of(work.reading.texts.get(key, "")))
            for key, doc in work.changed.items()
        }
    except ValueError as e:  # a value the layout cannot write is one the data cannot hold
        raise LineupError(f"the edit would make the data invalid, so nothing was written: {e}") from None
    texts = {key: text for key, text in texts.items() if text != work.reading.texts.get(key)}
    if not texts:
        return []
    for key in texts:
        if load.is_packaged(Path(key)):
            raise LineupError(PACKAGED, file=key)
    paths = [*work.paths, *(Path(key) for key in texts if key not in work.reading.texts)]
    after = load.read(paths, texts)
    if after.problems:
        problem = after.problems[0]  # its line would be in a text never written: name the file and key
        message = f"the edit would make the data invalid, so nothing was written: {problem.message}"
        raise LineupError(message, file=problem.file, key=problem.key)
    for key in texts:
        make_folder(Path(key).parent)  # made only now, so that a refused edit leaves nothing behind
    files.write_all(
        {Path(key): text for key, text in texts.items()}, {Path(key): work.reading.stamp(key) for key in texts}
    )
    return [Path(key) for key in texts]


def init(path: Path, as_file: bool) -> Path:
    """Start a data file of one's own.

    A copy of the embedded dataset at `path`, a file, or else in that folder (made if need be) as lineups.toml."""
    target = path if as_file else path / "lineups.toml"
    if load.is_packaged(target):
        raise LineupError("is inside the installed lineup package: start your data file elsewhere", file=str(target))
    make_folder(target.parent)
    with files.locked([target.parent]):
        if target.exists():
            raise LineupError("already exists; lineup init never overwrites a file", file=str(target))
        files.atomic_write(target, load.embedded_path().read_text(encoding="utf-8"))
    return target
