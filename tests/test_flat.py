"""`lineup export`: every window, one row each, given back whole by a CSV reader, a JSON reader and SQLite."""

import csv
import io
import json
import os
import re
import sqlite3
import stat
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from lineup import flat as export
from lineup import load
from lineup.model import Dataset
from lineup.text import unseen_escaped, visible

from .conftest import Run
from .helpers import FIXTURE, TODAY, write
from .test_layout import documents

DATA = load.load([FIXTURE])
WINDOWS = [
    (brand.id, model_id, code, str(w.since) if w.since else "", str(w.until) if w.until else "")
    for brand in DATA.brands.values()
    for code, entries in brand.markets.items()
    for model_id, windows in entries.items()
    for w in windows
]


def test_csv_gives_back_every_window(run: Run) -> None:
    result = run("export", "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(export.COLUMNS)
    assert [(r["brand"], r["model"], r["market"], r["since"], r["until"]) for r in rows] == WINDOWS
    ax = next(r for r in rows if r["model"] == "ax")
    assert (ax["since"], ax["since_precision"], ax["since_first"]) == ("2022-H2", "half", "2022-07-01")
    assert json.loads(ax["body"]) == [b.value for b in DATA.brands["alpha"].models["ax"].body]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_gives_back_every_window(run: Run, fmt: str) -> None:
    out = run("export", "-f", fmt).stdout
    rows = json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]
    assert [(r["brand"], r["model"], r["market"], r["since"] or "", r["until"] or "") for r in rows] == WINDOWS
    assert all(list(r) == list(export.COLUMNS) for r in rows)  # the same keys, in the same order
    assert run("export", "-f", fmt).stdout == out  # stable


@settings(max_examples=80, suppress_health_check=list(HealthCheck), deadline=None)
@given(documents())
def test_json_lines_are_each_row_as_json_writes_it(
    tmp_path_factory: pytest.TempPathFactory, doc: dict[str, Any]
) -> None:
    """The writer puts each line together from encoded parts, for speed: the text of json.dumps(row),
    invisible characters escaped."""
    import tomli_w

    data = load.load([write(tmp_path_factory.mktemp("doc"), tomli_w.dumps(doc))])
    lines, array = io.StringIO(), io.StringIO()
    export.write_jsonl(data, TODAY, lines)
    export.write_json(data, TODAY, array)
    rows = list(export.rows(data, TODAY))
    assert lines.getvalue() == "".join(unseen_escaped(json.dumps(row, ensure_ascii=False)) + "\n" for row in rows)
    assert [json.loads(line) for line in lines.getvalue().splitlines()] == rows
    assert json.loads(array.getvalue()) == rows


def test_sqlite_gives_back_every_window_in_its_schema(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "lineups.sqlite"
    result = run("export", "-f", "sqlite", "-o", str(path))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"note: wrote {len(WINDOWS)} windows to {path}\n"
    db = sqlite3.connect(path)
    got = db.execute("SELECT brand, model, market, coalesce(since, ''), coalesce(until, '') FROM windows ORDER BY id")
    assert got.fetchall() == WINDOWS
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")} >= {
        "windows_by_model",
        "windows_by_market",
    }
    models = db.execute("SELECT count(*) FROM models").fetchone()[0]
    assert models == sum(len(b.models) for b in DATA.brands.values())
    joined = db.execute(
        "SELECT m.name, w.since FROM windows w JOIN models m ON (m.brand, m.id) = (w.brand, w.model) "
        "WHERE w.market = 'TW' AND w.model = 'ax'"
    ).fetchall()
    assert joined == [(DATA.brands["alpha"].models["ax"].name, "2022-H2")]


def test_the_lineups_view_answers_what_analysts_ask_first(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "lineups.sqlite"
    assert run("export", "-f", "sqlite", "-o", str(path)).exit_code == 0
    db = sqlite3.connect(path)
    got = db.execute("SELECT model_name, body FROM lineups WHERE market = 'TW' AND model = 'ax'").fetchall()
    assert got == [(DATA.brands["alpha"].models["ax"].name, '["suv"]')]


def _documented(page: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Each table and view docs/sqlite.md describes, as ((name, table or view), its (column, type) rows)."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    rows: list[tuple[str, str]] = []
    for line in page.splitlines():
        if heading := re.fullmatch(r"## `(\w+)` \((table|view)\)", line):
            rows = found.setdefault((heading[1], heading[2]), [])
        elif row := re.fullmatch(r"\| `(\w+)` \| ([A-Z ]+) \| .+ \|", line):
            rows.append((row[1], row[2]))
    return found


def test_docs_describe_every_table_view_and_column_of_the_database(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "lineups.sqlite"
    assert run("export", "-f", "sqlite", "-o", str(path)).exit_code == 0
    db = sqlite3.connect(path)
    page = (Path(__file__).parent.parent / "docs" / "sqlite.md").read_text(encoding="utf-8")
    documented = _documented(page)
    written = {}
    for kind, name in db.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view')"):
        columns = db.execute(f"PRAGMA table_info({name})").fetchall()  # cid, name, type, notnull, default, pk
        written[(name, kind)] = [(c[1], c[2] + (" NOT NULL" if c[3] else "")) for c in columns]
        for n, (column, declared) in enumerate(written[(name, kind)]):
            if not declared:  # a view's computed column has no declared type: its values have one
                held = {t for (t,) in db.execute(f"SELECT DISTINCT typeof({column}) FROM {name}")} - {"null"}
                said = dict(documented.get((name, kind), [])).get(column, "")
                assert held <= {said.lower()}, (name, column, held, said)
                written[(name, kind)][n] = (column, said)
    assert documented == written
    assert [c for c, _ in written[("lineups", "view")]] == list(export.COLUMNS)


def test_sqlite_needs_a_file_and_replaces_it_whole(run: Run, tmp_path: Path) -> None:
    assert run("export", "-f", "sqlite").exit_code == 2
    path = tmp_path / "out.sqlite"
    path.write_text("old", encoding="utf-8")
    assert run("export", "-f", "sqlite", "-o", str(path)).exit_code == 0
    assert sqlite3.connect(path).execute("SELECT count(*) FROM windows").fetchone()[0] == len(WINDOWS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.sqlite"]  # no temporary file left


def test_a_file_is_written_whole(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    assert run("export", "-o", str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8") == run("export").stdout


def test_a_pipe_is_written_into_never_replaced(run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("export", "-o", str(fifo))  # nothing reads it: an error, not a wait for ever
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {fifo}: cannot write: no program is reading from the pipe\n",
    )
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    for _ in range(1000):  # until the reader has the pipe open: a poll, not a timing assertion
        if run("export", "-o", str(fifo)).exit_code == 0:
            break
        time.sleep(0.01)
    reader.join(timeout=30)
    assert received == [run("export").stdout]
    result = run("export", "-f", "sqlite", "-o", str(fifo))
    assert result.exit_code == 1
    assert "is not a regular file (a device or a pipe), which lineup never replaces" in result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


@pytest.mark.parametrize("name", ["\x1b[2Jx", "Q50\u202eL", "Z\u200bW\u2028"])
def test_csv_shows_controls_and_invisible_characters_as_escapes(name: str) -> None:
    brand = DATA.brands["alpha"]
    model = next(iter(brand.models.values()))
    data = Dataset({"alpha": brand._replace(models={**brand.models, model.id: model._replace(name=name)})})
    out = io.StringIO()
    export.write_csv(data, TODAY, out)
    assert visible(name) != name
    assert visible(name) in out.getvalue()
    assert not set(out.getvalue()) & set(name) - set("xQ50LZW[2J")


def test_a_database_that_cannot_be_written_is_an_error(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object) -> list[object]:  # the windows' rows, once brands and models are written
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(export, "_values", full)
    path = tmp_path / "lineups.sqlite"
    result = run("export", "-f", "sqlite", "-o", str(path))
    assert (result.exit_code, result.stderr) == (1, f"error: {path}: cannot write: database or disk is full\n")
    assert list(tmp_path.iterdir()) == []  # and nothing left behind
