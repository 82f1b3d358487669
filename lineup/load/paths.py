"""Which files hold the data: --data paths, else $LINEUP_DATA, else the embedded dataset; a folder is
its *.toml files, recursively, in sorted order."""

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from lineup.errors import LineupError
from lineup.text import shorten

ENV_VAR = "LINEUP_DATA"
_PACKAGE = Path(__file__).resolve().parent.parent  # the installed lineup folder, or lineup/ in a checkout


def embedded_path() -> Path:
    """The dataset shipped with lineup (inside the package, or beside it in a checkout)."""
    packaged = _PACKAGE / "data" / "lineups.toml"
    if packaged.is_file():
        return packaged
    return _PACKAGE.parent / "data" / "lineups.toml"


def is_packaged(path: Path) -> bool:
    """Whether `path` is in the data folder installed inside the package, which edits must not touch."""
    return real(path).is_relative_to(_PACKAGE / "data")


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
    yield real(root)
    for path, dirs, _ in _walk(root):
        yield from (real(Path(path, d)) for d in dirs)


def is_read_in(folder: Path, path: Path) -> bool:
    """Whether expand() of `folder` takes in the file `path` (a .toml name, no hidden part below it)."""
    try:
        parts = real(path).relative_to(real(folder)).parts
    except ValueError:
        return False
    return path.name.endswith(".toml") and not any(part.startswith(".") for part in parts)


def real(path: Path) -> Path:
    """The path with its symlinks followed as far as they lead.

    A loop is left as it is, for the read (or the write) of that file to report, rather than failing here."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: Python 3.11's word for a symlink loop
        return path.absolute()


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
