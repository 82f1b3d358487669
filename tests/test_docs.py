"""Every `console` example of README.md and docs/ prints what the page says it prints.

An example is a `lineup` command after `$ `, and what it prints (stdout and stderr, as a terminal
shows them) on the lines below, up to the next `$ ` or the block's end. It runs against the embedded
dataset, on the day the docs are written for (DOCS_TODAY) unless it asks about another (`--on`), at
80 columns, without colour, with a table as the default format (a person at a terminal). The
commands of one block run in order, in a folder of their own, shown as `~`. `pytest --regen-docs` writes what the
commands print into the pages, to review with git diff.
"""

import datetime as dt
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lineup import dates, render
from lineup.cli import app
from lineup.formats import Format

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```console\n(.*?)^```$", re.S | re.M)
DOCS_TODAY = dt.date(2026, 12, 6)


def _blocks() -> list[object]:
    return [
        pytest.param(page, n, id=f"{page.name}-{n + 1}")
        for page in PAGES
        for n, _ in enumerate(BLOCK.finditer(page.read_text(encoding="utf-8")))
    ]


def _run(block: str, folder: Path) -> str:
    """The block as its commands print it."""
    out = []
    for line in block.splitlines():
        if not line.startswith("$ "):
            continue
        words = shlex.split(line[2:])
        assert words[0] == "lineup", f"a console example runs lineup, not {words[0]}"
        result = CliRunner().invoke(app, words[1:], catch_exceptions=False)
        printed = [text.rstrip() for text in result.output.replace(str(folder), "~").splitlines()]
        out += [line, *printed]
    return "\n".join(out) + "\n"


def test_there_are_examples() -> None:
    assert len(_blocks()) >= 10


@pytest.mark.parametrize(("page", "number"), _blocks())
def test_an_example_prints_what_its_page_says(
    page: Path, number: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setattr(dates, "today", lambda: DOCS_TODAY)
    monkeypatch.setattr(render, "default_format", lambda out=None: Format.table)
    monkeypatch.chdir(tmp_path)  # shown as ~, as is the cache in it
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".cache"))
    text = page.read_text(encoding="utf-8")
    match = list(BLOCK.finditer(text))[number]
    printed = _run(match[1], tmp_path)
    if request.config.getoption("--regen-docs"):
        page.write_text(text[: match.start(1)] + printed + text[match.end(1) :], encoding="utf-8")
    else:
        assert printed == match[1], f"{page.name}: a console example prints otherwise (pytest --regen-docs)"


def test_the_column_table_of_commands_md_lists_every_column_of_each_answer() -> None:
    from lineup import chart, sales_tables, story, tables

    page = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    rows = {m[1]: {word for span in re.findall(r"`([^`]+)`", m[2]) for word in span.split()}
            for m in re.finditer(r"^  \| `([^`]+)` \| (.+) \|$", page, re.MULTILINE)}  # fmt: skip
    answers = {"show -m": tables.SHOW_BY_MARKET, "show": tables.SHOW_BY_MODEL, "diff": tables.DIFF,
               "model": story.WINDOWS, "timeline": chart.BARS, "sales": sales_tables.FIGURES,
               "sales --year": sales_tables.RANKING, "brands": tables.BRANDS, "markets": tables.MARKETS,
               "check": tables.FINDINGS}  # fmt: skip
    for command, columns in answers.items():
        assert rows[command] == set(columns), command
