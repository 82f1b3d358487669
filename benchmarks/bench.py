"""lineup's benchmark: each command timed against `python -c pass` in the same run, as a ratio.

Each case runs in pairs with its baseline (baseline, case, baseline, case, ...), so that a machine
busier in one moment than another slows both alike; the ratio reported is the median of the pairs'.
Peak memory is the largest resident size of the case's runs.

    python benchmarks/bench.py                  # every case, 5 pairs each
    python benchmarks/bench.py --repeats 9 -k 100k

The data: the embedded dataset; synthetic data in lineup's format at 1k, 10k and 100k windows (made
by benchmarks/synthetic.py, the same every time); the US model-year lists, imported, looked for in
../shared/datasets/us-car-models (or --us PATH) and skipped, with a message, when absent. "Cold"
reads the TOML files (LINEUP_NO_CACHE=1); "warm" reads the cache a first run filled. A cold read of
the large sets is also compared with a bare parse of the same files by tomllib.
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
from dataclasses import dataclass, field
from pathlib import Path

import synthetic

HERE = Path(__file__).resolve().parent
US_DEFAULT = HERE.parent.parent / "shared" / "datasets" / "us-car-models"
PYTHON = sys.executable
PASS = [PYTHON, "-c", "pass"]
BARE_TYPER = """
import typer
app = typer.Typer()
@app.command()
def one(name: str = "x") -> None:
    print(name)
@app.command()
def two(count: int = 1) -> None:
    print(count)
app()
"""
PARSE = "import sys, tomllib\nfor path in sys.argv[1:]:\n    tomllib.loads(open(path, encoding='utf-8').read())\n"


@dataclass
class Case:
    name: str
    command: Callable[[int], list[str]]  # the command of the n-th run, which may need its own folder
    env: dict[str, str] = field(default_factory=dict)
    baseline: list[str] | None = None  # what the ratio is to: python -c pass unless given
    baseline_name: str = "python -c pass"


@dataclass
class Result:
    name: str
    seconds: float  # median
    ratio: float  # median of the paired ratios
    baseline: str
    peak_mb: float


def run(command: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds and peak resident megabytes of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: check finding a warning with --strict, say
        raise SystemExit(f"bench: {' '.join(command)} failed: {stderr[-500:]}")
    return elapsed, usage.ru_maxrss / 1024


def measure(case: Case, repeats: int) -> Result:
    run(case.command(-1), case.env)  # a warm-up run: files, bytecode and (for warm cases) the cache
    baseline = case.baseline or PASS
    ratios, seconds, peaks = [], [], []
    for n in range(repeats):
        base, _ = run(baseline)
        took, peak = run(case.command(n), case.env)
        ratios.append(took / base)
        seconds.append(took)
        peaks.append(peak)
    return Result(case.name, statistics.median(seconds), statistics.median(ratios), case.baseline_name, max(peaks))


# The `lineup` command installed beside this Python, as a user runs it; `python -m lineup` if there is none.
SCRIPT = Path(PYTHON).parent / "lineup"


def lineup(*args: str) -> list[str]:
    return [str(SCRIPT), *args] if SCRIPT.is_file() else [PYTHON, "-m", "lineup", *args]


def cases(work: Path, us: Path | None, sizes: dict[str, Path]) -> list[Case]:
    cold = {"LINEUP_NO_CACHE": "1"}
    terminal = {"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1", "COLUMNS": "100"}
    show = ["show", "infiniti", "-m", "TW"]
    out = [
        Case("python -c pass", lambda n: PASS),
        Case("a bare two-command Typer app", lambda n: [PYTHON, "-c", BARE_TYPER, "one"]),
        Case("show infiniti -m TW -f tsv (embedded data)", lambda n: lineup(*show, "-f", "tsv")),
        Case("show infiniti -m TW as a table (terminal)", lambda n: lineup(*show, "-f", "table"), terminal),
    ]
    datasets = dict(sizes)
    if us is not None:
        datasets["US lists"] = work / "us"
    for label, path in datasets.items():
        files = sorted(map(str, path.rglob("*.toml"))) if path.is_dir() else [str(path)]
        brand = "ford" if label == "US lists" else synthetic.BRAND
        data = ["--data", str(path)]
        for mode, env in (("cold", cold), ("warm", {})):
            out += [
                Case(f"{label}: show {brand} -m US, {mode}", lambda n, d=data, b=brand: lineup("show", b, "-m", "US",
                     "-f", "tsv", *d), env),
                Case(f"{label}: diff {brand} 2015 2020 -m US, {mode}", lambda n, d=data, b=brand: lineup("diff", b,
                     "2015", "2020", "-m", "US", "-f", "tsv", *d), env),
                Case(f"{label}: check, {mode}", lambda n, p=str(path): lineup("check", p), env),
            ]  # fmt: skip
        if label in ("100k windows", "US lists"):
            out.append(
                Case(f"{label}: show, cold, to a bare tomllib parse", lambda n, d=data, b=brand: lineup("show", b,
                     "-m", "US", "-f", "tsv", *d), cold, [PYTHON, "-c", PARSE, *files], "tomllib parse")
            )  # fmt: skip
    if "100k windows" in sizes:
        big = str(sizes["100k windows"])
        out.append(Case("100k windows: export -f csv, warm", lambda n: lineup("export", "-f", "csv", "-o",
                        str(work / "export.csv"), "--data", big)))  # fmt: skip
        out.append(Case("100k windows: export -f sqlite, warm", lambda n: lineup("export", "-f", "sqlite", "-o",
                        str(work / f"export-{n}.sqlite"), "--data", big)))  # fmt: skip
    if us is not None:
        lists = sorted(map(str, us.glob("*.csv")))

        def fresh(n: int) -> str:
            folder = work / f"import-{n}"
            shutil.rmtree(folder, ignore_errors=True)
            return str(folder)

        out.append(Case("import csv: the US lists into an empty folder",
                        lambda n: lineup("import", "csv", *lists, "-m", "US", "--into", fresh(n))))  # fmt: skip
    return out


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
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # a cache of the benchmark's own
        sizes = {f"{n // 1000}k windows": work / f"synthetic-{n}.toml" for n in (1000, 10_000, 100_000)}
        for path in sizes.values():  # made by another process: a child's peak memory counts its parent's at birth
            subprocess.run([PYTHON, str(HERE / "synthetic.py"), str(path), path.stem.split("-")[1]], check=True)
        if us is not None:
            run(lineup("import", "csv", *map(str, sorted(us.glob("*.csv"))), "-m", "US", "--into", str(work / "us")))
        chosen = [c for c in cases(work, us, sizes) if args.only in c.name]
        results = []
        for case in chosen:
            print(f"bench: {case.name}", file=sys.stderr)
            results.append(measure(case, args.repeats))
    print(f"lineup benchmark, {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, "
          f"{platform.machine()}, {_cores()} cores, {args.repeats} pairs per case\n")  # fmt: skip
    print("| case | median time | ratio | to | peak memory |")
    print("|---|---:|---:|---|---:|")
    for r in results:
        print(f"| {r.name} | {r.seconds * 1000:.0f} ms | {r.ratio:.1f} | {r.baseline} | {r.peak_mb:.0f} MB |")
    return 0


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    raise SystemExit(main())
