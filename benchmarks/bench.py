"""lineup's benchmark: each command timed against `python -c pass` in the same run, as a ratio.

Each case runs in pairs with the baseline (baseline, case, baseline, case, ...), so that a machine
busier in one moment than another slows both alike; the ratio reported is the median of the pairs'.

    python benchmarks/bench.py                  # every case, 5 pairs each
    python benchmarks/bench.py --repeats 9 -k import

The US model-year lists are looked for in ../shared/datasets/us-car-models (or --us PATH); the cases
that need them are skipped, with a message, when they are absent.
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
US_DEFAULT = HERE.parent.parent / "shared" / "datasets" / "us-car-models"
PYTHON = sys.executable
BASELINE = [PYTHON, "-c", "pass"]


@dataclass
class Case:
    name: str
    command: Callable[[int], list[str]]  # the command of the n-th run, which may need its own folder
    needs_us: bool = False


@dataclass
class Result:
    name: str
    seconds: float  # median
    ratio: float  # median of the paired ratios


def timed(command: Sequence[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed


def measure(case: Case, repeats: int) -> Result:
    timed(case.command(-1))  # a warm-up run: the files and the interpreter's bytecode are in memory
    ratios, seconds = [], []
    for n in range(repeats):
        base = timed(BASELINE)
        took = timed(case.command(n))
        ratios.append(took / base)
        seconds.append(took)
    return Result(case.name, statistics.median(seconds), statistics.median(ratios))


def lineup(*args: str) -> list[str]:
    return [PYTHON, "-m", "lineup", *args]


def cases(us: Path | None, work: Path) -> list[Case]:
    lists = sorted(map(str, us.glob("*.csv"))) if us else []
    imported = work / "us-imported"

    def fresh(n: int) -> Path:
        folder = work / f"import-{n}"
        shutil.rmtree(folder, ignore_errors=True)
        return folder

    return [
        Case("python -c pass", lambda n: BASELINE),
        Case("lineup show infiniti -m TW -f tsv", lambda n: lineup("show", "infiniti", "-m", "TW", "-f", "tsv")),
        Case(
            "import csv: the US lists into an empty folder",
            lambda n: lineup("import", "csv", *lists, "-m", "US", "--into", str(fresh(n))),
            needs_us=True,
        ),
        Case(
            "import csv: the same lists again (nothing changes)",
            lambda n: lineup("import", "csv", *lists, "-m", "US", "--into", str(imported)),
            needs_us=True,
        ),
        Case("check: the imported US data", lambda n: lineup("check", str(imported)), needs_us=True),
        Case(
            "show: the imported US data",
            lambda n: lineup("show", "ford", "-m", "US", "--model-year", "2010", "-f", "tsv", "--data", str(imported)),
            needs_us=True,
        ),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5, help="pairs per case (default 5)")
    parser.add_argument("--us", type=Path, default=US_DEFAULT, help="the folder of US model-year lists")
    parser.add_argument("-k", dest="only", default="", help="only the cases whose name holds this text")
    args = parser.parse_args(argv)
    us = args.us if args.us.is_dir() else None
    if us is None:
        print(f"bench: no US model-year lists at {args.us}: the cases that need them are skipped", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="lineup-bench-") as folder:
        work = Path(folder)
        if us is not None:
            timed(lineup("import", "csv", *map(str, sorted(us.glob("*.csv"))), "-m", "US", "--into",
                         str(work / "us-imported")))  # fmt: skip
        chosen = [c for c in cases(us, work) if args.only in c.name and (us is not None or not c.needs_us)]
        results = []
        for case in chosen:
            print(f"bench: {case.name}", file=sys.stderr)
            results.append(measure(case, args.repeats))
    print(f"lineup benchmark, {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, "
          f"{platform.machine()}, {_cores()} cores, {args.repeats} pairs per case\n")  # fmt: skip
    print("| case | median time | ratio to python -c pass |")
    print("|---|---:|---:|")
    for r in results:
        print(f"| {r.name} | {r.seconds * 1000:.0f} ms | {r.ratio:.1f} |")
    return 0


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    raise SystemExit(main())
