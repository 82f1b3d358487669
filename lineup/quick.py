"""The quick way in: `show`, `diff` and `check` read without Typer, which is most of lineup's start-up.

A query in a shell loop (`for b in $(lineup brands --columns id); do lineup show "$b" -m TW; done`)
pays the start-up every time, and importing Typer and Click takes more than all of lineup's own work
(README, Speed). For the commands here, lineup reads the command line itself, by the options Typer
declares for them (tests/test_quick.py holds the two to the same names, and the same values for
generated command lines), and runs the same code. Whatever it does not take as plainly right (help,
completion, an option or value it does not know, a usage error, anything on Windows, where Typer
expands wildcards in arguments) it leaves to Typer, which explains it: the quick way is to change how
fast lineup answers, not what it answers. A command's OptionError must come before it writes
anything, as Typer then runs the command from the start.
"""

import io
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

from lineup import commands, dates
from lineup.model import Body, Powertrain
from lineup.render import Color, Format

ONE, MANY, FLAG = "one", "many", "flag"  # an option's value: one (the last given wins), a list, or none
Option = tuple[str, str, Callable[[str], Any]]  # the parameter it sets, how many, and what makes its value
Argument = tuple[str, Callable[[str], Any]]  # the parameter it fills, and what makes its value


class _Unsure(Exception):
    """A command line for Typer to read."""


def _choice(kind: type[StrEnum]) -> Callable[[str], Any]:
    """A word of a vocabulary, in any case, as Typer's choices take it."""
    members = {member.value.casefold(): member for member in kind}
    return lambda text: members[text.casefold()]


def _options(*declared: tuple[tuple[str, ...], str, str, Callable[[str], Any]]) -> dict[str, Option]:
    return {name: (dest, how, make) for names, dest, how, make in declared for name in names}


# The options each command shares, as lineup.cli declares them.
DATA = ((("--data",), "data", MANY, commands.path_of), (("--no-cache",), "no_cache", FLAG, str))
OUTPUT = (
    (("-f", "--format"), "fmt", ONE, _choice(Format)),
    (("--columns",), "columns", ONE, str),
    (("--color",), "color", ONE, _choice(Color)),
)
SHOW = _options(
    (("-m", "--market"), "market", MANY, str),
    (("--on",), "on", ONE, dates.parse_day),
    (("--year",), "year", ONE, int),
    (("--model-year",), "model_year", ONE, int),
    (("--body",), "body", MANY, _choice(Body)),
    (("--exclude-body",), "exclude_body", MANY, _choice(Body)),
    (("--powertrain",), "powertrain", MANY, _choice(Powertrain)),
    (("--origin",), "origin", MANY, str),
    (("--all",), "all_", FLAG, str),
    *DATA,
    *OUTPUT,
)
DIFF = _options(
    (("-m", "--market"), "market", MANY, str),
    (("--model-year",), "model_year", FLAG, str),
    (("--on",), "on", ONE, dates.parse_day),
    *DATA,
    *OUTPUT,
)
CHECK = _options(
    (("--strict",), "strict", FLAG, str),
    (("--select",), "select", MANY, str),
    (("--ignore",), "ignore", MANY, str),
    *DATA,
    *OUTPUT,
)
# Each command taken: what runs it, its options, the parameters its arguments fill (in order) and
# what makes each one's value, how many must be given, and whether the last takes all that are left.
COMMANDS: dict[
    str, tuple[Callable[..., int | None], dict[str, Option], tuple[tuple[str, Callable[[str], Any]], ...], int, bool]
] = {
    "show": (commands.show, SHOW, (("brand", str),), 0, False),
    "diff": (commands.diff, DIFF, (("brand", str), ("start", str), ("end", str)), 3, False),
    "check": (commands.check, CHECK, (("paths", commands.path_of),), 0, True),
}


def parse(
    args: list[str],
    options: dict[str, Option],
    arguments: tuple[Argument, ...],
    required: int,
    rest: bool,
) -> dict[str, Any]:
    """The values a command line gives, as Typer would give them; _Unsure if it is not plain."""
    values: dict[str, Any] = {}
    given: list[str] = []
    at = 0
    while at < len(args):
        word = args[at]
        at += 1
        if word[:1] != "-" or word == "-":
            given.append(word)
            continue
        name, equals, inline = word.partition("=") if word.startswith("--") else (word, "", "")
        if name not in options:
            raise _Unsure  # --help, --, -mTW, a mistake...
        dest, how, make = options[name]
        if how == FLAG:
            if equals:
                raise _Unsure
            values[dest] = True
            continue
        if not equals:
            if at == len(args):
                raise _Unsure  # the value is missing
            inline = args[at]
            at += 1
        value = make(inline)
        if how == MANY:
            values.setdefault(dest, []).append(value)
        else:
            values[dest] = value
    if len(given) < required or (len(given) > len(arguments) and not rest):
        raise _Unsure  # an argument missing, or one too many
    last = len(arguments) - 1 if rest else len(arguments)
    for (dest, make), word in zip(arguments[:last], given, strict=False):
        values[dest] = make(word)
    if rest and len(given) > last:
        dest, make = arguments[-1]
        values[dest] = [make(word) for word in given[last:]]
    return values


def run(argv: list[str]) -> int | None:
    """The exit code of a command line taken the quick way; None to leave it to Typer."""
    if not argv or argv[0] not in COMMANDS or "_LINEUP_COMPLETE" in os.environ or os.name == "nt":
        return None  # Typer completes, and on Windows expands *, ~ and %VAR% in arguments
    command, options, arguments, required, rest = COMMANDS[argv[0]]
    try:
        values = parse(argv[1:], options, arguments, required, rest)
    except (_Unsure, ValueError, KeyError):
        return None
    try:
        code = command(**values) or 0
        commands.flush()
    except commands.OptionError:
        return None  # raised before anything is read or written: Typer explains it
    except KeyboardInterrupt:
        return 130  # as Typer ends
    except Exception as e:
        return commands.outcome(e)
    return code


def main() -> None:
    """The `lineup` command."""
    # Data may hold characters the output encoding lacks: escape them rather than fail.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    if sys.stdout is None:  # started with stdout closed (`lineup brands >&-`)
        sys.stdout = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:  # or stderr (`lineup check 2>&-`)
        sys.stderr = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    code = run(sys.argv[1:])
    sys.exit(_typer() if code is None else code)


def _typer() -> int | str | None:
    """The exit code of the command line run by Typer, its output written out while a failure to can
    still be told (a reader gone away, a full disk), as the quick way does."""
    from lineup.cli import app

    try:
        try:
            app(prog_name="lineup")
        except SystemExit as done:
            code = done.code
        commands.flush()
    except OSError as e:
        return commands.outcome(e)
    return code
