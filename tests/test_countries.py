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
        ("Republic of China", "TW"),
        ("Taiwan ROC", "TW"),
        ("ROC", "TW"),
        ("Korea", "KR"),
        ("Republic of Korea", "KR"),
        ("Holland", "NL"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("Britain", "GB"),
        ("America", "US"),
        ("the  USA", "US"),
        ("UAE", "AE"),
        ("Russia", "RU"),
        ("Turkey", "TR"),
    ],
)
def test_codes_and_names_resolve(text: str, code: str) -> None:
    assert countries.resolve(text) == code


def test_a_typo_gets_a_suggestion() -> None:
    with pytest.raises(LineupError, match=r"did you mean ID \(Indonesia\)\?"):
        countries.resolve("indonesai")


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        pytest.param("Republic of Chine", "TD", id="not-chad"),  # Chad is "Republic of Chad"
        pytest.param("Republic of Atlantis", "AL", id="not-albania"),
        pytest.param("Deutschland", "NL", id="not-netherlands"),
    ],
)
def test_a_suggestion_is_made_on_the_words_that_tell_countries_apart(text: str, wrong: str) -> None:
    with pytest.raises(LineupError) as refusal:
        countries.resolve(text)
    assert f"did you mean {wrong} " not in refusal.value.message


def test_a_near_miss_of_a_formal_name_suggests_its_country() -> None:
    with pytest.raises(LineupError, match=r"did you mean CN \(China\)\?$"):
        countries.resolve("Republic of Chine")


def test_a_region_is_not_a_country() -> None:
    with pytest.raises(LineupError, match="is a region, not a country"):
        countries.resolve("North America", "country")


@pytest.mark.parametrize("text", ["EU", "Europe", "north america", "ASEAN"])
def test_a_region_for_one_market_says_it_is_one_and_suggests_no_country_elsewhere(text: str) -> None:
    with pytest.raises(LineupError) as refusal:
        countries.resolve(text)
    message = refusal.value.message
    assert f"{text!r} is a region, not a market: name its markets one at a time (" in message
    assert "US" not in message or text == "north america"  # no -m US -m CA for Europe


def test_names() -> None:
    assert countries.name("TW") == "Taiwan"
    assert countries.name("US") == "United States"
    assert countries.is_code("NA")
    assert not countries.is_code("XX")
