"""Writers as real processes: killed at random moments, or racing each other, they lose nothing.

The kill test measures how long one edit takes, then kills writers at random moments of that span, so
that some die before the lock, some while reading, some while writing and some after the rename.
"""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from lineup import files, load
from lineup.model import LineupError

KILLS = 60 if os.environ.get("LINEUP_FUZZ") else 24


def writer(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "lineup", *args, "--data", str(data)]


def add(data: Path, market: str, year: int) -> list[str]:
    """Add a window of one year: each writer's window is its own, and none overlaps another."""
    return writer(data, "add", "infiniti", "q50", "-m", market, "--since", str(year), "--until", str(year),
                  "--source", "s")  # fmt: skip


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """The embedded data and many more windows in one file, so that a write takes a while."""
    path = Path(shutil.copy(load.embedded_path(), tmp_path / "lineups.toml"))
    windows = "".join(
        f'\n[[brands.infiniti.markets.{code}.q50]]\nsince = "{year}"\nuntil = "{year}"\nsource = "s"\n'
        for code in ("FR", "DE", "IT", "ES", "PT", "NL", "BE", "AT", "CH", "SE")
        for year in range(1950, 2000)
    )
    path.write_text(path.read_text(encoding="utf-8") + windows, encoding="utf-8")
    assert subprocess.run(writer(path, "fmt", str(path)), capture_output=True).returncode == 0
    return path


def test_a_killed_writer_leaves_the_old_file_or_the_new_one(big: Path) -> None:
    start = time.perf_counter()
    assert subprocess.run(add(big, "JP", 2030), capture_output=True).returncode == 0
    span = time.perf_counter() - start  # how long one edit takes, as a first guess: load varies
    rng = random.Random(7)
    outcomes = {"old": 0, "new": 0}
    year = 2031
    while year - 2031 < KILLS or (min(outcomes.values()) == 0 and year - 2031 < 5 * KILLS):
        old = big.read_bytes()
        new = {"since": year, "until": year, "source": "s"}
        process = subprocess.Popen(add(big, "JP", year), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(span * 0.3, span * 1.3))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = big.read_bytes()
        if now == old:
            outcomes["old"] += 1
        else:  # the whole edit and nothing else: the old data with one more window
            outcomes["new"] += 1
            doc, was = tomllib.loads(now.decode()), tomllib.loads(old.decode())
            windows, before = (d["brands"]["infiniti"]["markets"]["JP"].pop("q50") for d in (doc, was))
            assert windows == [*(before if isinstance(before, list) else [before]), new]
            assert doc == was
        year += 1
        if year - 2031 >= KILLS and min(outcomes.values()) == 0:  # the machine is slower or faster than it was
            span *= 1.3 if outcomes["new"] == 0 else 0.7
    # the kills did land on both sides of the rename
    assert outcomes["old"] > 0, outcomes
    assert outcomes["new"] > 0, outcomes


def test_concurrent_writers_all_land(tmp_path: Path) -> None:
    data = Path(shutil.copy(load.embedded_path(), tmp_path / "lineups.toml"))
    markets = ["FR", "DE", "IT", "ES", "GB", "JP"]
    processes = [subprocess.Popen(add(data, code, 2030), stderr=subprocess.PIPE) for code in markets]
    errors = [p.communicate()[1] for p in processes]
    assert [p.returncode for p in processes] == [0] * len(markets), errors
    written = load.load([data]).brands["infiniti"].markets
    assert all(str(written[code]["q50"][0].since) == "2030" for code in markets)


def test_concurrent_writers_to_files_of_one_folder_all_land(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(load.embedded_path(), folder / "lineups.toml")
    brands = [f"brand{n}" for n in range(5)]
    processes = [
        subprocess.Popen(
            writer(
                folder,
                "add",
                brand,
                "m",
                "-m",
                "JP",
                "--since",
                "2030",
                "--body",
                "sedan",
                "--name",
                "M",
                "--brand-name",
                brand.title(),
                "--origin",
                "JP",
            ),
            stderr=subprocess.PIPE,
        )
        for brand in brands
    ]
    errors = [p.communicate()[1] for p in processes]
    assert [p.returncode for p in processes] == [0] * len(brands), errors
    assert set(brands) <= set(load.load([folder]).brands)


@pytest.mark.parametrize("failing", ["fsync", "replace", "chmod"])
def test_a_write_that_fails_at_any_step_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "lineups.toml"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o640)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    target = {"fsync": (os, "fsync"), "replace": (Path, "replace"), "chmod": (Path, "chmod")}[failing]
    monkeypatch.setattr(*target, fail)
    with pytest.raises(LineupError, match="cannot write: No space left on device"):
        files.atomic_write(path, "new\n")
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["lineups.toml"]  # the temporary file is gone
