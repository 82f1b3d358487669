"""The embedded dataset: it loads, every fact carries a source, and it answers the story's questions."""

import datetime as dt
import json

import pytest

from lineup import load
from lineup.model import Dataset
from lineup.query import as_known

from .conftest import Run

STORY = "https://www.gamereactor.eu/blogs/Owenn0/390683/Japans+beautiful+sedan+will+be+gone/"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load.load([load.embedded_path()])


def embedded(run: Run, *args: str) -> list[str]:
    result = run(*args, data=None)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_every_window_and_production_span_has_a_source(data: Dataset) -> None:
    missing = [
        f"{b.id}/{model_id} in {market}"
        for b in data.brands.values()
        for market, entries in b.markets.items()
        for model_id, windows in entries.items()
        for w in windows
        if not w.sources
    ]
    missing += [
        f"{m.key} production"
        for b in data.brands.values()
        for m in b.models.values()
        if m.production and not m.production.sources
    ]
    missing += [f"{m.key}" for b in data.brands.values() for m in b.models.values() if not m.sources]
    assert missing == []


def test_every_model_is_sold_somewhere(data: Dataset) -> None:
    sold = {(b.id, model_id) for b in data.brands.values() for entries in b.markets.values() for model_id in entries}
    assert {(b.id, m) for b in data.brands.values() for m in b.models} == sold


def test_the_story_facts_cite_the_story(data: Dataset) -> None:
    infiniti = data.brands["infiniti"]
    q60 = infiniti.models["q60"]
    assert q60.follows == ("infiniti/g37-coupe",)
    assert q60.production is not None
    assert (str(q60.production.until), STORY in q60.production.sources) == ("2022-12", True)
    assert "Indonesia" in (q60.production.note or "")
    tw = infiniti.markets["TW"]
    assert (str(tw["q60"][0].until), STORY in tw["q60"][0].sources) == ("2022-04", True)
    assert "CAFE" in (tw["q60"][0].note or "")
    assert (str(tw["qx55"][0].since), STORY in tw["qx55"][0].sources) == ("2022-03", True)
    assert (str(tw["qx60"][0].since), STORY in tw["qx60"][0].sources) == ("2022-H2", True)
    us_q60 = infiniti.markets["US"]["q60"][0]
    # Sold into 2023 (as the story says); its "2023 model" claim is kept in the note against Infiniti's word.
    assert (str(us_q60.until), us_q60.model_years, STORY in us_q60.sources) == ("2023", (2017, 2022), True)
    assert "2023 model in North America" in (us_q60.note or "")
    lexus_tw = data.brands["lexus"].markets["TW"]
    assert all(STORY in lexus_tw[m][0].sources for m in ("lc", "rc"))


# --- the questions of the foundation issue, asked of the embedded data --------------------


def test_taiwan_after_the_q60_left(run: Run) -> None:
    models = embedded(run, "show", "infiniti", "-m", "TW", "--on", "2022-06-01", "-f", "tsv", "--columns", "model")
    assert "Q60" not in models
    assert "QX55" in models


def test_taiwan_before_the_q60_left(run: Run) -> None:
    models = embedded(run, "show", "infiniti", "-m", "TW", "--on", "2022-03-15", "-f", "tsv", "--columns", "model")
    assert {"Q60", "QX55"} <= set(models)


def test_the_only_infiniti_non_suv_in_the_us_in_2024(run: Run) -> None:
    args = [
        "show",
        "infiniti",
        "-m",
        "US",
        "--on",
        "2024-06-01",
        "--exclude-body",
        "suv",
        "--exclude-body",
        "crossover",
    ]
    assert embedded(run, *args, "-f", "tsv", "--columns", "model") == ["Q50"]


def test_japanese_coupes_left_to_taiwanese_buyers(run: Run) -> None:
    args = ["show", "-m", "TW", "--body", "coupe", "--on", "2022-11-07", "-f", "tsv", "--columns", "brand,model"]
    assert embedded(run, *args) == ["Lexus\tLC", "Lexus\tRC"]


@pytest.mark.parametrize(("day", "code"), [("2023-01-01", 1), ("2021-01-01", 0)])
def test_has_q60_in_taiwan(run: Run, day: str, code: int) -> None:
    result = run("has", "infiniti", "q60", "-m", "TW", "--on", day, data=None)
    assert (result.exit_code, result.stdout) == (code, "")


def test_json_keeps_date_precision(run: Run) -> None:
    result = run("show", "infiniti", "-m", "TW", "--on", "2022-03-15", "-f", "json", data=None)
    q60 = next(r for r in json.loads(result.stdout) if r["model_id"] == "q60")
    assert q60["until"] == "2022-04"
    assert STORY in q60["sources"]


def test_a_typo_gets_a_suggestion(run: Run) -> None:
    result = run("show", "infinity", data=None)
    assert result.exit_code == 1
    assert "did you mean 'infiniti'?" in result.stderr


def test_partial_lineups_are_flagged(run: Run) -> None:
    result = run("show", "infiniti", "-m", "TW", data=None)
    assert "Infiniti in TW" in result.stderr


# --- facts that change by market and over time (issue 12) ----------------------------------


def test_the_lc_is_a_convertible_in_the_us_only_from_the_2021_model_year(run: Run) -> None:
    args = ["show", "lexus", "-m", "US", "--body", "convertible", "-f", "tsv", "--columns", "model"]
    assert "LC" not in embedded(run, *args, "--model-year", "2019")
    assert "LC" in embedded(run, *args, "--model-year", "2021")
    # No source says the convertible was sold in Taiwan.
    taiwan = ["show", "lexus", "-m", "TW", "--body", "convertible", "--all", "-f", "tsv", "--columns", "model"]
    assert "LC" not in embedded(run, *taiwan)


def test_the_lc_hybrid_left_the_us_after_the_2025_model_year(run: Run) -> None:
    args = ["show", "lexus", "-m", "US", "--powertrain", "hybrid", "-f", "tsv", "--columns", "model"]
    assert "LC" in embedded(run, *args, "--model-year", "2025")
    assert "LC" not in embedded(run, *args, "--model-year", "2026")


def test_the_kicks_is_a_hybrid_only_in_taiwan_from_the_e_power_launch(run: Run) -> None:
    us = ["show", "nissan", "-m", "US", "--powertrain", "hybrid", "--all", "-f", "tsv", "--columns", "model"]
    assert "Kicks" not in embedded(run, *us)
    taiwan = ["show", "nissan", "-m", "TW", "--powertrain", "hybrid", "-f", "tsv", "--columns", "model"]
    assert "Kicks" not in embedded(run, *taiwan, "--on", "2023-10-17")
    assert "Kicks" in embedded(run, *taiwan, "--on", "2023-10-18")


def test_infiniti_sold_no_diesel_in_the_data_s_markets(run: Run) -> None:
    args = ["show", "infiniti", "--powertrain", "diesel", "--all", "-f", "tsv", "--columns", "model"]
    assert embedded(run, *args) == []


def test_infiniti_s_us_hybrids_by_model_year(run: Run) -> None:
    args = ["show", "infiniti", "-m", "US", "--powertrain", "hybrid", "-f", "tsv", "--columns", "model"]
    assert set(embedded(run, *args, "--model-year", "2017")) == {"Q50", "Q70", "QX60"}
    assert embedded(run, *args, "--model-year", "2018") == ["Q50", "Q70"]
    assert embedded(run, *args, "--model-year", "2019") == []


def test_no_electric_ux_in_the_us_and_an_electric_es_only_from_2026(run: Run) -> None:
    args = ["show", "lexus", "-m", "US", "--powertrain", "bev", "-f", "tsv", "--columns", "model"]
    assert embedded(run, *args, "--model-year", "2024") == ["RZ"]
    assert embedded(run, *args, "--model-year", "2026") == ["ES", "RZ"]
    taiwan = ["show", "lexus", "-m", "TW", "--powertrain", "bev", "-f", "tsv", "--columns", "model"]
    assert embedded(run, *taiwan, "--on", "2022-06-01") == ["UX"]


def test_china_names_the_long_wheelbase_cars_and_keeps_the_qx50_name(data: Dataset) -> None:
    china = data.brands["infiniti"].markets["CN"]
    names = {model: {w.facts.name if w.facts else None for w in windows} for model, windows in china.items()}
    assert (names["q50"], names["q70"], names["qx50"]) == ({"Q50L"}, {"Q70L"}, {None})


def test_generations_split_windows_and_gaps_stay_gaps(data: Dataset) -> None:
    qx60 = data.brands["infiniti"].markets["US"]["qx60"]
    assert [(w.model_years, w.facts.generation if w.facts else None) for w in qx60] == [
        ((2014, 2017), "1"),
        ((2018, 2020), "1"),
        ((2022, None), "2"),  # no 2021 model year: a gap, not a change
    ]


def test_us_list_windows_corrected_by_a_second_source(data: Dataset) -> None:
    lexus, nissan = data.brands["lexus"].markets["US"], data.brands["nissan"].markets["US"]
    assert lexus["tx"][0].model_years == (2024, None)
    lx = lexus["lx"]  # one run of windows: the list's missing 2012 is a gap in the list
    assert lx[0].model_years == (1996, 1997)
    assert [w.first_model_year for w in lx[1:]] == [(w.last_model_year or 0) + 1 for w in lx[:-1]]
    assert nissan["armada"][0].model_years == (2004, 2004)
    first = nissan["armada"][0].facts
    assert first is not None
    assert first.name == "Pathfinder Armada"
    assert nissan["versa-note"][0].model_years == (2014, 2019)
    assert nissan["rogue-sport"][0].model_years == (2017, 2022)


def test_infiniti_left_indonesia(run: Run, data: Dataset) -> None:
    [stay] = data.brands["infiniti"].presence["ID"]
    assert (str(stay.since), str(stay.until), str(stay.until_announced)) == ("2011-03", "2018-05", "2018-05-21")
    changes = embedded(run, "diff", "infiniti", "2017", "2019", "-m", "ID", "-f", "tsv", "--columns", "change,date")
    assert "left\t2018-05" in changes


def test_every_brand_has_its_presence_where_the_data_sells_it_each_with_a_source(data: Dataset) -> None:
    for brand in data.brands.values():
        assert set(brand.markets) <= set(brand.presence), brand.id
        assert all(w.sources for windows in brand.presence.values() for w in windows), brand.id
    left = {code for code, windows in data.brands["infiniti"].presence.items() if windows[-1].until is not None}
    assert left == {"AU", "CH", "DE", "FR", "GB", "ID", "KR", "RU"}


def test_the_regions_exist_with_their_sources(data: Dataset) -> None:
    regions = data.regions
    assert regions["north-america"].markets == ("US", "CA", "MX")
    assert set(regions["gcc"].markets) == {"AE", "SA", "QA", "KW", "BH", "OM"}
    assert "ID" in regions["asean"].markets
    assert "TW" not in regions["asean"].markets
    assert set(regions["western-europe"].markets) == {"GB", "DE", "CH", "FR"}
    assert all(region.sources for region in regions.values())


def test_the_us_list_s_thin_years_are_marked_partial(data: Dataset) -> None:
    for brand in data.brands.values():
        assert brand.partial_at("US", model_year=2024) is not None, brand.id
        assert brand.partial_at("US", model_year=2019) is None, brand.id
        assert not brand.is_complete("US")


def test_as_known_on_the_story_s_day(data: Dataset) -> None:
    story_day, now = dt.date(2022, 11, 7), dt.date(2026, 12, 6)
    lexus = as_known(data.brands["lexus"], story_day, now)
    infiniti = as_known(data.brands["infiniti"], story_day, now)
    # The LC's and RC's ends were reported in 2026 and 2025, the Q50's in 2024: not known yet.
    for market in ("US", "TW"):
        assert lexus.markets[market]["lc"][-1].end is None
        assert lexus.markets[market]["rc"][-1].end is None
        assert infiniti.markets[market]["q50"][-1].end is None
    # The Q60's end (confirmed 2022-08-12) and the Taiwan QX60 plan (the story) were known.
    assert str(infiniti.markets["US"]["q60"][0].until) == "2023"
    production = infiniti.models["q60"].production
    assert production is not None
    assert str(production.until) == "2022-12"
    qx60 = infiniti.markets["TW"]["qx60"][0]
    assert (str(qx60.since), qx60.plan) == ("2022-H2", True)
    # Later, the same data knows the ends.
    assert as_known(data.brands["lexus"], dt.date(2026, 2, 1), now).markets["TW"]["lc"][-1].end is not None
