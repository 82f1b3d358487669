"""The commands that write data: add, drop, init, import csv. Each edit runs under a lock, is checked
before it is written, and is written whole or not at all (lineup.edit)."""

import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lineup import countries, edit, load, query, recording
from lineup.cli import options
from lineup.cli.options import (
    AllowInvisibleOption,
    BrandArgument,
    EditDataOption,
    GenerationOption,
    MarketNameOption,
    MarketOption,
    ModelArgument,
    ModelYearsOption,
    NoteOption,
    QuietOption,
    RequiredUntilOption,
    SinceOption,
    SourceOption,
    UntilOption,
)
from lineup.cli.output import PlainCommand, note, plain_typer
from lineup.dates import PartialDate
from lineup.model import Body, Powertrain
from lineup.text import count, first_few, slug

if TYPE_CHECKING:
    from lineup import importer


def add(
    brand: BrandArgument,
    model: ModelArgument,
    market: MarketOption,
    since: SinceOption = None,
    until: UntilOption = None,
    model_years: ModelYearsOption = None,
    note_text: NoteOption = None,
    source: SourceOption = None,
    body: Annotated[
        list[Body] | None,
        options.body_option("--body", "A new model's body style (repeatable); needed for a new model."),
    ] = None,
    name: Annotated[
        str | None,
        options.text_option("--name", "NAME", "A new model's name (default: MODEL as typed)."),
    ] = None,
    powertrain: Annotated[
        list[Powertrain] | None, options.powertrain_option("A new model's powertrain (repeatable).")
    ] = None,
    follows: Annotated[
        list[str] | None,
        options.text_option("--follows", "MODEL", "The model a new one follows (repeatable)."),
    ] = None,
    brand_name: Annotated[
        str | None,
        options.text_option("--brand-name", "NAME", "A new brand's name (default: BRAND as typed)."),
    ] = None,
    origin: Annotated[
        str | None,
        options.origin_option("A new brand's country, e.g. JP; needed for a new brand."),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            parser=options.file,
            metavar="FILE",
            show_default=False,
            help="Where a brand new to the data goes. Default: the one data file, or BRAND.toml in the "
            "one data folder.",
        ),
    ] = None,
    window_body: Annotated[
        list[Body] | None,
        options.body_option("--window-body", "This window's body styles, where they differ from the model's."),
    ] = None,
    window_powertrain: Annotated[
        list[Powertrain] | None,
        options.powertrain_option(
            "This window's powertrains, where they differ from the model's.", "--window-powertrain"
        ),
    ] = None,
    generation: GenerationOption = None,
    market_name: MarketNameOption = None,
    announced: Annotated[
        PartialDate | None,
        typer.Option(
            "--announced",
            parser=options.date,
            metavar="DATE",
            show_default=False,
            help="The day a source first reported the window's dates still to come.",
        ),
    ] = None,
    plan: Annotated[
        bool, typer.Option("--plan", help="The window rests on an announcement alone: expected until confirmed.")
    ] = False,
    allow_invisible: AllowInvisibleOption = False,
    data: EditDataOption = None,
    quiet: QuietOption = False,
) -> None:
    """Record a launch: open a window of a model in a market (a new model needs --body).

    \b
    Examples:
      lineup add Acme Roadster -m JP --since 2025-03 --body convertible \\
        --origin JP --source URL
      lineup add acme roadster -m TW --since 2025-H2 \\
        --source https://example.com/roadster-taiwan
      lineup add infiniti QX65 -m US --since 2026-H2 --body crossover --plan \\
        --source https://example.com/qx65
      lineup add infiniti q50 -m CN --since 2014 --market-name Q50L \\
        --source https://example.com/q50l
    """
    if since is None and model_years is None:
        raise typer.BadParameter("a window needs --since (or --model-years)", param_hint="--since")
    code = countries.resolve(market)
    facts = recording.NewFacts(market_name, _values(window_body), _values(window_powertrain), generation)
    years = model_years.span if model_years else None
    window = recording.NewWindow(since, until, years, note_text, tuple(source or ()), facts, announced, plan)
    new_model = recording.NewModel(name, _values(body), _values(powertrain), tuple(follows or ()))
    new_brand = recording.NewBrand(brand_name, countries.resolve(origin, "country") if origin else None)
    with edit.session(edit.roots(data), [file] if file else []) as work:
        added = recording.add(work, brand, model, code, window, new_model, new_brand, file, allow_invisible)
        edit.commit(work)
        outside = not work.reads(added.path)
    note(f"added a window of {added.brand}/{added.model} in {code} to {added.path}")
    for text in added.notes:
        note(text)
    if outside:
        note(f"{added.path} is not in the data read; read it too with --data {_shell(added.path)}")


def drop(
    brand: BrandArgument,
    model: ModelArgument,
    market: MarketOption,
    until: RequiredUntilOption,
    note_text: NoteOption = None,
    source: SourceOption = None,
    last_model_year: Annotated[
        int | None,
        typer.Option(
            "--last-model-year",
            parser=options.model_year,
            metavar="YEAR",
            show_default=False,
            help="The last model year, for a window whose model years are open (2019-).",
        ),
    ] = None,
    allow_invisible: AllowInvisibleOption = False,
    data: EditDataOption = None,
    quiet: QuietOption = False,
) -> None:
    """Record a withdrawal: close a model's open window in a market.

    \b
    Examples:
      lineup drop acme roadster -m TW --until 2026-06 \\
        --source https://example.com/roadster-ends
      lineup drop acme roadster -m JP --until 2026 \\
        --note "Sold out; no successor announced."
    """
    code = countries.resolve(market)
    with edit.session(edit.roots(data)) as work:
        found = query.find_brand(work.dataset, brand)
        chosen = query.find_model(found, model)
        path = recording.drop(work, found, chosen.id, code, until, note_text, source or (), last_model_year,
                              allow_invisible)  # fmt: skip
        edit.commit(work)
    note(f"closed the window of {found.id}/{chosen.id} in {code} at {until} in {path}")


def change(
    brand: BrandArgument,
    model: ModelArgument,
    market: MarketOption,
    on: Annotated[
        PartialDate | None,
        typer.Option(
            "--on",
            parser=options.date,
            metavar="DATE",
            show_default=False,
            help="When the change came, at any precision (2023-10-18, 2020-07, 2021).",
        ),
    ] = None,
    model_year: Annotated[
        int | None,
        typer.Option(
            "--model-year",
            parser=options.model_year,
            metavar="YEAR",
            show_default=False,
            help="The first model year the change is in, for a window of model years.",
        ),
    ] = None,
    body: Annotated[
        list[Body] | None, options.body_option("--body", "The body styles from then on (repeatable).")
    ] = None,
    powertrain: Annotated[
        list[Powertrain] | None, options.powertrain_option("The powertrains from then on (repeatable).")
    ] = None,
    generation: GenerationOption = None,
    market_name: MarketNameOption = None,
    note_text: NoteOption = None,
    source: SourceOption = None,
    allow_invisible: AllowInvisibleOption = False,
    data: EditDataOption = None,
    quiet: QuietOption = False,
) -> None:
    """Record a change within a stretch on sale: what the model is sold as from a date (or model year).

    The window on sale then closes the period before, and the next opens with the new facts, in one
    edit: lineup reports the change, not a withdrawal and a launch.

    \b
    Examples:
      lineup change lexus lc -m US --model-year 2021 --body coupe \\
        --body convertible --source URL
      lineup change nissan kicks -m TW --on 2023-10-18 --powertrain hybrid \\
        --source URL
    """
    if on is None and model_year is None:
        raise typer.BadParameter("say when: --on DATE or --model-year YEAR", param_hint="--on")
    code = countries.resolve(market)
    facts = recording.NewFacts(market_name, _values(body), _values(powertrain), generation)
    with edit.session(edit.roots(data)) as work:
        found = query.find_brand(work.dataset, brand)
        chosen = query.find_model(found, model)
        path = recording.change(work, found, chosen.id, code, on, model_year, facts, note_text, source or (),
                           allow_invisible)  # fmt: skip
        edit.commit(work)
    when = f"model year {model_year}" if model_year is not None else str(on)
    note(f"changed {found.id}/{chosen.id} in {code} from {when} in {path}")


def init(
    path: Annotated[
        str,
        typer.Argument(
            metavar="PATH", help="A .toml file to write, or a folder to write lineups.toml in (made if need be)."
        ),
    ],
    quiet: QuietOption = False,
) -> None:
    """Start a data file of your own, a copy of the embedded dataset, to edit with add and drop.

    \b
    Examples:
      lineup init my-lineups.toml && export LINEUP_DATA=$PWD/my-lineups.toml
      lineup init data/
    """
    target = edit.init(options.path(path), as_file=_names_a_file(path, Path(path)))
    use = f"--data {_shell(target)} or export LINEUP_DATA={_shell(target.absolute())}"
    note(f"wrote {target}; use it with {use}")


import_app = plain_typer(name="import", no_args_is_help=True)


@import_app.callback()
def _import() -> None:
    """Load data from other formats into lineup's files."""


@import_app.command(name="csv", cls=PlainCommand)
def import_csv(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...", parser=options.path, help="CSV files with columns year,make,model,body_styles."
        ),
    ],
    market: MarketOption,
    make: Annotated[
        list[str] | None,
        typer.Option("--make", metavar="NAME", help="Only this make, in any case (repeatable).", show_default=False),
    ] = None,
    into: Annotated[
        str | None,
        typer.Option(
            "--into",
            metavar="PATH",
            show_default=False,
            help="A folder (one file per brand) or a .toml file. Default: the data, if it is one file or folder.",
        ),
    ] = None,
    source: Annotated[
        str | None,
        options.text_option("--source", "URL", "The windows' source. Default: the files' names."),
    ] = None,
    data: EditDataOption = None,
    quiet: QuietOption = False,
) -> None:
    """Import model-year lists: each make a brand, each model a model, each run of years a window.

    A missing model year splits a window. Brands, models and windows the data (--data, else LINEUP_DATA)
    already has are kept as they are, and edited where they are; where the lists disagree with them,
    the disagreement is reported. Importing again changes nothing.

    \b
    Examples:
      lineup import csv us-car-models/*.csv -m US --into data/us/
      lineup import csv 2024.csv -m US --make Lexus --make INFINITI \\
        --data data/ --into data/us.toml
    """
    from lineup import importer  # only import reads lists

    code = countries.resolve(market)
    given = load.data_paths(data) if data or os.environ.get(load.ENV_VAR) else []
    if into is None and len(given) != 1:
        raise typer.BadParameter("say where the imported data goes", param_hint="--into")
    target = options.path(into) if into is not None else given[0]
    as_file = _names_a_file(into or str(target), target)
    found = _read_lists(paths, make or ())
    with edit.session([*given, target], [target] if as_file else [], empty_ok=True) as work:
        outcome = importer.merge(work, found, code, target, as_file, source or importer.default_source(paths))
        written = edit.commit(work)
        outside = bool(given) and not work.reads(target)
    for text in [*found.notes, *found.merged, *outcome.merged]:
        note(text)
    for wanted in make or ():
        if slug(wanted) not in found.makes:
            note(f"no make in the lists is {wanted!r}")
    for style, rows in sorted(found.unmapped.items()):
        note(f"body style {style!r} has no lineup word: left out of {count(rows, 'row')}, which are kept")
    for conflict in outcome.conflicts[:_FEW]:
        note(f"kept as it was: {conflict}")
    if len(outcome.conflicts) > _FEW:
        note(f"and {len(outcome.conflicts) - _FEW} more kept as they were")
    if outcome.partial:
        thin = first_few(outcome.partial, rest="`lineup markets` lists them")
        note(f"lists thin for some model years, so recorded as partial coverage: {thin}")
    if outside:
        note(f"{target} is not in the data read; read it too with --data {_shell(target)}")
    skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(found.skipped.items())) or "none"
    note(
        f"read {count(found.rows, 'row')}: {count(outcome.brands, 'brand')}, {count(outcome.models, 'model')}, "
        f"{count(outcome.windows, 'window')} ({outcome.new_windows} new, "
        f"{count(len(outcome.conflicts), 'conflict')} kept as they were); "
        f"rows skipped: {skipped}; {count(len(written), 'file')} written"
    )


@import_app.command(name="sales", cls=PlainCommand)
def import_sales(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...", parser=options.path, help="CSV files with columns period,make,model,units,source."
        ),
    ],
    market: MarketOption,
    source: Annotated[
        str | None,
        options.text_option("--source", "URL", "The source of rows that give none."),
    ] = None,
    data: EditDataOption = None,
    quiet: QuietOption = False,
) -> None:
    """Import sales figures: each row a model's units in a market and period, with its source.

    Makes and models are matched to the data's brands and models as `import csv` names them; a row of a model
    the data does not have is reported, not imported. A period the data already has is kept as it is. A row
    that cannot be read refuses the import: nothing is written.

    \b
    Examples:
      lineup import sales q60-us.csv -m US --data data/
      lineup import sales 2020.csv -m US \\
        --source https://example.com/2020-sales --data my.toml
    """
    from lineup import sales_import  # only this import reads sales lists

    code = countries.resolve(market)
    rows = sales_import.read(paths, source)
    with edit.session(edit.roots(data)) as work:
        outcome = sales_import.merge(work, rows, code)
        written = edit.commit(work)
    for conflict in outcome.conflicts:
        note(f"kept as it was: {conflict}")
    if outcome.unknown:
        note(f"not in the data, so not imported: {first_few(outcome.unknown)} (add the model first: lineup add)")
    note(f"read {count(len(rows), 'row')}: {count(outcome.added, 'figure')} added, {outcome.same} already there, "
         f"{count(len(outcome.conflicts), 'conflict')}; {count(len(written), 'file')} written")  # fmt: skip


_FEW = 5  # conflicts an import names one by one


def _names_a_file(text: str, path: Path) -> bool:
    """Whether a path given for data to write names a file: an existing one, or a name ending in .toml
    (not a folder, nor written with a trailing slash); anything else names a folder."""
    if path.is_file():
        return True
    return not (path.is_dir() or text.endswith(os.sep)) and path.suffix.casefold() == ".toml"


def _read_lists(paths: list[Path], makes: Sequence[str]) -> "importer.Reading":
    from lineup import importer  # only import reads lists

    if not sys.stderr.isatty():
        return importer.read(paths, makes)
    from rich.console import Console  # a progress bar, for a person watching
    from rich.progress import Progress

    total = sum(p.stat().st_size for p in paths if p.is_file())
    with Progress(transient=True, console=Console(stderr=True)) as progress:
        task = progress.add_task(f"reading {count(len(paths), 'file')}", total=total)
        return importer.read(paths, makes, lambda n: progress.advance(task, n))


def _shell(path: Path) -> str:
    """A path as a shell command line takes it."""
    return shlex.quote(str(path))


def _values(chosen: Sequence[Body] | Sequence[Powertrain] | None) -> tuple[str, ...]:
    """Body styles or powertrains as the data writes them."""
    return tuple(item.value for item in chosen or ())
