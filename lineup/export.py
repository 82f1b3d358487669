"""`lineup export`: every window of the data, one row each, as CSV, JSON, JSONL or an SQLite database.

A row names its brand and model (ids and names) and market, and gives the window's dates at their
own precision (`2022-04`, precision `month`) with the first and last day they cover, its model
years, the model's body styles and powertrains, the window's note and sources, and whether its
start or end is still expected on the day asked. Lists are JSON arrays in CSV and SQLite cells.
"""

import csv
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from lineup import query
from lineup.dates import PartialDate
from lineup.model import Brand, Dataset, Model, Window

COLUMNS = (
    "brand", "brand_name", "model", "model_name", "market",
    "since", "since_precision", "since_first", "on_sale_by", "until", "until_precision", "until_last",
    "first_model_year", "last_model_year", "body", "powertrain", "note", "sources", "plan", "expected", "end_expected",
)  # fmt: skip
LISTS = ("body", "powertrain", "sources")

SCHEMA = """
CREATE TABLE brands (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    parent TEXT,
    origin TEXT,            -- ISO 3166-1 alpha-2
    note TEXT,
    sources TEXT NOT NULL   -- a JSON array
);
CREATE TABLE models (
    brand TEXT NOT NULL REFERENCES brands (id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,        -- a JSON array of body styles (empty when not known)
    powertrain TEXT NOT NULL,  -- a JSON array
    follows TEXT NOT NULL,     -- a JSON array of brand/model ids
    generation TEXT,
    note TEXT,
    sources TEXT NOT NULL,     -- a JSON array
    PRIMARY KEY (brand, id)
);
CREATE TABLE windows (
    id INTEGER PRIMARY KEY,
    brand TEXT NOT NULL,
    model TEXT NOT NULL,
    market TEXT NOT NULL,           -- ISO 3166-1 alpha-2
    since TEXT,                     -- as written: 2022, 2022-H2, 2022-Q3, 2022-04, 2022-04-15
    since_precision TEXT,           -- year, half, quarter, month, day
    since_first TEXT,               -- the first day it covers, YYYY-MM-DD
    on_sale_by INTEGER NOT NULL,    -- 1: since is only when a source first shows it on sale
    until TEXT,                     -- absent while on sale
    until_precision TEXT,
    until_last TEXT,                -- the last day it covers, YYYY-MM-DD
    first_model_year INTEGER,
    last_model_year INTEGER,        -- absent while open
    note TEXT,
    sources TEXT NOT NULL,          -- a JSON array
    plan INTEGER NOT NULL,          -- 1: an announcement not yet confirmed
    expected INTEGER NOT NULL,      -- 1: its start is still to come on the day of the export
    end_expected INTEGER NOT NULL,
    FOREIGN KEY (brand, model) REFERENCES models (brand, id)
);
CREATE INDEX windows_by_model ON windows (brand, model);
CREATE INDEX windows_by_market ON windows (market, brand);
"""


def rows(dataset: Dataset, ref: dt.date) -> Iterator[dict[str, Any]]:
    """Every window, by brand, market, model and date."""
    for brand in dataset.brands.values():
        for market, entries in brand.markets.items():
            for model_id, windows in entries.items():
                model = brand.models[model_id]
                for window in windows:
                    yield _row(brand, model, market, window, ref)


def _row(brand: Brand, model: Model, market: str, window: Window, ref: dt.date) -> dict[str, Any]:
    expected, end_expected = query.plans(window, ref)
    return {
        "brand": brand.id,
        "brand_name": brand.name,
        "model": model.id,
        "model_name": model.name,
        "market": market,
        "since": _text(window.since),
        "since_precision": _precision(window.since),
        "since_first": window.since.first.isoformat() if window.since else None,
        "on_sale_by": window.first_seen,
        "until": _text(window.until),
        "until_precision": _precision(window.until),
        "until_last": window.until.last.isoformat() if window.until else None,
        "first_model_year": window.model_years[0] if window.model_years else None,
        "last_model_year": window.model_years[1] if window.model_years else None,
        "body": [b.value for b in model.body],
        "powertrain": [p.value for p in model.powertrain],
        "note": window.note,
        "sources": list(window.sources),
        "plan": window.plan,
        "expected": expected,
        "end_expected": end_expected,
    }


def _text(date: PartialDate | None) -> str | None:
    return str(date) if date is not None else None


def _precision(date: PartialDate | None) -> str | None:
    return date.precision.name.lower() if date is not None else None


def write_csv(dataset: Dataset, ref: dt.date, out: TextIO) -> int:
    """CSV with a header. On a terminal, control characters in the data are shown as escapes, so that
    data never drives the terminal; in a file or a pipe they are the data's own."""
    from lineup.render import visible

    shown = visible if out.isatty() else None
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    written = 0
    for row in rows(dataset, ref):
        cells = [_cell(key, row[key]) for key in COLUMNS]
        writer.writerow([shown(c) if shown and isinstance(c, str) else c for c in cells])
        written += 1
    return written


def _cell(key: str, value: Any) -> Any:
    if key in LISTS:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def write_json(dataset: Dataset, ref: dt.date, out: TextIO, lines: bool) -> int:
    written = 0
    if not lines:
        out.write("[")
    for row in rows(dataset, ref):
        text = json.dumps(row, ensure_ascii=False)
        out.write(f"{text}\n" if lines else f"{',' if written else ''}\n  {text}")
        written += 1
    if not lines:
        out.write("\n]\n" if written else "]\n")
    return written


def write_sqlite(dataset: Dataset, ref: dt.date, path: Path) -> int:
    """Write a new database at `path` (which must not exist: the caller writes to a new file)."""
    db = sqlite3.connect(path)
    try:
        db.executescript(SCHEMA)
        brands = dataset.brands.values()
        db.executemany(
            "INSERT INTO brands VALUES (?, ?, ?, ?, ?, ?)",
            ((b.id, b.name, b.parent, b.origin, b.note, json.dumps(list(b.sources))) for b in brands),
        )
        db.executemany(
            "INSERT INTO models VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (m.brand, m.id, m.name, json.dumps([x.value for x in m.body]),
                 json.dumps([x.value for x in m.powertrain]), json.dumps(list(m.follows)), m.generation, m.note,
                 json.dumps(list(m.sources)))
                for b in brands for m in b.models.values()
            ),
        )  # fmt: skip
        window_columns = [c for c in COLUMNS if c not in ("brand_name", "model_name", "body", "powertrain")]
        placeholders = ", ".join("?" for _ in window_columns)
        db.executemany(
            f"INSERT INTO windows ({', '.join(window_columns)}) VALUES ({placeholders})",
            ([json.dumps(row[c]) if c == "sources" else row[c] for c in window_columns] for row in rows(dataset, ref)),
        )
        db.commit()
        (written,) = db.execute("SELECT count(*) FROM windows").fetchone()
        return int(written)
    finally:
        db.close()
