"""What several files say of each brand -> one brand each, checking what no single file can: the same
thing said twice, names said differently, references from one file to another."""

from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from lineup.load.reader import Attr, BrandPart, Built, Reader
from lineup.model import Brand, Coverage, Figure, Model, Place, Region, Window
from lineup.text import KeyPath


def combine(parts: Mapping[str, list[BrandPart]], reader: Reader) -> dict[str, list[BrandPart]]:
    """The brands that can be built (each has a name), by id in order; each problem reported to `reader`.

    Only the parts' names, ids and keys are needed: their models and windows may have been let go."""
    merged = {brand_id: found for brand_id, found in sorted(parts.items()) if check_brand(brand_id, found, reader)}
    _check_follows(parts, merged, reader)
    return merged


def check_brand(brand_id: str, parts: list[BrandPart], reader: Reader) -> bool:
    """Check that the files agree on a brand, and that its windows are of its models.

    False if it cannot be built (it has no name)."""
    attrs: dict[str, Attr] = {}
    models: dict[str, BrandPart] = {}
    windows: dict[tuple[str, str], BrandPart] = {}
    coverage: dict[str, BrandPart] = {}
    presence: dict[str, BrandPart] = {}
    sales: dict[tuple[str, str], BrandPart] = {}
    broken = set().union(*(part.broken for part in parts))
    several = len(parts) > 1  # one file cannot say a thing twice: TOML itself forbids it
    for part in parts:
        for key, value in part.attrs.items():
            known = attrs.setdefault(key, value)
            if known.value != value.value:
                where = reader.where(known.place)
                message = f"brand {brand_id!r} has {key} {value.value!r} here but {known.value!r} at {where}"
                reader.fail(value.place, message, "duplicate")
        if not several:
            continue
        for model_id in part.models:
            _once(models, model_id, part, ("models", model_id), f"model {model_id!r} is", reader)
        for code, listed in part.markets.items():
            for model_id in listed:
                what = f"windows of {model_id!r} in {code} are"
                _once(windows, (code, model_id), part, ("markets", code, model_id), what, reader)
        for code in part.coverage:
            _once(coverage, code, part, ("coverage", code), f"coverage of {code} is", reader)
        for code in part.presence:
            _once(presence, code, part, ("presence", code), f"the brand's presence in {code} is", reader)
        for code, listed in part.sales.items():
            for model_id in listed:
                what = f"sales of {model_id!r} in {code} are"
                _once(sales, (code, model_id), part, ("sales", code, model_id), what, reader)
    if "name" not in attrs:
        if "brand name" not in broken:
            message = f"brand {brand_id!r} needs a name, e.g. name = {brand_id.title()!r}"
            reader.fail(Place(parts[0].file, ("brands", brand_id)), message, "required")
        return False
    defined = models.keys() if several else parts[0].models.keys()
    for part in parts:
        for key, entries in (("markets", part.markets), ("sales", part.sales)):
            for code, listed in entries.items():
                for model_id in listed:
                    if model_id not in defined and model_id not in broken:
                        message = f"brand {brand_id!r} defines no model {model_id!r}{reader.hint(model_id, defined)}"
                        reader.fail(part.at(key, code, model_id), message, "unknown-model")
    return True


def _once(seen: dict[Any, BrandPart], key: Any, part: BrandPart, at: KeyPath, what: str, reader: Reader) -> None:
    """A thing two files of one brand both define (`what` says it: "model 'q60' is"), at its second."""
    first = seen.setdefault(key, part)
    if first is not part:
        message = f"{what} defined twice: here and at {reader.where(first.at(*at))}"
        reader.fail(part.at(*at), message, "duplicate")


def regions_of(found: list[Region], reader: Reader) -> dict[str, Region]:
    """The regions the files define, by id in order; one defined twice is reported at its second."""
    regions: dict[str, Region] = {}
    for region in found:
        first = regions.setdefault(region.id, region)
        if first is not region:
            assert region.place is not None
            assert first.place is not None
            message = f"region {region.id!r} is defined twice: here and at {reader.where(first.place)}"
            reader.fail(region.place, message, "duplicate")
    return dict(sorted(regions.items()))


def _check_follows(parts: Mapping[str, list[BrandPart]], merged: Mapping[str, list[BrandPart]], reader: Reader) -> None:
    known = {f"{brand_id}/{m}" for brand_id, found in merged.items() for part in found for m in part.models}
    broken = {f"{part.id}/{m}" for found in parts.values() for part in found for m in part.broken}
    broken |= {f"{brand_id}/" for brand_id in parts if brand_id not in merged}
    for found in merged.values():
        for part in found:
            for model_id, follows in part.models.items():
                for target in follows:
                    if target in known or target in broken or f"{target.split('/')[0]}/" in broken:
                        continue
                    message = f"follows {target!r}, which no file defines{reader.hint(target, known)}"
                    reader.fail(part.at("models", model_id, "follows"), message, "follows")


class LazyBrands(Mapping[str, Brand]):
    """A dataset's brands by id, each put together from its files' parts when first asked for.

    So a question about one brand of a large dataset builds that brand only. `parts` gives a brand's parts when
    asked (from memory, or the cache); `rebuild` builds a part whose values were let go."""

    def __init__(self, ids: list[str], parts: Callable[[str], list[BrandPart]],
                 rebuild: Callable[[BrandPart], Built]) -> None:  # fmt: skip
        self._ids = dict.fromkeys(ids)
        self._parts = parts
        self._rebuild = rebuild
        self._built: dict[str, Brand] = {}

    def __getitem__(self, brand_id: str) -> Brand:
        brand = self._built.get(brand_id)
        if brand is None:
            if brand_id not in self._ids:
                raise KeyError(brand_id)
            brand = self._built[brand_id] = self._build(brand_id)
        return brand

    def passing(self) -> Iterator[Brand]:
        """Every brand in turn, each not built before let go when the next is asked for: one pass over every
        brand of a large dataset (an export) holds one brand at a time."""
        for brand_id in self._ids:
            yield self._built.get(brand_id) or self._build(brand_id)

    def _build(self, brand_id: str) -> Brand:
        parts = self._parts(brand_id)
        return brand_of(brand_id, parts, [part.built or self._rebuild(part) for part in parts])

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, brand_id: object) -> bool:
        return brand_id in self._ids


def brand_of(brand_id: str, parts: list[BrandPart], built: list[Built]) -> Brand:
    """A brand from what its files say (already checked to agree), with each part's values.

    A table only one file has (a brand's models, a market's windows...) is used as that file's values hold it,
    not copied: most brands are in one file."""
    attrs: dict[str, Any] = {}
    places: dict[str, Place] = {}
    models: dict[str, Model] = {}
    markets: dict[str, dict[str, tuple[Window, ...]]] = {}
    coverage: dict[str, tuple[Coverage, ...]] = {}
    presence: dict[str, tuple[Window, ...]] = {}
    sales: dict[str, dict[str, tuple[Figure, ...]]] = {}
    for part, values in zip(parts, built, strict=True):
        for key, value in part.attrs.items():
            attrs.setdefault(key, value.value)
            places.setdefault(key, value.place)
        models = _joined(models, values.models)
        for code in part.markets:
            places.setdefault(f"markets.{code}", part.at("markets", code))
            if values.markets.get(code):  # a market table with no windows says nothing of sales
                markets[code] = _joined(markets.get(code, {}), values.markets[code])
        for code in part.coverage:
            places.setdefault(f"coverage.{code}", part.at("coverage", code))
        for code in part.presence:
            places.setdefault(f"presence.{code}", part.at("presence", code))
        coverage.update(values.coverage)
        presence.update(values.presence)
        for code, figures in values.sales.items():
            sales[code] = _joined(sales.get(code, {}), figures)
    return Brand(
        id=brand_id,
        name=attrs["name"],
        parent=attrs.get("parent"),
        origin=attrs.get("origin"),
        note=attrs.get("note"),
        sources=attrs.get("sources", ()),
        models=_by_key(models),
        markets={code: _by_key(entries) for code, entries in _by_key(markets).items()},
        coverage=_by_key(coverage),
        places=places,
        presence=_by_key(presence),
        sales={code: _by_key(entries) for code, entries in _by_key(sales).items()},
    )


_V = TypeVar("_V")


def _joined(known: dict[str, _V], more: dict[str, _V]) -> dict[str, _V]:
    """Both tables' entries: `more` itself if there is nothing yet (not a copy: values are not changed)."""
    return {**known, **more} if known else more


def _by_key(table: dict[str, _V]) -> dict[str, _V]:
    """The table in the order of its keys: itself if it is in that order (as lineup's layout writes a file)."""
    keys = list(table)
    ordered = sorted(keys)
    return table if keys == ordered else {key: table[key] for key in ordered}
