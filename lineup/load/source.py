"""A data file's bytes, its text and its TOML document; what keeps a file from being read, located."""

import codecs
import functools
import os
import re
from pathlib import Path
from typing import Any

from lineup import files
from lineup.errors import LineupError, Problem
from lineup.value import Value

MAX_BYTES = 100 * 2**20  # parsing this much takes about 20 s and 1.4 GB at its peak: split larger data
MAX_KEY_PARTS = 32


class Source(Value):
    """A data file as read: its text (without a byte-order mark), whether it had one, and its status then."""

    __slots__ = ("text", "bom", "info")

    def __init__(
        self,
        text: str,
        bom: bool,
        info: os.stat_result,
    ) -> None:
        self.text = text
        self.bom = bom
        self.info = info


def read(path: Path) -> Source | Problem:
    """The file's text, or the problem that keeps it from being read."""
    file = str(path)
    try:
        raw, info = files.read_bytes(path, MAX_BYTES)
    except LineupError as e:
        return Problem(file, (), e.message, "read")
    except OSError as e:
        return Problem(file, (), f"cannot read: {e.strerror or e}", "read")
    bom = raw.startswith(codecs.BOM_UTF8)
    try:
        return Source(raw.decode("utf-8").removeprefix("\ufeff"), bom, info)
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        start = raw.rfind(b"\n", 0, e.start) + 1
        column = len(raw[start : e.start].decode("utf-8", errors="replace")) + 1  # in characters, as elsewhere
        message = f"not UTF-8 text (byte 0x{raw[e.start]:02x}); save the file as UTF-8"
        return Problem(file, (), message, "encoding", line, column)


def text_of(path: Path) -> str | None:
    """A file's text, for the line of a place in a file whose document came from the cache."""
    found = read(path)
    return found.text if isinstance(found, Source) else None


def document(file: str, text: str) -> dict[str, Any] | Problem:
    """The TOML document of a file's text, or the problem that keeps it from being one."""
    deep = _deep_key(text)
    if deep is not None:  # tomli takes time and memory quadratic in a key's parts
        line, column = _line_column(text, deep)
        message = f"a key of more than {MAX_KEY_PARTS} parts: lineup's keys have a few (brands.x.markets.TW)"
        return Problem(file, (), message, "toml-syntax", line, column)
    try:
        return parse_toml(text)
    except ValueError as e:  # tomli's TOMLDecodeError
        return _syntax_problem(file, e, text)
    except RecursionError:
        return Problem(file, (), "nested too deeply to read", "toml-syntax")


def parse_toml(text: str) -> dict[str, Any]:
    """A TOML document, read by tomli: the standard tomllib, compiled (two to three times faster)."""
    import tomli  # a read from the cache needs no parser

    return tomli.loads(text)


_KEY_PART = r"""(?:[A-Za-z0-9_-]++|"(?:[^"\\\n]|\\.)*+"|'[^'\n]*+')"""


@functools.cache
def _deep_key_pattern() -> re.Pattern[str]:
    """A key (at a line's start, in a [table] header, or in an inline table) of more parts than any
    lineup data has: matched possessively, so the search itself stays linear. Made when first needed."""
    return re.compile(
        rf"(?m)(^[ \t]*+\[{{0,2}}[ \t]*+|[{{,][ \t]*+){_KEY_PART}(?:[ \t]*+\.[ \t]*+{_KEY_PART}){{{MAX_KEY_PARTS}}}"
    )


def _deep_key(text: str) -> int | None:
    """Where a key of more than MAX_KEY_PARTS parts starts, if one does. Only a line of that many dots
    can hold one, and they are few: the pattern runs on those lines alone."""
    if text.count(".") < MAX_KEY_PARTS:
        return None
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if line.count(".") >= MAX_KEY_PARTS and (found := _deep_key_pattern().search(line)):
            return sum(len(before) + 1 for before in lines[:number]) + found.end(1)
    return None


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _syntax_problem(file: str, error: ValueError, text: str) -> Problem:
    message = str(error)
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if match:
        described = f"not valid TOML: {message[: match.start()]}"
        return Problem(file, (), described, "toml-syntax", int(match[1]), int(match[2]))
    match = re.search(r"\s*\(at end of document\)$", message)
    if match:
        described = f"not valid TOML: {message[: match.start()]} at the end of the file"
        line = text.count("\n") + 1
        return Problem(file, (), described, "toml-syntax", line, len(text) - (text.rfind("\n") + 1) + 1)
    return Problem(file, (), f"not valid TOML: {message}", "toml-syntax")
