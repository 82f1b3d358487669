"""Markets are countries, written as ISO 3166-1 alpha-2 codes; people may type names."""

from functools import cache

from lineup.countries_data import COUNTRIES
from lineup.errors import LineupError
from lineup.text import closest, shorten

# Regions people type where a country is meant. A region is a group of
# markets, never a code of its own (NA is Namibia, not North America).
REGIONS = {
    "north america": "US, CA, MX",
    "america": "US, CA, MX, BR, ...",
    "europe": "DE, FR, GB, IT, ...",
    "eu": "DE, FR, IT, ES, ...",
    "asia": "CN, JP, KR, TW, ...",
    "middle east": "AE, SA, QA, KW, ...",
    "gcc": "AE, SA, QA, KW, BH, OM",
    "asean": "ID, MY, TH, VN, PH, SG, ...",
}


# Names and codes people use that ISO 3166-1 does not.
ALIASES = {"uk": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "korea": "KR", "usa": "US"}


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


def resolve(text: str, what: str = "market") -> str:
    """Turn `TW`, `tw`, `TWN` or `Taiwan` into `TW`; raise LineupError for anything else."""
    if text.upper() in COUNTRIES and len(text) == 2:  # a code, as most are typed: no index of names needed
        return text.upper()
    key = " ".join(text.split()).casefold()
    code = _index().get(key)
    if code is not None:
        return code
    if key in REGIONS:
        raise LineupError(
            f"{text!r} is a region, not a country: name its markets one by one ({REGIONS[key]}), e.g. -m US -m CA"
        )
    close = closest(key, _index())
    hint = f"; did you mean {_index()[close]} ({name(_index()[close])})?" if close else ""
    raise LineupError(f"unknown {what} {shorten(text)}: use an ISO 3166-1 code such as TW or a country name{hint}")
