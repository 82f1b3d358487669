"""diff agrees with show: what it calls added, dropped or back is the difference of two lineups."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lineup import dates, diffs, load, query
from lineup.diffs import Change
from lineup.query import When

from .conftest import Run
from .helpers import DATA, FIXTURE

CHANGES = DATA / "changes.toml"
REF = dt.date(2022, 11, 7)


@st.composite
def times(draw: st.DrawFn) -> When:
    if draw(st.booleans()):
        return When.in_model_year(draw(st.integers(2008, 2030)))
    year = draw(st.integers(2008, 2030))
    text = draw(
        st.sampled_from([f"{year}", f"{year}-H{draw(st.integers(1, 2))}", f"{year}-Q{draw(st.integers(1, 4))}",
                         f"{year}-{draw(st.integers(1, 12)):02d}", f"{year}-{draw(st.integers(1, 12)):02d}-15"])
    )  # fmt: skip
    return When.during(dates.parse(text))


@pytest.mark.parametrize("path", [FIXTURE, CHANGES], ids=["fixture", "changes"])
@settings(suppress_health_check=list(HealthCheck), deadline=None)
@given(a=times(), b=times())
def test_diff_is_the_difference_of_two_lineups(path: Path, a: When, b: When) -> None:
    if (a.model_year is None) != (b.model_year is None) or diffs.overlap(a, b):
        return
    for brand in load.load([path]).brands.values():
        found = diffs.diff(brand, [], a, b, REF)
        for market in brand.markets:
            at_a = {e.model.id for e in query.lineup([brand], [market], a, ref=REF)}
            at_b = {e.model.id for e in query.lineup([brand], [market], b, ref=REF)}
            changes = {d.model.id: d.change for d in found if d.market == market and d.model is not None}
            # A first sighting keeps its name whichever way the diff reads.
            arriving = {Change.added, Change.first_seen} if a.before(b) else {Change.added}
            leaving = {Change.dropped} if a.before(b) else {Change.dropped, Change.first_seen}
            assert {m for m, c in changes.items() if c in arriving} == at_b - at_a
            assert {m for m, c in changes.items() if c in leaving} == at_a - at_b
            assert {m for m, c in changes.items() if c is Change.back} <= at_a & at_b
            assert {m for m, c in changes.items() if c is Change.came_and_went}.isdisjoint(at_a | at_b)


def rows(run: Run, *args: str) -> list[list[str]]:
    result = run(
        "diff", "acme", *args, "-m", "US", "-f", "tsv", "--columns", "change,model,date,other_date", data=[CHANGES]
    )
    assert result.exit_code == 0, result.output
    return [line.split("\t") for line in result.stdout.splitlines()]


def test_contiguous_windows_are_no_change(run: Run) -> None:
    assert [r for r in rows(run, "2015", "2017") if r[1] == "Roadster"] == []
    assert rows(run, "2016-06-30", "2016-07-01") == []


def test_the_last_window_on_sale_at_from_gives_the_drop(run: Run) -> None:
    # Hatch: two windows in 2018; it was on sale until 2019-06.
    assert ["dropped", "Hatch", "2019-06", ""] in rows(run, "2018", "2020")
    assert ["added", "Hatch", "2019-06", ""] in rows(run, "2020", "2018")
    assert [r for r in rows(run, "2018", "2019") if r[1] == "Hatch"] == []  # its gap lies inside 2018


def test_back_only_across_a_real_gap(run: Run) -> None:
    assert ["dropped-then-back", "Roadster", "2020-Q3", "2018-03-31"] in rows(run, "2017", "2021")
    assert ["dropped-then-back", "X1", "MY2019", "MY2017"] in rows(run, "2017", "2019", "--model-year")
    # Hatch's windows overlap in model years (2014-2018, 2018-2019): no gap, so no change.
    assert [r for r in rows(run, "2017", "2019", "--model-year") if r[1] == "Hatch"] == []


def test_model_years_read_backwards(run: Run) -> None:
    assert ["dropped-then-back", "X1", "MY2019", "MY2017"] in rows(run, "2019", "2017", "--model-year")
    assert ["added", "Hatch", "MY2019", ""] in rows(run, "2020", "2017", "--model-year")  # gone after MY2019


def test_a_first_sighting_is_not_a_launch(run: Run) -> None:
    assert ["first-seen", "Seen", "by 2018", ""] in rows(run, "2017", "2019")
    assert ["first-seen", "Seen", "by MY2018", ""] in rows(run, "2017", "2019", "--model-year")


def test_a_short_window_that_came_and_went(run: Run) -> None:
    assert ["added-then-dropped", "QQ", "2019-02-20", "2019-02-10"] in rows(run, "2018", "2020")


def test_renames_also_read_backwards(run: Run) -> None:
    result = run("diff", "acme", "2017", "2015", "-m", "US", "-f", "json", data=[CHANGES])
    import json

    changes = {c["model_id"]: c for c in json.loads(result.stdout)}
    assert changes["newname"]["replaces"] == ["Oldname"]
    assert changes["newname"]["change"] == "dropped"


@pytest.mark.parametrize(("start", "end"), [("2022", "2022-05"), ("2022-01", "2022"), ("2022-Q1", "2022-03-15")])
def test_overlapping_times_are_a_usage_error(run: Run, start: str, end: str) -> None:
    result = run("diff", "acme", start, end, data=[CHANGES])
    assert result.exit_code == 2
    assert "overlap" in result.stderr


def test_expected_agrees_with_show(run: Run) -> None:
    import json

    diff = json.loads(run("diff", "acme", "2026", "2028", "--as-of", "2026-06-01", "-f", "json", data=[CHANGES]).stdout)
    newname = next(c for c in diff if c["model_id"] == "newname")
    assert (newname["change"], newname["date"], newname["expected"]) == ("dropped", "2027-H1", True)
    shown = json.loads(run("show", "acme", "-m", "US", "--on", "2026-06-01", "-f", "json", data=[CHANGES]).stdout)
    assert next(r for r in shown if r["model_id"] == "newname")["end_expected"] is True
