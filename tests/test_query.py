import datetime as dt

import pytest

from lineup import load, query
from lineup.dates import parse
from lineup.errors import LineupError
from lineup.model import Body, Brand, Dataset, Model, Powertrain, Window
from lineup.query import Filters, Status, When

from .helpers import FIXTURE


def window(since: object = None, until: object = None, years: tuple[int, int | None] | None = None) -> Window:
    return Window(
        since=parse(since) if since is not None else None,
        until=parse(until) if until is not None else None,
        model_years=years,
    )


def day(text: str) -> When:
    return When.on(dt.date.fromisoformat(text))


@pytest.mark.parametrize(
    ("w", "when", "covered"),
    [
        pytest.param(window(2017, "2022-04"), day("2022-04-30"), True, id="until-covers-its-last-day"),
        pytest.param(window(2017, "2022-04"), day("2022-05-01"), False, id="day-after-until"),
        pytest.param(window("2022-03"), day("2022-03-01"), True, id="since-covers-its-first-day"),
        pytest.param(window("2022-03"), day("2022-02-28"), False, id="day-before-since"),
        pytest.param(window("2022-H2"), day("2022-07-01"), True, id="half-year"),
        pytest.param(window(2017, "2022-04"), When.in_year(2022), True, id="year-overlaps-start"),
        pytest.param(window(2017, "2021-12-31"), When.in_year(2022), False, id="year-after-end"),
        pytest.param(window("2022-12-31"), When.in_year(2022), True, id="year-overlaps-last-day"),
        pytest.param(window(years=(2019, None)), day("2030-01-01"), True, id="open-model-years"),
        pytest.param(window(years=(2014, 2017)), day("2017-12-31"), True, id="model-years-as-calendar-end"),
        pytest.param(window(years=(2014, 2017)), day("2018-01-01"), False, id="model-years-as-calendar-after"),
        pytest.param(window(years=(2014, 2017)), When.in_model_year(2017), True, id="model-year-inside"),
        pytest.param(window(years=(2014, 2017)), When.in_model_year(2018), False, id="model-year-after"),
        pytest.param(window(2017, "2022-04"), When.in_model_year(2022), True, id="calendar-years-as-model-years"),
        pytest.param(
            window(2017, "2022-04"), When.in_model_year(2023), False, id="calendar-years-as-model-years-after"
        ),
        pytest.param(
            window("2018-03", years=(2019, None)), When.in_model_year(2018), False, id="model-years-win-over-dates"
        ),
        pytest.param(window("2018-03", years=(2019, None)), day("2018-03-01"), True, id="dates-win-for-days"),
    ],
)
def test_when_covers(w: Window, when: When, covered: bool) -> None:
    assert when.covers(w) is covered


def test_ended_before() -> None:
    assert day("2022-05-01").ended_before(window(2017, "2022-04"))
    assert not day("2022-04-30").ended_before(window(2017, "2022-04"))
    assert not day("2030-01-01").ended_before(window(2017))
    assert When.in_model_year(2018).ended_before(window(years=(2014, 2017)))
    assert not When.in_model_year(2013).ended_before(window(years=(2014, 2017)))


def model(*body: Body, powertrain: tuple[Powertrain, ...] = ()) -> Model:
    return Model(id="m", brand="b", name="M", body=body, powertrain=powertrain)


BRAND_JP = Brand(id="b", name="B", origin="JP")


@pytest.mark.parametrize(
    ("filters", "m", "kept"),
    [
        pytest.param(Filters(), model(Body.suv), True, id="no-filter"),
        pytest.param(Filters(body=frozenset({Body.coupe})), model(Body.coupe, Body.convertible), True, id="body-any"),
        pytest.param(Filters(body=frozenset({Body.coupe})), model(Body.sedan), False, id="body-other"),
        pytest.param(
            Filters(exclude_body=frozenset({Body.suv, Body.crossover})), model(Body.crossover), False, id="exclude"
        ),
        pytest.param(
            Filters(exclude_body=frozenset({Body.convertible})),
            model(Body.coupe, Body.convertible),
            True,
            id="exclude-keeps-a-model-with-another-style",
        ),
        pytest.param(
            Filters(body=frozenset({Body.convertible}), exclude_body=frozenset({Body.convertible})),
            model(Body.coupe, Body.convertible),
            False,
            id="body-and-exclude",
        ),
        pytest.param(
            Filters(powertrain=frozenset({Powertrain.bev})),
            model(Body.suv, powertrain=(Powertrain.ice,)),
            False,
            id="powertrain-other",
        ),
        pytest.param(
            Filters(powertrain=frozenset({Powertrain.hybrid})),
            model(Body.suv, powertrain=(Powertrain.ice, Powertrain.hybrid)),
            True,
            id="powertrain-any",
        ),
        pytest.param(Filters(powertrain=frozenset({Powertrain.ice})), model(Body.suv), False, id="powertrain-unknown"),
        pytest.param(Filters(origin=frozenset({"JP"})), model(Body.suv), True, id="origin"),
        pytest.param(Filters(), model(), True, id="unknown-body-without-a-body-filter"),
        pytest.param(Filters(exclude_body=frozenset({Body.suv})), model(), False, id="unknown-body-is-not-a-non-suv"),
        pytest.param(Filters(origin=frozenset({"DE"})), model(Body.suv), False, id="origin-other"),
    ],
)
def test_filters(filters: Filters, m: Model, kept: bool) -> None:
    assert filters.keeps(BRAND_JP, m) is kept


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load.load([FIXTURE])


def ids(entries: list[query.Entry]) -> list[tuple[str, str, str]]:
    return [(e.model.id, e.market, e.status.value) for e in entries]


def test_lineup_on_a_day(data: Dataset) -> None:
    alpha = data.brands["alpha"]
    assert ids(query.lineup([alpha], ["TW"], day("2022-06-01"))) == [("a1", "TW", "on sale"), ("ay", "TW", "on sale")]
    assert ids(query.lineup([alpha], ["TW"], day("2022-03-15"))) == [
        ("a1", "TW", "on sale"),
        ("a2", "TW", "on sale"),
        ("ay", "TW", "on sale"),
    ]


def test_lineup_with_those_that_left(data: Dataset) -> None:
    alpha = data.brands["alpha"]
    entries = query.lineup([alpha], ["TW"], day("2022-06-01"), others=True)
    assert ("a2", "TW", "left") in ids(entries)
    left = next(e for e in entries if e.status is Status.left)
    assert str(left.window.until) == "2022-04"


def test_lineup_in_every_market_of_the_brand(data: Dataset) -> None:
    entries = query.lineup([data.brands["alpha"]], [], When.in_model_year(2016))
    assert ids(entries) == [("a1", "TW", "on sale"), ("a1", "US", "on sale"), ("ax", "US", "on sale")]


def test_a_gap_year_is_not_on_sale(data: Dataset) -> None:
    alpha = data.brands["alpha"]
    assert "ax" not in [e.model.id for e in query.lineup([alpha], ["US"], When.in_model_year(2018))]
    assert "ax" in [e.model.id for e in query.lineup([alpha], ["US"], When.in_model_year(2019))]


def test_find_brand_by_id_or_name(data: Dataset) -> None:
    assert query.find_brand(data, "ALPHA").id == "alpha"
    assert query.find_brand(data, "Beta").id == "beta"
    with pytest.raises(LineupError, match="unknown brand 'alfa'; did you mean 'alpha'"):
        query.find_brand(data, "alfa")


def test_find_model_prefers_an_id_over_a_name(data: Dataset) -> None:
    alpha = data.brands["alpha"]
    assert query.find_model(alpha, "A2").id == "a2"
    assert query.find_model(alpha, "a2 classic").id == "a2-old"
    with pytest.raises(LineupError, match="Alpha has no model 'a22'; did you mean 'a2'"):
        query.find_model(alpha, "a22")


def test_on_sale_in_any_market(data: Dataset) -> None:
    alpha = data.brands["alpha"]
    a2 = alpha.models["a2"]
    assert query.on_sale(alpha, a2, ["TW"], day("2021-01-01"))
    assert not query.on_sale(alpha, a2, ["TW"], day("2023-01-01"))
    assert query.on_sale(alpha, a2, [], day("2023-01-01"))  # still sold as a 2023 model in the US
