"""What lineup tells a person about an answer's scope."""

import pytest

from lineup import load, scope
from lineup.model import Brand, Dataset

from .helpers import FIXTURE


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load.load([FIXTURE])


def test_incomplete_markets(data: Dataset) -> None:
    gaps = scope.incomplete(data.brands.values(), [])
    assert [(b.id, m) for b, m in gaps] == [("alpha", "US"), ("beta", "CN"), ("beta", "TW")]
    assert scope.incomplete([data.brands["alpha"]], ["TW"]) == []


def test_a_long_list_of_lineups_not_known_complete_names_a_few() -> None:
    brands = [Brand(f"b{i}", f"B{i}", markets={"US": {}}) for i in range(9)]
    notes = scope.scope_notes(brands, ["US"], one_brand=False)
    assert notes == ["not known to be complete, so models may be missing: B0 in US, B1 in US, B2 in US, B3 in US "
                     "and 5 more (`lineup markets` lists them)"]  # fmt: skip


def test_no_origin_says_which_brands_have_none_recorded() -> None:
    japanese, unknown = Brand("a", "A", origin="JP"), Brand("b", "B")
    assert scope.no_origin([japanese, unknown], ["DE"]) == "no brand asked about is from DE; B has no origin recorded"
    assert scope.no_origin([unknown], ["DE"]) == "no brand asked about is from DE: the brand has no origin recorded"
