"""`lineup check`: every problem in the data, located, for editors and CI."""

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

from lineup import sales
from lineup.dates import PartialDate
from lineup.errors import Problem
from lineup.load import Reading, read
from lineup.load.cache import Cache, identity, settled
from lineup.model import Brand, Dataset, Facts, Figure, Model, Place, Span, Window
from lineup.text import character_name, count, hidden, place_text, shorten
from lineup.value import Value


class Severity(StrEnum):
    """How bad a finding is: an error fails the check, a warning only with --strict."""

    error = "error"
    warning = "warning"


# Every rule, its severity and what it catches. The loader's rules are errors: the data cannot be read.
RULES: dict[str, tuple[Severity, str]] = {
    "read": (Severity.error, "a file that cannot be read"),
    "encoding": (Severity.error, "a file that is not UTF-8"),
    "toml-syntax": (Severity.error, "a file that is not valid TOML"),
    "unknown-key": (Severity.error, "a key the format does not have"),
    "type": (Severity.error, "a value of the wrong type"),
    "id": (Severity.error, "a brand or model id that is not lower-case letters, digits and - . _"),
    "required": (Severity.error, "a missing name, body style, or window start"),
    "vocabulary": (Severity.error, "an unknown body style or powertrain"),
    "market-code": (Severity.error, "a market or origin that is not an ISO 3166-1 alpha-2 code"),
    "date": (Severity.error, "a date or model year that is not one"),
    "date-order": (Severity.error, "an end before its start"),
    "duplicate": (Severity.error, "the same thing defined twice"),
    "unknown-model": (Severity.error, "a market entry naming a model the brand does not define"),
    "follows": (Severity.error, "follows naming a model no file defines"),
    "overlap": (Severity.error, "two windows of one model in one market that overlap"),
    "follows-cycle": (Severity.error, "models that follow each other in a circle"),
    "missing-source": (Severity.warning, "a window or production span with no source"),
    "far-future": (Severity.warning, "a date more than ten years ahead that is not marked as a plan"),
    "stale-plan": (Severity.warning, "a window marked as a plan whose date has passed"),
    "unsold-model": (Severity.warning, "a model that no market sells"),
    "unknown-body": (Severity.warning, "a model whose body style is not given"),
    "model-years": (Severity.warning, "model years more than a year away from the window's calendar dates"),
    "region-code": (Severity.warning, "a code that people mistake for a region (NA is Namibia)"),
    "invisible-character": (Severity.warning, "a control, invisible or reordering character in a name, note or source"),
    "outside-presence": (Severity.warning, "a model's window outside its brand's own presence in that market"),
    "sales-off-sale": (
        Severity.warning,
        "a sales figure for a period in which no window of the model is on sale there",
    ),
    "sales-twice": (Severity.warning, "a sales period written twice for one model in one market"),
    "sales-sum": (Severity.warning, "halves, quarters or months that do not add up to their recorded year or half"),
    "sales-change": (Severity.warning, "a reported change that disagrees with the figures it compares"),
}

FUTURE_YEARS = 10


class Finding(Value):
    """One problem, as editors and CI annotate it: `FILE:LINE:COL: severity: message [rule]`."""

    __slots__ = ("file", "line", "column", "severity", "message", "rule")

    def __init__(
        self,
        file: str,
        line: int | None,
        column: int | None,
        severity: Severity,
        message: str,
        rule: str,
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
        self.rule = rule

    def __str__(self) -> str:
        return f"{place_text(self.file, self.line, self.column)}: {self.severity}: {self.message} [{self.rule}]"


class Report(Value):
    """What a check found, and what the data holds if it could be read."""

    __slots__ = ("findings", "holds", "files", "hidden")

    def __init__(
        self,
        findings: list[Finding],
        holds: tuple[int, int, int] | None,
        files: int,
        hidden: int = 0,
    ) -> None:
        self.findings = findings
        self.holds = holds  # brands, models and windows, if the data could be read
        self.files = files
        self.hidden = hidden  # errors the chosen rules leave out: they still fail the check

    @property
    def errors(self) -> int:
        """The number of errors found."""
        return sum(f.severity is Severity.error for f in self.findings)

    @property
    def warnings(self) -> int:
        """The number of warnings found."""
        return sum(f.severity is Severity.warning for f in self.findings)

    def summary(self) -> str:
        """One line: what was found, and what the data holds if it could be read."""
        found = [count(self.errors, "error"), count(self.warnings, "warning")]
        if self.hidden:
            found.append(f"{count(self.hidden, 'error')} left out by --select/--ignore")
        verdict = ", ".join(part for part in found if not part.startswith("0 ")) or "ok"
        files = count(self.files, "file")
        if self.holds is None:
            return f"{verdict} in {files} (the quality rules run once the errors are fixed)"
        brands, models, windows = self.holds
        holds = f"{count(brands, 'brand')}, {count(models, 'model')}, {count(windows, 'window')}"
        return f"{verdict}: {holds} in {files}"


# A problem as a report keeps it: file, line, column, message and rule.
Found = tuple[str, int | None, int | None, str, str]


def check(files: Sequence[Path], today: dt.date, rules: set[str] | None = None, cache: Cache | None = None) -> Report:
    """Every problem in `files`: the loader's errors, then (if the data loads) its quality warnings."""
    problems, holds = _problems(files, today, cache)
    chosen = [p for p in problems if rules is None or p[4] in rules]
    hidden = sum(RULES[p[4]][0] is Severity.error for p in problems if rules is not None and p[4] not in rules)
    findings = [
        Finding(file, line, column, RULES[rule][0], message, rule) for file, line, column, message, rule in chosen
    ]
    findings.sort(key=lambda f: (f.file, f.line or 0, f.column or 0, f.rule))
    return Report(findings, holds, len(files), hidden)


def _problems(
    files: Sequence[Path], today: dt.date, cache: Cache | None
) -> tuple[list[Found], tuple[int, int, int] | None]:
    """Every problem in the files, and what they hold; what the cache kept from a check of the same
    files, unchanged, on the same day, if it has that (a check of 100,000 windows then reads none)."""
    stamps = _stamps(files) if cache is not None else None
    kept_in = None
    if cache is not None and stamps is not None:
        names = [stamp[0] for stamp in stamps]
        kept_in = cache.report_entry(names), ["check", today.isoformat(), stamps]
        kept = _kept(cache.recall(*kept_in), set(names))
        if kept is not None:
            return kept
    reading = read(files, cache=cache)
    problems = list(reading.problems)
    holds = None
    if reading.dataset is not None:
        problems += _quality(reading, reading.dataset, today)
        brands = reading.dataset.brands.values()
        models = sum(len(b.models) for b in brands)
        windows = sum(len(w) for b in brands for entries in b.markets.values() for w in entries.values())
        holds = (len(brands), models, windows)
    found = [(p.file, p.line, p.column, p.message, p.rule) for p in problems]
    if cache is not None and kept_in is not None and _stamps(files) == stamps:  # unchanged while checked
        cache.keep(*kept_in, {"problems": found, "holds": holds})
        cache.forget_reports(but=kept_in[0])
    return found, holds


def _stamps(files: Sequence[Path]) -> list[list[Any]] | None:
    """Each file as given and as it is (its real path, and what the cache tells a file by: a file made
    unreadable, or put back with its old time, is checked again). None if one cannot be had."""
    try:
        infos = [file.stat() for file in files]
        if not all(map(settled, infos)):
            return None  # changed a moment ago: a change to come could leave the same times (lineup.load.cache)
        return [[str(file), str(file.resolve()), *identity(info)] for file, info in zip(files, infos, strict=True)]
    except (OSError, RuntimeError):
        return None


# The rules of the quality checks, which run once the data loads; every other rule is the loader's.
QUALITY = frozenset({"follows-cycle", "missing-source", "far-future", "stale-plan", "unsold-model", "unknown-body",
                     "model-years", "region-code", "invisible-character", "outside-presence", "sales-off-sale",
                     "sales-twice", "sales-sum", "sales-change"})  # fmt: skip


def _kept(value: Any, names: set[str]) -> tuple[list[Found], tuple[int, int, int] | None] | None:
    """A report the cache kept, if it is one a check of these files could have written."""
    try:
        problems, holds = value["problems"], value["holds"]
        if type(problems) is not list or (holds is not None and type(holds) is not list):
            return None
        found: list[Found] = []
        for problem in problems:
            if type(problem) is not list:
                return None
            file, line, column, message, rule = problem
            if not (file in names and type(message) is str and message and rule in RULES):
                return None
            if not all(n is None or (type(n) is int and n > 0) for n in (line, column)):
                return None
            found.append((file, line, column, message, rule))
        loaded = all(rule in QUALITY for *_, rule in found)  # the data loads only if the loader found nothing
        if holds is None:
            return (found, None) if not loaded else None
        brands, models, windows = holds
        if not (loaded and all(type(n) is int and n >= 0 for n in holds)):
            return None
        return found, (brands, models, windows)
    except (TypeError, KeyError, ValueError):
        return None


def _quality(reading: Reading, data: Dataset, today: dt.date) -> Iterator[Problem]:
    sold = {(b.id, model_id) for b in data.brands.values() for entries in b.markets.values() for model_id in entries}
    for brand in data.brands.values():
        for model in brand.models.values():
            assert model.place is not None
            if (brand.id, model.id) not in sold:
                yield reading.problem(model.place, f"model {model.id!r} is not sold in any market", "unsold-model")
            if not model.body:
                yield reading.problem(model.place, f"model {model.id!r} has no body style", "unknown-body")
            if model.production is not None:
                yield from _span(reading, model.production, today)
        for market, entries in brand.markets.items():
            for windows in entries.values():
                for window in windows:
                    yield from _span(reading, window, today)
                    yield from _model_years(reading, window)
                    yield from _outside_presence(reading, brand, market, window)
        for windows in brand.presence.values():
            for window in windows:
                yield from _span(reading, window, today)
        for market, figures_by_model in brand.sales.items():
            for model_id, figures in figures_by_model.items():
                yield from _sales(reading, brand, market, model_id, figures)
        for key, place in brand.places.items():
            if key in ("markets.NA", "coverage.NA"):
                yield reading.problem(place, "NA is Namibia: for North America, list its countries", "region-code")
            elif key == "origin" and brand.origin == "NA":
                yield reading.problem(place, "NA is Namibia", "region-code")
        for place, text in _texts(brand):
            if character := hidden(text):
                key = next(k for k in reversed(place.key) if isinstance(k, str))
                message = f"{key} {shorten(text)} holds {character_name(character)}, which a reader does not see"
                yield reading.problem(place, message, "invisible-character")
    yield from _cycles(reading, data)


def _texts(brand: Brand) -> Iterator[tuple[Place, str]]:
    """Every text the brand's data holds, with its place: its own, its models', its windows'."""
    at = brand.places["name"]
    for key in brand.__slots__:
        if key not in ("id", "models", "markets", "coverage", "places", "presence", "sales"):
            yield from _texts_in(getattr(brand, key), brand.places.get(key) or at.at(key))
    for model in brand.models.values():
        yield from _texts_in(model, model.place or at)
    for code, entries in brand.markets.items():
        yield from _texts_in(entries, brand.places[f"markets.{code}"])
    for code, stretches in brand.coverage.items():
        at = brand.places[f"coverage.{code}"]
        for i, stretch in enumerate(stretches):  # one stretch may be a table of its own, not in a list
            yield from _texts_in(stretch, at if len(stretches) == 1 else at.at(i))
    for code, windows in brand.presence.items():
        yield from _texts_in(windows, brand.places[f"presence.{code}"])
    for figures in brand.sales.values():
        yield from _texts_in(figures, brand.places["name"])  # each figure has its own place


def _texts_in(value: object, place: Place) -> Iterator[tuple[Place, str]]:
    """The texts in a value, however deep, each at its own key (or its nearest placed ancestor's)."""
    if isinstance(value, str):
        yield place, value
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _texts_in(item, place.at(i))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts_in(item, place.at(key))
    elif isinstance(value, Value) and not isinstance(value, (Place, PartialDate)):
        own = getattr(value, "place", None) or place
        for key in value.__slots__:
            if key != "place":
                item = getattr(value, key)
                inline = isinstance(item, Facts)  # a window's facts are written among its own keys
                yield from _texts_in(item, own if inline else own.at(key))


def _sales(reading: Reading, brand: Brand, market: str, model_id: str, figures: Sequence[Figure]) -> Iterator[Problem]:
    """What is wrong with a model's figures in a market: no source, off sale, twice, sums, changes."""
    name = brand.models[model_id].name
    for f in figures:
        assert f.place is not None
        if not f.sources:
            yield reading.problem(f.place, "no source: add `source` or `sources`", "missing-source")
        if not sales.on_sale(brand, market, model_id, f.period):
            message = (f"{name} has a figure for {f.period} in {market}, where no window of it is on sale then "
                       "(stock sold after a withdrawal is real: say so in a note)")  # fmt: skip
            yield reading.problem(f.place.at("period"), message, "sales-off-sale")
    for f in sales.twice(figures):
        assert f.place is not None
        yield reading.problem(
            f.place.at("period"), f"{f.period} is written twice for {name} in {market}", "sales-twice"
        )
    for whole, parts in sales.unsummed(figures):
        assert whole.place is not None
        total = sum(p.units for p in parts)
        message = (f"{name} in {market}: {whole.period} is {whole.units:,} units, but its "
                   f"{', '.join(str(p.period) for p in parts)} add up to {total:,}")  # fmt: skip
        yield reading.problem(whole.place.at("units"), message, "sales-sum")
    for f, computed in sales.reported_disagreeing(figures):
        assert f.place is not None
        message = (f"{name} in {market}: the reported change on {f.versus} is {f.change:+g}%, but the figures "
                   f"give {computed:+.1f}%")  # fmt: skip
        yield reading.problem(f.place.at("change"), message, "sales-change")


def _span(reading: Reading, span: Span | Window, today: dt.date) -> Iterator[Problem]:
    place = span.place
    assert place is not None
    if not span.sources:
        yield reading.problem(place, "no source: add `source` or `sources`", "missing-source")
    for key, date in _dates(span):
        if date.year > today.year + FUTURE_YEARS and not span.plan:
            message = f"{date} is more than {FUTURE_YEARS} years ahead; if it is announced, mark it `plan = true`"
            yield reading.problem(place.at(key), message, "far-future")
    if span.plan:
        dated = span.until or span.since or _last_model_year(span)
        if dated is not None and dated.last < today:
            message = f"marked as a plan, but {dated} has passed: confirm it (remove `plan`) or correct it"
            yield reading.problem(place.at("plan"), message, "stale-plan")


def _dates(span: Span | Window) -> Iterator[tuple[str, PartialDate]]:
    """The span's dates and the keys they are written under; a window with only model years is on
    sale in those calendar years, so they date it."""
    first_seen = isinstance(span, Window) and span.first_seen
    for key, date in (("on_sale_by" if first_seen else "since", span.since), ("until", span.until)):
        if date is not None:
            yield key, date
    if isinstance(span, Window) and span.since is None and span.model_years is not None:
        yield "model_years", PartialDate.year_of(span.model_years[0])


def _last_model_year(span: Span | Window) -> PartialDate | None:
    """The calendar year of a window's last model year (its first while open), if it has model years."""
    if not isinstance(span, Window) or span.model_years is None:
        return None
    first, last = span.model_years
    return PartialDate.year_of(last if last is not None else first)


def _model_years(reading: Reading, window: Window) -> Iterator[Problem]:
    if window.model_years is None:
        return
    assert window.place is not None
    first, last = window.model_years
    # A model year goes on sale up to a year before its number, and stock can sell a year after. A
    # date a source first shows it on sale (on_sale_by) is no start: earlier model years may be right.
    if window.since is not None and not window.first_seen and abs(first - window.since.year) > 1:
        message = f"model year {first} is far from the start, {window.since}"
        yield reading.problem(window.place.at("model_years"), message, "model-years")
    if window.until is not None and last is not None and abs(last - window.until.year) > 1:
        message = f"model year {last} is far from the end, {window.until}"
        yield reading.problem(window.place.at("model_years"), message, "model-years")


def _outside_presence(reading: Reading, brand: Brand, market: str, window: Window) -> Iterator[Problem]:
    """A model on sale where the data says its brand was not: before it entered, or after it left."""
    stays = brand.presence.get(market)
    if not stays:
        return
    # Each date may lie anywhere in the days it covers (2018 may be 2018-05), and a model year sells
    # from the year before its number: the window need only be able to lie within a stay.
    start = window.since.last if window.since is not None else dt.date(window.first_model_year, 12, 31)
    end = window.until.first if window.until is not None else window.end
    if any(s.start <= start and (s.end is None or (end is not None and end <= s.end)) for s in stays):
        return
    assert window.place is not None
    spans = ", ".join(_stay(s) for s in stays)
    message = f"on sale outside {brand.name}'s own presence in {market} ({spans}): correct one or the other"
    yield reading.problem(window.place, message, "outside-presence")


def _stay(window: Window) -> str:
    return f"{window.since} to {window.until}" if window.until else f"from {window.since}"


def _cycles(reading: Reading, data: Dataset) -> Iterator[Problem]:
    """Each circle of `follows` once, reported at its first model in id order."""
    models = {m.key: m for b in data.brands.values() for m in b.models.values()}
    reported: set[frozenset[str]] = set()
    for path in _circles(models):
        if frozenset(path) not in reported:
            reported.add(frozenset(path))
            start = models[min(path)]
            assert start.place is not None
            circle = " -> ".join([*_rotate(path, min(path)), min(path)])
            yield reading.problem(
                start.place.at("follows"), f"follows goes round in a circle: {circle}", "follows-cycle"
            )


def _circles(models: dict[str, Model]) -> Iterator[list[str]]:
    """Circles along `follows`: one depth-first walk of the whole graph (each model and link once),
    giving the circle closed by each link back to a model on the current path."""
    state: dict[str, int] = {}  # 1 on the path, 2 done
    for root in sorted(models):
        if root in state:
            continue
        path, where = [root], {root: 0}
        stack = [iter(sorted(models[root].follows))]
        state[root] = 1
        while stack:
            nxt = next((n for n in stack[-1] if n in models), None)
            if nxt is None:
                state[path[-1]] = 2
                del where[path.pop()]
                stack.pop()
            elif state.get(nxt) == 1:
                yield path[where[nxt] :]
            elif nxt not in state:
                state[nxt] = 1
                where[nxt] = len(path)
                path.append(nxt)
                stack.append(iter(sorted(models[nxt].follows)))


def _rotate(path: list[str], first: str) -> list[str]:
    i = path.index(first)
    return path[i:] + path[:i]
