"""Single values of a data file, checked where they are read: text, ids, codes, dates, model years,
vocabularies, sources. Each problem is reported at its place; the document's structure is the
reader's (lineup.load.reader)."""

import math
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from lineup import countries, dates
from lineup.errors import LineupError, Problem
from lineup.model import Body, Figure, Place, Powertrain
from lineup.text import did_you_mean, shorten

ID_SYNTAX = r"[a-z0-9]([a-z0-9._-]*[a-z0-9])?"  # as is_id() reads it, for the JSON Schema
_ID_ENDS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_ID_CHARACTERS = _ID_ENDS | frozenset("._-")
MAX_HINTS = 20  # problems that get a did-you-mean
FIGURE_KEYS = ("period", "units", "change", "compared_with", "note", "source", "sources")  # a sales figure's

_Choice = TypeVar("_Choice", Body, Powertrain)


def is_id(text: str) -> bool:
    """Whether `text` can be a brand or model id: lower-case letters, digits and - . _ (ID_SYNTAX)."""
    return bool(text) and text[0] in _ID_ENDS and text[-1] in _ID_ENDS and _ID_CHARACTERS.issuperset(text)


class ValueReader:
    """Checks single values (text, codes, dates, ids, vocabularies), collecting every problem at its place.

    `where` names the line of a place, for a message that points at another one."""

    def __init__(self, where: Callable[[Place], str] = lambda place: place.file) -> None:
        self.where = where
        self.problems: list[Problem] = []
        self._hints = 0  # problems given a did-you-mean so far
        # Data writes a few dates a great many times: each is read once (keyed by type, as 1 == True).
        self._seen_dates: dict[tuple[type, Any], dates.PartialDate] = {}
        self._seen_years: dict[tuple[type, Any], tuple[int, int | None]] = {}

    def hint(self, word: str, choices: Iterable[str]) -> str:
        """A did-you-mean for the first few problems.

        Each looks at every choice, and a file of thousands of mistakes must not cost thousands of times thousands
        of comparisons."""
        self._hints += 1
        return did_you_mean(word, choices) if self._hints <= MAX_HINTS else ""

    def fail(self, place: Place, message: str, rule: str) -> None:
        """Report a problem at `place`."""
        self.problems.append(Problem(place.file, place.key, message, rule))

    def _dates(
        self, place: Place, table: dict[str, Any], start_key: str, end_key: str = "until"
    ) -> tuple[Any, Any, bool]:
        """`start_key` and `end_key` of a table as dates; False when one is written but invalid."""
        since = self._date(place, start_key, table[start_key]) if start_key in table else None
        until = self._date(place, end_key, table[end_key]) if end_key in table else None
        valid = (since is not None or start_key not in table) and (until is not None or end_key not in table)
        return since, until, valid

    def _date(self, place: Place, key: str, value: Any) -> dates.PartialDate | None:
        try:
            return self._seen_dates[type(value), value]
        except (KeyError, TypeError):  # not read yet, or not a value a date can be (a list, say)
            pass
        try:
            date = dates.parse(value)
        except ValueError as e:
            self.fail(place.at(key), str(e), "date")
            return None
        self._seen_dates[type(value), value] = date
        return date

    def _model_years(self, place: Place, value: Any) -> tuple[int, int | None] | None:
        known = (type(value), tuple(value) if type(value) is list else value)  # a list: the same years each time
        try:
            return self._seen_years[known]
        except (KeyError, TypeError):
            pass
        try:
            years = self._seen_years[known] = dates.parse_years(value)
        except ValueError as e:
            self.fail(place.at("model_years"), str(e), "date-order" if "backwards" in str(e) else "date")
            return None
        return years

    # -- single values

    def _unknown_keys(self, place: Place, table: dict[str, Any], allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f" (allowed: {', '.join(allowed)})"
                self.fail(place.at(key), f"unknown key {shorten(key)}{hint}", "unknown-key")

    def _is_table(self, place: Place, value: Any) -> bool:
        if isinstance(value, dict):
            return True
        self.fail(place, f"expected a table, not {dates.describe(value)}", "type")
        return False

    def _is_id(self, place: Place, key: str, what: str) -> bool:
        if is_id(key):
            return True
        suggestion = re.sub(r"[^a-z0-9._-]+", "-", key.casefold()).strip("-._")
        hint = f"; write {suggestion!r}" if suggestion and is_id(suggestion) else ""
        self.fail(place, f"{what} id {shorten(key)} must be lower-case letters, digits and - . _{hint}", "id")
        return False

    def _text(self, place: Place, value: Any) -> str | None:
        if isinstance(value, str) and value.strip():
            return value
        self.fail(place, f"expected text, not {dates.describe(value)}", "type")
        return None

    def _plan(self, place: Place, table: dict[str, Any]) -> bool | None:
        value = table.get("plan", False)
        if isinstance(value, bool):
            return value
        self.fail(place.at("plan"), f"plan is `true` or `false`, not {dates.describe(value)}", "type")
        return None

    def _note(self, place: Place, table: dict[str, Any]) -> str | None:
        return self._text(place.at("note"), table["note"]) if "note" in table else None

    def _text_list(self, place: Place, value: Any) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            one = self._text(place, value)
            return None if one is None else (one,)
        texts = [self._text(place.at(i), item) for i, item in enumerate(value)]
        return None if None in texts else tuple(t for t in texts if t is not None)

    def _sources(self, place: Place, table: dict[str, Any]) -> tuple[str, ...]:
        if "source" in table:
            if "sources" in table:
                self.fail(place.at("sources"), "use `source` for one source or `sources` for several, not both", "type")
                return ()
            one = self._text(place.at("source"), table["source"])
            return (one,) if one else ()
        if "sources" in table:
            many = table["sources"]
            if not isinstance(many, list) or not many:
                self.fail(place.at("sources"), "sources is a list of URLs or citations", "type")
                return ()
            return self._text_list(place.at("sources"), many) or ()
        return ()

    def _code(self, place: Place, code: Any, what: str) -> str | None:
        """A market or country code; a problem that says what was meant if it is not one."""
        if not isinstance(code, str):
            self.fail(place, f"expected a {what} such as 'JP', not {dates.describe(code)}", "type")
        elif countries.is_code(code):
            return code
        elif countries.is_code(code.upper()):
            self.fail(place, f"{what}s are upper-case: write {code.upper()!r}", "market-code")
        else:
            try:
                found = countries.resolve(code)
                hint = f"; {countries.name(found)} is {found!r}"
            except LineupError:
                region = code.casefold() in countries.REGIONS
                hint = (
                    f"; {code} is a region: list its countries ({countries.REGIONS[code.casefold()]})" if region else ""
                )
            self.fail(place, f"{shorten(code)} is not an ISO 3166-1 alpha-2 country code{hint}", "market-code")
        return None

    def _vocabulary(self, place: Place, value: Any, kind: type[_Choice], what: str) -> tuple[_Choice, ...] | None:
        names = self._text_list(place, value)
        if names is None:
            return None
        out: list[_Choice] = []
        for i, name in enumerate(names):
            at = place.at(i) if isinstance(value, list) else place
            try:
                item = kind(name)
            except ValueError:
                hint = did_you_mean(name.casefold(), [k.value for k in kind])
                self.fail(at, f"unknown {what} {shorten(name)}{hint} (one of {choices(kind)})", "vocabulary")
                return None
            if item in out:
                self.fail(at, f"{what} {name!r} is listed twice", "duplicate")
                return None
            out.append(item)
        return tuple(out)

    def _figure(self, place: Place, table: Any) -> Figure | None:
        """One figure: the units sold in a period, with its source; maybe a change the source reports."""
        if not self._is_table(place, table):
            return None
        self._unknown_keys(place, table, FIGURE_KEYS)
        period = self._period(place, "period", table["period"]) if "period" in table else None
        if "period" not in table:
            self.fail(place, "a figure needs its period, e.g. period = 2020 or '2021-H1'", "required")
        units = table.get("units")
        if "units" not in table:
            self.fail(place, "a figure needs its units, e.g. units = 2792", "required")
        elif type(units) is not int or units < 0:
            self.fail(place.at("units"), f"units is a whole number of cars, not {dates.describe(units)}", "type")
            units = None
        change = table.get("change")
        if change is not None and (type(change) not in (int, float) or not math.isfinite(change)):
            self.fail(place.at("change"), f"change is a number (in percent), not {dates.describe(change)}", "type")
            change = None
        compared_with = None
        if "compared_with" in table:
            compared_with = self._period(place, "compared_with", table["compared_with"])
            if "change" not in table:
                self.fail(place.at("compared_with"), "compared_with says what a reported `change` compares with; "
                          "give the change too", "required")  # fmt: skip
                compared_with = None
        note, sources = self._note(place, table), self._sources(place, table)
        if period is None or units is None or ("change" in table and change is None):
            return None
        if "compared_with" in table and compared_with is None:
            return None
        return Figure(period, units, note, sources, place, None if change is None else float(change), compared_with)

    def _period(self, place: Place, key: str, value: Any) -> dates.Period | None:
        try:
            return dates.parse_period(value)
        except ValueError as e:
            self.fail(place.at(key), str(e), "date")
            return None


def choices(kind: type[Body] | type[Powertrain]) -> str:
    """The words of a vocabulary, for a message."""
    return ", ".join(k.value for k in kind)
