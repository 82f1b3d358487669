"""`lineup fmt`: data files in one canonical layout, written by tomli-w, without losing a thing."""

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from lineup import dates, files, load
from lineup.errors import LineupError
from lineup.load import reader, source, values
from lineup.load.positions import Positions
from lineup.model import without_places
from lineup.text import unseen_escaped
from lineup.value import Value

SCHEMA_DIRECTIVE = "#:schema "  # taplo's first-line schema comment, the one comment fmt keeps

# The order of keys at each level is the loader's; values are written before tables by TOML itself.
_BRAND_TABLES = ("models", "markets", "presence", "coverage", "sales")
_BRAND_VALUES = tuple(k for k in reader.BRAND_KEYS if k not in _BRAND_TABLES)
_MODEL_VALUES = tuple(k for k in reader.MODEL_KEYS if k != "production")


class Formatted(Value):
    """One file: its text now, its text in canonical form, or why it cannot be formatted."""

    __slots__ = ("path", "before", "after", "refused", "stamp")

    def __init__(
        self,
        path: Path,
        before: str,
        after: str | None,
        refused: str | None = None,
        stamp: tuple[int, int] | None = None,
    ) -> None:
        self.path = path
        self.before = before
        self.after = after
        self.refused = refused
        self.stamp = stamp  # the file as read: it must not change before it is written

    @property
    def changed(self) -> bool:
        """Whether formatting changes the file."""
        return self.after is not None and self.after != self.before


def format_files(targets: Sequence[Path], context: Sequence[Path] = ()) -> list[Formatted]:
    """Each target in canonical form, with the `context` files read beside them but not formatted.

    A brand split across files is valid data only as a whole. Raises LineupError if the data has problems (nothing
    can be formatted safely then) or if the canonical form would not load to the same data (a bug: nothing is
    written)."""
    chosen = {load.real(t) for t in targets}
    files = [*targets, *(c for c in context if load.real(c) not in chosen)]
    reading = load.read(files, keep_documents=True)
    if reading.problems:
        first = reading.problems[0].error()
        first.message += " (lineup fmt formats valid data only; see lineup check)"
        raise first
    out = []
    for path in targets:
        key = str(path)
        text = reading.texts[key]
        before = "\ufeff" + text if reading.has_bom(key) else text  # the canonical layout has no BOM
        comment = first_comment(text)
        if comment is not None:
            reason = (
                f"{path}:{comment}: holds comments, which lineup fmt would remove; "
                "move them into `note` fields, or keep formatting this file by hand"
            )
            out.append(Formatted(path, before, None, reason))
        else:
            after = dumps(reading.documents[key], directive_of(text))
            out.append(Formatted(path, before, after, stamp=reading.stamp(key)))
    _check_lossless(files, reading, out)
    return out


def write(results: Sequence[Formatted]) -> list[Path]:
    """Write the files whose layout changes: all of them or, if one cannot be, none."""
    changed = [r for r in results if r.changed]
    for result in changed:
        if load.is_packaged(result.path):
            raise LineupError("is the dataset installed with lineup; format a copy of it", file=str(result.path))
    files.write_all({r.path: r.after or "" for r in changed}, {r.path: r.stamp for r in changed})
    return [r.path for r in changed]


DIFF_LINES = 20_000  # beyond this, difflib takes minutes: say how much would change instead


def unified_diff(result: Formatted) -> str:
    """How a file would change, as `diff -u` shows it."""
    import difflib

    before, after = result.before.splitlines(keepends=True), (result.after or "").splitlines(keepends=True)
    if len(before) + len(after) > DIFF_LINES:
        return f"--- {result.path}\n(not shown: {len(before)} lines would become {len(after)})\n"
    return "".join(difflib.unified_diff(before, after, f"{result.path}", f"{result.path} (formatted)"))


def first_comment(text: str) -> int | None:
    """The line of the first comment, not counting a `#:schema` directive on the first line."""
    if "#" not in text:
        return None
    positions = Positions(text)
    for offset in positions.comments:
        if offset == 0 and text.startswith(SCHEMA_DIRECTIVE):
            continue
        return positions.line_of(offset)
    return None


def canonical_text(text: str) -> str:
    """The canonical layout of a valid data file's text."""
    return dumps(source.parse_toml(text), directive_of(text))


def directive_of(text: str) -> str:
    """A `#:schema` directive on the first line, the one comment fmt keeps."""
    return text.split("\n", 1)[0].rstrip("\r") if text.startswith(SCHEMA_DIRECTIVE) else ""


def dumps(doc: Mapping[str, Any], directive: str = "") -> str:
    """A document in the canonical layout, after a `#:schema` directive if it has one.

    tomli-w writes each part; the windows are written by hand as arrays of tables, one
    `[[brands.B.markets.M.MODEL]]` block a window, because tomli-w would put a model's windows in an
    inline array while each fits on a line and move them into tables once one does not, so that adding
    or closing one window could move the others. Blocks make an edit's diff the edited lines only."""
    import tomli_w

    chunks = []
    ordered = canonical(doc)
    if "regions" in ordered:
        chunks.append(tomli_w.dumps({"regions": ordered["regions"]}))
    for brand_id, brand in ordered.get("brands", {}).items():
        head = {key: value for key, value in brand.items() if key not in _BRAND_TABLES[1:]}
        if head:
            chunks.append(tomli_w.dumps({"brands": {brand_id: head}}))
        for code, models in brand.get("markets", {}).items():
            for model_id, windows in models.items():
                header = f"[[brands.{_key(brand_id)}.markets.{_key(code)}.{_key(model_id)}]]\n"
                chunks += [header + tomli_w.dumps(window) for window in windows]
        for code, windows in brand.get("presence", {}).items():
            header = f"[[brands.{_key(brand_id)}.presence.{_key(code)}]]\n"
            chunks += [header + tomli_w.dumps(window) for window in windows]
        for code, stretches in brand.get("coverage", {}).items():
            if len(stretches) == 1 and not stretches[0].keys() & {"since", "until", "model_years"}:
                chunks.append(f"[brands.{_key(brand_id)}.coverage.{_key(code)}]\n" + tomli_w.dumps(stretches[0]))
            else:
                header = f"[[brands.{_key(brand_id)}.coverage.{_key(code)}]]\n"
                chunks += [header + tomli_w.dumps(stretch) for stretch in stretches]
        for code, models in brand.get("sales", {}).items():
            for model_id, figures in models.items():
                header = f"[[brands.{_key(brand_id)}.sales.{_key(code)}.{_key(model_id)}]]\n"
                chunks += [header + tomli_w.dumps(figure) for figure in figures]
    body = unseen_escaped("\n".join(chunks))  # a character a reviewer would not see, as an escape
    return f"{directive}\n" + ("\n" if body else "") + body if directive else body


def _key(key: str) -> str:
    """A key as a TOML header writes it: bare if it can be, else quoted as tomli-w quotes it."""
    import tomli_w

    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else tomli_w.dumps({key: 0}).rsplit(" = ", 1)[0]


def canonical(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The brand's data in one order and one spelling, as fmt writes it.

    Brands, models, markets in id order, keys in a fixed order, windows in date order, and each value in one
    spelling: one source as `source`, a year as an integer, a day as a TOML date."""
    out: dict[str, Any] = {}
    if doc.get("regions"):
        regions = doc["regions"]
        out["regions"] = {rid: _ordered(regions[rid], reader.REGION_KEYS) for rid in sorted(regions)}
    brands = doc.get("brands", {})
    if brands:
        out["brands"] = {bid: _brand(brands[bid]) for bid in sorted(brands)}
    return out


def _brand(brand: Mapping[str, Any]) -> dict[str, Any]:
    out = _ordered(brand, _BRAND_VALUES)
    if brand.get("models"):
        out["models"] = {mid: _model(brand["models"][mid]) for mid in sorted(brand["models"])}
    if brand.get("markets"):
        out["markets"] = {
            code: {mid: _windows(entries[mid]) for mid in sorted(entries)}
            for code, entries in sorted(brand["markets"].items())
        }
    if brand.get("presence"):
        presence = brand["presence"]
        out["presence"] = {code: _windows(presence[code], reader.PRESENCE_KEYS) for code in sorted(presence)}
    if brand.get("coverage"):
        coverage = brand["coverage"]
        out["coverage"] = {code: _windows(coverage[code], reader.COVERAGE_KEYS) for code in sorted(coverage)}
    if brand.get("sales"):
        out["sales"] = {
            code: {mid: _figures(entries[mid]) for mid in sorted(entries)}
            for code, entries in sorted(brand["sales"].items())
        }
    return out


def _figures(value: Any) -> list[dict[str, Any]]:
    """A model's sales figures in a market as a list in period order, each period in its one spelling."""
    figures = [_ordered(f, values.FIGURE_KEYS) for f in (value if isinstance(value, list) else [value])]
    for figure in figures:
        for key in ("period", "compared_with"):
            if key in figure:
                period = dates.parse_period(figure[key])
                figure[key] = period.first.year if period.calendar is dates.Precision.YEAR else str(period)
    figures.sort(key=lambda f: dates.parse_period(f["period"]))
    return figures


def _model(model: Mapping[str, Any]) -> dict[str, Any]:
    out = _ordered(model, _MODEL_VALUES)
    for key in ("body", "powertrain", "follows"):
        if key in out:
            out[key] = _one_or_many(out[key])
    if "production" in model:
        out["production"] = _ordered(model["production"], reader.SPAN_KEYS)
    return out


def _windows(value: Any, keys: Iterable[str] = reader.WINDOW_KEYS) -> list[dict[str, Any]]:
    """A table or a list of them, as a list in date order (windows, a brand's presence, coverage)."""
    windows = [_ordered(w, keys) for w in (value if isinstance(value, list) else [value])]
    for window in windows:
        for key in ("body", "powertrain"):
            if key in window:
                window[key] = _one_or_many(window[key])
    windows.sort(key=_start)
    return windows


def _ordered(table: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in keys:
        if key not in table:
            continue
        value = table[key]
        if key in ("since", "until", "on_sale_by", "announced", "until_announced"):
            value = _date(value)
        elif key == "model_years":
            value = _years(value)
        elif key == "plan" and value is False:
            continue
        out[key] = value
    if "sources" in out and len(out["sources"]) == 1:
        out["source"] = out.pop("sources")[0]
    return out


def _date(value: Any) -> int | str | dt.date:
    date = dates.parse(value)
    if date.precision is dates.Precision.YEAR:
        return date.year
    if date.precision is dates.Precision.DAY:
        return date.first
    return str(date)


def _years(value: Any) -> int | str:
    first, last = dates.parse_years(value)
    if first == last:
        return first
    return dates.years_text(first, last)


def _one_or_many(value: Any) -> Any:
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _start(window: Mapping[str, Any]) -> tuple[dt.date, dt.date]:
    """The order of windows: by start, then by end (as the loader orders them)."""
    start = window.get("since", window.get("on_sale_by"))
    years = dates.parse_years(window["model_years"]) if "model_years" in window else None
    first = dates.parse(start).first if start is not None else dt.date(years[0] if years else 1, 1, 1)
    if start is None and years is None:  # a stretch of coverage that runs from the start of time
        first = dt.date.min
    end = window.get("until")
    last = dates.parse(end).last if end is not None else dt.date.max
    return first, last


def _check_lossless(files: Sequence[Path], before: load.Reading, formatted: list[Formatted]) -> None:
    texts = {str(f.path): f.after for f in formatted if f.after is not None}
    after = load.read(files, texts)
    if after.problems or after.dataset is None or before.dataset is None:
        problem = after.problems[0].error() if after.problems else None
        raise LineupError(f"internal error: the canonical form does not load ({problem}); nothing was written")
    if list(map(without_places, after.dataset.brands.values())) != list(
        map(without_places, before.dataset.brands.values())
    ):
        raise LineupError("internal error: the canonical form would change the data; nothing was written")
