"""Shell completion from the data: what Tab offers after `lineup show inf` or `-m T`."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from lineup import complete
from lineup.cli import app

from .helpers import FIXTURE


def ctx(**params: object) -> SimpleNamespace:
    """What Typer gives a completion: the command's parameters as parsed so far."""
    return SimpleNamespace(params=params)


def test_brands_of_the_data() -> None:
    assert complete.brands(ctx(), "inf") == [("infiniti", "Infiniti")]
    assert [b for b, _ in complete.brands(ctx(), "")] == ["infiniti", "lexus", "nissan"]
    assert complete.brands(ctx(data=[FIXTURE]), "a") == [("alpha", "Alpha")]  # --data given: that data


def test_models_of_the_brand_given() -> None:
    offered = complete.models(ctx(brand="infiniti"), "qx5")
    assert offered == [("qx50", "QX50"), ("qx55", "QX55"), ("qx56", "QX56")]
    assert complete.models(ctx(brand="Infiniti"), "q60") == [("q60", "Q60"), ("q60-2013", "Q60")]  # by name too
    assert complete.models(ctx(), "q") == []  # no brand yet: nothing to offer


def test_markets_of_the_data_first() -> None:
    assert complete.markets(ctx(), "T") == [("TW", "Taiwan")]
    assert complete.markets(ctx(), "t") == [("TW", "Taiwan")]
    assert [code for code, _ in complete.markets(ctx(), "Z")] == ["ZA", "ZM", "ZW"]  # none in the data: ISO codes


def test_data_that_cannot_be_read_completes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[brands.x\n", encoding="utf-8")
    assert complete.brands(ctx(data=[bad]), "") == []
    assert complete.models(ctx(data=[bad], brand="x"), "") == []


@pytest.mark.parametrize(
    ("shell", "line", "expected"),
    [
        pytest.param("bash", "lineup show inf", "infiniti", id="bash-brand"),
        pytest.param("zsh", "lineup show infiniti -m T", '"TW":"Taiwan"', id="zsh-market"),
        pytest.param("fish", "lineup has infiniti qx5", "qx55\tQX55", id="fish-model"),
        pytest.param("bash", "lineup show --body su", "suv", id="bash-body-style"),
        pytest.param("zsh", "lineup show -f js", '"json"', id="zsh-format"),
    ],
)
def test_each_shell_is_offered_the_data(shell: str, line: str, expected: str) -> None:
    words = line.split(" ")
    env = {"_LINEUP_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": line, "COMP_WORDS": line,
           "COMP_CWORD": str(len(words) - 1), "_TYPER_COMPLETE_FISH_ACTION": "get-args"}  # fmt: skip
    result = CliRunner().invoke(app, [], prog_name="lineup", env=env)
    assert expected in result.output
