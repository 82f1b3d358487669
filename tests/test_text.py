"""How lineup writes things in messages and output: ids made from names, counts, key paths, escapes."""

import pytest

from lineup import text


def test_visible_escapes_controls_and_what_hides_or_reorders_text() -> None:
    assert text.visible("a\x1b[2Jb\x07\tcé") == "a\\x1b[2Jb\\x07\\tcé"
    for (
        character
    ) in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u200b\u200c\u200d\ufeff\u2028\u2029":
        assert text.visible(f"a{character}b") == f"a\\u{ord(character):04x}b"
        assert text.tsv_field(f"a{character}b") == f"a\\u{ord(character):04x}b"
        assert text.hidden(f"a{character}b") == character
    assert text.visible("Citroën \u2013 日本 🚗") == "Citroën \u2013 日本 🚗"  # what shows as itself is left alone
    assert text.hidden("Citroën") is None


@pytest.mark.parametrize(
    ("name", "made"),
    [
        ("Mercedes-Benz", "mercedes-benz"),
        ("Mercedes Benz", "mercedes-benz"),
        ("Škoda", "skoda"),
        ("3 Series", "3-series"),
        ("Citroën DS", "citroen-ds"),
        ("Ærø", "aero"),
        ("日本", "xn--wgv71a"),
        ("xn--wgv71a", "xn--wgv71a"),
        ("!!!", ""),
    ],
)
def test_slug_makes_a_stable_id(name: str, made: str) -> None:
    assert text.slug(name) == made


def test_count_says_one_or_many() -> None:
    assert [text.count(1, "file"), text.count(2, "file"), text.count(2, "entry", "entries")] == [
        "1 file",
        "2 files",
        "2 entries",
    ]


def test_a_key_path_is_written_as_toml_writes_it() -> None:
    assert text.format_key(("brands", "infiniti", "markets", "TW", "q60", 0, "until")) == (
        "brands.infiniti.markets.TW.q60[0].until"
    )
    assert text.format_key(("brands", "a b", 'say "x"')) == 'brands."a b"."say \\"x\\""'


def test_a_place_names_as_much_as_is_known() -> None:
    assert [text.place_text("f", 3, 7), text.place_text("f", 3, None), text.place_text("f", None, None)] == [
        "f:3:7",
        "f:3",
        "f",
    ]


def test_a_long_value_is_cut_short_in_a_message() -> None:
    assert text.shorten("x" * 100) == repr("x" * 57 + "...")
    assert text.shorten("short") == "'short'"


def test_tsv_escapes_every_control_and_the_backslash() -> None:
    assert text.tsv_field("a\tb\\c\n") == "a\\tb\\\\c\\n"


def test_a_source_is_shown_as_its_site() -> None:
    assert text.site("https://www.autoevolution.com/news/x.html") == "autoevolution.com"
    assert text.site("http://user@E-NENPI.com:80/a") == "e-nenpi.com"
    assert text.site("Automotive News, 2021-01-05") == "Automotive News, 2021-01-05"


def test_sources_are_shown_as_the_first_site_and_how_many_more() -> None:
    assert text.sites(["https://www.taipeitimes.com/News/biz/1", "https://a.example/x", "b"]) == "taipeitimes.com +2"
    assert text.sites(["https://a.example/x"]) == "a.example"
    assert text.sites([]) == ""


def test_a_long_list_is_its_first_few_and_how_many_more_and_where_the_rest_are() -> None:
    assert text.first_few(["a", "b", "c"]) == "a, b, c"
    assert text.first_few(list("abcde"), rest="see x") == "a, b, c, d, e"  # one more is said, not counted
    assert text.first_few(list("abcdef"), rest="see x") == "a, b, c, d and 2 more (see x)"
