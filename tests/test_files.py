"""Writers as real processes: killed at random moments, or racing each other, they lose nothing.

The kill test runs writers on a slow disk (each write in small pieces with a pause between them), so
that the moment a file is being written is a good part of an edit's time; it measures how long one
edit takes, then kills writers at random moments of that span, so that some die before the lock, some
while reading, many while writing and some after the rename. A writer that wrote the file in place
would leave a torn file; lineup must leave the old file or the new one.
"""

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from lineup import files, load
from lineup.errors import LineupError

from .helpers import DATA

# lineup on a slow disk: whatever it writes goes out 4 KB at a time, flushed, with a pause after each.
SLOW_DISK = """
import builtins, io, os, runpy, sys, time

class Slow:
    def __init__(self, file):
        self._file = file
    def write(self, text):
        for start in range(0, len(text), 4096):
            self._file.write(text[start:start + 4096])
            self._file.flush()
            time.sleep(0.003)
        return len(text)
    def __getattr__(self, name):
        return getattr(self._file, name)
    def __enter__(self):
        self._file.__enter__()
        return self
    def __exit__(self, *exc):
        return self._file.__exit__(*exc)

def slowed(opener):
    def open_slowly(*args, **kwargs):
        file = opener(*args, **kwargs)
        mode = kwargs.get("mode", args[1] if len(args) > 1 else "r")
        return Slow(file) if any(c in str(mode) for c in "wax+") else file
    return open_slowly

os.fdopen = slowed(os.fdopen)
builtins.open = io.open = slowed(io.open)
sys.argv[0] = "lineup"
runpy.run_module("lineup", run_name="__main__")
"""


def writer(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "lineup", *args, "--data", str(data)]


def add(data: Path, market: str, year: int, slow: bool = False) -> list[str]:
    """Add a window of one year: each writer's window is its own, and none overlaps another."""
    args = ["add", "infiniti", "q50", "-m", market, "--since", str(year), "--until", str(year), "--source", "s"]
    return [sys.executable, "-c", SLOW_DISK, *args, "--data", str(data)] if slow else writer(data, *args)


def new_model(data: Path, brand: str, model: str, *more: str) -> list[str]:
    return writer(data, "add", brand, model, "-m", "JP", "--since", "2030", "--body", "sedan", "--origin", "JP",
                  "--source", "s", *more)  # fmt: skip


def all_land(commands: list[list[str]]) -> None:
    """Run the commands at once; each must succeed."""
    processes = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for c in commands]
    errors = [p.communicate()[1].decode() for p in processes]
    assert [p.returncode for p in processes] == [0] * len(commands), errors


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


@pytest.fixture
def kills(request: pytest.FixtureRequest) -> int:
    """How many writers to kill: a few dozen, or more with --fuzz."""
    return 80 if request.config.getoption("--fuzz") else 16


def test_a_killed_writer_leaves_the_old_file_or_the_new_one(big: Path, kills: int) -> None:
    start = time.perf_counter()
    assert subprocess.run(add(big, "JP", 2030, slow=True), capture_output=True).returncode == 0
    span = time.perf_counter() - start  # how long one edit takes, as a first guess: load varies
    rng = random.Random(7)
    outcomes = {"old": 0, "new": 0}
    year = 2031
    while year - 2031 < kills or (min(outcomes.values()) == 0 and year - 2031 < 5 * kills):
        old = big.read_bytes()
        new = {"since": year, "until": year, "source": "s"}
        process = subprocess.Popen(add(big, "JP", year, slow=True), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(span * 0.3, span * 1.3))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = big.read_bytes()
        if now == old:
            outcomes["old"] += 1
        else:  # the whole edit and nothing else: the old data with one more window
            try:
                doc, was = tomllib.loads(now.decode()), tomllib.loads(old.decode())
            except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
                pytest.fail(f"writer {year - 2031 + 1}, killed, left a torn file: {e}")
            outcomes["new"] += 1
            windows = doc["brands"]["infiniti"]["markets"]["JP"].pop("q50")
            assert windows == [*was["brands"]["infiniti"]["markets"]["JP"].pop("q50"), new]
            assert doc == was
        year += 1
        if year - 2031 >= kills and min(outcomes.values()) == 0:  # the machine is slower or faster than it was
            span *= 1.3 if outcomes["new"] == 0 else 0.7
    # the kills did land on both sides of the rename
    assert outcomes["old"] > 0, outcomes
    assert outcomes["new"] > 0, outcomes


def test_concurrent_writers_all_land(tmp_path: Path) -> None:
    data = Path(shutil.copy(load.embedded_path(), tmp_path / "lineups.toml"))
    markets = ["FR", "DE", "IT", "ES", "GB", "JP"]
    all_land([add(data, code, 2030) for code in markets])
    written = load.load([data]).brands["infiniti"].markets
    assert all(str(written[code]["q50"][0].since) == "2030" for code in markets)


def test_concurrent_writers_creating_one_file_all_land(tmp_path: Path) -> None:
    """The first writer creates the brand's file; the others, waiting on the lock, must read it."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(load.embedded_path(), folder / "lineups.toml")
    models = [f"m{n}" for n in range(4)]
    all_land([new_model(folder, "acme", model) for model in models])
    assert set(load.load([folder / "acme.toml"]).brands["acme"].models) == set(models)
    single = Path(shutil.copy(load.embedded_path(), tmp_path / "single.toml"))
    target = tmp_path / "new.toml"
    all_land([new_model(single, "zeta", model, "--file", str(target)) for model in models])
    assert set(load.load([target]).brands["zeta"].models) == set(models)


def test_writers_reaching_one_file_by_two_paths_all_land(tmp_path: Path) -> None:
    """Through a symlink or not, one real file: one lock, on the folder it really is in."""
    (tmp_path / "data").mkdir()
    (tmp_path / "links").mkdir()
    real = Path(shutil.copy(load.embedded_path(), tmp_path / "data" / "real.toml"))
    link = tmp_path / "links" / "x.toml"
    link.symlink_to(real)
    models = [f"m{n}" for n in range(4)]
    all_land([new_model(real if n % 2 else link, "infiniti", model) for n, model in enumerate(models)])
    assert set(models) <= set(load.load([real]).brands["infiniti"].models)


def test_every_folder_a_writer_reads_is_locked_before_it_lists_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file another writer adds to any folder of the data, subfolders included, cannot be missed:
    the folders are all locked, in one pass, before the files are listed."""
    from lineup import edit

    folder = tmp_path / "data"
    (folder / "us" / "deep").mkdir(parents=True)
    shutil.copy(load.embedded_path(), folder / "lineups.toml")
    (folder / "us" / "deep" / "zed.toml").write_text('[brands.zed]\nname = "Zed"\n', encoding="utf-8")
    held: list[Path] = []
    passes: list[list[Path]] = []
    real_locked, real_expand = files.locked, load.expand

    @contextlib.contextmanager
    def locked(folders: Iterable[Path]) -> Iterator[None]:
        passes.append(sorted(f.resolve() for f in folders))
        with real_locked(passes[-1]):
            held[:] = passes[-1]
            yield
            held.clear()

    def expand(paths: Iterable[Path]) -> list[Path]:
        listed = real_expand(paths)
        assert {p.resolve().parent for p in listed} <= set(held), "a file was listed in a folder not locked"
        return listed

    monkeypatch.setattr(files, "locked", locked)
    monkeypatch.setattr(load, "expand", expand)
    with edit.session([folder], [folder / "us" / "new.toml"]) as work:
        assert len(work.paths) == 2
    assert passes == [sorted({folder.resolve(), (folder / "us").resolve(), (folder / "us" / "deep").resolve()})]


def test_concurrent_imports_into_one_new_file_all_land(tmp_path: Path) -> None:
    target = tmp_path / "us.toml"
    lists = str(DATA / "csv" / "us-excerpt.csv")
    all_land([[sys.executable, "-m", "lineup", "import", "csv", lists, "-m", "US", "--make", make, "--into",
               str(target)] for make in ("mini", "infiniti")])  # fmt: skip
    assert set(load.load([target]).brands) == {"mini", "infiniti"}


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
