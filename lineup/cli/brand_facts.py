"""The commands that write what the data says of a brand as a whole: brand (its name, parent and origin) and
coverage (how complete its lineup in a market is known to be). Each edit runs under a lock, is checked before it
is written, and is written whole or not at all (lineup.edit)."""

from typing import Annotated

import typer

from lineup import brand_facts, countries, dates, edit, query
from lineup.cli import options
from lineup.cli.options import (
    AllowInvisibleOption,
    BrandArgument,
    EditDataOption,
    MarketOption,
    ModelYearsOption,
    QuietOption,
    SourceOption,
)
from lineup.cli.output import note


def brand(
    brand_text: BrandArgument,
    origin: Annotated[
        str | None,
        options.origin_option("The brand's country: an ISO code or a country's name, e.g. DE, germany."),
    ] = None,
    name: Annotated[
        str | None,
        options.text_option("--name", "NAME", "The brand's display name, e.g. Mercedes-Benz."),
    ] = None,
    parent: Annotated[
        str | None,
        options.text_option("--parent", "NAME", "The brand's parent company, e.g. Nissan."),
    ] = None,
    note_text: Annotated[
        str | None,
        options.text_option("--note", "TEXT", "Added to the brand's note."),
    ] = None,
    source: SourceOption = None,
    allow_invisible: AllowInvisibleOption = False,
    data: EditDataOption = None,
    quiet: QuietOption = False,
) -> None:
    """Set what the data says of a brand: its origin, name or parent company (an imported brand has no origin).

    \b
    Examples:
      lineup brand bmw --origin DE --parent "BMW Group" \\
        --source https://www.bmwgroup.com/en/company.html
      lineup brand mercedes-benz --name Mercedes-Benz --origin germany \\
        --data data/us/
    """
    code = countries.resolve(origin, "country") if origin is not None else None
    facts = brand_facts.BrandFacts(name, parent, code, note_text, tuple(source or ()))
    with edit.session(edit.roots(data)) as work:
        found = query.find_brand(work.dataset, brand_text)
        paths = brand_facts.set_brand(work, found, facts, allow_invisible)
        edit.commit(work)
    already = {key: value for key, value in facts.given().items() if getattr(found, key) == value}
    said = ", ".join(f"{key} to {value}" for key, value in facts.given().items() if key not in already)
    if said or facts.note or facts.sources:
        note(f"set {found.id}'s {said or 'note and sources'} in {', '.join(map(str, paths))}")
    if already:
        note(f"{found.id}'s {', '.join(f'{key} was {value}' for key, value in already.items())} already")


def coverage(
    brand_text: BrandArgument,
    market: MarketOption,
    complete: Annotated[
        bool | None,
        typer.Option(
            "--complete/--partial",
            show_default=False,
            help="Whether the data holds the brand's whole lineup there (--complete needs --source), or "
            "models may be missing (--partial: say which with --note).",
        ),
    ] = None,
    model_years: ModelYearsOption = None,
    note_text: Annotated[
        str | None,
        options.text_option("--note", "TEXT", "What is known to be missing, or where the whole lineup is listed."),
    ] = None,
    source: SourceOption = None,
    allow_invisible: AllowInvisibleOption = False,
    data: EditDataOption = None,
    quiet: QuietOption = False,
) -> None:
    """Say how complete the data's lineup of a brand in a market is: for all time, or for some model years.

    `show` says of a lineup not known to be complete that models may be missing; `lineup markets` shows the note.

    \b
    Examples:
      lineup coverage infiniti -m TW --complete \\
        --source https://www.infiniti.com.tw/models
      lineup coverage honda -m US --partial --model-years 2025- \\
        --note "The list is thin after 2024."
    """
    if complete is None:
        raise typer.BadParameter("say which: --complete or --partial", param_hint="--complete")
    code = countries.resolve(market)
    years = model_years.span if model_years else None
    claim = brand_facts.NewCoverage(complete, years, note_text, tuple(source or ()))
    with edit.session(edit.roots(data)) as work:
        found = query.find_brand(work.dataset, brand_text)
        path = brand_facts.set_coverage(work, found, code, claim, allow_invisible)
        edit.commit(work)
    stretch = f" for model years {dates.years_text(*years)}" if years else ""
    note(f"recorded {found.id}'s lineup in {code} as {'complete' if complete else 'partial'}{stretch} in {path}")
