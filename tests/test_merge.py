"""What several files say of a brand, merged: the same thing said twice, or said differently, names both places."""

from pathlib import Path

from lineup import load
from lineup.load.merge import LazyBrands

from .helpers import BRAND, error_of, write


def test_a_brand_may_be_split_across_files(tmp_path: Path) -> None:
    one = write(tmp_path, BRAND, "alpha.toml")
    two = write(tmp_path, "[brands.alpha.markets.TW]\na1 = { since = 2014 }\n", "alpha-tw.toml")
    data = load.load([one, two])
    assert list(data.brands["alpha"].markets["TW"]) == ["a1"]
    assert data.files == (str(one), str(two))


def test_the_same_model_in_two_files_names_both(tmp_path: Path) -> None:
    one = write(tmp_path, BRAND, "one.toml")
    two = write(tmp_path, BRAND, "two.toml")
    shown = str(error_of(one, two))
    assert shown.startswith(f"{two}:5:")
    assert f"defined twice: here and at {one}:5" in shown


def test_the_same_windows_in_two_files_names_both(tmp_path: Path) -> None:
    one = write(tmp_path, BRAND + "[brands.alpha.markets.TW]\na1 = { since = 2014 }\n", "one.toml")
    two = write(tmp_path, "[brands.alpha.markets.TW]\na1 = { since = 2020 }\n", "two.toml")
    shown = str(error_of(one, two))
    assert shown.startswith(f"{two}:2:")
    assert f"here and at {one}:9" in shown


def test_conflicting_brand_facts_name_both_files(tmp_path: Path) -> None:
    one = write(tmp_path, BRAND, "one.toml")
    two = write(tmp_path, '[brands.alpha]\nname = "Alfa"\n', "two.toml")
    shown = str(error_of(one, two))
    assert shown.startswith(f"{two}:2:")
    assert f"'Alfa' here but 'Alpha' at {one}:2" in shown


def test_agreeing_brand_facts_in_two_files_are_fine(tmp_path: Path) -> None:
    one = write(tmp_path, BRAND, "one.toml")
    two = write(tmp_path, '[brands.alpha]\nname = "Alpha"\n', "two.toml")
    assert load.load([one, two]).brands["alpha"].name == "Alpha"


def test_one_pass_over_the_brands_keeps_none_it_built(tmp_path: Path) -> None:
    beta = BRAND.replace("alpha", "beta").replace('name = "Alpha"', 'name = "Beta"')
    one = write(tmp_path, BRAND, "alpha.toml")
    two = write(tmp_path, beta, "beta.toml")
    brands = load.load([one, two]).brands
    assert isinstance(brands, LazyBrands)
    kept = brands["beta"]  # asked for before: kept, and given as it is
    passed = list(brands.passing())
    assert [b.id for b in passed] == ["alpha", "beta"] == list(brands)
    assert passed[1] is kept
    assert passed[0] == brands["alpha"]
    assert passed[0] is not brands["alpha"]  # built again when asked for: the pass kept none
