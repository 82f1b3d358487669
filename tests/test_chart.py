import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lineup import chart as tl
from lineup import chart_terminal as text
from lineup import load
from lineup.model import Dataset

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
    assert text.PLANNED in ax
    assert "█" not in ax  # its whole window, 2022-H2 on, lies after the day asked
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
        for paint in (text.Paint(True), text.Paint(False)):
            assert paint.fill(chart.rows[0].bars[0]) in text._bars(chart, chart.rows[0], width, None, paint).plain


def test_labels_are_cut_to_the_label_column() -> None:
    assert text._fit("Mercedes-AMG GT 4-Door Coupé", 16) == "Mercedes-AMG GT…"
    assert text._fit("漢字の名前漢字の名前", 8) == "漢字の… "


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


# --- renames: one row, its label changing at the rename ---------------------------------------------


@pytest.fixture(scope="module")
def embedded() -> Dataset:
    return load.load([load.embedded_path()])


def test_a_renamed_model_is_one_row(embedded: Dataset) -> None:
    chart = tl.chart(embedded.brands["infiniti"], ["US"], dt.date(2026, 12, 6))
    labels = [row.label for row in chart.rows]
    for chain in ("EX → QX50", "FX → QX70", "JX → QX60", "M → Q70", "QX56 → QX80", "G37 Coupe → Q60"):
        assert chain in labels
    assert not {"EX", "QX50", "FX", "QX70", "JX", "QX60", "M", "Q70", "QX56", "QX80", "G37 Coupe"} & set(labels)
    qx50 = next(row for row in chart.rows if row.label == "EX → QX50")
    assert [(bar.model.id if bar.model else None, bar.renamed) for bar in qx50.bars] == [
        ("ex", False), ("qx50", True), ("qx50", False)  # the second QX50 bar is a new generation, not a name
    ]  # fmt: skip
    assert qx50.bars[2].generation == "2"
    # The Q60 of 2017 follows the G37 Coupe too, but as a new generation (its `generation = 2`), years later.
    assert "Q60" in labels


def test_only_a_name_changing_over_on_one_car_is_a_rename(embedded: Dataset) -> None:
    nissan = tl.chart(embedded.brands["nissan"], ["US"], dt.date(2026, 12, 6))
    labels = [row.label for row in nissan.rows]
    # The Kicks replaced the Juke in the US while the Juke went on in Taiwan; the first Kicks became the Kicks
    # Play while the name Kicks went on; the Z is a new generation after the 370Z.
    assert {"Juke", "Kicks", "Kicks Play", "370Z", "Z"} <= set(labels)
    assert not any("→" in label for label in labels)
    lexus = tl.chart(embedded.brands["lexus"], ["US"], dt.date(2026, 12, 6))
    assert {"SC", "LC", "RC"} <= {row.label for row in lexus.rows}  # they follow the SC years after it left
    alpha = tl.chart(load.load([FIXTURE]).brands["alpha"], ["US"], dt.date(2022, 11, 7))
    assert {"A2 Classic", "A2"} <= {row.label for row in alpha.rows}  # a gap of a year and more between them


def test_a_rename_joins_rows_only_where_it_happened(tmp_path: Path) -> None:
    data = tmp_path / "r.toml"
    data.write_text(
        '[brands.r]\nname = "R"\n[brands.r.models.old]\nname = "Old"\nbody = "sedan"\n'
        '[brands.r.models.new]\nname = "New"\nbody = "sedan"\nfollows = "old"\n'
        "[brands.r.markets.US]\nold = { model_years = [2010, 2013] }\nnew = { model_years = [2014] }\n"
        "[brands.r.markets.TW]\nnew = { since = 2015 }\n",
        encoding="utf-8",
    )
    brand = load.load([data]).brands["r"]
    chart = tl.chart(brand, ["TW", "US"], dt.date(2022, 11, 7))
    assert [(row.market, row.label) for row in chart.rows] == [("TW", "New"), ("US", "Old → New")]
    # Drawn from after the old name's end, the row has only the new name.
    assert [row.label for row in tl.chart(brand, ["US"], dt.date(2022, 11, 7), 2015).rows] == ["New"]


def test_the_terminal_marks_the_rename(run: Run) -> None:
    result = run("timeline", "infiniti", "-m", "US", "-f", "table", data=None)
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("EX → QX50"))
    assert text.RENAMED in row.split("crossover", 1)[1]
    assert f"{text.RENAMED} renamed" in result.stdout


# --- labels by name, never an id -------------------------------------------------------------------


def test_two_models_of_one_name_are_told_apart_by_their_years(run: Run, embedded: Dataset) -> None:
    chart = tl.chart(embedded.brands["infiniti"], [], dt.date(2026, 12, 6))
    labels = {row.label for row in chart.rows}
    assert {"Q60 (2014\N{EN DASH}2018)", "Q60 (2017\N{EN DASH}2023)"} <= labels
    assert not any("q60-2013" in label or "(q60" in label for label in labels)
    out = run("timeline", "infiniti", "-m", "ID", "-m", "TW", "-f", "table", data=None).stdout
    assert "Q60 (2014\N{EN DASH}2018)" in out
    assert "Q60 (2017\N{EN DASH}2023)" in out
    assert "q60-2013" not in out


def test_a_name_shown_once_needs_no_years(embedded: Dataset) -> None:
    chart = tl.chart(embedded.brands["infiniti"], ["TW"], dt.date(2026, 12, 6))
    assert "Q60" in [row.label for row in chart.rows]


# --- the terminal at 80 columns ---------------------------------------------------------------------


def test_the_still_on_sale_arrow_is_kept_at_the_right_edge(run: Run) -> None:
    result = run("timeline", "infiniti", "-m", "TW", "-f", "table", data=None)
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    itself = next(line for line in lines if line.startswith("Infiniti itself"))
    assert itself.endswith(text.MORE)  # on sale through the chart's last day, which the bars reach
    q50 = next(line for line in lines if line.startswith("Q50 "))
    assert not q50.endswith(text.MORE)  # ended 2024


def test_the_day_marker_hides_no_year(run: Run) -> None:
    out = run("timeline", "alpha", "-m", "US", "--as-of", "2022-11-07", "--from", "2008", "--to", "2024",
              "-f", "table").stdout  # fmt: skip
    lines = out.splitlines()
    marker = next(n for n, line in enumerate(lines) if "▼" in line)
    assert lines[marker].strip() == "2022-11-07 ▼"
    axis = lines[marker + 1].split()
    assert axis == [str(year) for year in range(2008, 2025, 2)]  # 2022, under the marker, among them
    column = lines[marker].index("▼")
    assert lines[marker + 2][column] == text.MARK  # the marker and the line down the rows agree


def test_a_bar_cut_by_from_starts_with_a_mark(run: Run) -> None:
    out = run("timeline", "alpha", "-m", "US", "--as-of", "2022-11-07", "--from", "2016", "-f", "table").stdout
    ax = next(line for line in out.splitlines() if line.startswith("AX "))
    assert ax.split("suv", 1)[1].lstrip(" ").startswith(text.BEFORE)  # on sale since 2013
    a2 = next(line for line in out.splitlines() if line.startswith("A2 "))
    assert text.BEFORE not in a2  # on sale from 2017: not cut
    assert f"{text.BEFORE} on sale before 2016" in out


def test_without_colour_each_body_style_has_its_own_fill(run: Run) -> None:
    out = run("timeline", "alpha", "-m", "US", "--as-of", "2022-11-07", "-f", "table").stdout  # NO_COLOR is set
    legend = next(line for line in out.splitlines() if "sedan" in line and "coupe" in line)
    swatches = [legend.split(f" {body}")[0].split()[-1] for body in ("suv", "sedan", "coupe")]
    assert len(set(swatches)) == 3, legend
    rows = {line.split()[0]: line for line in out.splitlines() if line.split() and line.split()[0] in ("AX", "A1")}
    assert swatches[0] in rows["AX"]
    assert swatches[1] in rows["A1"]
    assert swatches[0] not in rows["A1"]
    coloured = run("timeline", "alpha", "-m", "US", "--as-of", "2022-11-07", "-f", "table", "--color", "always")
    assert "\x1b[" in coloured.stdout


def test_the_legend_names_only_what_is_drawn(run: Run) -> None:
    out = run("timeline", "alpha", "-m", "US", "--as-of", "2022-11-07", "--to", "2021", "-f", "table").stdout
    assert "expected" not in out  # the A2's announced end, in 2023, is not drawn
    assert "first seen" not in out
    assert "still on sale" in out
    planned = run("timeline", "alpha", "-m", "TW", "--as-of", "2022-11-07", "-f", "table").stdout
    assert f"{text.PLANNED} expected" in planned


def test_an_expected_bar_has_no_still_on_sale_arrow(embedded: Dataset) -> None:
    chart = tl.chart(embedded.brands["infiniti"], ["TW"], dt.date(2026, 12, 6))
    qx60 = next(row for row in chart.rows if row.label == "QX60")  # a launch still only planned
    assert [(bar.since_planned, bar.open) for bar in qx60.bars] == [(True, False)]
    for row in chart.rows:
        for bar in row.bars:
            assert not (bar.open and bar.expected_after(chart.on))


# --- rows for scripts -------------------------------------------------------------------------------


def test_the_model_column_is_the_name_only(run: Run) -> None:
    bars = json.loads(run("timeline", "alpha", "-f", "json", "--as-of", "2022-11-07").stdout)
    assert {(b["model"], b["market"], b["model_id"]) for b in bars if b["model_id"] == "a1"} == {
        ("A1", "TW", "a1"), ("A1", "US", "a1")
    }  # fmt: skip
    assert not any("·" in b["model"] for b in bars)
    rows = run("timeline", "infiniti", "-m", "US", "-f", "csv", "--columns", "model,model_id,row,renamed", data=None)
    assert "EX,ex,EX → QX50,false" in rows.stdout.splitlines()
    assert "QX50,qx50,EX → QX50,true" in rows.stdout.splitlines()
    tsv = run("timeline", "infiniti", "-m", "TW", "-f", "tsv", data=None).stdout
    assert {line.split("\t")[0] for line in tsv.splitlines()} >= {"Q50", "Q60"}


def test_nothing_to_draw_is_said_and_no_picture_is_written(run: Run, tmp_path: Path) -> None:
    picture = tmp_path / "x.svg"
    result = run("timeline", "alpha", "-m", "TW", "--from", "2040", "--svg", str(picture))
    assert result.exit_code == 0
    assert "nothing to draw: no stretch on sale of Alpha from 2040" in result.stderr
    assert not picture.exists()
    assert run("timeline", "alpha", "-m", "TW", "--from", "2040", "-f", "json").stdout.strip() == "[]"


def test_the_notes_come_after_the_chart(tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "80"}
    command = [sys.executable, "-m", "lineup", "timeline", "infiniti", "-m", "TW", "-f", "table"]
    together = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
                              env=env, timeout=60).stdout  # fmt: skip
    lines = together.splitlines()
    assert lines[0].startswith("Infiniti in Taiwan")
    assert lines[-1].startswith("note: not known to be complete")


def test_a_bar_cut_by_from_is_not_drawn_as_first_seen_at_the_chart_s_edge(run: Run) -> None:
    out = run("timeline", "infiniti", "-m", "TW", "--from", "2019", "-f", "table", data=None).stdout
    q50 = next(line for line in out.splitlines() if line.startswith("Q50"))
    assert "◂" in q50
    assert "▒" not in q50
    assert "first seen" not in out  # nothing drawn so, so nothing in the legend
    assert "▒" in run("timeline", "infiniti", "-m", "TW", "-f", "table", data=None).stdout
