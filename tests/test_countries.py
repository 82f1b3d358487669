import pycountry
import pytest

from lineup import countries
from lineup.countries_data import COUNTRIES
from lineup.errors import LineupError


def test_the_table_matches_iso_3166_as_pycountry_knows_it() -> None:
    assert set(COUNTRIES) == {c.alpha_2 for c in pycountry.countries}
    for country in pycountry.countries:
        alpha3, names = COUNTRIES[country.alpha_2]
        assert alpha3 == country.alpha_3
        assert country.name in names


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("TW", "TW"),
        ("tw", "TW"),
        ("TWN", "TW"),
        ("taiwan", "TW"),
        ("Taiwan, Province of China", "TW"),
        ("united  states", "US"),
        ("usa", "US"),
        ("Indonesia", "ID"),
        ("china", "CN"),
        ("South Korea", "KR"),
        ("NA", "NA"),
    ],
)
def test_codes_and_names_resolve(text: str, code: str) -> None:
    assert countries.resolve(text) == code


def test_a_typo_gets_a_suggestion() -> None:
    with pytest.raises(LineupError, match=r"did you mean ID \(Indonesia\)\?"):
        countries.resolve("indonesai")


def test_a_region_is_not_a_country() -> None:
    with pytest.raises(LineupError, match="is a region, not a country"):
        countries.resolve("North America")


def test_names() -> None:
    assert countries.name("TW") == "Taiwan"
    assert countries.name("US") == "United States"
    assert countries.is_code("NA")
    assert not countries.is_code("XX")
