"""Constants and small helpers shared by the tests."""

import datetime as dt
from pathlib import Path

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "lineups.toml"
EXPECTED = DATA / "expected"
TODAY = dt.date(2022, 11, 7)  # the day of the reference story
