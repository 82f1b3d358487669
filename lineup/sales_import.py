"""`lineup import sales`: rows of `period,make,model,units,source` into the data's sales figures.

Makes and models are matched to the data's brands and models by the ids `import csv` makes of their
names (or by their names); a model the data does not have is reported, never invented. A row that is not
valid refuses the whole import, located, so that nothing is half imported.
"""

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lineup import dates
from lineup.edit import Session
from lineup.errors import LineupError
from lineup.importer import list_text
from lineup.model import Brand, Model
from lineup.text import shorten, slug
from lineup.value import Value

COLUMNS = ("period", "make", "model", "units", "source")


class Row(Value):
    """One figure a list gives, with where it is."""

    __slots__ = ("where", "period", "make", "model", "units", "source")

    def __init__(self, where: str, period: dates.Period, make: str, model: str, units: int, source: str) -> None:
        self.where = where  # FILE:LINE
        self.period = period
        self.make = make
        self.model = model
        self.units = units
        self.source = source


class Outcome(Value):
    """What an import did: figures added, already there, kept as they were, and rows matching nothing."""

    __slots__ = ("added", "same", "conflicts", "unknown")

    def __init__(self, added: int, same: int, conflicts: tuple[str, ...], unknown: tuple[str, ...]) -> None:
        self.added = added
        self.same = same
        self.conflicts = conflicts
        self.unknown = unknown


def read(paths: Sequence[Path], default_source: str | None = None) -> list[Row]:
    """Every row of the lists, checked; LineupError at the first that cannot be used."""
    rows = []
    for path in paths:
        text = list_text(path)
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ()) and not (c == "source" and default_source)]
        if missing:
            raise LineupError(f"needs the columns {','.join(COLUMNS)}; missing: {', '.join(missing)}", file=str(path))
        for record in reader:
            rows.append(_row(f"{path}:{reader.line_num}", record, default_source))
    return rows


def _row(where: str, record: dict[str, Any], default_source: str | None) -> Row:
    def fail(message: str) -> LineupError:
        return LineupError(f"{where}: {message}; nothing was imported")

    try:
        period = dates.parse_period((record.get("period") or "").strip())
    except ValueError as e:
        raise fail(str(e)) from None
    units_text = (record.get("units") or "").strip().replace(",", "")
    if not units_text.isdigit():
        raise fail(f"units {shorten(units_text)} is not a whole number of cars")
    make, model = (record.get("make") or "").strip(), (record.get("model") or "").strip()
    cited = (record.get("source") or "").strip() or default_source
    if not make or not model:
        raise fail("a row needs its make and model")
    if not cited:
        raise fail("a row needs its source (or give --source)")
    return Row(where, period, make, model, int(units_text), cited)


def _brand(brands: dict[str, Brand], make: str) -> Brand | None:
    found = brands.get(slug(make))
    return found or next((b for b in brands.values() if b.name.casefold() == make.casefold()), None)


def _model(brand: Brand, name: str) -> Model | None:
    found = brand.models.get(slug(name))
    return found or next((m for m in brand.models.values() if m.name.casefold() == name.casefold()), None)


def merge(work: Session, rows: Sequence[Row], market: str) -> Outcome:
    """Put the rows' figures into the data: each beside the model's other figures in `market`, or in its brand's
    file. A period the data already has is left as it is (a different number is reported)."""
    brands = dict(work.dataset.brands)
    added = same = 0
    conflicts: list[str] = []
    unknown: dict[str, None] = {}
    for row in rows:
        brand = _brand(brands, row.make)
        model = _model(brand, row.model) if brand is not None else None
        if brand is None or model is None:
            unknown[f"{row.make} {row.model}" if brand is not None else row.make] = None
            continue
        path = work.holding("brands", brand.id, "sales", market, model.id) or work.target(brand.id, market, None)
        table = work.document(path).setdefault("brands", {}).setdefault(brand.id, {})
        entry = table.setdefault("sales", {}).setdefault(market, {}).setdefault(model.id, [])
        figures = entry if isinstance(entry, list) else [entry]
        known = next((f for f in figures if dates.parse_period(f.get("period")) == row.period), None)
        if known is None:
            figures.append({"period": str(row.period), "units": row.units, "source": row.source})
            added += 1
        elif known.get("units") == row.units:
            same += 1
        else:
            conflicts.append(f"{brand.name} {model.name} {row.period} is {known.get('units'):,} in the data, "
                             f"{row.units:,} at {row.where}")  # fmt: skip
        table["sales"][market][model.id] = figures
    return Outcome(added, same, tuple(conflicts), tuple(unknown))
