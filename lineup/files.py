"""Writing files whole or not at all."""

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from lineup.model import LineupError


def atomic_write(path: Path, text: str) -> None:
    """Replace `path` with `text`: a temporary file in the same folder, flushed and synced, renamed over
    the original (whose mode it keeps). A crash at any moment leaves the old file or the new one."""
    write_all({path: text})


def write_all(texts: Mapping[Path, str]) -> None:
    """Replace each file atomically, as atomic_write does, then sync each folder once: the renames are
    durable from then on (one folder sync for many files, where an import writes dozens). Every file
    is checked first, so that one that cannot be written stops the others before any is replaced."""
    modes = {path: _mode(path) for path in texts}
    folders = {_replace(path, text, modes[path]) for path, text in texts.items()}
    for folder in sorted(folders):
        _sync_folder(folder)


def _mode(path: Path) -> int:
    """The mode a new version of `path` gets: its own, or the default for a new file."""
    real = path.resolve()
    try:
        mode = real.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_umask()
    except OSError as e:
        raise LineupError(f"cannot write: {e.strerror or e}", file=str(path)) from None
    if not mode & 0o222 or not os.access(real, os.W_OK):  # marked read-only, even for root
        raise LineupError("is read-only: make it writable first if it is to change", file=str(path))
    return mode


def _replace(path: Path, text: str, mode: int) -> Path:
    """Write `text` over `path` (through a symlink, to its target); return the folder written in."""
    real = path.resolve()
    try:
        handle, name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as e:
        raise LineupError(f"cannot write: {e.strerror or e}", file=str(path)) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        temporary = Path(name)
        temporary.chmod(mode)
        temporary.replace(real)
    except BaseException as e:
        with contextlib.suppress(OSError):
            Path(name).unlink()
        if isinstance(e, OSError):
            raise LineupError(f"cannot write: {e.strerror or e}", file=str(path)) from None
        raise
    return real.parent


@contextlib.contextmanager
def locked(folders: Iterable[Path]) -> Iterator[None]:
    """An exclusive lock on each folder (by its real path), held for a whole read-modify-write, so that
    two writers never lose each other's change. The lock is on the folder itself: it leaves no file
    behind, and it covers the files created in the folder as well as the ones there now. The folders
    are locked in one sorted pass, so two writers never hold one each while waiting for the other's."""
    handles = []
    try:
        for folder in sorted({f.resolve() for f in folders}):
            try:
                handle = os.open(folder, os.O_RDONLY)
            except OSError as e:
                raise LineupError(f"cannot lock the folder: {e.strerror or e}", file=str(folder)) from None
            handles.append(handle)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        for handle in reversed(handles):
            os.close(handle)  # closing releases the lock


def _sync_folder(folder: Path) -> None:
    # The rename is durable once the folder's entry is on disk; not every system can open a folder.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
