from pathlib import Path

import pytest

from lineup import load
from lineup.dates import parse
from lineup.load import values

from .helpers import BRAND, FIXTURE, error_of, write

# --- the fixture loads into the values it spells out ---------------------------------


def test_fixture_loads_with_every_kind_of_value() -> None:
    data = load.load([FIXTURE])
    alpha = data.brands["alpha"]
    assert (alpha.name, alpha.parent, alpha.origin, alpha.sources) == (
        "Alpha",
        "Alpha Group",
        "JP",
        ("https://example.org/alpha",),
    )
    a2 = alpha.models["a2"]
    assert [b.value for b in a2.body] == ["coupe", "convertible"]
    assert [p.value for p in a2.powertrain] == ["ice"]
    assert a2.follows == ("alpha/a2-old",)
    assert data.brands["beta"].models["bz"].follows == ("alpha/a2",)
    production = alpha.models["a1"].production
    assert production is not None
    assert (str(production.since), str(production.until)) == ("2013", "2024-12")
    tw_a2 = alpha.markets["TW"]["a2"][0]
    assert (str(tw_a2.since), str(tw_a2.until), tw_a2.note) == ("2017", "2022-04", "Dropped from the local site")
    us_ax = alpha.markets["US"]["ax"]
    assert [w.model_years for w in us_ax] == [(2014, 2017), (2019, None)]
    assert alpha.markets["US"]["a2"][0].sources == ("https://example.org/us", "https://example.org/us-2023")
    assert alpha.is_complete("TW")
    assert not alpha.is_complete("US")
    assert not data.brands["beta"].is_complete("TW")


def test_windows_of_a_model_come_in_date_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        BRAND + '[brands.alpha.markets.US]\na1 = [{ since = "2019-03" }, { since = 2010, until = 2015 }]\n',
    )
    windows = load.load([path]).brands["alpha"].markets["US"]["a1"]
    assert [str(w.since) for w in windows] == ["2010", "2019-03"]


def test_calendar_dates_and_model_years_stand_in_for_each_other() -> None:
    us = load.load([FIXTURE]).brands["alpha"].markets["US"]
    only_years = us["a1"][0]  # model_years = [2014], open
    assert (only_years.start.isoformat(), only_years.end) == ("2014-01-01", None)
    closed_years = us["a2"][0]  # model_years = [2017, 2023]
    assert (closed_years.start.isoformat(), str(closed_years.end)) == ("2017-01-01", "2023-12-31")
    tw = load.load([FIXTURE]).brands["alpha"].markets["TW"]["a2"][0]  # since 2017, until 2022-04
    assert (tw.first_model_year, tw.last_model_year) == (2017, 2022)


WINDOW = "[brands.alpha.markets.US]\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param(BRAND + WINDOW + 'a1 = { since = 2020, body = "boat" }\n', 9, "unknown body style 'boat'",
                     id="window-body"),
        pytest.param(BRAND + WINDOW + "a1 = { since = 2020, body = [] }\n", 9, "needs at least one body style",
                     id="window-no-body"),
        pytest.param(BRAND + WINDOW + 'a1 = { since = 2020, name = "" }\n', 9, "expected text", id="window-name"),
        pytest.param(BRAND + WINDOW + "a1 = { since = 2020, announced = \"2019-13\" }\n", 9, "there is no month 13",
                     id="announced-not-a-date"),
        pytest.param(BRAND + WINDOW + "a1 = { since = 2020, announced = 2019, until_announced = 2018 }\n", 9,
                     "until_announced 2018 is before announced 2019", id="announced-order"),
        pytest.param(BRAND + "[brands.alpha.presence.US]\nsince = 2020\nmodel_years = 2021\n", 10,
                     "unknown key 'model_years'", id="presence-model-years"),
        pytest.param(BRAND + "[brands.alpha.presence.US]\nuntil = 2020\n", 8, "a window needs `since` (a date) or",
                     id="presence-start"),
        pytest.param(BRAND + "[brands.alpha.presence]\nUS = [{ since = 2010 }, { since = 2012 }]\n", 9,
                     "overlaps", id="presence-overlap"),
        pytest.param(BRAND + "[[brands.alpha.coverage.US]]\ncomplete = true\n[[brands.alpha.coverage.US]]\n"
                     "complete = false\n", 8, "several stretches of coverage each need dates", id="coverage-undated"),
        pytest.param('[regions.na]\nname = "North America"\nmarkets = ["US", "XX"]\n', 3, "not an ISO 3166-1",
                     id="region-code"),
        pytest.param('[regions.na]\nmarkets = ["US"]\n', 1, "region 'na' needs a name", id="region-name"),
        pytest.param('[regions.NA]\nname = "N"\nmarkets = ["US"]\n', 1, "region id 'NA' must be lower-case",
                     id="region-id"),
    ],
)  # fmt: skip
def test_a_problem_with_the_facts_that_change_is_located(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = write(tmp_path, text)
    shown = str(error_of(path))
    assert shown.startswith(f"{path}:{line}:"), shown
    assert message in shown


def test_a_window_states_facts_of_its_own_and_when_it_was_announced(tmp_path: Path) -> None:
    text = (BRAND + WINDOW + "a1 = [\n  { model_years = '2018-2020' },\n"
            "  { model_years = '2021-', body = ['sedan', 'convertible'], powertrain = 'hybrid', generation = 2,"
            " name = 'A1 L', announced = 2020-01-10, until_announced = '2024-05' },\n]\n")  # fmt: skip
    brand = load.load([write(tmp_path, text)]).brands["alpha"]
    first, second = brand.markets["US"]["a1"]
    assert first.facts is None
    assert second.facts is not None
    assert (second.facts.body, second.facts.powertrain) == (("sedan", "convertible"), ("hybrid",))
    assert (second.facts.generation, second.facts.name) == ("2", "A1 L")
    assert (str(second.announced), str(second.until_announced)) == ("2020-01-10", "2024-05")


def test_presence_coverage_over_time_and_regions(tmp_path: Path) -> None:
    one = write(tmp_path, BRAND + "[[brands.alpha.presence.ID]]\nsince = '2011-03'\nuntil = '2018-05'\n"
                "[[brands.alpha.coverage.US]]\nmodel_years = '1992-2022'\ncomplete = true\n"
                "[[brands.alpha.coverage.US]]\nmodel_years = '2023-'\ncomplete = false\nnote = 'thin'\n",
                "one.toml")  # fmt: skip
    two = write(tmp_path, "[regions.north-america]\nname = 'North America'\nmarkets = ['US', 'CA', 'MX']\n",
                "two.toml")  # fmt: skip
    data = load.load([one, two])
    brand = data.brands["alpha"]
    [stay] = brand.presence["ID"]
    assert (str(stay.since), str(stay.until)) == ("2011-03", "2018-05")
    assert not brand.is_complete("US")
    assert brand.partial_at("US", model_year=2024) is not None
    assert brand.partial_at("US", model_year=2022) is None
    assert data.regions["north-america"].markets == ("US", "CA", "MX")


def test_a_region_defined_twice_is_an_error_at_the_second(tmp_path: Path) -> None:
    region = "[regions.na]\nname = 'North America'\nmarkets = ['US']\n"
    one, two = write(tmp_path, region, "one.toml"), write(tmp_path, region, "two.toml")
    shown = str(error_of(one, two))
    assert shown.startswith(f"{two}:1:")
    assert f"region 'na' is defined twice: here and at {one}:1" in shown


# --- one test per kind of problem: file, line, key and message -----------------------


@pytest.mark.parametrize(
    ("text", "line", "key", "message"),
    [
        pytest.param('[brands.alpha]\nname = "Alpha\n', 2, None, "not valid TOML", id="malformed-toml"),
        pytest.param(
            BRAND + 'colour = "red"\n', 8, "brands.alpha.models.a1.colour", "unknown key 'colour'", id="unknown-key"
        ),
        pytest.param(BRAND + 'bodi = "coupe"\n', 8, "bodi", "did you mean 'body'?", id="unknown-key-suggests"),
        pytest.param(
            BRAND.replace('name = "A1"', "name = 42"),
            6,
            "brands.alpha.models.a1.name",
            "expected text, not the number 42",
            id="wrong-type",
        ),
        pytest.param(
            BRAND.replace('body = "sedan"', 'body = "sedna"'),
            7,
            ".body",
            "unknown body style 'sedna'; did you mean 'sedan'?",
            id="unknown-body",
        ),
        pytest.param(
            BRAND + 'powertrain = ["ice", "steam"]\n',
            8,
            ".powertrain[1]",
            "unknown powertrain 'steam'",
            id="unknown-powertrain",
        ),
        pytest.param(
            BRAND + "[brands.alpha.markets.XZ]\na1 = { since = 2014 }\n",
            8,
            "markets.XZ",
            "not an ISO 3166-1 alpha-2",
            id="unknown-market",
        ),
        pytest.param(
            BRAND + "[brands.alpha.markets.tw]\na1 = { since = 2014 }\n",
            8,
            "markets.tw",
            "upper-case: write 'TW'",
            id="lower-case-market",
        ),
        pytest.param(
            BRAND.replace('origin = "JP"', 'origin = "Japan"'),
            3,
            "brands.alpha.origin",
            "Japan is 'JP'",
            id="origin-as-name",
        ),
        pytest.param(
            BRAND + "[brands.alpha.markets.TW]\na2 = { since = 2014 }\n",
            9,
            "markets.TW.a2",
            "defines no model 'a2'",
            id="undefined-model",
        ),
        pytest.param(
            BRAND + "[brands.alpha.markets.TW]\na11 = { since = 2014 }\n",
            9,
            "a11",
            "did you mean 'a1'?",
            id="undefined-model-suggests",
        ),
        pytest.param(
            BRAND + 'follows = "a0"\n',
            8,
            "a1.follows",
            "follows 'alpha/a0', which no file defines",
            id="follows-nowhere",
        ),
        pytest.param(BRAND + 'follows = "gamma/g1"\n', 8, "a1.follows", "'gamma/g1'", id="follows-other-brand-nowhere"),
        pytest.param(
            BRAND + '[brands.alpha.markets.TW]\na1 = { since = 2020, until = "2019-06" }\n',
            9,
            "TW.a1.until",
            "until 2019-06 is before since 2020",
            id="until-before-since",
        ),
        pytest.param(
            BRAND + "[brands.alpha.markets.TW]\na1 = [\n  { since = 2014, until = 2018 },\n  { since = 2018 },\n]\n",
            11,
            "TW.a1[1]",
            "overlaps window 2014..2018",
            id="overlap",
        ),
        pytest.param(
            BRAND + "[brands.alpha.markets.TW]\na1 = [\n  { since = 2014 },\n  { since = 2019 },\n]\n",
            11,
            "TW.a1[1]",
            "overlaps window 2014..open",
            id="overlap-open-window",
        ),
        pytest.param(
            BRAND + '[brands.alpha.markets.TW]\na1 = { since = "2022-13" }\n',
            9,
            "TW.a1.since",
            "no month 13",
            id="bad-month",
        ),
        pytest.param(
            BRAND + '[brands.alpha.markets.TW]\na1 = { since = "0000-00-00" }\n',
            9,
            "TW.a1.since",
            "out of range",
            id="year-zero",
        ),
        pytest.param(
            BRAND + '[brands.alpha.markets.TW]\na1 = { note = "x" }\n',
            9,
            "TW.a1",
            "needs `since`",
            id="window-without-start",
        ),
        pytest.param(
            BRAND + "[brands.alpha.markets.TW]\na1 = { model_years = [2020, 2018] }\n",
            9,
            "model_years",
            "run backwards",
            id="model-years-backwards",
        ),
        pytest.param(
            BRAND + '[brands.alpha.markets.TW]\na1 = { since = 2014, model_years = "14" }\n',
            9,
            "model_years",
            "is not a model-year range",
            id="model-years-type",
        ),
        pytest.param(
            BRAND + "[brands.alpha.markets.TW]\na1 = { model_years = 2022, until = 2018 }\n",
            9,
            "TW.a1.until",
            "until 2018 is before model year 2022",
            id="until-before-model-years",
        ),
        pytest.param(
            BRAND + '[brands.alpha.markets.TW]\na1 = { since = 2020, model_years = "2015-2016" }\n',
            9,
            "TW.a1.model_years",
            "model years end in 2016, before the window starts",
            id="model-years-before-since",
        ),
        pytest.param(
            BRAND + "[brands.alpha.markets.TW]\na1 = 2014\n", 9, "TW.a1", "expected a window", id="window-not-a-table"
        ),
        pytest.param(
            BRAND + '[brands.alpha.markets.TW]\na1 = { since = 2014, source = "a", sources = ["b"] }\n',
            9,
            "sources",
            "not both",
            id="source-and-sources",
        ),
        pytest.param(BRAND.replace('name = "A1"\n', ""), 5, "models.a1", "needs a name", id="model-without-name"),
        pytest.param(
            BRAND.replace('body = "sedan"\n', "body = []\n"),
            7,
            "a1.body",
            "at least one body style",
            id="model-without-body",
        ),
        pytest.param(
            BRAND + "[brands.alpha.models.Q50]\nname = 'Q50'\nbody = 'sedan'\n",
            8,
            "models.Q50",
            "write 'q50'",
            id="upper-case-id",
        ),
        pytest.param('[brands.alpha]\norigin = "JP"\n', 1, "brands.alpha", "needs a name", id="brand-without-name"),
        pytest.param('brand = "x"\n', 1, "brand", "unknown key 'brand'", id="unknown-top-level"),
        pytest.param(
            BRAND + "[brands.alpha.coverage]\nTW = { complete = 'yes' }\n",
            9,
            "coverage.TW.complete",
            "complete = true",
            id="coverage-type",
        ),
        pytest.param(
            BRAND + "[brands.alpha.models.a1.production]\nsince = 2020\nuntil = 2019\n",
            10,
            "production.until",
            "before since",
            id="production-order",
        ),
        pytest.param(
            BRAND + "[brands.alpha.markets.TW]\na1 = { since = 2014-02-03T10:00:00 }\n",
            9,
            "since",
            "is not a date",
            id="date-time",
        ),
    ],
)
def test_each_problem_names_file_line_and_key(
    tmp_path: Path, text: str, line: int, key: str | None, message: str
) -> None:
    path = write(tmp_path, text)
    error = error_of(path)
    shown = str(error)
    assert shown.startswith(f"{path}:{line}:"), shown
    if key:
        assert key in shown
    assert message in shown
    assert "\n" not in shown


def test_several_problems_are_counted_after_the_first(tmp_path: Path) -> None:
    path = write(tmp_path, BRAND + "x = 1\ny = 2\n")
    shown = str(error_of(path))
    assert shown.startswith(f"{path}:8:")
    assert "(and 1 more problem)" in shown


def test_read_collects_every_problem_in_file_order(tmp_path: Path) -> None:
    path = write(tmp_path, BRAND + "x = 1\n[brands.alpha.markets.TW]\nzz = { since = 2014 }\n")
    reading = load.read([path])
    dataset, problems = reading.dataset, reading.problems
    assert dataset is None
    assert [(p.line, p.rule) for p in problems] == [(8, "unknown-key"), (10, "unknown-model")]


# --- merging files ---------------------------------------------------------------------


# --- where data comes from ---------------------------------------------------------------


def test_only_the_first_problems_get_a_did_you_mean(tmp_path: Path) -> None:
    """Each suggestion compares a word with every choice: thousands of problems would take minutes."""
    count = values.MAX_HINTS + 5
    models = "".join(f'[brands.alpha.models.m{n}]\nname = "M"\nbody = "sedan"\n' for n in range(count))
    entries = "".join(f"m{n}x = {{ since = 2000 }}\n" for n in range(count))  # each close to a model
    path = write(tmp_path, BRAND + models + "[brands.alpha.markets.TW]\n" + entries)
    problems = load.read([path]).problems
    assert len(problems) == count
    assert sum("did you mean" in p.message for p in problems) == values.MAX_HINTS


def test_dates_keep_their_precision_through_loading() -> None:
    ax = load.load([FIXTURE]).brands["alpha"].markets["TW"]["ax"][0]
    assert ax.since == parse("2022-H2")


def test_an_invalid_model_is_reported_once(tmp_path: Path) -> None:
    text = BRAND.replace('body = "sedan"', "body = 5") + "[brands.alpha.markets.TW]\na1 = { since = 2014 }\n"
    text += '[brands.alpha.models.a2]\nname = "A2"\nbody = "coupe"\nfollows = "a1"\n'
    problems = load.read([write(tmp_path, text)]).problems
    assert [(p.line, p.message) for p in problems] == [(7, "expected text, not the number 5")]


def test_a_brand_with_an_invalid_name_is_reported_once(tmp_path: Path) -> None:
    problems = load.read([write(tmp_path, "[brands.alpha]\nname = 1\n")]).problems
    assert [p.message for p in problems] == ["expected text, not the number 1"]


def test_keys_that_collide_after_case_folding_are_refused(tmp_path: Path) -> None:
    text = BRAND + '[brands.Alpha]\nname = "Alpha"\n[brands.alpha.markets.TW]\na1 = { since = 2014 }\n'
    text += "[brands.alpha.markets.tw]\na1 = { since = 2015 }\n"
    messages = [p.message for p in load.read([write(tmp_path, text)]).problems]
    assert "brand id 'Alpha' must be lower-case letters, digits and - . _; write 'alpha'" in messages
    assert "market codes are upper-case: write 'TW'" in messages


def test_a_model_whose_body_style_is_unknown(tmp_path: Path) -> None:
    path = write(tmp_path, BRAND.replace('body = "sedan"\n', "") + "[brands.alpha.markets.TW]\na1 = { since = 2014 }\n")
    model = load.load([path]).brands["alpha"].models["a1"]
    assert model.body == ()
