"""`lineup import csv`: model-year lists in, data that agrees with them out, and nothing lost."""

import csv
import itertools
import json
import os
import random
import shutil
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lineup import importer, load
from lineup.model import Window
from lineup.text import slug

from .conftest import Run
from .helpers import DATA

CSV = DATA / "csv"
EXCERPT = CSV / "us-excerpt.csv"
ODD = CSV / "odd.csv"
COLLIDE = CSV / "collide.csv"
BOM_CRLF = CSV / "bom-crlf.csv"
US_DATASET = Path(os.environ.get("LINEUP_US_DATASET", Path(__file__).parents[2] / "shared/datasets/us-car-models"))

ModelYears = dict[str, dict[str, set[int]]]  # make -> model -> model years, both case-folded


def model_years(paths: Sequence[Path]) -> ModelYears:
    """What the lists say, read straight from the CSV files."""
    out: ModelYears = defaultdict(lambda: defaultdict(set))
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["year"].isdigit() and row["make"]:
                    out[row["make"].casefold()][row["model"].casefold()].add(int(row["year"]))
    return out


def spans(years: set[int]) -> list[tuple[int, int]]:
    """Runs of consecutive years."""
    ordered = sorted(years)
    starts = [y for y in ordered if y - 1 not in years]
    ends = [y for y in ordered if y + 1 not in years]
    return list(zip(starts, ends, strict=True))


def import_csv(run: Run, *args: str) -> tuple[int, str]:
    result = run("import", "csv", *args, data=None)
    return result.exit_code, result.stderr


def assert_diffs_agree(run: Run, into: Path, lists: ModelYears, make: str, pairs: Sequence[tuple[int, int]]) -> None:
    """`lineup diff MAKE Y1 Y2 --model-year` says what the lists say: added, dropped, and back after a gap."""
    brand = make.replace(" ", "-")
    models = lists[make]
    for y1, y2 in pairs:
        result = run("diff", brand, str(y1), str(y2), "-m", "US", "--model-year", "-f", "json",
                     data=[into / f"{brand}.toml"])  # fmt: skip
        assert result.exit_code == 0, (make, y1, y2, result.stderr)
        changes = json.loads(result.stdout)
        got = {kind: {c["model"].casefold() for c in changes if c["change"] in kinds}
               for kind, kinds in (("added", ("added", "first-seen")), ("dropped", ("dropped",)),
                                   ("back", ("dropped-then-back",)), ("unknown", ("unknown",)))}  # fmt: skip
        before = {m for m, years in models.items() if y1 in years}
        after = {m for m, years in models.items() if y2 in years}
        low, high = sorted((y1, y2))
        gap = {m for m in before & after if any(y not in models[m] for y in range(low + 1, high))}
        # Where the lists are thin (recorded as partial coverage), a change is `unknown` rather than a drop
        # or an arrival the lists alone cannot tell from a gap in them; every other change is as they say.
        unknown = got.pop("unknown")
        assert unknown <= (after - before) | (before - after) | {m for m in models if y1 not in models[m]}, make
        assert got["added"] | (unknown & (after - before)) == after - before, (make, y1, y2)
        assert got["dropped"] | (unknown & (before - after)) == before - after, (make, y1, y2)
        assert got["back"] == gap, (make, y1, y2)


def test_an_import_agrees_with_the_lists_gaps_and_all(run: Run, tmp_path: Path) -> None:
    into = tmp_path / "us"
    code, stderr = import_csv(run, str(EXCERPT), "-m", "US", "--into", str(into))
    assert code == 0, stderr
    assert sorted(p.name for p in into.iterdir()) == ["infiniti.toml", "mini.toml"]
    lists = model_years([EXCERPT])
    data = load.load([into])
    for make, models in lists.items():
        brand = data.brands[make]
        assert {brand.models[m].name.casefold() for m in brand.markets["US"]} == set(models)
    # a missing model year splits the window: the lists have no 2016 Q60
    q60 = data.brands["infiniti"].markets["US"]["q60"]
    assert [w.model_years for w in q60] == [(2014, 2015), (2017, 2022)]
    years = range(2012, 2025)
    pairs = [(a, b) for a, b in itertools.permutations(years, 2) if (a + b) % 3 == 0]  # both directions
    for make in lists:
        assert_diffs_agree(run, into, lists, make, pairs)
    assert run("check", "--strict", str(into), data=None).exit_code == 0


def test_importing_again_changes_nothing(run: Run, tmp_path: Path) -> None:
    into = tmp_path / "us"
    assert import_csv(run, str(EXCERPT), "-m", "US", "--into", str(into))[0] == 0
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in into.iterdir()}
    code, stderr = import_csv(run, str(EXCERPT), "-m", "US", "--into", str(into))
    assert code == 0, stderr
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in into.iterdir()} == before
    assert "0 new" in stderr
    assert "0 files written" in stderr


def test_the_summary_reports_what_was_skipped_and_what_did_not_map(run: Run, tmp_path: Path) -> None:
    into = tmp_path / "odd.toml"
    code, stderr = import_csv(run, str(ODD), "-m", "US", "--into", str(into))
    assert code == 0, stderr
    data = load.load([into])
    assert list(data.brands) == ["acme"]  # Acme, ACME and acme are one make
    acme = data.brands["acme"]
    assert acme.name == "Acme"
    assert [w.model_years for w in acme.markets["US"]["roadrunner"]] == [(2019, 2022), (2024, 2024)]
    assert [b.value for b in acme.models["roadrunner"].body] == ["coupe", "convertible"]
    assert [b.value for b in acme.models["hauler"].body] == ["van"]  # Van/Minivan; a row with no style is kept
    assert acme.models["flyer"].body == ()  # a style with no lineup word: the model is kept, its body unknown
    assert "body style 'Hovercraft' has no lineup word: left out of 1 row, which are kept" in stderr
    assert f"{ODD}:8: year '20x1' is not a year" in stderr
    assert f"{ODD}:9: no make or model" in stderr
    summary = stderr.splitlines()[-1]
    assert summary.startswith("note: read 10 rows: 1 brand, 3 models, 4 windows")
    assert "rows skipped: 1 no make or model, 1 year '20x1' is not a year" in summary
    check = run("check", str(into), data=None)
    assert check.exit_code == 0
    assert "unknown-body" in check.output


def test_make_picks_makes_in_any_case(run: Run, tmp_path: Path) -> None:
    into = tmp_path / "us"
    assert import_csv(run, str(EXCERPT), "-m", "US", "--make", "mini", "--into", str(into))[0] == 0
    assert list(load.load([into]).brands) == ["mini"]


def test_an_import_keeps_hand_written_facts_and_reports_conflicts(run: Run, tmp_path: Path) -> None:
    into = tmp_path / "data"
    into.mkdir()
    shutil.copy(load.embedded_path(), into / "lineups.toml")
    before = (into / "lineups.toml").read_text(encoding="utf-8")
    code, stderr = import_csv(run, str(EXCERPT), "-m", "US", "--into", str(into))
    assert code == 0, stderr
    after = (into / "lineups.toml").read_text(encoding="utf-8")
    # every line there was is still there, in order: the import only adds
    kept = iter(after.splitlines())
    assert all(line in kept for line in before.splitlines())
    was, now = load.load([load.embedded_path()]).brands["infiniti"], load.load([into]).brands["infiniti"]
    for model, windows in was.markets["US"].items():
        assert [w._replace(table=None, path=()) for w in now.markets["US"][model]] == [
            w._replace(table=None, path=()) for w in windows
        ]  # the data's windows, notes and sources, as they were
    lists = model_years([EXCERPT])["infiniti"]
    assert set(lists) <= set(now.markets["US"])  # the ids here are the names; models new to the data came in
    covered = {year for years in model_years([EXCERPT]).values() for ys in years.values() for year in ys}

    def data_years(windows: tuple[Window, ...]) -> set[int]:  # an open window runs on through the lists' years
        return {y for w in windows for y in range(w.first_model_year, (w.last_model_year or 9999) + 1)} & covered

    disagree = {  # the lists' models the data has under the same id, with other model years where the lists look
        model for model, windows in was.markets["US"].items() if data_years(windows) != lists.get(model, set())
    }
    reported = {line.split(" in US:")[0].removeprefix("note: kept as it was: infiniti/")
                for line in stderr.splitlines() if line.startswith("note: kept as it was:")}  # fmt: skip
    assert disagree
    assert reported == disagree
    assert (into / "mini.toml").exists()  # a brand new to the data gets its own file
    assert run("check", str(into), data=None).exit_code == 0


def test_a_list_of_some_years_disagrees_only_about_those_years(run: Run, tmp_path: Path) -> None:
    """A list of 2017 says nothing of 2016: a window of the data running 2014-2022 agrees with it."""
    one_year = tmp_path / "2017.csv"
    rows = [line for line in EXCERPT.read_text(encoding="utf-8").splitlines(keepends=True)
            if line.startswith(("year", "2017,")) and not line.startswith("2017,INFINITI,Q50,")]  # fmt: skip
    one_year.write_text("".join([*rows, '2017,INFINITI,FX,"[""SUV""]"\n']), encoding="utf-8")  # made up
    into = tmp_path / "data"
    into.mkdir()
    shutil.copy(load.embedded_path(), into / "lineups.toml")
    code, stderr = import_csv(run, str(one_year), "-m", "US", "--make", "infiniti", "--into", str(into))
    assert code == 0, stderr
    was = load.load([load.embedded_path()]).brands["infiniti"].markets["US"]
    listed = model_years([one_year])["infiniti"]
    on_sale = {m for m, ws in was.items() if any(w.first_model_year <= 2017 <= (w.last_model_year or 9999) for w in ws)}
    reported = {line.split(" in US:")[0].removeprefix("note: kept as it was: infiniti/")
                for line in stderr.splitlines() if line.startswith("note: kept as it was:")}  # fmt: skip
    assert reported == (on_sale ^ set(listed)) & set(was)  # only where the data and the list differ about 2017
    assert reported == {"q50", "fx"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"year,make,model\n2020,A,B\n", "no body_styles column", id="column"),
        pytest.param(b"year,make,model,body_styles\n2020,\xff,B,\n", ":2: not UTF-8 text (byte 0xff)", id="encoding"),
    ],
)
def test_an_unusable_list_is_one_located_error(run: Run, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    code, stderr = import_csv(run, str(path), "-m", "US", "--into", str(tmp_path / "out"))
    assert code == 1
    assert stderr.startswith(f"error: {path}:")
    assert message in stderr
    assert len(stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()  # nothing made, not even the folder


def test_names_that_make_one_id_are_one_brand_or_model(run: Run, tmp_path: Path) -> None:
    into = tmp_path / "out"
    code, stderr = import_csv(run, str(COLLIDE), "-m", "US", "--into", str(into))
    assert code == 0, stderr
    data = load.load([into])
    assert sorted(data.brands) == ["acme", "mercedes-benz", "xn--fiqs8s", "xn--wgv71a"]  # 中国 and 日本 apart
    benz = data.brands["mercedes-benz"]
    assert [w.model_years for w in benz.markets["US"]["c-class"]] == [(2015, 2016), (2019, 2020)]
    assert {b.value for b in benz.models["c-class"].body} == {"sedan", "coupe"}
    assert [w.model_years for w in data.brands["acme"].markets["US"]["3-series"]] == [(2019, 2021)]
    assert "the makes 'Mercedes Benz' and 'Mercedes-Benz' are one brand, mercedes-benz" in stderr
    assert "the Acme models '3 Series' and '3-Series' are one, 3-series" in stderr
    written = sum(len(ws) for b in data.brands.values() for ws in b.markets["US"].values())
    models = sum(len(b.models) for b in data.brands.values())
    assert f"4 brands, {models} models, {written} windows" in stderr.splitlines()[-1]  # what was written
    code, stderr = import_csv(run, str(COLLIDE), "-m", "US", "--into", str(into))
    assert "kept as it was" not in stderr  # ids are stable: again, nothing to disagree with
    assert stderr.splitlines()[-1].endswith("0 files written")


def test_odd_lists_byte_order_mark_line_ends_quotes_and_cells(run: Run, tmp_path: Path) -> None:
    into = tmp_path / "out.toml"
    code, stderr = import_csv(run, str(BOM_CRLF), str(BOM_CRLF), "-m", "US", "--into", str(into))
    assert code == 0, stderr
    acme = load.load([into]).brands["acme"]
    assert acme.models["roadster-spider"].name == "Roadster, Spider"
    assert [w.model_years for w in acme.markets["US"]["roadster-spider"]] == [(2020, 2021)]
    assert "year '2020²' is not a year" in stderr
    assert "body style '[[[[" in stderr  # a cell too deep to read is a style with no word, its row kept
    assert stderr.splitlines()[-1].startswith("note: read 4 rows")  # a list named twice is read once
    assert acme.markets["US"]["roadster-spider"][0].sources == ("model-year lists: bom-crlf.csv",)


def test_an_import_into_a_file_of_the_data_edits_the_data_where_it_is(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(load.embedded_path(), folder / "lineups.toml")
    into = folder / "us.toml"
    code, stderr = import_csv(run, str(EXCERPT), "-m", "US", "--data", str(folder), "--into", str(into))
    assert code == 0, stderr
    assert run("check", str(folder), data=None).exit_code == 0  # no brand, model or window twice
    assert list(load.load([into]).brands) == ["mini"]  # the brand new to the data
    assert "qx" in load.load([folder]).brands["infiniti"].markets["US"]  # added where Infiniti's US windows are


def test_names_that_reach_one_brand_or_model_of_the_data_are_one(run: Run, tmp_path: Path) -> None:
    """One list name matches the data's id, another its name: both are that brand or model."""
    data = tmp_path / "mazda.toml"
    data.write_text('[brands.mz]\nname = "Mazda"\norigin = "JP"\n\n[brands.mz.models.3]\nname = "Mazda3"\n'
                    'body = "sedan"\n', encoding="utf-8")  # fmt: skip
    lists = tmp_path / "m.csv"
    lists.write_text("year,make,model,body_styles\n2012,MZ,3,\n2013,MZ,3,\n2019,Mazda,Mazda3,\n2020,Mazda,Mazda3,\n",
                     encoding="utf-8")  # fmt: skip
    code, stderr = import_csv(run, str(lists), "-m", "US", "--into", str(data))
    assert code == 0, stderr
    windows = load.load([data]).brands["mz"].markets["US"]["3"]
    assert [w.model_years for w in windows] == [(2012, 2013), (2019, 2020)]
    assert "the makes 'Mazda' and 'MZ' are the data's brand mz" in stderr
    assert "the Mazda models '3' and 'Mazda3' are the data's model 3" in stderr
    assert "1 brand, 1 model, 2 windows" in stderr.splitlines()[-1]


def test_an_import_stopped_by_a_read_only_file_writes_nothing(run: Run, tmp_path: Path) -> None:
    into = tmp_path / "out"
    early = tmp_path / "early.csv"
    early.write_text("".join(line for line in EXCERPT.read_text(encoding="utf-8").splitlines(keepends=True)
                             if ",Paceman," not in line and ",QX30," not in line), encoding="utf-8")  # fmt: skip
    assert import_csv(run, str(early), "-m", "US", "--into", str(into))[0] == 0
    (into / "mini.toml").chmod(0o444)
    before = {p.name: p.read_bytes() for p in into.iterdir()}
    code, stderr = import_csv(run, str(EXCERPT), "-m", "US", "--into", str(into))
    assert code == 1
    assert "mini.toml: is read-only" in stderr
    assert {p.name: p.read_bytes() for p in into.iterdir()} == before  # infiniti.toml too: nothing was written


def test_make_names_what_the_lists_hold(run: Run, tmp_path: Path) -> None:
    into = tmp_path / "out"
    code, stderr = import_csv(run, str(COLLIDE), "-m", "US", "--make", "nosuch", "--into", str(into))
    assert code == 0
    assert "note: no make in the lists is 'nosuch'" in stderr
    assert not into.exists()  # nothing to write: nothing made
    code, stderr = import_csv(run, str(COLLIDE), "-m", "US", "--make", "xn--wgv71a", "--into", str(into))
    assert list(load.load([into]).brands) == ["xn--wgv71a"]  # the id lineup made for 日本 names it


def test_into_must_be_data(run: Run, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.write_text("not data = [\n", encoding="utf-8")
    code, stderr = import_csv(run, str(EXCERPT), "-m", "US", "--into", str(plain))
    assert code == 1
    assert "(this is not a lineup data file)" in stderr
    assert plain.read_text(encoding="utf-8") == "not data = [\n"
    code, stderr = import_csv(run, str(EXCERPT), "-m", "US", "--into", str(plain / "x"))
    assert code == 1
    assert stderr == f"error: {plain / 'x'}: cannot make the folder: Not a directory\n"


@pytest.mark.skipif(not US_DATASET.is_dir(), reason=f"the US model-year lists are not at {US_DATASET}")
def test_the_whole_us_dataset(run: Run, tmp_path: Path) -> None:
    paths = sorted(US_DATASET.glob("*.csv"))
    into = tmp_path / "us"
    code, stderr = import_csv(run, *map(str, paths), "-m", "US", "--into", str(into))
    assert code == 0, stderr
    assert run("check", str(into), data=None).exit_code == 0
    lists = model_years(paths)
    rng = random.Random(5)
    for make in rng.sample(sorted(lists), 12):
        years = sorted({y for ys in lists[make].values() for y in ys})
        pairs = [tuple(rng.sample(range(years[0] - 1, years[-1] + 2), 2)) for _ in range(6)]
        assert_diffs_agree(run, into, lists, make, pairs)  # type: ignore[arg-type]


def test_reading_reports_progress_in_characters() -> None:
    seen: list[int] = []
    importer.read([EXCERPT, ODD], step=seen.append)
    assert sum(seen) == sum(len(p.read_text(encoding="utf-8")) for p in (EXCERPT, ODD))


@given(st.text())
def test_an_id_from_any_name_is_an_id_or_nothing(name: str) -> None:
    made = slug(name)
    assert made == "" or load.is_id(made)
    assert made == slug(name.casefold())


@pytest.mark.parametrize(
    ("name", "made"),
    [("Mercedes-Benz", "mercedes-benz"), ("Mercedes Benz", "mercedes-benz"), ("3 Series", "3-series"),
     ("Škoda", "skoda"), ("Łada", "lada"), ("Œuvre", "oeuvre"), ("日本", "xn--wgv71a"), ("xn--wgv71a", "xn--wgv71a"),
     ("中国", "xn--fiqs8s"), ("?!", "")],
)  # fmt: skip
def test_ids_from_names(name: str, made: str) -> None:
    assert slug(name) == made


def _lists(folder: Path, years: dict[int, int], styled: bool = True) -> list[Path]:
    """A list per model year, of Acme's first N models (and Other's ten, so that no year is short of rows)."""
    paths = []
    for year, count in years.items():
        style = '"[""sedan""]"' if styled else '""'
        rows = [f"{year},Acme,Model {n},{style}" for n in range(count)]
        rows += [f"{year},Other,Thing {n},{style}" for n in range(10)]
        path = folder / f"{year}.csv"
        path.write_text("year,make,model,body_styles\n" + "\n".join(rows) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_a_thin_year_of_a_makes_list_is_recorded_as_partial_coverage(run: Run, tmp_path: Path) -> None:
    paths = _lists(tmp_path, {2019: 8, 2020: 8, 2021: 2, 2022: 8, 2023: 8})  # 2021 holds 2 of Acme's 8
    code, stderr = import_csv(run, *map(str, paths), "-m", "US", "--into", str(tmp_path / "us"))
    assert code == 0, stderr
    assert "lists thin for some model years, so recorded as partial coverage: acme 2021\n" in stderr
    acme = load.load([tmp_path / "us"]).brands["acme"]
    [stretch] = acme.coverage["US"]
    assert (stretch.model_years, stretch.complete) == ((2021, 2021), False)
    assert "2021: 2 models, under half of 8 in 2020 and 8 in 2022" in (stretch.note or "")
    changes = json.loads(run("diff", "acme", "2020", "2021", "-m", "US", "--model-year", "-f", "json",
                             data=[tmp_path / "us"]).stdout)  # fmt: skip
    assert {c["change"] for c in changes} == {"unknown"}  # six models missing from the thin list: not dropped
    assert len(changes) == 6


def test_a_short_list_at_the_end_and_one_without_body_styles_are_partial(run: Run, tmp_path: Path) -> None:
    years = dict.fromkeys(range(2015, 2024), 8) | {2024: 1}  # the whole list of 2024 is short
    paths = _lists(tmp_path, years)
    paths[-1].write_text("year,make,model,body_styles\n2024,Other,Thing 0,\n", encoding="utf-8")
    code, stderr = import_csv(run, *map(str, paths), "-m", "US", "--into", str(tmp_path / "us"))
    assert code == 0, stderr
    assert "recorded as partial coverage: acme 2024, other 2024" in stderr
    changes = json.loads(run("diff", "acme", "2023", "2024", "-m", "US", "--model-year", "-f", "json",
                             data=[tmp_path / "us"]).stdout)  # fmt: skip
    assert {c["change"] for c in changes} == {"unknown"}


@pytest.mark.skipif(not US_DATASET.is_dir(), reason=f"the US model-year lists are not at {US_DATASET}")
def test_nothing_is_dropped_merely_because_the_2025_list_is_thin(run: Run, tmp_path: Path) -> None:
    paths = sorted(US_DATASET.glob("*.csv"))
    into = tmp_path / "us"
    code, stderr = import_csv(run, *map(str, paths), "--make", "honda", "--make", "toyota", "--make", "ford",
                              "-m", "US", "--into", str(into))  # fmt: skip
    assert code == 0, stderr
    for make in ("honda", "toyota", "ford"):
        result = run("diff", make, "2022", "2025", "-m", "US", "--model-year", "-f", "json", data=[into])
        changes = json.loads(result.stdout)
        assert not [c for c in changes if c["change"] == "dropped" and c["date"] == "MY2024"], make
        assert any(c["change"] == "unknown" for c in changes), make
