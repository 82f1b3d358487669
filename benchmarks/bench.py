"""lineup's benchmark: each case against a baseline measured in the same run, with pass or fail.

The baselines: a bare Typer app (the version installed) of one command with 15 options that prints
one line, and its --help, the app built as lineup's is, with plain help (rich_markup_mode=None); the
same app printing a one-row Rich table; a bare parse of the same TOML files by Python's tomllib; and,
for scale, the same question of 1,000 windows. Each case runs in pairs with its baseline (baseline,
case, baseline, case...), so that a busy moment of the machine slows both alike; what is reported is
the median of the pairs' ratios, and the peak memory.

    python benchmarks/bench.py                  # every case; the 1M-window ones take several minutes
    python benchmarks/bench.py -k start-up      # only the cases whose name matches this expression
    python benchmarks/bench.py --repeats 9

The data: the embedded dataset, and synthetic data in lineup's format (benchmarks/synthetic.py, the
same every time) of 1k, 100k and 1M windows (1M in 10 files). "Cold" reads the TOML files
(LINEUP_NO_CACHE=1); "warm" reads the cache a first run filled.
"""

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import synthetic

from lineup.load import embedded_path  # the data the installed command reads by default

HERE = Path(__file__).resolve().parent
EMBEDDED = HERE.parent / "data" / "lineups.toml"
PYTHON = sys.executable
LINEUP = Path(PYTHON).parent / "lineup"  # the command as installed, as a user runs it
OPTIONS = ", ".join(f"o{n}: str = 'x'" for n in range(15))
FLOOR = f"""import typer
app = typer.Typer(rich_markup_mode=None)
@app.command()
def one({OPTIONS}) -> None:
    print(o0)
app()
"""
RICH_FLOOR = f"""import typer
from rich.console import Console
from rich.table import Table
app = typer.Typer()
@app.command()
def one({OPTIONS}) -> None:
    table = Table()
    table.add_column("o0")
    table.add_row(o0)
    Console().print(table)
app()
"""
PARSE = "import sys, tomllib\nfor path in sys.argv[1:]:\n    tomllib.loads(open(path, encoding='utf-8').read())\n"
TERMINAL = {"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1", "COLUMNS": "100"}
COLD = {"LINEUP_NO_CACHE": "1"}


@dataclass
class Case:
    name: str
    command: list[str]
    baseline: list[str]
    baseline_name: str
    limit: float  # the target: at most this
    unit: str = "ratio"  # or "us/window", "B/window"
    windows: int = 0
    env: dict[str, str] = field(default_factory=dict)
    repeats: int | None = None  # fewer for the slowest cases
    needs: tuple[str, ...] = ()  # the synthetic data sets it reads


@dataclass
class Result:
    case: Case
    seconds: float
    value: float
    peak_mb: float

    @property
    def passed(self) -> bool:
        return self.value <= self.case.limit


def run(command: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak resident megabytes of one run (which must succeed: 0, or 1 for `has`)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **env})
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"bench: {' '.join(command)} failed: {stderr[-500:]}")
    return elapsed, usage.ru_maxrss / 1024


def measure(case: Case, repeats: int) -> Result:
    run(case.command, case.env)  # a first run: the cache filled, the files read once
    ratios, seconds, peaks = [], [], []
    for _ in range(case.repeats or repeats):
        base, _ = run(case.baseline, case.env)
        took, peak = run(case.command, case.env)
        ratios.append(took / base)
        seconds.append(took)
        peaks.append(peak)
    took = statistics.median(seconds)
    value = {
        "ratio": statistics.median(ratios),
        "us/window": took * 1e6 / max(case.windows, 1),
        "B/window": max(peaks) * 2**20 / max(case.windows, 1),
    }[case.unit]
    return Result(case, took, value, max(peaks))


SIZES = {"1k": (1_000, 0), "100k": (100_000, 0), "1M": (1_000_000, 10)}  # windows, and files (0: one file)


def data_of(work: Path, size: str) -> list[Path]:
    """The files of a synthetic data set (made by make())."""
    files = SIZES[size][1]
    if not files:
        return [work / f"synthetic-{size}.toml"]
    return [work / f"synthetic-{size}" / f"part-{n:02d}.toml" for n in range(files)]


def make(work: Path, size: str) -> None:
    windows, files = SIZES[size]
    print(f"bench: making {size} windows of synthetic data", file=sys.stderr)
    synthetic.write(work / f"synthetic-{size}" if files else work / f"synthetic-{size}.toml", windows, files)


def cases(work: Path) -> list[Case]:
    floor = [PYTHON, str(work / "floor.py")]
    show = ["show", "infiniti", "-m", "TW"]
    lineup = [str(LINEUP)]
    out = [
        Case("start-up: show infiniti -m TW -f tsv", [*lineup, *show, "-f", "tsv"], floor, "bare Typer app", 1.25),
        Case("start-up: has infiniti q60 -m TW", [*lineup, "has", "infiniti", "q60", "-m", "TW"], floor,
             "bare Typer app", 1.25),
        Case("start-up: diff infiniti 2021 2023 -m TW -f tsv",
             [*lineup, "diff", "infiniti", "2021", "2023", "-m", "TW", "-f", "tsv"], floor, "bare Typer app", 1.25),
        Case("start-up: brands", [*lineup, "brands"], floor, "bare Typer app", 1.25),
        Case("start-up: check data/lineups.toml (report kept)", [*lineup, "check", str(EMBEDDED)], floor,
             "bare Typer app", 1.25),
        Case("start-up: export -f json", [*lineup, "export", "-f", "json"], floor, "bare Typer app", 1.25),
        Case("start-up: show infiniti -m TW -f table", [*lineup, *show, "-f", "table"],
             [PYTHON, str(work / "rich_floor.py")], "bare app, a Rich table", 1.25, env=TERMINAL),
        Case("start-up: --help", [*lineup, "--help"], [*floor, "--help"], "bare app's --help", 1.25),
        Case("start-up: sales infiniti q60 -m US -f tsv",
             [*lineup, "sales", "infiniti", "q60", "-m", "US", "-f", "tsv"], floor, "bare Typer app", 1.25),
    ]  # fmt: skip

    def show_brand(files: list[Path]) -> list[str]:
        data = [word for path in files for word in ("--data", str(path))]
        return [*lineup, "show", synthetic.BRAND, "-m", "US", "-f", "tsv", *data]

    def parse(files: list[Path]) -> list[str]:
        return [PYTHON, "-c", PARSE, *map(str, files)]

    k1, k100, m1 = data_of(work, "1k"), data_of(work, "100k"), data_of(work, "1M")
    nothing = [PYTHON, "-c", ""]
    return [
        *out,
        Case("scale: 1M windows (10 files), warm show brand0000 -m US -f tsv", show_brand(m1), show_brand(k1),
             "the same of 1k windows", 3.0, repeats=7, needs=("1k", "1M")),
        Case("scale: 100k windows, cold show brand0000 -m US -f tsv", show_brand(k100), parse(k100), "tomllib parse",
             0.75, env=COLD, repeats=3, needs=("100k",)),
        Case("scale: 1M windows, cold show brand0000 -m US -f tsv", show_brand(m1), parse(m1), "tomllib parse", 0.75,
             env=COLD, repeats=3, needs=("1M",)),
        Case("memory: 1M windows, cold show, peak per window", show_brand(m1), nothing, "-", 400, "B/window",
             1_000_000, env=COLD, repeats=1, needs=("1M",)),
        Case("scale: 100k windows, warm export -f jsonl, per window",
             [*lineup, "export", "-f", "jsonl", "--data", str(k100[0])], nothing, "-", 8.0, "us/window", 100_000,
             repeats=5, needs=("100k",)),
    ]  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=25, help="pairs per case (default 25; fewer for large data)")
    parser.add_argument("-k", dest="only", default="", help="only the cases whose name matches this regular expression")
    args = parser.parse_args(argv)
    if not LINEUP.is_file():
        raise SystemExit(f"bench: no lineup command beside {PYTHON}: install lineup first (pip install '.[test]')")
    with tempfile.TemporaryDirectory(prefix="lineup-bench-") as folder:
        work = Path(folder)
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # a cache of the benchmark's own
        (work / "floor.py").write_text(FLOOR, encoding="utf-8")
        (work / "rich_floor.py").write_text(RICH_FLOOR, encoding="utf-8")
        chosen = [case for case in cases(work) if re.search(args.only, case.name)]
        needed = sorted({size for case in chosen for size in case.needs}, key=list(SIZES).index)
        for size in needed:
            make(work, size)
        _settle([*(path for size in needed for path in data_of(work, size)), EMBEDDED, embedded_path()])
        results = []
        for case in chosen:
            print(f"bench: {case.name}", file=sys.stderr)
            results.append(measure(case, args.repeats))
    print(f"lineup benchmark, {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, "
          f"{platform.machine()}, {_cores()} cores, {args.repeats} pairs a case (large data: fewer)\n")  # fmt: skip
    print("| case | against | time | measured | target | |")
    print("|---|---|---:|---:|---:|---|")
    for r in results:
        unit = "x" if r.case.unit == "ratio" else f" {r.case.unit}"
        print(f"| {r.case.name} | {r.case.baseline_name} | {r.seconds * 1000:.0f} ms | {r.value:.2f}{unit} | "
              f"≤ {r.case.limit:g}{unit} | {'pass' if r.passed else 'FAIL'} |")  # fmt: skip
    return 0 if all(r.passed for r in results) else 1


def _settle(paths: list[Path]) -> None:
    """Wait until the data files are old enough for lineup to cache (it leaves a file that changed a
    moment ago uncached: a coarse clock could not tell that change from the next)."""
    newest = max(max(p.stat().st_mtime, p.stat().st_ctime) for p in paths)
    time.sleep(max(0.0, newest + 3.5 - time.time()))


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    raise SystemExit(main())
