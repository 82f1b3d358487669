import json
from typing import Any

from .conftest import Run


def story(run: Run, *args: str) -> dict[str, Any]:
    result = run("model", *args, "-f", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_the_whole_story_as_json(run: Run) -> None:
    a2 = story(run, "alpha", "a2")
    assert (a2["model"], a2["body"], a2["powertrain"]) == ("A2", ["coupe", "convertible"], ["ice"])
    assert a2["follows"] == [{"brand_id": "alpha", "model_id": "a2-old", "model": "A2 Classic"}]
    assert a2["followed_by"] == [{"brand_id": "beta", "model_id": "bz", "model": "BZ"}]
    windows = a2["windows"]
    assert isinstance(windows, list)
    assert [(w["market"], w["since"], w["until"], w["model_years"]) for w in windows] == [
        ("TW", "2017", "2022-04", None),
        ("US", None, None, [2017, 2023]),
    ]
    assert windows[0]["sources"] == ["https://example.org/tw-a2"]
    assert windows[0]["note"] == "Dropped from the local site"


def test_lineage_runs_both_ways_and_across_brands(run: Run) -> None:
    old = story(run, "alpha", "a2-old")
    assert [m["model_id"] for m in old["followed_by"]] == ["a2", "bz"]
    assert story(run, "beta", "bz")["follows"] == [
        {"brand_id": "alpha", "model_id": "a2", "model": "A2"},
        {"brand_id": "alpha", "model_id": "a2-old", "model": "A2 Classic"},
    ]


def test_production_and_its_plans(run: Run) -> None:
    production = story(run, "alpha", "a1", "--as-of", "2022-11-07")["production"]
    assert production == {
        "since": "2013",
        "until": "2024-12",
        "end_expected": True,
        "note": None,
        "sources": ["https://example.org/a1-production"],
    }


def test_window_status_on_the_day_asked(run: Run) -> None:
    ax = story(run, "alpha", "ax", "--as-of", "2022-11-07")["windows"]
    assert [(w["market"], w["status"]) for w in ax] == [
        ("TW", "expected"),
        ("US", "left"),
        ("US", "on sale"),
    ]


def test_the_table_tells_the_story_for_people(run: Run) -> None:
    result = run("model", "alpha", "a2", "-f", "table")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Alpha A2 (alpha/a2)")
    assert "follows" in out
    assert "A2 Classic (alpha/a2-old)" in out
    assert "2017 to 2022-04 (left)" in out
    assert "sources: example.org" in out
    assert "https://" not in out  # the addresses are under -f json, or --columns sources
    assert "https://example.org/tw-a2" in run("model", "alpha", "a2", "-f", "table", "--columns", "sources").stdout


def test_other_formats_give_the_windows(run: Run) -> None:
    result = run("model", "alpha", "a2", "-f", "tsv", "--columns", "market,since,until")
    assert result.stdout == "TW\t2017\t2022-04\nUS\t\t\n"


def test_an_unknown_model_gets_a_suggestion(run: Run) -> None:
    result = run("model", "alpha", "a22")
    assert result.exit_code == 1
    assert "did you mean 'a2'?" in result.stderr


def test_the_default_columns_are_the_same_for_every_model(run: Run) -> None:
    header = {run("model", "infiniti", m, "-f", "csv", data=None).stdout.splitlines()[0] for m in ("q60", "g37-coupe")}
    assert header == {"market,status,since,until,model_years,note,sources"}
    story = run("model", "infiniti", "g37-coupe", "-f", "table", data=None).stdout
    assert "sold as: body coupe, convertible" in story  # a person still reads what each stretch was sold as
