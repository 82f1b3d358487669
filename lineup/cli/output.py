"""What commands write besides their results: notes and errors on stderr, help, and the one place where
a failure becomes the line a user reads and the exit code the shell gets."""

import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand

from lineup.errors import LineupError
from lineup.text import visible


class PlainCommand(TyperCommand):
    """A command whose usage line names its arguments as its help does: `BRAND MODEL`, not `{BRAND} {MODEL}`.

    Typer braces a required argument in the usage line, a notation (a choice, to some readers) that no other
    part of lineup's help uses; Click's plain names read as the help's Arguments section does."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """The usage line's pieces, each required argument by its plain name."""
        return [p[1:-1] if p[:1] == "{" and p[-1:] == "}" else p for p in super().collect_usage_pieces(ctx)]


def plain_typer(**settings: Any) -> typer.Typer:
    """A Typer that writes as lineup does.

    Plain help (no markup read in it), no tracebacks of its own, and no completion options (the top command offers
    them)."""
    return typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False, **settings)


_quiet = False  # -q: no notes, errors only


def hush(quiet: bool) -> bool:
    """Whether to drop the notes from here on (-q, read with each command line); errors are still said."""
    global _quiet
    _quiet = quiet
    return quiet


def note(message: str) -> None:
    """A note for the person reading, on stderr (none with -q), after what the answer wrote so far."""
    if not _quiet:
        sys.stdout.flush()  # where both go to one place (`2>&1`), the note follows the answer it is about
        sys.stderr.write(f"note: {visible(message)}\n")


def write_file(path: Path, text: str) -> None:
    """Write a picture or page to `path` (replaced whole, or not at all), or to stdout for `-`."""
    from lineup import files  # only a command that writes a file needs it

    if str(path) == "-":
        sys.stdout.write(text)
        return
    with files.writing(path) as out:
        out.write(text)
    note(f"wrote {path}")


def fail(message: str) -> None:
    """An error, on stderr, as one line."""
    sys.stderr.write(f"error: {visible(message)}\n")


# What a write to a full, broken or closed output raises.
_WRITING = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EPIPE}


def exit_code(error: Exception) -> int:
    """The one place a failure becomes what a user sees: one line on stderr, and the exit code."""
    if isinstance(error, LineupError):
        fail(str(error))
        return error.exit_code
    if isinstance(error, BrokenPipeError):  # the reader went away (`lineup show | head`)
        _nothing_more_out()
        return 141  # stop quietly, as `cat` does
    if isinstance(error, OSError) and error.errno in _WRITING:
        _nothing_more_out()
        fail(f"cannot write the output: {error.strerror or error}")
        return 1
    if isinstance(error, OSError):  # the system's, not lineup's: say it as it says it
        fail(f"{error.filename}: {error.strerror}" if error.filename else f"{error.strerror or error}")
        return 1
    if os.environ.get("LINEUP_DEBUG"):
        raise error
    fail(f"internal error: {type(error).__name__}: {error} (set LINEUP_DEBUG=1 for a traceback; please report it)")
    return 1


def _nothing_more_out() -> None:
    """Nothing more can be written where stdout goes: the rest, and Python's last flush, go nowhere."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
