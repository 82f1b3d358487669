"""Any document, however wrong, loads into a dataset or one located LineupError: never another exception."""

import datetime as dt
import io
import math
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lineup import load, query, render, tables
from lineup.errors import LineupError

ids = st.sampled_from(["x", "m", "n", "Q", "a.b", "é", "", " ", "true", "TW", "tw", "NA", "1", "g37-coupe"])
scalars = st.one_of(
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(
        ["2020", "2020-H2", "2021-Q4", "2022-04", "2022-02-29", "2019-2021", "2019-", "sedan", "ice", "JP", "x/m", "m"]
    ),
    st.dates(),
    st.datetimes(),
    st.times(),
)
keys = st.sampled_from(
    ["name", "body", "powertrain", "follows", "production", "since", "until", "on_sale_by", "model_years", "note",
     "source", "sources", "complete", "origin", "parent", "generation", "models", "markets", "coverage", "x", "m"]
)  # fmt: skip
values = st.recursive(
    scalars, lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(keys, c, max_size=4)), max_leaves=12
)
window = st.dictionaries(
    st.sampled_from(["since", "until", "on_sale_by", "model_years", "note", "source", "sources", "x"]),
    st.one_of(values, st.sampled_from([2014, "2022-03", "2019-", dt.date(2020, 5, 1), "https://example.org"])),
    max_size=4,
)
model = st.dictionaries(
    st.sampled_from(["name", "body", "powertrain", "follows", "production", "generation", "note", "source"]),
    st.one_of(values, st.sampled_from(["sedan", ["coupe", "suv"], "ice", "M", "m", "x/m"])),
    max_size=5,
)
brand = st.fixed_dictionaries(
    {},
    optional={
        "name": st.one_of(st.just("X"), values),
        "origin": st.one_of(st.just("JP"), values),
        "models": st.one_of(st.dictionaries(ids, st.one_of(model, values), max_size=3), values),
        "markets": st.one_of(
            st.dictionaries(
                st.sampled_from(["TW", "US", "tw", "XX", "NA"]),
                st.one_of(
                    st.dictionaries(ids, st.one_of(window, st.lists(window, max_size=3), values), max_size=3), values
                ),
                max_size=2,
            ),
            values,
        ),
        "coverage": st.dictionaries(
            st.sampled_from(["TW", "xx"]), st.one_of(st.dictionaries(keys, values), values), max_size=2
        ),
    },
)
documents = st.fixed_dictionaries(
    {"brands": st.one_of(st.dictionaries(ids, st.one_of(brand, values), max_size=2), values)}
)


def _writable(value: object) -> bool:
    if isinstance(value, float):
        return not math.isinf(value)
    if isinstance(value, dict):
        return all(_writable(v) for v in value.values())
    if isinstance(value, list):
        return all(_writable(v) for v in value)
    return True


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.lists(documents, min_size=1, max_size=2))
def test_any_document_loads_or_fails_with_a_located_error(
    tmp_path_factory: object, docs: list[dict[str, object]]
) -> None:
    folder = Path(tmp_path_factory.mktemp("docs"))  # type: ignore[attr-defined]
    paths = []
    for i, doc in enumerate(docs):
        if not _writable(doc):
            return
        path = folder / f"{i}.toml"
        path.write_text(tomli_w.dumps(doc), encoding="utf-8")
        paths.append(path)
    try:
        dataset = load.load(paths)
    except LineupError as e:
        shown = str(e)
    else:
        shown = ""
    if shown:
        assert "\n" not in shown
        assert shown.startswith(str(folder)), shown
        return
    for when in (query.When.on(dt.date(2021, 1, 1)), query.When.in_year(2020), query.When.in_model_year(2020)):
        entries = query.lineup(list(dataset.brands.values()), [], when, others=True)
        for by_market in (True, False):
            table = tables.show_table(entries, by_market=by_market)
            for fmt, write in render.WRITERS.items():
                write(table, render.default_columns(table, fmt), io.StringIO(), render.Style(terminal=False))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_load_or_fail_with_a_located_error(tmp_path_factory: object, data: bytes) -> None:
    path = Path(tmp_path_factory.mktemp("bytes")) / "data.toml"  # type: ignore[attr-defined]
    path.write_bytes(data)
    try:
        load.load([path])
    except LineupError as e:
        shown = str(e)
    else:
        return
    assert shown.startswith(str(path))
    assert "\n" not in shown
