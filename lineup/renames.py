"""Which successor of a model is the same car under a new name, market by market (the EX became the QX50).

The data has no word for a rename: a model `follows` the one it took over from, whether it is the same car renamed
or a new car. A timeline joins the two into one row only where the data shows a name changing over on one car:

- the successor follows the model, in the same brand;
- it states no generation of its own that differs (the Q60 of 2017 states generation 2: a new car), and where both
  windows at the change state a generation, it is the same one;
- in that market, the successor comes after the model's last window there ends, within a year (a name changes
  over between model years; a gap of years means something else filled it, or nothing did);
- the model is sold nowhere once its successor is on sale there (the Juke went on in Taiwan after the Kicks
  replaced it in the US: a different car, not a new name);
- each side has only one such partner, so a model that two successors follow is never joined to either.
"""

import datetime as dt

from lineup.model import Brand, Model, facts_of

_CHANGE_OVER = dt.timedelta(days=366)  # the longest gap between the old name's end and the new one's start


def renamed(brand: Brand, market: str) -> dict[str, str]:
    """The models of the brand that became another there, each to its new name's id (`ex` -> `qx50`)."""
    entries = brand.markets.get(market, {})
    pairs = [
        (old, new.id)
        for new in brand.models.values()
        if new.id in entries
        for old in _same_brand(brand, new)
        if old in entries and _renames(brand, brand.models[old], new, market)
    ]
    olds = [old for old, _ in pairs]
    news = [new for _, new in pairs]
    return {old: new for old, new in pairs if olds.count(old) == 1 and news.count(new) == 1}


def chains(brand: Brand, market: str, model_ids: list[str]) -> list[list[str]]:
    """The models in `model_ids`, each chain of renames as one list in the order of its names, in the given order."""
    ahead = {old: new for old, new in renamed(brand, market).items() if old in model_ids and new in model_ids}
    behind = set(ahead.values())
    found = []
    for model_id in model_ids:
        if model_id in behind:
            continue
        chain = [model_id]
        while chain[-1] in ahead and ahead[chain[-1]] not in chain:  # a cycle in the data cannot loop
            chain.append(ahead[chain[-1]])
        found.append(chain)
    return found


def _same_brand(brand: Brand, model: Model) -> list[str]:
    """The ids of the models of its own brand that `model` follows."""
    return [key.partition("/")[2] for key in model.follows if key.partition("/")[0] == brand.id]


def _renames(brand: Brand, old: Model, new: Model, market: str) -> bool:
    """Whether `new` is `old` under a new name in `market`, by the rules above."""
    if new.generation is not None and new.generation != old.generation:
        return False
    last = max(brand.markets[market][old.id], key=lambda w: w.end or dt.date.max)
    first = min(brand.markets[market][new.id], key=lambda w: w.start)
    end = last.end
    if end is None or not end < first.start <= end + _CHANGE_OVER:
        return False
    was, now = facts_of(old, last).generation, facts_of(new, first).generation
    if was is not None and now is not None and was != now:
        return False
    return all(w.end is not None and w.end < first.start for ws in brand.markets.values() for w in ws.get(old.id, ()))
