"""The cache's record of a brand: what goes in comes back the same, and a record not as lineup writes
it is found out, never believed and never a crash."""

import copy
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings

from lineup.load import cache, records, source
from lineup.load.reader import Reader

from .helpers import FIXTURE, write
from .test_layout import documents


def _parts(path: Path) -> list[Any]:
    reader = Reader()
    doc = source.document(str(path), path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    parts = reader.document(str(path), doc)
    assert reader.problems == []
    return parts


def _round_trip(part: Any) -> records.Record:
    data = cache._unpack(cache._pack(records.encode(records.of(part))))  # as the cache keeps it
    return records.Decoder().record(part.file, part.id, data)


def test_the_fixture_comes_back_the_same() -> None:
    for part in _parts(FIXTURE):
        assert _round_trip(part) == records.of(part)  # places too: a problem found later names its line


@settings(max_examples=80, suppress_health_check=list(HealthCheck), deadline=None)
@given(documents())
def test_any_valid_data_comes_back_the_same(tmp_path_factory: pytest.TempPathFactory, doc: dict[str, Any]) -> None:
    path = write(tmp_path_factory.mktemp("doc"), tomli_w.dumps(doc))
    for part in _parts(path):
        assert _round_trip(part) == records.of(part)


def _encoded() -> dict[str, Any]:
    [alpha] = [part for part in _parts(FIXTURE) if part.id == "alpha"]
    return records.encode(records.of(alpha))


def _later(r: dict[str, Any]) -> int:
    """The first window of a record's windows that follows another of its model in its market."""
    w = r["windows"]
    return next(
        i
        for i in range(1, len(w["model"]))
        if (w["model"][i], w["market"][i]) == (w["model"][i - 1], w["market"][i - 1])
    )


def _overlapping(r: dict[str, Any]) -> None:
    at = _later(r)
    r["windows"]["since"][at] = r["windows"]["since"][at - 1]


def _split(r: dict[str, Any]) -> None:
    """The model's windows in that market no longer together: another window between them."""
    at = _later(r)
    for column in r["windows"].values():
        column.insert(at - 1, column.pop(0))  # (at - 1: where the window at `at` is, once the first is taken)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda r: r["attrs"].update(name=""), id="an-empty-name"),
        pytest.param(lambda r: r["attrs"].update(origin="XX"), id="not-a-country"),
        pytest.param(lambda r: r["models"].update({"Not An Id": r["models"]["a1"]}), id="not-an-id"),
        pytest.param(lambda r: r["models"]["a1"].__setitem__(1, ["boat"]), id="not-a-body-style"),
        pytest.param(lambda r: r["markets"].append("XX"), id="not-a-market"),
        pytest.param(lambda r: r["windows"]["plan"].pop(), id="a-short-column"),
        pytest.param(lambda r: r["windows"]["since"].__setitem__(0, 5), id="not-a-date"),
        pytest.param(lambda r: r["windows"]["since"].__setitem__(0, (738000 << 3) + 2), id="not-the-first-day"),
        pytest.param(lambda r: r["windows"]["market"].__setitem__(0, 99), id="no-such-market"),
        pytest.param(lambda r: r["windows"]["first"].__setitem__(0, 0), id="year-zero"),
        pytest.param(lambda r: r["windows"]["sources"].__setitem__(0, (1,)), id="a-source-that-is-a-number"),
        pytest.param(lambda r: r["windows"]["note"].__setitem__(0, " "), id="an-empty-note"),
        pytest.param(lambda r: r["windows"]["until"].__setitem__(0, r["windows"]["since"][0] - 8), id="ends-first"),
        pytest.param(lambda r: r.pop("coverage"), id="no-coverage"),
        pytest.param(_overlapping, id="two-windows-of-a-model-overlap"),
        pytest.param(_split, id="a-model's-windows-apart"),
        pytest.param(lambda r: r["windows"].update(seen=["yes"] * len(r["windows"]["seen"])), id="not-a-flag"),
    ],
)
def test_a_record_not_as_lineup_writes_it_is_damaged(change: Any) -> None:
    data = copy.deepcopy(_encoded())
    change(data)
    with pytest.raises(records.Damaged):
        records.Decoder().record("f.toml", "alpha", data)
