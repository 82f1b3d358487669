"""How lineup writes things in messages: counts, ids made from names, values cut short, places, key paths."""

import functools
import re
from collections.abc import Iterable, Mapping

# A key path inside a TOML document: table keys and array indexes.
KeyPath = tuple[str | int, ...]


def place_text(file: str | None, line: int | None, column: int | None) -> str:
    """`FILE:LINE:COL`, as far as each is known: how editors and compilers name a place."""
    return ":".join(str(part) for part in (file, line, column) if part is not None)


def count(n: int, word: str, plural: str | None = None) -> str:
    """`1 file`, `2 files`; `1 entry`, `2 entries` with the plural given."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


# Latin letters that Unicode does not decompose into a base letter and a mark.
_LATIN = {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "\u0131": "i", "ħ": "h", "ŧ": "t"}


def slug(name: str) -> str:
    """A stable id from a name, empty if it has no letter or digit.

    `Mercedes-Benz` and `Mercedes Benz` are `mercedes-benz`, `Škoda` is `skoda`, `3 Series` is `3-series`. A name
    in another script keeps its letters, spelt as IDNA spells a domain name (`日本` is `xn--wgv71a`), so that two
    such names never share an id."""
    if re.fullmatch(r"xn--[a-z0-9-]*[a-z0-9]", name):  # already an id made so: the same again
        return name
    import unicodedata  # only a name made into an id needs it: an edit, an import

    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", name).casefold())
    plain = "".join(_LATIN.get(c, c) for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[\W_]+", "-", plain).strip("-")
    if not words.isascii():
        words = "xn--" + words.encode("punycode").decode("ascii").strip("-")
    return words


def site(url: str) -> str:
    """Where a source is, as a person names it: `e-nenpi.com` for a web address, else the text."""
    found = re.match(r"[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]+)", url.strip())
    return found[1].lower().removeprefix("www.") if found else url


def sites(sources: Iterable[str]) -> str:
    """The first source's site and how many more there are (`e-nenpi.com +2`): a table has no room for URLs."""
    listed = list(sources)
    if not listed:
        return ""
    return site(listed[0]) + (f" +{len(listed) - 1}" if len(listed) > 1 else "")


def first_few(items: Iterable[str], few: int = 4, rest: str = "") -> str:
    """`a, b, c`; or, for a long list, the first `few` and how many more (`a, b, c, d and 62 more`), and where
    `rest` are, if given (`... and 62 more (`lineup markets` lists them)`)."""
    listed = list(items)
    if len(listed) <= few + 1:
        return ", ".join(listed)
    return f"{', '.join(listed[:few])} and {len(listed) - few} more" + (f" ({rest})" if rest else "")


def shorten(text: str, limit: int = 60) -> str:
    """`text` quoted for a message, cut short when someone passed a very long value."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice most like `word`, if one is close enough to suggest (difflib's ratio, 0 to 1)."""
    import difflib  # only needed when something is wrong

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str], names: Mapping[str, str] | None = None) -> str:
    """`; did you mean 'x'?` for the closest of `choices`, or nothing; `names` maps a choice to what to show."""
    close = closest(word, choices)
    return f"; did you mean {(names or {}).get(close, close)!r}?" if close else ""


def format_key(key: KeyPath) -> str:
    """Write a key path as TOML does: `brands.infiniti.markets.TW.q60[0].until`."""
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            bare = part and all(c.isascii() and (c.isalnum() or c in "-_") for c in part)
            text = part if bare else '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'
            out += f".{text}" if out else text
    return out


# Characters that are not shown as themselves: controls (C0, DEL, C1), and those that are invisible or
# reorder the text around them (bidirectional controls, zero-width characters, the byte-order mark,
# line and paragraph separators, invisible operators). Data never prints them raw where a person reads.
_UNSEEN = "\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
INVISIBLE = f"\x00-\x1f{_UNSEEN}"
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\\": "\\\\"}


@functools.cache
def _pattern(characters: str) -> re.Pattern[str]:
    """A character class, compiled when first used: a run that prints nothing compiles none."""
    return re.compile(f"[{characters}]")


# The characters of each kind of escaping (a class each, compiled by _pattern).
_HIDDEN = INVISIBLE  # what visible() shows as escapes
_UNESCAPED = _UNSEEN  # what JSON and TOML writers leave raw (they escape the C0 controls themselves)
_TSV_SPECIAL = f"\\\\{INVISIBLE}"  # and the backslash, so that every escape in TSV reads back


def visible(text: str) -> str:
    """The text with controls and invisible or reordering characters as escapes (`\\x1b`, `\\u202e`).

    So data never drives a terminal, or hides or reorders what a person reads."""
    return _pattern(_HIDDEN).sub(_escape, text)


def hidden(text: str) -> str | None:
    """The first control, invisible or reordering character in `text`, if any."""
    found = _pattern(_HIDDEN).search(text)
    return found[0] if found else None


def character_name(character: str) -> str:
    """A character as a person can be told of it: `U+202E RIGHT-TO-LEFT OVERRIDE`."""
    import unicodedata  # only a finding or an error names a character

    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X} {name}" if name else f"U+{ord(character):04X}, a control character"


def unseen_escaped(serialized: str) -> str:
    """JSON or TOML text with invisible and reordering characters written as `\\u202e` escapes.

    These are what visible() escapes beyond the controls those formats escape themselves (a
    right-to-left override, a zero-width space...), which a serializer writing non-ASCII as it is
    would leave raw for a terminal to obey, or for a reviewer not to see. The result is the same data:
    such characters can only be inside strings there, where escapes are read."""
    if serialized.isascii() and "\x7f" not in serialized:  # the one such character ASCII has: nothing to look for
        return serialized
    return _pattern(_UNESCAPED).sub(lambda match: f"\\u{ord(match[0]):04x}", serialized)


def tsv_field(text: str) -> str:
    """A TSV field: what visible() escapes, and the backslash itself, so that every escape reads back."""
    return _pattern(_TSV_SPECIAL).sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    character = match[0]
    named = _NAMED.get(character)
    if named:
        return named
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 and character != "\u00ad" else f"\\u{code:04x}"
