"""Markets are countries, written as ISO 3166-1 alpha-2 codes; people may type names."""

from functools import cache

from lineup.countries_data import COUNTRIES
from lineup.errors import LineupError
from lineup.text import closest, shorten

# Regions people type where a country is meant. A region is a group of
# markets, never a code of its own (NA is Namibia, not North America); the
# data may define regions of its own (`[regions.ID]`), which -m then takes.
REGIONS = {
    "north america": "US, CA, MX",
    "south america": "BR, AR, CL, CO, ...",
    "latin america": "MX, BR, AR, CL, ...",
    "americas": "US, CA, MX, BR, ...",
    "europe": "DE, FR, GB, IT, ...",
    "eu": "DE, FR, IT, ES, ...",
    "european union": "DE, FR, IT, ES, ...",
    "asia": "CN, JP, KR, TW, ...",
    "middle east": "AE, SA, QA, KW, ...",
    "gcc": "AE, SA, QA, KW, BH, OM",
    "asean": "ID, MY, TH, VN, PH, SG, ...",
    "africa": "ZA, EG, MA, NG, ...",
    "oceania": "AU, NZ, ...",
}


# Names and codes people use that ISO 3166-1 does not: each one a country, with no doubt which.
ALIASES = {
    **dict.fromkeys(("republic of china", "roc", "taiwan roc", "taiwan (roc)", "taiwan, roc", "chinese taipei"), "TW"),
    **dict.fromkeys(("prc", "pr china", "mainland china"), "CN"),
    **dict.fromkeys(("korea", "republic of korea", "korea, south", "korea republic", "rok"), "KR"),
    **dict.fromkeys(("dprk", "korea, north"), "KP"),
    **dict.fromkeys(("holland", "the netherlands"), "NL"),
    **dict.fromkeys(("uk", "u.k.", "britain", "great britain", "england", "the uk", "the united kingdom"), "GB"),
    **dict.fromkeys(("usa", "u.s.", "u.s.a.", "america", "the us", "the usa", "the united states"), "US"),
    **dict.fromkeys(("uae", "u.a.e.", "the uae", "emirates"), "AE"),
    **dict.fromkeys(("ksa",), "SA"),
    **dict.fromkeys(("russia",), "RU"),
    **dict.fromkeys(("turkey", "turkiye"), "TR"),
    **dict.fromkeys(("czech",), "CZ"),
    **dict.fromkeys(("vatican", "vatican city", "holy see"), "VA"),
    **dict.fromkeys(("ivory coast",), "CI"),
    **dict.fromkeys(("burma",), "MM"),
    **dict.fromkeys(("macau",), "MO"),
    **dict.fromkeys(("swaziland",), "SZ"),
    **dict.fromkeys(("cape verde",), "CV"),
    **dict.fromkeys(("east timor",), "TL"),
    **dict.fromkeys(("brunei",), "BN"),
    **dict.fromkeys(("palestine",), "PS"),
    **dict.fromkeys(("macedonia",), "MK"),
    **dict.fromkeys(("drc", "dr congo", "democratic republic of the congo", "congo-kinshasa"), "CD"),
    **dict.fromkeys(("congo-brazzaville",), "CG"),
    **dict.fromkeys(("micronesia",), "FM"),
}

# Words many countries' formal names share. A suggestion is made on the other words, so that
# "Republic of Chine" is close to China, not to Chad ("Republic of Chad").
_FORMAL = frozenset(
    ("republic", "of", "the", "democratic", "people's", "federal", "federative", "islamic", "plurinational",
     "bolivarian", "socialist", "principality", "commonwealth", "state", "independent")
)  # fmt: skip


def codes() -> list[str]:
    """Every ISO 3166-1 alpha-2 code, in order."""
    return sorted(COUNTRIES)


def is_code(code: str) -> bool:
    """Whether `code` is an ISO 3166-1 alpha-2 code."""
    return code in COUNTRIES


def name(code: str) -> str:
    """The usual English name of a market: `Taiwan` for TW."""
    entry = COUNTRIES.get(code)
    return entry[1][0] if entry else code


# Countries whose English name takes "the" in a sentence.
_THE = frozenset({"AE", "BS", "CD", "CF", "CG", "DO", "FK", "GB", "GM", "KY", "MH", "MV", "NL", "PH", "SB", "US", "VA"})


def the(code: str) -> str:
    """The name as it reads in a sentence: `the United States`, `Taiwan`."""
    return f"the {name(code)}" if code in _THE else name(code)


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for code, (alpha3, names) in COUNTRIES.items():
        for key in (code, alpha3, *names):
            index.setdefault(key.casefold(), code)
    for alias, code in ALIASES.items():
        index.setdefault(alias, code)
    return index


def _distinctive(key: str) -> str:
    """A name without the words formal names share (`republic of chad` is `chad`)."""
    return " ".join(word for word in key.replace(",", " ").split() if word not in _FORMAL)


@cache
def _by_distinctive() -> dict[str, str]:
    by: dict[str, str] = {}
    for key, code in _index().items():
        if words := _distinctive(key):
            by.setdefault(words, code)
    return by


def resolve(text: str, what: str = "market") -> str:
    """Turn `TW`, `tw`, `TWN`, `Taiwan` or `Republic of China` into `TW`; raise LineupError for anything else."""
    if text.upper() in COUNTRIES and len(text) == 2:  # a code, as most are typed: no index of names needed
        return text.upper()
    key = " ".join(text.split()).casefold()
    code = _index().get(key)
    if code is not None:
        return code
    if key in REGIONS:
        raise LineupError(
            f"{shorten(text)} is a region, not a {what}: name one of its countries ({REGIONS[key]})"
            if what == "country"
            else f"{shorten(text)} is a region, not a {what}: name its markets one at a time ({REGIONS[key]})"
        )
    raise LineupError(f"unknown {what} {shorten(text)}: use an ISO 3166-1 code such as TW or a country name"
                      f"{suggestion(key)}")  # fmt: skip


def suggestion(key: str) -> str:
    """`; did you mean TW (Taiwan)?` for the country a mistyped name is close to, or nothing.

    Close on the words that tell countries apart, not on the `Republic of` many names share."""
    words = _distinctive(key)
    close = closest(words, _by_distinctive(), cutoff=0.75) if words else None  # short names: only a near miss
    if close is None:
        return ""
    code = _by_distinctive()[close]
    return f"; did you mean {code} ({name(code)})?"
