"""Writing files whole or not at all."""

import contextlib
import os
import tempfile
from pathlib import Path

from lineup.model import LineupError


def atomic_write(path: Path, text: str) -> None:
    """Replace `path` with `text`: a temporary file in the same folder, flushed and synced, renamed over
    the original (whose mode it keeps). A crash at any moment leaves the old file or the new one."""
    path = path.resolve()  # write through a symlink to its target, not over the link
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as e:
        raise LineupError(f"cannot write: {e.strerror or e}", file=str(path)) from None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise LineupError(f"cannot write: {e.strerror or e}", file=str(path)) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        temporary = Path(name)
        temporary.chmod(mode)
        temporary.replace(path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            Path(name).unlink()
        if isinstance(e, OSError):
            raise LineupError(f"cannot write: {e.strerror or e}", file=str(path)) from None
        raise
    _sync_folder(folder)


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
