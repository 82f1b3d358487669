"""Shell completion from the data: brand ids, the model ids of the brand given, market codes.

Typer calls these as the user presses Tab (bash, zsh and fish alike); body styles, powertrains and
formats are choices, which Typer completes by itself. A completion never fails: data that cannot be
read completes nothing.
"""

import functools
from collections.abc import Callable, Iterable
from typing import Any

from lineup import countries, load, query
from lineup.load import cache
from lineup.model import Dataset

Completion = list[tuple[str, str]]  # a value and what it is, which zsh and fish show beside it


def _never_fails(complete: Callable[[Any, str], Completion]) -> Callable[[Any, str], Completion]:
    """Data is read lazily, brand by brand, so a problem can come up after loading: nothing then."""

    @functools.wraps(complete)
    def safely(ctx: Any, incomplete: str) -> Completion:
        try:
            return complete(ctx, incomplete)
        except Exception:
            return []

    return safely


@_never_fails
def brands(ctx: Any, incomplete: str) -> Completion:
    """Brand ids that start with what is typed."""
    dataset = _dataset(ctx)
    if dataset is None:
        return []
    return _matching(((b.id, b.name) for b in dataset.brands.values()), incomplete)


@_never_fails
def models(ctx: Any, incomplete: str) -> Completion:
    """Model ids of the brand given that start with what is typed."""
    dataset = _dataset(ctx)
    brand_text = (ctx.params.get("brand") or "") if ctx is not None else ""
    if dataset is None or not brand_text:
        return []
    brand, _ = _lookup(dataset, brand_text)
    if brand is None:
        return []
    return _matching(((m.id, m.name) for m in brand.models.values()), incomplete)


@_never_fails
def markets(ctx: Any, incomplete: str) -> Completion:
    """The data's markets first; any ISO code if none of them fits what is typed."""
    dataset = _dataset(ctx)
    codes = sorted({code for b in dataset.brands.values() for code in b.markets}) if dataset is not None else []
    found = _matching(((code, countries.name(code)) for code in codes), incomplete)
    return found or _matching(((code, countries.name(code)) for code in countries.codes()), incomplete)


def _matching(items: Iterable[tuple[str, str]], incomplete: str) -> Completion:
    typed = incomplete.casefold()
    return [(value, about) for value, about in items if value.casefold().startswith(typed)]


def _lookup(dataset: Dataset, text: str) -> tuple[Any, str]:
    return query.lookup(dataset.brands, text)


def _dataset(ctx: Any) -> Dataset | None:
    """The data the command line names (--data), else the data the command would read."""
    try:
        given = ctx.params.get("data") if ctx is not None else None
        store = None if cache.disabled() else cache.Cache.open()
        return load.load(load.data_paths(given or None), store)
    except Exception:
        return None
