"""The `lineup` command line: Typer reads it; each command is built, and its module imported, only
when it is the one asked for; and one place turns any failure into a line on stderr and an exit code.

The commands live by group: lineup.cli.query (show, has, diff, model, timeline), lineup.cli.sales
(sales), lineup.cli.data
(brands, markets, check, fmt, schema, export, cache), lineup.cli.edit (add, drop, change, init, import) and
lineup.cli.brand_facts (brand, coverage).
"""

import contextlib
import gc
import importlib
import io
import os
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Annotated, Any, cast

import typer
from typer.core import TyperGroup

from lineup import __version__
from lineup.cli.output import PlainCommand, exit_code, plain_typer

# Each command, in the order `lineup --help` lists them: where it is (MODULE:NAME in lineup.cli), and
# what it does in a line, which that help shows without importing any command's module.
COMMANDS = {
    "show": ("query:show", "What is on sale: per market with -m, else per model."),
    "has": ("query:has", "Exit 0 if a model is on sale, 1 if not: for scripts."),
    "diff": ("query:diff", "What was added, dropped or changed between two times."),
    "model": ("query:model", "One model's story: its facts, lineage and windows."),
    "timeline": ("query:timeline", "Draw a brand's models across the years."),
    "sales": ("sales:sales_command", "Units sold per period, with changes and sources."),
    "check": ("data:check", "Check data files: every problem, located."),
    "fmt": ("data:fmt", "Rewrite data files in the canonical layout."),
    "schema": ("data:schema", "Print the JSON Schema of the data format."),
    "add": ("edit:add", "Record a launch: open a model's window in a market."),
    "drop": ("edit:drop", "Record a withdrawal: close a model's open window."),
    "change": ("edit:change", "Record what a model is sold as from a date on."),
    "brand": ("brand_facts:brand", "Set a brand's origin, name or parent company."),
    "coverage": ("brand_facts:coverage", "Say whether a brand's lineup in a market is complete."),
    "init": ("edit:init", "Start a data file of your own from the embedded data."),
    "export": ("data:export", "Export every window: CSV, JSON, JSON Lines, SQLite."),
    "brands": ("data:brands", "List the brands, with their models and markets."),
    "markets": ("data:markets", "List the markets, and what is known of each lineup."),
    "import": ("edit:import_app", "Load data from other formats into lineup's files."),
    "cache": ("data:cache_app", "Show or clear the cache of what data files say."),
}  # fmt: skip


class _Built(Mapping[str, Any]):
    """The commands by name, each built by Typer from its function the first time it is looked up."""

    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            where, summary = COMMANDS[name]
            module, attribute = where.split(":")
            found = getattr(importlib.import_module(f"lineup.cli.{module}"), attribute)
            if not isinstance(found, typer.Typer):  # a command's function: a Typer of its own makes it
                function, found = found, plain_typer()
                found.command(name=name, cls=PlainCommand)(function)
            command = typer.main.get_command(found)
            command.short_help = summary
            self._built[name] = command
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class Commands(TyperGroup):
    """lineup's commands, built when asked for; a command's failure becomes one line and an exit code."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        # Read-only: only add_command writes to a group's commands, and nothing adds one here. Typer types
        # them as mutable, and casts what it is given, as this does.
        self.commands = cast(MutableMapping[str, Any], _Built())

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command's name, in the order help lists them."""
        return list(COMMANDS)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The commands and what each does, for `lineup --help`, without building any of them."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, summary) in COMMANDS.items()])

    def invoke(self, ctx: Any) -> Any:
        """Run the command asked for; a failure ends as one line on stderr and an exit code."""
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # while a failure to write (a full disk, a reader gone) can still be told
            return result
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # an exit code given, or a usage error (Typer explains it: exit 2)
        except Exception as e:
            raise typer.Exit(exit_code(e)) from None


def _version(value: bool) -> None:
    if value:
        print(f"lineup {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=Commands,
    name="lineup",
    help="Track car makers' model lineups per brand and market over time.",
    epilog="Run 'lineup COMMAND --help' for examples. Data: --data PATH, else $LINEUP_DATA, else the embedded dataset.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("-V", "--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    pass


def main() -> None:
    """The `lineup` command, as installed."""
    # A run is short, and its data holds no reference cycles: the cycle collector would only walk
    # every window again and again as a large dataset is read (a third of an export's time).
    gc.disable()
    if sys.stdout is not None and isinstance(getattr(sys.stdout, "buffer", None), io.RawIOBase):
        # PYTHONUNBUFFERED (or -u, set in many containers) puts text straight over the raw file: a system call a
        # line, and what is left of a write a reader going away cut short is dropped, unsaid. An answer is written
        # as a whole, through a buffer, which writes the rest or fails as a closed pipe does.
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(sys.stdout.buffer), encoding=sys.stdout.encoding,
                                      errors=sys.stdout.errors, line_buffering=sys.stdout.isatty())  # fmt: skip
    # Data may hold characters the output encoding lacks: escape them rather than fail.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    if sys.stdout is None:  # started with stdout closed (`lineup brands >&-`)
        sys.stdout = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:  # or stderr (`lineup check 2>&-`)
        sys.stderr = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    try:
        try:
            app(prog_name="lineup")
        finally:
            sys.stdout.flush()  # here, not as Python exits, where a failure would be a traceback
            # The run is over: what it read is left for the system to take back with the process, rather than
            # walked and freed object by object as Python exits (a tenth of a second for 100,000 windows).
            gc.freeze()
    except OSError as error:  # writing the top-level --help or --version, which no command's invoke sees
        sys.exit(exit_code(error))
