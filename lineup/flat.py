"""`lineup export`: every window of the data, one row each, as CSV, JSON, JSONL or an SQLite database.

A row names its brand and model (ids and names) and market, and gives the window's dates at their
own precision (`2022-04`, precision `month`) with the first and last day they cover, its model
years, the model's body styles and powertrains, the window's note and sources, and whether its
start or end is still expected on the day asked. Lists are JSON arrays in CSV and SQLite cells.
"""

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from lineup import files, query
from lineup.dates import PartialDate, Period
from lineup.errors import LineupError
from lineup.load.merge import LazyBrands
from lineup.model import Brand, Dataset, Facts, Model, Window, facts_of
from lineup.text import unseen_escaped, visible

COLUMNS = (
    "brand", "brand_name", "model", "model_name", "market",
    "since", "since_precision", "since_first", "on_sale_by", "until", "until_precision", "until_last",
    "first_model_year", "last_model_year", "body", "powertrain", "generation", "note", "sources", "plan",
    "announced", "until_announced", "expected", "end_expected",
)  # fmt: skip
LISTS = ("body", "powertrain", "sources")
# The model's facts in force in a window (model_name is the name that market uses): the window's own
# where it states one, else the model's. SQLite keeps the window's own apart (NULL: as the model).
FACTS = ("model_name", "body", "powertrain", "generation")

# docs/sqlite.md describes every table, view and column for analysts; a test holds the two together.
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
    announced TEXT,                 -- the day a source first reported its dates still to come
    until_announced TEXT,           -- the day a source first reported its end, if later
    expected INTEGER NOT NULL,      -- 1: its start is still to come on the day of the export
    end_expected INTEGER NOT NULL,
    name TEXT,                      -- the window's own facts of the model; NULL: as the model says
    body TEXT,                      -- a JSON array
    powertrain TEXT,                -- a JSON array
    generation TEXT,
    FOREIGN KEY (brand, model) REFERENCES models (brand, id)
);
CREATE INDEX windows_by_model ON windows (brand, model);
CREATE INDEX windows_by_market ON windows (market, brand);
CREATE TABLE presence (             -- a brand's own stays in a market
    brand TEXT NOT NULL REFERENCES brands (id),
    market TEXT NOT NULL,
    since TEXT NOT NULL,
    until TEXT,
    announced TEXT,
    until_announced TEXT,
    plan INTEGER NOT NULL,
    note TEXT,
    sources TEXT NOT NULL
);
CREATE TABLE coverage (             -- what the data claims of a brand's lineup in a market
    brand TEXT NOT NULL REFERENCES brands (id),
    market TEXT NOT NULL,
    complete INTEGER NOT NULL,
    since TEXT,                     -- a stretch; all NULL: for all time
    until TEXT,
    first_model_year INTEGER,
    last_model_year INTEGER,
    note TEXT,
    sources TEXT NOT NULL
);
CREATE TABLE sales (                -- units of a model sold in a market in one period, as a source reports them
    brand TEXT NOT NULL REFERENCES brands (id),
    model TEXT NOT NULL,
    market TEXT NOT NULL,
    period TEXT NOT NULL,           -- 2020, 2021-H1, 2021-Q2, 2021-09 or 2021-01..2021-09
    period_first TEXT NOT NULL,     -- its first day, YYYY-MM-DD
    period_last TEXT NOT NULL,      -- its last day
    months INTEGER NOT NULL,        -- its length
    units INTEGER NOT NULL,
    change REAL,                    -- a change in percent the source reports, on compared_with
    compared_with TEXT,
    note TEXT,
    sources TEXT NOT NULL,          -- a JSON array
    FOREIGN KEY (brand, model) REFERENCES models (brand, id)
);
CREATE TABLE regions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    markets TEXT NOT NULL,          -- a JSON array of ISO 3166-1 alpha-2 codes
    note TEXT,
    sources TEXT NOT NULL
);
CREATE VIEW lineups AS              -- a window a row, with the columns of the CSV export
SELECT w.brand, b.name AS brand_name, w.model, COALESCE(w.name, m.name) AS model_name, w.market,
       w.since, w.since_precision, w.since_first, w.on_sale_by, w.until, w.until_precision, w.until_last,
       w.first_model_year, w.last_model_year, COALESCE(w.body, m.body) AS body,
       COALESCE(w.powertrain, m.powertrain) AS powertrain, COALESCE(w.generation, m.generation) AS generation,
       w.note, w.sources, w.plan, w.announced, w.until_announced, w.expected, w.end_expected
FROM windows w JOIN brands b ON b.id = w.brand JOIN models m ON m.brand = w.brand AND m.id = w.model
ORDER BY w.id;
"""


def rows(dataset: Dataset, ref: dt.date) -> Iterator[dict[str, Any]]:
    """Every window, by brand, market, model and date, as a mapping of COLUMNS.

    What the writers write, in its plain form. lineup writes without it; tests hold the writers to it."""
    for values in _values(dataset, ref, lists=list):
        yield dict(zip(COLUMNS, values, strict=True))


def _values(dataset: Dataset, ref: dt.date, lists: Any, own: bool = False) -> Iterator[list[Any]]:
    """Every window's values in the order of COLUMNS; `lists` makes a cell of a list (a list for
    JSON, JSON text for CSV and SQLite); with `own`, the window's own facts follow (None: as the
    model). What a model or a date gives is worked out once."""
    dates: dict[PartialDate, tuple[str, str, str, str]] = {}

    def date(value: PartialDate | None) -> tuple[str, str, str, str] | tuple[None, None, None, None]:
        if value is None:
            return None, None, None, None
        known = dates.get(value)
        if known is None:
            known = dates[value] = (str(value), value.precision.name.lower(), value.first.isoformat(),
                                    value.last.isoformat())  # fmt: skip
        return known

    def facts(f: Facts) -> tuple[Any, Any, Any, Any]:
        body = None if f.body is None else lists([b.value for b in f.body])
        powertrain = None if f.powertrain is None else lists([p.value for p in f.powertrain])
        return f.name, body, powertrain, f.generation

    kinds: dict[str, tuple[Any, ...]] = {}
    for brand, market, model, windows in _entries(dataset):
        if model.key not in kinds:
            kinds[model.key] = facts(facts_of(model, None))
        for w in windows:
            since, since_precision, since_first, _ = date(w.since)
            until, until_precision, _, until_last = date(w.until)
            expected, end_expected = query.plans(w, ref)
            years = w.model_years or (None, None)
            name, body, powertrain, generation = kinds[model.key] if w.facts is None else facts(facts_of(model, w))
            row = [
                brand.id, brand.name, model.id, name, market,
                since, since_precision, since_first, w.first_seen, until, until_precision, until_last,
                years[0], years[1], body, powertrain, generation, w.note, lists(list(w.sources)), w.plan,
                _text(w.announced), _text(w.until_announced), expected, end_expected,
            ]  # fmt: skip
            if own:
                row += facts(w.facts or Facts())
            yield row


def _text(date: PartialDate | Period | None) -> str | None:
    return None if date is None else str(date)


def _entries(dataset: Dataset) -> Iterator[tuple[Brand, str, Model, tuple[Window, ...]]]:
    """Each model's windows in each market, by brand, market and model."""
    for brand in _each_brand(dataset):
        for market, entries in brand.markets.items():
            for model_id, windows in entries.items():
                yield brand, market, brand.models[model_id], windows


def _each_brand(dataset: Dataset) -> Iterator[Brand]:
    """Every brand, for one pass over them: of data read when asked for, each let go once written, so that a
    large export holds one brand at a time (a quarter of the memory of 100,000 windows, and quicker for it)."""
    brands = dataset.brands
    return brands.passing() if isinstance(brands, LazyBrands) else iter(brands.values())


_JSON_TEXT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
_JSON_STRING = json.encoder.encode_basestring  # a string's JSON text, as _JSON_TEXT writes it, without its checks


def write_csv(dataset: Dataset, ref: dt.date, out: TextIO) -> int:
    """CSV with a header, lists as JSON arrays, and invisible characters shown as escapes.

    Controls too; JSON, JSON Lines and SQLite hold the text exactly."""
    import csv  # only CSV needs it

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    written = 0
    for values in _values(dataset, ref, _JSON_TEXT):
        cells = ["true" if v is True else "false" if v is False else "" if v is None else v for v in values]
        writer.writerow([visible(c) if isinstance(c, str) else c for c in cells])
        written += 1
    return written


def write_json(dataset: Dataset, ref: dt.date, out: TextIO) -> int:
    """A JSON array of rows, one a line."""
    written = 0
    out.write("[")
    for rows in _objects(dataset, ref):
        out.write(("," if written else "") + "\n  " + unseen_escaped(",\n  ".join(rows)))
        written += len(rows)
    out.write("\n]\n" if written else "]\n")
    return written


def write_jsonl(dataset: Dataset, ref: dt.date, out: TextIO) -> int:
    """JSON Lines: a row a line."""
    written = 0
    for rows in _objects(dataset, ref):
        out.write(unseen_escaped("\n".join(rows)))
        out.write("\n")  # apart: adding it to the rows would copy them
        written += len(rows)
    return written


def _objects(dataset: Dataset, ref: dt.date) -> Iterator[list[str]]:
    """Each brand's rows as the JSON text json.dumps(row) writes (a test holds the two to the same text),
    put together from the text of each brand, model, market and date, encoded once however often it
    recurs: building a dict for every row to encode it takes most of a large export's time."""
    text, flag = _JSON_STRING, ("false", "true")
    # The text of each date's columns, by the date's id(): data holds a date read once however often it recurs, and
    # hashing a date is Python code, twice a row. Each date is kept, so that no other takes its id.
    starts = {id(None): '"since": null, "since_precision": null, "since_first": null, '}
    ends = {id(None): '"until": null, "until_precision": null, "until_last": null, '}
    kept: list[PartialDate] = []

    def date_text(texts: dict[int, str], column: str, date: PartialDate, bound: str) -> str:
        kept.append(date)
        texts[id(date)] = (f'"{column}": {text(str(date))}, "{column}_precision": {text(date.precision.name.lower())}, '
                           f'"{column}_{bound}": {text(getattr(date, bound).isoformat())}, ')  # fmt: skip
        return texts[id(date)]

    for brand in _each_brand(dataset):
        models: dict[str, tuple[str, str]] = {}  # the model's part of a row, and its facts' part
        lead = f'{{"brand": {text(brand.id)}, "brand_name": {text(brand.name)}, '
        rows = []
        for market, entries in brand.markets.items():
            where = f'"market": {text(market)}, '
            for model_id, windows in entries.items():
                model = brand.models[model_id]
                known = models.get(model_id) or models.setdefault(model_id, _model_text(lead, model, None))
                for w in windows:
                    head, kind = known if w.facts is None else _model_text(lead, model, w)
                    start = starts.get(id(w.since)) or date_text(starts, "since", w.since, "first")  # type: ignore[arg-type]
                    end = ends.get(id(w.until)) or date_text(ends, "until", w.until, "last")  # type: ignore[arg-type]
                    expected, end_expected = query.plans(w, ref)
                    first, last = w.model_years or ("null", "null")
                    last = "null" if last is None else last
                    note = "null" if w.note is None else text(w.note)
                    announced = "null" if w.announced is None else text(str(w.announced))
                    until_announced = "null" if w.until_announced is None else text(str(w.until_announced))
                    sources = w.sources  # most often one: its text alone (a join of one takes twice as long)
                    listed = text(sources[0]) if len(sources) == 1 else ", ".join(map(text, sources))
                    rows.append(
                        f'{head}{where}{start}"on_sale_by": {flag[w.first_seen]}, {end}'
                        f'"first_model_year": {first}, "last_model_year": {last}, {kind}, "note": {note}, '
                        f'"sources": [{listed}], "plan": {flag[w.plan]}, '
                        f'"announced": {announced}, "until_announced": {until_announced}, '
                        f'"expected": {flag[expected]}, "end_expected": {flag[end_expected]}}}'
                    )  # fmt: skip
        if rows:
            yield rows


def _model_text(lead: str, model: Model, window: Window | None) -> tuple[str, str]:
    """The JSON text of a row's brand and model columns (`lead`: the brand's), and of its body, powertrain and
    generation, as the model is in the window's market and stretch (its own, with no window)."""
    text, f = _JSON_STRING, facts_of(model, window)
    generation = "null" if f.generation is None else text(f.generation)
    return (f'{lead}"model": {text(model.id)}, "model_name": {text(f.name or model.name)}, ',
            f'"body": [{", ".join(map(text, f.body or ()))}], '
            f'"powertrain": [{", ".join(map(text, f.powertrain or ()))}], "generation": {generation}')  # fmt: skip


SALES_COLUMNS = (
    "brand", "brand_name", "model", "model_name", "market", "period", "period_first", "period_last", "months",
    "units", "change", "compared_with", "note", "sources",
)  # fmt: skip


def _sales(dataset: Dataset, lists: Any) -> Iterator[list[Any]]:
    """Every sales figure's values in the order of SALES_COLUMNS, by brand, market, model and period."""
    for brand in _each_brand(dataset):
        for market, entries in brand.sales.items():
            for model_id, figures in entries.items():
                for f in figures:
                    yield [brand.id, brand.name, model_id, brand.models[model_id].name, market, str(f.period),
                           f.period.first.isoformat(), f.period.last.isoformat(), f.period.months, f.units,
                           f.change, _text(f.versus), f.note, lists(list(f.sources))]  # fmt: skip


def write_sales(fmt: str, dataset: Dataset, out: TextIO) -> int:
    """Every sales figure as CSV (with a header), JSON or JSON Lines: one row a figure."""
    written = 0
    if fmt == "csv":
        import csv  # only CSV needs it

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(SALES_COLUMNS)
        for values in _sales(dataset, _JSON_TEXT):
            writer.writerow(["" if v is None else visible(v) if isinstance(v, str) else v for v in values])
            written += 1
        return written
    out.write("[" if fmt == "json" else "")
    for values in _sales(dataset, list):
        line = unseen_escaped(_JSON_TEXT(dict(zip(SALES_COLUMNS, values, strict=True))))
        out.write(line + "\n" if fmt == "jsonl" else f"{',' if written else ''}\n  {line}")
        written += 1
    out.write(("\n]\n" if written else "]\n") if fmt == "json" else "")
    return written


WRITERS: dict[str, Callable[[Dataset, dt.date, TextIO], int]] = {
    "csv": write_csv, "json": write_json, "jsonl": write_jsonl,
}  # fmt: skip


def write_sqlite(dataset: Dataset, ref: dt.date, output: Path) -> int:
    """Write the database to `output`, replaced whole once it is complete: never half a database."""
    import sqlite3  # only a database needs it

    brands = dataset.brands.values()
    skip = {COLUMNS.index(c) for c in ("brand_name", *FACTS)}  # in brands and models, or the window's own below
    columns = [c for n, c in enumerate(COLUMNS) if n not in skip] + ["name", "body", "powertrain", "generation"]
    try:
        with files.replacing(output) as temporary, contextlib.closing(sqlite3.connect(temporary)) as db:
            db.executescript(SCHEMA)
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
            db.executemany(
                f"INSERT INTO windows ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                ([v for n, v in enumerate(row) if n not in skip] for row in _values(dataset, ref, _JSON_TEXT, True)),
            )
            db.executemany(
                "INSERT INTO presence VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((b.id, code, str(w.since), _text(w.until), _text(w.announced), _text(w.until_announced), w.plan,
                  w.note, json.dumps(list(w.sources))) for b in brands for code, stays in b.presence.items()
                 for w in stays),
            )  # fmt: skip
            db.executemany(
                "INSERT INTO coverage VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((b.id, code, c.complete, _text(c.since), _text(c.until), *(c.model_years or (None, None)), c.note,
                  json.dumps(list(c.sources))) for b in brands for code, stretches in b.coverage.items()
                 for c in stretches),
            )  # fmt: skip
            db.executemany(
                f"INSERT INTO sales VALUES ({', '.join('?' * 12)})",
                ([v for n, v in enumerate(row) if n not in (1, 3)] for row in _sales(dataset, _JSON_TEXT)),
            )
            db.executemany(
                "INSERT INTO regions VALUES (?, ?, ?, ?, ?)",
                ((r.id, r.name, json.dumps(list(r.markets)), r.note, json.dumps(list(r.sources)))
                 for r in dataset.regions.values()),
            )  # fmt: skip
            db.commit()
            (written,) = db.execute("SELECT count(*) FROM windows").fetchone()
            return int(written)
    except sqlite3.Error as e:  # a full disk, say: "database or disk is full"
        raise LineupError(f"cannot write: {e}", file=str(output)) from None
