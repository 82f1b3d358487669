"""Constants and small helpers shared by the tests."""

import datetime as dt
from pathlib import Path

import pytest

from lineup import load
from lineup.errors import LineupError

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "lineups.toml"
EXPECTED = DATA / "expected"
TODAY = dt.date(2022, 11, 7)  # the day of the reference story

BRAND = """\
[brands.alpha]
name = "Alpha"
origin = "JP"

[brands.alpha.models.a1]
name = "A1"
body = "sedan"
"""


def write(folder: Path, text: str, name: str = "data.toml") -> Path:
    """A data file of `text` in `folder`."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(*paths: Path) -> LineupError:
    """The error loading `paths` stops with."""
    with pytest.raises(LineupError) as caught:
        load.load(list(paths))
    return caught.value
