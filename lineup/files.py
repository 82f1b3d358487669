"""Reading files without waiting on what is not one, and writing them whole or not at all."""

import contextlib
import errno
import fcntl
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO, TextIO

from lineup.errors import LineupError


def open_regular(path: Path) -> BinaryIO:
    """A regular file, open for reading.

    It is opened without waiting (a pipe put in its place cannot hold lineup), then checked to be a regular file,
    and read from what was opened, so that nothing can swap it between the check and the read. Not a regular file:
    LineupError; not opened: OSError."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    opened = os.fdopen(handle, "rb")
    mode = os.fstat(handle).st_mode
    if not stat.S_ISREG(mode):  # a device or a pipe could block or never end
        opened.close()
        raise LineupError("is a folder, not a file" if stat.S_ISDIR(mode) else "is not a regular file", file=str(path))
    return opened


def read_bytes(path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file (see open_regular) of at most `limit` bytes, and its status when opened.

    A file that is not one, or is too large, raises LineupError; one not read, OSError."""
    with open_regular(path) as opened:
        info = os.fstat(opened.fileno())
        if info.st_size > limit:
            message = f"is {megabytes(info.st_size)}, more than lineup reads in one file ({megabytes(limit)})"
            raise LineupError(message, file=str(path))
        raw = opened.read(limit + 1)
    if len(raw) > limit:  # it grew as it was read
        raise LineupError(f"is more than lineup reads in one file ({megabytes(limit)})", file=str(path))
    return raw, info


def megabytes(size: int) -> str:
    """A size as a person reads it: `100 MB`."""
    return f"{size / 2**20:.0f} MB"


def atomic_write(path: Path, text: str) -> None:
    """Replace `path` with `text`.

    A temporary file in the same folder, flushed and synced, renamed over the original (whose mode it keeps). A
    crash at any moment leaves the old file or the new one."""
    write_all({path: text})


def write_all(texts: Mapping[Path, str], stamps: Mapping[Path, tuple[int, int] | None] | None = None) -> None:
    """Replace each file atomically, as atomic_write does, then sync each folder once.

    The renames are durable from then on (one folder sync for many files, where an import writes dozens). Every
    file is checked first, so that one that cannot be written stops the others before any is replaced; with
    `stamps` (mtime in ns and size, as read), so does one that changed since it was read."""
    owners = {path: _owner(path, (stamps or {}).get(path)) for path in texts}
    folders = {_replace(path, text, owners[path]) for path, text in texts.items()}
    for folder in sorted(folders):
        _sync_folder(folder)


def _owner(path: Path, stamp: tuple[int, int] | None) -> os.stat_result | None:
    """The file's status now (None for a new file), once it is known it may be written over."""
    real = real_path(path)
    try:
        info = real.stat()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise LineupError(f"cannot write: {e.strerror or e}", file=str(path)) from None
    if stat.S_ISDIR(info.st_mode):
        raise LineupError("is a folder, not a file", file=str(path))
    if not stat.S_ISREG(info.st_mode):  # replacing a device (as root, /dev/null) would break the system
        raise LineupError("is not a regular file (a device or a pipe), which lineup never replaces", file=str(path))
    if not info.st_mode & 0o222 or not os.access(real, os.W_OK):  # marked read-only, even for root
        raise LineupError("is read-only: make it writable first if it is to change", file=str(path))
    if stamp is not None and (info.st_mtime_ns, info.st_size) != stamp:
        raise LineupError("changed since lineup read it, so nothing was written: run the command again", file=str(path))
    return info


def _replace(path: Path, text: str, info: os.stat_result | None) -> Path:
    """Write `text` over `path` (through a symlink, to its target), keeping its mode and, where the
    system lets us, its owner; return the folder written in."""
    real = real_path(path)
    with _beside(path, real, info) as temporary, temporary.open("w", encoding="utf-8", newline="") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    return real.parent


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A new file's name beside `path`, renamed over `path` once written.

    For a writer that makes the file itself (SQLite, say); through a symlink, beside its target: never half a file,
    the mode kept."""
    real = real_path(path)
    with _beside(path, real, _owner(path, None)) as temporary:
        temporary.unlink()
        yield temporary
        with temporary.open("rb") as written:
            os.fsync(written.fileno())
    _sync_folder(real.parent)


@contextlib.contextmanager
def writing(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text stream to a new file that replaces `path` once all of it is written, as replacing() does.

    A large output goes to disk as it is made, never held whole in memory. A device or a pipe (`/dev/stdout`,
    `/dev/null`) is written into instead, as a shell's `>` writes into it."""
    handle = _open_device(path)
    if handle is not None:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
        return
    with replacing(path) as temporary, temporary.open("x", encoding="utf-8", newline="") as out:
        yield out


def _open_device(path: Path) -> int | None:
    """`path` open for writing if it is a device or a pipe (without waiting for a reader); None if it is
    a regular file, a folder or nothing yet, which are replaced."""
    try:
        if stat.S_ISREG(path.stat().st_mode) or path.is_dir():
            return None
        handle = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as e:
        reason = "no program is reading from the pipe" if e.errno == errno.ENXIO else e.strerror or e
        raise LineupError(f"cannot write: {reason}", file=str(path)) from None
    if stat.S_ISREG(os.fstat(handle).st_mode):  # a file put in its place since: replace it after all
        os.close(handle)
        return None
    os.set_blocking(handle, True)
    return handle


@contextlib.contextmanager
def _beside(path: Path, real: Path, info: os.stat_result | None) -> Iterator[Path]:
    """A temporary file in the folder of `real`, given `path`'s mode (and owner) and renamed over it when
    the block ends well, removed when it does not; a failure to write is a LineupError naming `path`."""
    import tempfile  # only a write needs it, and it costs start-up

    mode = info.st_mode & 0o7777 if info is not None else 0o666 & ~_umask()
    try:
        handle, name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as e:
        raise LineupError(f"cannot write: {e.strerror or e}", file=str(path)) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(mode)
        if info is not None and (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
            with contextlib.suppress(OSError):  # only root may give a file away; others keep their own
                os.chown(temporary, info.st_uid, info.st_gid)
        temporary.replace(real)
    except BaseException as e:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(e, OSError):
            raise LineupError(f"cannot write: {e.strerror or e}", file=str(path)) from None
        raise


def real_path(path: Path) -> Path:
    """Where `path` leads through its symlinks; a loop of them is a LineupError naming `path`."""
    try:
        return path.resolve()
    except RuntimeError:  # Python 3.11's word for a symlink loop; later ones raise OSError
        raise LineupError("is a loop of symbolic links", file=str(path)) from None
    except OSError as e:
        raise LineupError(f"cannot follow: {e.strerror or e}", file=str(path)) from None


@contextlib.contextmanager
def locked(folders: Iterable[Path]) -> Iterator[None]:
    """An exclusive lock on each folder (by its real path), held for a whole read-modify-write.

    So two writers never lose each other's change. The lock is on the folder itself: it leaves no file behind, and
    it covers the files created in the folder as well as the ones there now. The folders are locked in one sorted
    pass, so two writers never hold one each while waiting for the other's."""
    handles = []
    try:
        for folder in sorted({real_path(f) for f in folders}):
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
    # The only way to read the umask is to set it; lineup is one thread, so nothing runs in between.
    current = os.umask(0)
    os.umask(current)
    return current
