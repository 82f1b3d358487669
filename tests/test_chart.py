import datetime as dt
import json
from pathlib import Path

import pytest

from lineup import chart as tl
from lineup import load

from .conftest import Run
from .helpers import EXPECTED, FIXTURE

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def alpha_us() -> tl.Chart:
    brand = load.load([FIXTURE]).brands["alpha"]
    return tl.chart(brand, ["US"], dt.date(2022, 11, 7), 2008, 2024)


def test_a_row_per_model_with_a_bar_per_window(alpha_us: tl.Chart) -> None:
    assert [(row.label, len(row.bars)) for row in alpha_us.rows] == [
        ("A2 Classic", 1),
        ("AX", 2),  # no 2018 model year: two bars
        ("A1", 1),
        ("A2", 1),
    ]
    ax = alpha_us.rows[1]
    # An open window is drawn as far as the day asked, and marked as going on.
    assert [(b.start.isoformat(), b.end.isoformat(), b.open) for b in ax.bars] == [
        ("2013-01-01", "2017-12-31", False),
        ("2018-03-01", "2022-11-07", True),
    ]


def test_an_announced_end_is_expected_after_the_day_asked(alpha_us: tl.Chart) -> None:
    a2 = next(row for row in alpha_us.rows if row.label == "A2")  # model years 2017-2023
    [bar] = a2.bars
    assert (bar.end.isoformat(), bar.open, bar.since_planned, bar.until_planned) == ("2023-12-31", False, False, True)


def test_the_chart_spans_the_data_by_default() -> None:
    brand = load.load([FIXTURE]).brands["alpha"]
    chart = tl.chart(brand, ["TW"], dt.date(2022, 11, 7))
    assert (chart.first.isoformat(), chart.last.isoformat()) == ("2014-01-01", "2022-12-31")
    assert chart.title == "Alpha in Taiwan, 2014\N{EN DASH}2022"
    both = tl.chart(brand, ["TW", "US"], dt.date(2022, 11, 7))
    assert both.title.startswith("Alpha in Taiwan and the United States")
    assert [row.market for row in both.rows] == sorted(row.market for row in both.rows)  # grouped by market


def test_terminal_chart_matches_the_golden_file(run: Run, regen_golden: bool) -> None:
    result = run(
        "timeline", "alpha", "-m", "US", "--as-of", "2022-11-07", "--from", "2008", "--to", "2024", "-f", "table"
    )
    assert result.exit_code == 0, result.output
    expected = EXPECTED / "timeline-alpha-us.txt"
    if regen_golden:
        expected.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == expected.read_text(encoding="utf-8")
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_month_precision_shows_where_the_width_allows(run: Run) -> None:
    # Two years over ~60 cells: about 2.5 cells a month, so a window ending 2022-04 stops before mid-year.
    out = run("timeline", "alpha", "-m", "TW", "--from", "2022", "--to", "2022", "--as-of", "2022-11-07", "-f", "table")
    line = next(x for x in out.stdout.splitlines() if x.startswith("A2 "))
    bar = line.rstrip().split()[-1]
    assert 0 < len(bar) < 30  # four months of a year's cells


def test_expected_stretches_are_drawn_differently(run: Run) -> None:
    out = run("timeline", "alpha", "-m", "TW", "--as-of", "2022-06-01", "--to", "2023", "-f", "table").stdout
    ax = next(x for x in out.splitlines() if x.startswith("AX "))
    assert tl.PLANNED in ax
    assert tl.FULL not in ax  # its whole window, 2022-H2 on, lies after the day asked
    assert "▼" in out


def test_bars_as_rows_for_scripts(run: Run) -> None:
    result = run(
        "timeline", "alpha", "-m", "US", "--from", "2008", "--to", "2024", "-f", "json", "--as-of", "2022-11-07"
    )
    bars = json.loads(result.stdout)
    ax = next(b for b in bars if b["model_id"] == "ax" and b["start"] == "2018-03-01")
    assert (ax["end"], ax["open"]) == ("2022-11-07", True)
    # expected and end_expected mean what they mean in `lineup show` on the same day.
    shown = json.loads(run("show", "alpha", "-m", "US", "--on", "2022-11-07", "-f", "json").stdout)
    flags = {b["model_id"]: (b["expected"], b["end_expected"]) for b in bars if b["end"] >= "2022-11-07"}
    assert flags == {row["model_id"]: (row["expected"], row["end_expected"]) for row in shown}


def test_a_file_that_cannot_be_written_is_an_error(run: Run, tmp_path: Path) -> None:
    result = run("timeline", "alpha", "--svg", str(tmp_path / "missing" / "chart.svg"))
    assert result.exit_code == 1
    assert "cannot write: No such file or directory" in result.stderr


def test_bad_years_are_usage_errors(run: Run) -> None:
    assert run("timeline", "alpha", "--from", "0").exit_code == 2


def test_every_window_gets_a_cell_however_short(tmp_path: Path) -> None:
    data = tmp_path / "short.toml"
    data.write_text(
        '[brands.s]\nname = "S"\n[brands.s.models.q]\nname = "Q"\nbody = "sedan"\n'
        "[brands.s.markets.US]\nq = { since = 2019-02-10, until = 2019-02-20 }\n",
        encoding="utf-8",
    )
    chart = tl.chart(load.load([data]).brands["s"], ["US"], dt.date(2022, 11, 7), 2000, 2030)
    for width in range(20, 200, 7):
        assert tl.FULL in tl._bars(chart, chart.rows[0], width, None).plain, width


def test_labels_keep_their_market_when_cut() -> None:
    assert tl._fit("Mercedes-AMG GT 4-Door Coupé · DE", 16) == "Mercedes-A… · DE"
    assert tl._fit("漢字の名前 · TW", 8).endswith("· TW")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        pytest.param(["--from", "2025", "--to", "2020"], 2, id="from-after-to"),
        pytest.param(["--from", "0"], 2, id="year-zero"),
        pytest.param(["--svg", "."], 2, id="svg-folder"),
        pytest.param(["--svg", ""], 2, id="svg-empty"),
        pytest.param(["--to", "9999", "-f", "table"], 2, id="year-9999"),  # no year lineup takes
        pytest.param(["--to", "2072", "-f", "table"], 0, id="last-year"),  # 50 years from the pinned today
        pytest.param(["--as-of", "2072-12-31", "-f", "table"], 0, id="last-day"),
    ],
)
def test_odd_arguments(run: Run, args: list[str], code: int) -> None:
    result = run("timeline", "alpha", *args)
    assert result.exit_code == code, result.output
    assert "internal error" not in result.stderr


def test_writing_follows_a_symlink(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "target.svg"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.svg"
    link.symlink_to(target)
    assert run("timeline", "alpha", "--svg", str(link)).exit_code == 0
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("<svg")
