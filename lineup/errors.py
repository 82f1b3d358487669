"""lineup's one error type and its kinds, and a problem found in data: each says what a user can fix,
in one line, and the exit code it ends with (1, or 2 for a usage error)."""

from lineup.text import KeyPath, format_key, place_text
from lineup.value import Value


class LineupError(Exception):
    """A problem the user can fix, printed as one line: `FILE:LINE:COL: KEY: message`; exit code 1."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        key: KeyPath = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.key = key

    def __str__(self) -> str:
        place = place_text(self.file, self.line, self.column)
        where = f"{place}: " if place else ""
        key = f"{format_key(self.key)}: " if self.key else ""
        return f"{where}{key}{self.message}"


class UsageError(LineupError):
    """Options that do not fit what the data holds (a new brand without --origin): exit 2, as other usage errors."""

    exit_code = 2

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")


class Problem(Value):
    """One thing wrong with data, at a place in a file, found by a rule of `lineup check`."""

    __slots__ = ("file", "key", "message", "rule", "line", "column")

    def __init__(
        self,
        file: str,
        key: KeyPath,
        message: str,
        rule: str,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.file = file
        self.key = key
        self.message = message
        self.rule = rule
        self.line = line
        self.column = column

    def error(self) -> LineupError:
        """The problem as the error a command stops with."""
        return LineupError(self.message, file=self.file, line=self.line, column=self.column, key=self.key)
