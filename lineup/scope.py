"""What to tell a person about an answer's scope: a brand not in a market at the time asked, markets with no
data, lineups the data does not claim are complete, an --origin no brand is from."""

from collections.abc import Iterable, Sequence

from lineup import countries
from lineup.model import Brand
from lineup.query import When, end_of, start_of
from lineup.text import first_few


def incomplete(brands: Iterable[Brand], markets: Sequence[str]) -> list[tuple[Brand, str]]:
    """The (brand, market) pairs in scope whose lineup the data does not claim is complete."""
    return [
        (brand, market)
        for brand in brands
        for market in (markets or sorted(brand.markets))
        if market in brand.markets and not brand.is_complete(market)
    ]


def scope_notes(
    brands: Sequence[Brand], markets: Sequence[str], one_brand: bool, when: When | None = None
) -> list[str]:
    """What to tell a person about an answer's scope.

    A brand that was not in a market at the time asked, markets with no data, lineups not known to be complete."""
    notes, gone = [], set()
    for brand in brands:
        for market in markets:
            if when and (absent := absence(brand, market, when)):
                notes.append(absent)
                gone.add(market)
    held = sorted({code for brand in brands for code in brand.markets})
    # A market where the brand was not at the time needs no second note that the data has none of it there.
    empty = [code for code in markets if code not in gone and not any(code in brand.markets for brand in brands)]
    if empty:
        who = brands[0].name if one_brand and brands else "any brand"
        namibia = " (NA is Namibia; name each country of a region)" if "NA" in empty else ""
        places = first_few(f"{code} ({countries.name(code)})" for code in empty)
        notes.append(f"no data for {who} in {places}{namibia}; markets with data: {first_few(held) or 'none'}")
    gaps = incomplete(brands, markets)
    if gaps:
        missing = first_few((f"{b.name} in {m}" for b, m in gaps), rest="`lineup markets` lists them")
        notes.append(f"not known to be complete, so models may be missing: {missing}")
    return notes


def no_origin(brands: Sequence[Brand], origins: Iterable[str]) -> str:
    """Why no brand was kept by --origin: none is from there, and how many have no origin recorded at all."""
    text = f"no brand asked about is from {', '.join(sorted(origins))}"
    unknown = [b.name for b in brands if b.origin is None]
    if len(unknown) == len(brands):
        return f"{text}: {'the brand has no' if len(brands) == 1 else 'none of the brands has an'} origin recorded"
    if unknown:
        text += f"; {first_few(unknown)} {'has' if len(unknown) == 1 else 'have'} no origin recorded"
    return text


def absence(brand: Brand, market: str, when: When) -> str | None:
    """That the brand itself was not in the market at `when`, by its presence there, with when it entered or left.

    None if it was, or if the data does not say."""
    windows = brand.presence.get(market)
    if not windows or any(when.covers(w) for w in windows):
        return None
    ended = [w for w in windows if when.ended_before(w)]
    coming = [w for w in windows if when.starts_after(w)]
    if ended:
        text = f"left {_in(end_of(ended[-1]))}" + (f", back {_in(start_of(coming[0]))}" if coming else "")
    else:
        text = f"entered {_in(start_of(coming[0]))}"
    return f"{brand.name} was not in {countries.name(market)} ({market}) {when}: {text}"


def _in(event: object) -> str:
    """`in 2019-08`, or `by 2019-08` where only the first date seen on sale is known."""
    text = str(event)
    return text if text.startswith("by ") else f"in {text}"
