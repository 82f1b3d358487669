import difflib
import json
import shutil
from pathlib import Path

import pytest

from lineup import load

from .conftest import Run

EMBEDDED = load.embedded_path()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the embedded data, which is in canonical form."""
    return Path(shutil.copy(EMBEDDED, tmp_path / "lineups.toml"))


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]  # fmt: skip


def test_drop_closes_the_open_window_and_changes_nothing_else(run: Run, data: Path) -> None:
    before = data.read_text(encoding="utf-8")
    result = run("drop", "infiniti", "qx60", "-m", "TW", "--until", "2024-06", "--source", "https://example.org/x",
                 data=[data])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"in {data}" in result.stderr
    lines = changed_lines(before, data.read_text(encoding="utf-8"))
    story = load.load([data]).brands["infiniti"].markets["TW"]["qx60"][0].sources[0]
    assert lines == [
        '+until = "2024-06"',
        f'-source = "{story}"',
        "+sources = [",
        f'+    "{story}",',
        '+    "https://example.org/x",',
        "+]",
    ]
    shown = run("show", "infiniti", "-m", "TW", "--on", "2024-07-01", "--columns", "model", data=[data]).stdout
    assert "QX60" not in shown
    diff = run("diff", "infiniti", "2023", "2025", "-m", "TW", "--columns", "change,model,date", data=[data]).stdout
    assert "dropped\tQX60\t2024-06" in diff


def test_add_opens_a_window_for_a_new_model(run: Run, data: Path) -> None:
    before = data.read_text(encoding="utf-8")
    args = ["add", "infiniti", "qx65", "-m", "US", "--since", "2026-H2", "--body", "crossover", "--name", "QX65",
            "--source", "https://example.org/qx65"]  # fmt: skip
    result = run(*args, data=[data])
    assert result.exit_code == 0, result.output
    lines = changed_lines(before, data.read_text(encoding="utf-8"))
    assert lines == [
        "+[brands.infiniti.models.qx65]", '+name = "QX65"', '+body = "crossover"', "+",
        "+[[brands.infiniti.markets.US.qx65]]", '+since = "2026-H2"', '+source = "https://example.org/qx65"', "+",
    ]  # fmt: skip
    rows = json.loads(run("show", "infiniti", "-m", "US", "--on", "2026-11-07", "-f", "json", data=[data]).stdout)
    assert ("QX65", "expected") in {(r["model"], r["status"]) for r in rows}
    assert run("check", "--strict", str(data), data=None).exit_code == 0


def test_add_another_window_to_a_known_model(run: Run, data: Path) -> None:
    assert run("add", "infiniti", "q60", "-m", "TW", "--since", "2025", "--source", "s", data=[data]).exit_code == 0
    windows = load.load([data]).brands["infiniti"].markets["TW"]["q60"]
    assert [str(w.since) for w in windows] == ["2017", "2025"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(
            ["add", "infiniti", "qx60", "-m", "TW", "--since", "2025"],
            1,
            "would overlap: close it first with lineup drop",
            id="overlap",
        ),
        pytest.param(
            ["add", "infiniti", "q50", "-m", "TW", "--since", "2010", "--until", "2020"],
            1,
            "q50 in TW already has a window from 2018 or earlier to 2024, which a window from 2010 to 2020",
            id="overlap-closed",
        ),
        # refused by the check of the edited data, before anything is written
        pytest.param(
            ["add", "infiniti", "q50", "-m", "JP", "--since", "2025", "--until", "2024"],
            1,
            "would make the data invalid, so nothing was written: until 2024 is before since 2025",
            id="invalid-window",
        ),
        pytest.param(
            [
                "add",
                "infiniti",
                "qx99",
                "-m",
                "JP",
                "--since",
                "2025",
                "--body",
                "suv",
                "--name",
                "QX99",
                "--follows",
                "zzz",
            ],
            1,
            "follows 'infiniti/zzz', which no file defines",
            id="invalid-follows",
        ),
        pytest.param(["drop", "infiniti", "q60", "-m", "TW", "--until", "2023"], 1, "no open window", id="no-open"),
        pytest.param(["drop", "infiniti", "qx60", "-m", "TW", "--until", "2021"], 1, "before the start", id="early"),
        pytest.param(
            ["add", "infiniti", "qx99", "-m", "TW", "--since", "2025"], 2, "give --body and --name", id="new-model"
        ),
        pytest.param(
            ["add", "acme", "a1", "-m", "JP", "--since", "2025", "--body", "sedan", "--name", "A1"],
            2,
            "give --brand-name and --origin",
            id="new-brand",
        ),
        pytest.param(["add", "infiniti", "q50", "-m", "XX", "--since", "2025"], 1, "unknown market", id="market"),
        pytest.param(["add", "infiniti", "q50", "-m", "TW"], 2, "needs --since", id="no-since"),
        pytest.param(
            ["add", "infiniti", "Q 99!", "-m", "TW", "--since", "2025", "--body", "sedan", "--name", "Q"],
            2,
            "cannot be a model id",
            id="bad-id",
        ),
    ],
)
def test_refusals_write_nothing(run: Run, data: Path, args: list[str], code: int, message: str) -> None:
    before = data.read_bytes()
    result = run(*args, data=[data])
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert data.read_bytes() == before


def test_a_new_brand_goes_where_it_is_told(run: Run, data: Path, tmp_path: Path) -> None:
    target = tmp_path / "acme.toml"
    args = ["add", "acme", "a1", "-m", "JP", "--since", "2025", "--body", "sedan", "--name", "A1",
            "--brand-name", "Acme", "--origin", "japan", "--source", "s", "--file", str(target)]  # fmt: skip
    result = run(*args, data=[data])
    assert result.exit_code == 0, result.output
    assert f"read it too with --data {target}" in result.stderr  # the new file is not in the data read
    assert load.load([data, target]).brands["acme"].markets["JP"]["a1"][0].sources == ("s",)
    other = [*args[:2], "a2", *args[3:]]
    assert run(*other, data=[data]).exit_code == 0  # an existing --file is read and added to, never replaced
    assert set(load.load([target]).brands["acme"].models) == {"a1", "a2"}
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.move(data, folder / "lineups.toml")
    assert run(*args[:-2], data=[folder]).exit_code == 0
    assert (folder / "acme.toml").read_text(encoding="utf-8").startswith('[brands.acme]\nname = "Acme"\norigin = "JP"')


def test_a_file_not_in_canonical_form_is_refused(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "messy.toml"
    path.write_text('[brands.a]\nname = "A"\n[brands.a.models.m]\nbody = "sedan"\nname = "M"\n'
                    "[brands.a.markets.TW]\nm = { since = 2020 }\n", encoding="utf-8")  # fmt: skip
    before = path.read_bytes()
    result = run("drop", "a", "m", "-m", "TW", "--until", "2021", data=[path])
    assert result.exit_code == 1
    assert f"run `lineup fmt {path}` first" in result.stderr
    assert path.read_bytes() == before
    assert run("fmt", str(path), data=None).exit_code == 0
    assert run("drop", "a", "m", "-m", "TW", "--until", "2021", data=[path]).exit_code == 0


def test_a_file_with_comments_is_refused(run: Run, data: Path) -> None:
    data.write_text("# my notes\n" + data.read_text(encoding="utf-8"), encoding="utf-8")
    before = data.read_bytes()
    result = run("drop", "infiniti", "qx60", "-m", "TW", "--until", "2024", data=[data])
    assert result.exit_code == 1
    assert "holds comments (line 1)" in result.stderr
    assert data.read_bytes() == before


def test_the_installed_dataset_is_never_edited(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "is_packaged", lambda path: path == EMBEDDED)
    before = EMBEDDED.read_bytes()
    result = run("drop", "infiniti", "qx60", "-m", "TW", "--until", "2024", data=None)
    assert result.exit_code == 1
    assert "lineup init FILE" in result.stderr
    assert EMBEDDED.read_bytes() == before


def test_init_starts_a_data_file_and_never_overwrites(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    result = run("init", str(target), data=None)
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == EMBEDDED.read_bytes()
    assert f"export LINEUP_DATA={target.resolve()}" in result.stderr
    again = run("init", str(target), data=None)
    assert again.exit_code == 1
    assert "never overwrites" in again.stderr
    assert run("init", str(tmp_path), data=None).exit_code == 0
    assert (tmp_path / "lineups.toml").exists()
    assert run("init", str(tmp_path / "new" / "folder"), data=None).exit_code == 0  # not .toml: a folder, made
    assert (tmp_path / "new" / "folder" / "lineups.toml").read_bytes() == EMBEDDED.read_bytes()


def test_the_mode_of_an_edited_file_is_kept(run: Run, data: Path) -> None:
    data.chmod(0o640)
    assert run("drop", "infiniti", "qx60", "-m", "TW", "--until", "2024", data=[data]).exit_code == 0
    assert data.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in data.parent.iterdir()) == ["lineups.toml"]


def test_a_data_file_named_another_way_is_edited_not_replaced(
    run: Run, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(data.parent)
    args = ["add", "acme", "a1", "-m", "JP", "--since", "2025", "--body", "sedan", "--name", "A1",
            "--brand-name", "Acme", "--origin", "JP", "--file", str(data)]  # fmt: skip
    assert run(*args, data=[Path("lineups.toml")]).exit_code == 0
    after = load.load([data])
    assert {"infiniti", "acme"} <= set(after.brands)
