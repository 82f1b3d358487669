"""`lineup brand` and `lineup coverage`: what the data says of a brand as a whole, set from the command line with
the safety of every edit."""

import json
import shutil
from pathlib import Path

import pytest

from lineup import load

from .conftest import Run
from .helpers import DATA

LIST = DATA / "csv" / "us-excerpt.csv"


@pytest.fixture
def imported(tmp_path: Path, run: Run) -> Path:
    """A folder of brands imported from a model-year list: no origin, and a thin year recorded as partial."""
    folder = tmp_path / "us"
    result = run("import", "csv", str(LIST), "-m", "US", "--into", str(folder), data=None)
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the embedded data, which is in canonical form."""
    return Path(shutil.copy(load.embedded_path(), tmp_path / "lineups.toml"))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*"))}


# --- brand -----------------------------------------------------------------------------------


def test_an_imported_brand_is_given_its_origin(run: Run, imported: Path) -> None:
    assert run("show", "--origin", "GB", "-m", "US", "--model-year", "2020", data=[imported]).stdout == ""
    result = run("brand", "mini", "--origin", "UK", "--parent", "BMW", "--source", "https://example.org/mini",
                 data=[imported])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == f"note: set mini's origin to GB, parent to BMW in {imported / 'mini.toml'}\n"
    assert (
        (imported / "mini.toml")
        .read_text(encoding="utf-8")
        .startswith(
            '[brands.mini]\nname = "MINI"\nparent = "BMW"\norigin = "GB"\nsource = "https://example.org/mini"\n\n'
        )
    )
    shown = run("show", "--origin", "germany", "--origin", "GB", "-m", "US", "--model-year", "2020",
                "--columns", "brand", data=[imported])  # fmt: skip
    assert set(shown.stdout.split()) == {"MINI"}
    assert run("check", data=[imported]).exit_code == 0
    again = run("brand", "mini", "--origin", "GB", data=[imported])
    assert again.stderr == "note: mini's origin was GB already\n"


def test_brand_changes_only_what_it_must_and_adds_to_note_and_sources(run: Run, data: Path) -> None:
    before = data.read_text(encoding="utf-8")
    result = run("brand", "Infiniti", "--name", "INFINITI", "--note", "Renamed in capitals.", "--source",
                 "https://example.org/caps", data=[data])  # fmt: skip
    assert result.exit_code == 0, result.output
    after = data.read_text(encoding="utf-8")
    start = after.index("[brands.infiniti]\n")
    assert after[start : after.index("\n\n", start)] == (
        '[brands.infiniti]\nname = "INFINITI"\nparent = "Nissan"\norigin = "JP"\nnote = "Renamed in capitals."\n'
        'sources = [\n    "https://en.wikipedia.org/wiki/Infiniti",\n    "https://example.org/caps",\n]'
    )
    assert before.replace(before[start : before.index("\n\n", start)], "") == after.replace(
        after[start : after.index("\n\n", start)], ""
    )  # nothing else moved


def test_a_fact_a_split_brand_repeats_is_set_in_every_file(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.toml").write_text('[brands.a]\nname = "A"\norigin = "JP"\n\n[brands.a.models.m]\nname = "M"\n'
                                   'body = "sedan"\n', encoding="utf-8")  # fmt: skip
    (folder / "a-tw.toml").write_text('[brands.a]\nname = "A"\norigin = "JP"\n\n[[brands.a.markets.TW.m]]\n'
                                      'since = 2020\nsource = "s"\n', encoding="utf-8")  # fmt: skip
    result = run("brand", "a", "--origin", "KR", data=[folder])
    assert result.exit_code == 0, result.output
    for name in ("a.toml", "a-tw.toml"):
        assert 'origin = "KR"' in (folder / name).read_text(encoding="utf-8")
    assert run("brands", "-f", "json", data=[folder]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(["brand", "infiniti"], 2, "say what to set: --name, --parent, --origin", id="nothing"),
        pytest.param(["brand", "infinity", "--origin", "DE"], 1, "did you mean 'infiniti'?", id="unknown-brand"),
        pytest.param(["brand", "infiniti", "--origin", "Europe"], 1, "'Europe' is a region, not a country",
                     id="region"),
        pytest.param(["brand", "infiniti", "--origin", "Republic of Atlantis"], 1, "unknown country", id="country"),
        pytest.param(["brand", "infiniti", "--name", "Infi\u202eniti"], 2, "--name: 'Infi\\u202eniti' holds",
                     id="invisible"),
        pytest.param(["coverage", "infiniti", "-m", "TW"], 2, "say which: --complete or --partial", id="neither"),
        pytest.param(["coverage", "infiniti", "-m", "TW", "--complete"], 2, "--source: a lineup said to be complete "
                     "needs --source", id="complete-unsourced"),
        pytest.param(["coverage", "infiniti", "-m", "US", "--partial"], 1, "coverage of Infiniti in US", id="dated"),
        pytest.param(["coverage", "infiniti", "-m", "TW", "--partial", "--model-years", "2020-"], 1,
                     "is for all time", id="all-time"),
        pytest.param(["coverage", "infiniti", "-m", "EU", "--partial"], 1, "'EU' is a region, not a market", id="eu"),
        pytest.param(["coverage", "infiniti", "-m", "TW", "--partial", "--model-years", "0022"], 2,
                     "not a model year lineup takes", id="year-22"),
    ],
)  # fmt: skip
def test_refusals_write_nothing(run: Run, data: Path, args: list[str], code: int, message: str) -> None:
    before = _snapshot(data.parent)
    result = run(*args, data=[data])
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert _snapshot(data.parent) == before


def test_brand_and_coverage_edit_only_data_named_by_the_user(run: Run) -> None:
    for args in (["brand", "infiniti", "--origin", "DE"], ["coverage", "infiniti", "-m", "TW", "--partial"]):
        result = run(*args, data=None)
        assert result.exit_code == 1
        assert "say which data to edit with --data FILE or LINEUP_DATA" in result.stderr


# --- coverage --------------------------------------------------------------------------------


def test_a_lineup_recorded_complete_is_no_longer_said_to_be_partial(run: Run, data: Path) -> None:
    asked = ("show", "infiniti", "-m", "TW", "--on", "2022-11-07")
    assert "not known to be complete" in run(*asked, data=[data]).stderr
    result = run("coverage", "infiniti", "-m", "taiwan", "--complete", "--note", "Every model on the Taiwan site.",
                 "--source", "https://example.org/tw-models", data=[data])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == f"note: recorded infiniti's lineup in TW as complete in {data}\n"
    assert "not known to be complete" not in run(*asked, data=[data]).stderr
    markets = json.loads(run("markets", "infiniti", "-f", "json", data=[data]).stdout)
    taiwan = next(m for m in markets if m["market"] == "TW")
    assert (taiwan["complete"], taiwan["note"]) == (True, "Every model on the Taiwan site.")


def test_coverage_of_some_model_years_sits_beside_the_others(run: Run, imported: Path) -> None:
    mini = imported / "mini.toml"
    result = run("coverage", "mini", "-m", "US", "--complete", "--model-years", "2012-2023", "--source",
                 "https://example.org/mini-us", data=[imported])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == f"note: recorded mini's lineup in US as complete for model years 2012-2023 in {mini}\n"
    text = mini.read_text(encoding="utf-8")
    assert text.index('model_years = "2012-2023"\ncomplete = true') < text.index("model_years = 2024\ncomplete = false")
    again = run("coverage", "mini", "-m", "US", "--partial", "--model-years", "2024", "--note", "Thin.",
                data=[imported])  # fmt: skip
    assert again.exit_code == 0, again.output
    assert 'model_years = 2024\ncomplete = false\nnote = "Thin."\n' in mini.read_text(encoding="utf-8")
    overlap = run("coverage", "mini", "-m", "US", "--partial", "--model-years", "2020-", data=[imported])
    assert overlap.exit_code == 2
    assert "has a stretch for model years 2012-2023, which these would overlap" in overlap.stderr
    assert run("check", data=[imported]).exit_code == 0
