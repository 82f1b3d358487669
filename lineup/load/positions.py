"""Where each key of a TOML document is written, for error messages.

tomllib gives values, not positions, so this module scans the text once more,
only when a message needs a line. It assumes the text already parsed, so it
reads the structure (tables, keys, arrays, inline tables, strings, comments)
without checking it, and never raises on any input.
"""

import bisect
import contextlib

from lineup.text import KeyPath

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class Positions:
    """Key path -> (line, column) of where that key or array element starts, 1-based."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self._at: dict[KeyPath, int] = {}
        self.comments: list[int] = []  # where each comment starts, as offsets in the text
        self._array_tables: dict[KeyPath, int] = {}
        self._i = 0
        # On text that does not parse, keep what was found before the problem.
        with contextlib.suppress(IndexError, ValueError, RecursionError):
            self._document()

    def find(self, key: KeyPath) -> tuple[int, int] | None:
        """The position of `key`, or of its nearest written ancestor."""
        for n in range(len(key), 0, -1):
            offset = self._at.get(key[:n])
            if offset is not None:
                line = bisect.bisect_right(self._line_starts, offset)
                return line, offset - self._line_starts[line - 1] + 1
        return None

    def line_of(self, offset: int) -> int:
        """The line an offset in the text is on."""
        return bisect.bisect_right(self._line_starts, offset)

    # --- the scanner -------------------------------------------------------

    def _record(self, key: KeyPath, offset: int) -> None:
        self._at.setdefault(key, offset)

    def _peek(self) -> str:
        return self._text[self._i] if self._i < len(self._text) else ""

    def _skip_space(self, newlines: bool) -> None:
        text = self._text
        while self._i < len(text):
            c = text[self._i]
            if c in " \t" or (newlines and c in "\r\n"):
                self._i += 1
            elif c == "#":
                self.comments.append(self._i)
                while self._i < len(text) and text[self._i] != "\n":
                    self._i += 1
            else:
                return

    def _document(self) -> None:
        table: KeyPath = ()
        while True:
            self._skip_space(newlines=True)
            if self._i >= len(self._text):
                return
            start = self._i
            if self._text.startswith("[[", self._i):
                self._i += 2
                raw = self._dotted_key()
                self._skip_space(newlines=False)
                self._i += 2  # ]]
                base = self._resolve(raw[:-1]) + raw[-1:]
                index = self._array_tables.get(base, -1) + 1
                self._array_tables[base] = index
                self._record(base, start)
                table = (*base, index)
                self._record(table, start)
            elif self._peek() == "[":
                self._i += 1
                raw = self._dotted_key()
                self._skip_space(newlines=False)
                self._i += 1  # ]
                table = self._resolve(raw)
                for n in range(1, len(table) + 1):
                    self._record(table[:n], start)
            else:
                self._key_value(table)

    def _resolve(self, raw: KeyPath) -> KeyPath:
        """Insert the current element index after each array-of-tables prefix."""
        out: KeyPath = ()
        for part in raw:
            out = (*out, part)
            index = self._array_tables.get(out)
            if index is not None:
                out = (*out, index)
        return out

    def _key_value(self, table: KeyPath) -> None:
        start = self._i
        raw = self._dotted_key()
        for n in range(1, len(raw) + 1):
            self._record((*table, *raw[:n]), start)
        self._skip_space(newlines=False)
        self._i += 1  # =
        self._skip_space(newlines=False)
        self._value((*table, *raw))

    def _dotted_key(self) -> KeyPath:
        parts: list[str | int] = []
        while True:
            self._skip_space(newlines=False)
            parts.append(self._simple_key())
            self._skip_space(newlines=False)
            if self._peek() != ".":
                return tuple(parts)
            self._i += 1

    def _simple_key(self) -> str:
        c = self._peek()
        if c == '"':
            return self._basic_string()
        if c == "'":
            return self._literal_string()
        start = self._i
        while self._i < len(self._text) and self._text[self._i] in _BARE:
            self._i += 1
        if self._i == start:
            raise ValueError("no key here")
        return self._text[start : self._i]

    def _value(self, key: KeyPath) -> None:
        c = self._peek()
        if c == "{":
            self._i += 1
            while True:
                self._skip_space(newlines=True)
                if self._peek() in ("}", ""):
                    self._i += 1
                    return
                if self._peek() == ",":
                    self._i += 1
                    continue
                self._key_value(key)
        elif c == "[":
            self._i += 1
            index = 0
            while True:
                self._skip_space(newlines=True)
                if self._peek() in ("]", ""):
                    self._i += 1
                    return
                if self._peek() == ",":
                    self._i += 1
                    continue
                self._record((*key, index), self._i)
                self._value((*key, index))
                index += 1
        elif c in "\"'":
            if c == '"':
                self._basic_string()
            else:
                self._literal_string()
        else:
            text = self._text
            while self._i < len(text) and text[self._i] not in ",]}\n#":
                self._i += 1

    def _basic_string(self) -> str:
        text = self._text
        multi = text.startswith('"""', self._i)
        self._i += 3 if multi else 1
        out: list[str] = []
        while self._i < len(text):
            c = text[self._i]
            if c == "\\":
                nxt = text[self._i + 1]
                if nxt in _ESCAPES:
                    out.append(_ESCAPES[nxt])
                    self._i += 2
                elif nxt in "uU":
                    width = 4 if nxt == "u" else 8
                    out.append(chr(int(text[self._i + 2 : self._i + 2 + width], 16)))
                    self._i += 2 + width
                else:  # a line-ending backslash in a multi-line string
                    self._i += 1
                    while self._i < len(text) and text[self._i] in " \t\r\n":
                        self._i += 1
                continue
            if multi and text.startswith('"""', self._i):
                self._i += 3
                while self._peek() == '"':  # up to two quotes may end the content
                    self._i += 1
                return "".join(out)
            if not multi and c == '"':
                self._i += 1
                return "".join(out)
            out.append(c)
            self._i += 1
        return "".join(out)

    def _literal_string(self) -> str:
        text = self._text
        if text.startswith("'''", self._i):
            end = text.find("'''", self._i + 3)
            end = len(text) if end < 0 else end
            value = text[self._i + 3 : end]
            self._i = end + 3
            while self._peek() == "'":
                self._i += 1
            return value
        end = text.find("'", self._i + 1)
        end = len(text) if end < 0 else end
        value = text[self._i + 1 : end]
        self._i = end + 1
        return value
