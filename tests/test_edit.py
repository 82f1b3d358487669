"""`lineup add`, `drop` and `init`: edits that change what they must and nothing else."""

import difflib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lineup
from lineup import load

from .conftest import Run
from .helpers import FIXTURE

EMBEDDED = load.embedded_path()
STORY = "https://www.gamereactor.eu/blogs/Owenn0/390683/Japans+beautiful+sedan+will+be+gone/"


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
    assert changed_lines(before, data.read_text(encoding="utf-8")) == [
        '+until = "2024-06"',
        f'-source = "{STORY}"',
        "+sources = [",
        f'+    "{STORY}",',
        '+    "https://example.org/x",',
        "+]",
    ]
    shown = run("show", "infiniti", "-m", "TW", "--on", "2024-07-01", "--columns", "model", data=[data]).stdout
    assert "QX60" not in shown
    diff = run("diff", "infiniti", "2023", "2025", "-m", "TW", "--columns", "change,model,date", data=[data]).stdout
    assert "dropped\tQX60\t2024-06" in diff


def test_add_opens_a_window_for_a_new_model(run: Run, data: Path) -> None:
    before = data.read_text(encoding="utf-8")
    args = ["add", "infiniti", "QX65", "-m", "US", "--since", "2026-H2", "--body", "crossover",
            "--source", "https://example.org/qx65", "--source", "https://example.org/qx65"]  # fmt: skip
    result = run(*args, data=[data])
    assert result.exit_code == 0, result.output
    assert changed_lines(before, data.read_text(encoding="utf-8")) == [
        "+[brands.infiniti.models.qx65]", '+name = "QX65"', '+body = "crossover"', "+",  # the name as typed
        "+[[brands.infiniti.markets.US.qx65]]", '+since = "2026-H2"', '+source = "https://example.org/qx65"', "+",
    ]  # fmt: skip
    rows = json.loads(run("show", "infiniti", "-m", "US", "--on", "2026-11-07", "-f", "json", data=[data]).stdout)
    assert ("QX65", "expected") in {(r["model"], r["status"]) for r in rows}
    assert run("check", "--strict", str(data), data=None).exit_code == 0


def test_a_second_window_is_a_block_of_its_own(run: Run, data: Path) -> None:
    """Adding a window never moves the model's other windows: each is its own [[...]] block."""
    before = data.read_text(encoding="utf-8")
    assert run("add", "infiniti", "q60", "-m", "TW", "--since", "2025", "--source", "s", data=[data]).exit_code == 0
    lines = changed_lines(before, data.read_text(encoding="utf-8"))
    assert lines == ["+[[brands.infiniti.markets.TW.q60]]", "+since = 2025", '+source = "s"', "+"]
    windows = load.load([data]).brands["infiniti"].markets["TW"]["q60"]
    assert [str(w.since) for w in windows] == ["2017", "2025"]


def test_options_that_agree_with_the_data_are_fine(run: Run, data: Path) -> None:
    """A script may say what it knows of a model or brand each time: values the data has are no change."""
    args = ["add", "infiniti", "q60", "-m", "JP", "--since", "2025", "--source", "s", "--body", "coupe",
            "--name", "Q60", "--origin", "JP", "--brand-name", "Infiniti"]  # fmt: skip
    result = run(*args, data=[data])
    assert result.exit_code == 0, result.output


def test_open_model_years_are_closed_with_the_window(run: Run, data: Path) -> None:
    add = ["add", "infiniti", "q60", "-m", "JP", "--since", "2026", "--model-years", "2027-", "--source", "s"]
    assert run(*add, data=[data]).exit_code == 0
    drop = ["drop", "infiniti", "q60", "-m", "JP", "--until", "2028"]
    refused = run(*drop, data=[data])
    assert refused.exit_code == 2
    assert "the window's model years are open (2027-): say the last with --last-model-year" in refused.stderr
    assert run(*drop, "--last-model-year", "2028", data=[data]).exit_code == 0
    window = load.load([data]).brands["infiniti"].markets["JP"]["q60"][0]
    assert (str(window.until), window.model_years) == ("2028", (2027, 2028))


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(["add", "infiniti", "qx60", "-m", "TW", "--since", "2025"], 1,
                     "would overlap: close it first with lineup drop", id="overlap"),
        pytest.param(["add", "infiniti", "q50", "-m", "TW", "--since", "2010", "--until", "2020"], 1,
                     "q50 in TW already has a window from 2018 or earlier to 2024, which a window from 2010 to 2020",
                     id="overlap-closed"),
        # refused by the check of the edited data, before anything is written
        pytest.param(["add", "infiniti", "q50", "-m", "JP", "--since", "2025", "--until", "2024"], 1,
                     "would make the data invalid, so nothing was written: until 2024 is before since 2025",
                     id="invalid-window"),
        pytest.param(["add", "infiniti", "qx99", "-m", "JP", "--since", "2025", "--body", "suv", "--follows", "zzz"],
                     1, "follows 'infiniti/zzz', which no file defines", id="invalid-follows"),
        pytest.param(["drop", "infiniti", "q60", "-m", "TW", "--until", "2023"], 1,
                     "q60 has no open window in TW to close (its windows: 2017 to 2022-04)", id="no-open"),
        pytest.param(["drop", "infiniti", "qx60", "-m", "TW", "--until", "2021"], 1, "before the start", id="early"),
        pytest.param(["drop", "infiniti", "qx60", "-m", "TW", "--until", "2024", "--last-model-year", "2024"], 2,
                     "the window has no open model years to close", id="no-open-years"),
        pytest.param(["add", "infiniti", "qx99", "-m", "TW", "--since", "2025"], 2,
                     "--body: 'qx99' is not a model of Infiniti; to add it, give --body", id="new-model"),
        pytest.param(["add", "infiniti", "q6", "-m", "TW", "--since", "2025"], 2,
                     "--body: 'q6' is not a model of Infiniti; did you mean 'q60'? To add it, give --body",
                     id="new-model-typo"),
        pytest.param(["add", "acme", "a1", "-m", "JP", "--since", "2025", "--body", "sedan"], 2,
                     "--origin: 'acme' is not a brand of the data; to add it, give --origin", id="new-brand"),
        pytest.param(["add", "infinit", "q60", "-m", "JP", "--since", "2025"], 2, "did you mean 'infiniti'?",
                     id="typo"),
        pytest.param(["add", "infiniti", "q60", "-m", "JP", "--since", "2025", "--body", "suv", "--name", "Q60"], 2,
                     "--body: Q60 is a model of Infiniti already, with other values: --body describes a new one (a "
                     "different car reusing the name needs its own id, e.g. q60-2025)", id="known-model"),
        pytest.param(["add", "infiniti", "q60", "-m", "JP", "--since", "2025", "--origin", "FR"], 2,
                     "--origin: Infiniti is a brand of the data, with other values: --origin describes a new one",
                     id="known-brand"),
        pytest.param(["add", "infiniti", "q50", "-m", "XX", "--since", "2025"], 1, "unknown market", id="market"),
        pytest.param(["add", "infiniti", "q50", "-m", "TW"], 2, "needs --since", id="no-since"),
        pytest.param(["add", "infiniti", "q60", "-m", "JP", "--since", "2025", "--source", " "], 2,
                     "Invalid value for '--source': empty text", id="empty-source"),
        pytest.param(["add", "infiniti", "q60", "-m", "JP", "--model-years", "abc"], 2,
                     "Invalid value for '--model-years': 'abc' is not a model-year range: write 2023, 2019-2023",
                     id="model-years"),
        # a name that makes an existing id is that model or brand: its values are not replaced
        pytest.param(["add", "nissan", "GT R", "-m", "JP", "--since", "2025", "--body", "suv"], 2,
                     "--body: GT-R is a model of Nissan already, with other values", id="known-by-id"),
        pytest.param(["add", "Infiniti!", "q60", "-m", "JP", "--since", "2025", "--origin", "FR"], 2,
                     "--origin: Infiniti is a brand of the data, with other values", id="known-brand-by-id"),
        pytest.param(["drop", "infiniti", "q60", "-m", "JP", "--until", "2028", "--last-model-year", "2020"], 1,
                     "q60 has no open window in JP", id="no-window"),
        pytest.param(["add", "infiniti", "?!", "-m", "TW", "--since", "2025", "--body", "sedan"], 2,
                     "MODEL: '?!' cannot be an id: it has no letter or digit", id="bad-id"),
        # text with a character a reader does not see, unless asked for
        pytest.param(["add", "infiniti", "Q50\u202eL", "-m", "TW", "--since", "2025", "--body", "sedan"], 2,
                     "MODEL: 'Q50\\u202eL' holds U+202E RIGHT-TO-LEFT OVERRIDE, which a reader does not see; if it "
                     "is meant, give --allow-invisible", id="invisible-model"),
        pytest.param(["add", "infiniti", "qx99", "-m", "TW", "--since", "2025", "--body", "sedan", "--name",
                      "Q\u200b70"], 2, "--name: 'Q\\u200b70' holds U+200B ZERO WIDTH SPACE", id="invisible-name"),
        pytest.param(["add", "acme", "a1", "-m", "JP", "--since", "2025", "--body", "sedan", "--origin", "JP",
                      "--brand-name", "Ac\u2066me"], 2, "--brand-name: 'Ac\\u2066me' holds U+2066",
                     id="invisible-brand"),
        pytest.param(["add", "infiniti", "q60", "-m", "JP", "--since", "2025", "--note", "a\x1bb"], 2,
                     "--note: 'a\\x1bb' holds U+001B, a control character", id="invisible-note"),
        pytest.param(["drop", "infiniti", "qx60", "-m", "TW", "--until", "2024", "--source", "https://x\ufeff"], 2,
                     "--source: 'https://x\\ufeff' holds U+FEFF ZERO WIDTH NO-BREAK SPACE", id="invisible-source"),
    ],
)  # fmt: skip
def test_refusals_write_nothing(run: Run, data: Path, args: list[str], code: int, message: str) -> None:
    before = data.read_bytes()
    result = run(*args, data=[data])
    assert result.exit_code == code, result.output
    assert message in " ".join(result.stderr.split())  # as one line, whatever width the usage box wraps to
    assert "Traceback" not in result.output
    assert data.read_bytes() == before
    assert sorted(p.name for p in data.parent.iterdir()) == ["lineups.toml"]


def test_invisible_characters_are_written_when_asked_for(run: Run, data: Path) -> None:
    add = ["add", "infiniti", "Q50\u202eL", "-m", "TW", "--since", "2025", "--body", "sedan", "--allow-invisible"]
    assert run(*add, data=[data]).exit_code == 0
    assert 'name = "Q50\\u202eL"' in data.read_text(encoding="utf-8")  # as an escape, for a reviewer to see
    drop = ["drop", "infiniti", "q50-l", "-m", "TW", "--until", "2026", "--note", "\u200b", "--allow-invisible"]
    assert run(*drop, data=[data]).exit_code == 0
    checked = run("check", str(data), "--select", "invisible-character", data=None).stdout
    assert [line.rsplit(" ", 1)[-1] for line in checked.splitlines()] == ["[invisible-character]"] * 2


def test_a_last_model_year_before_the_first_is_refused(run: Run, data: Path) -> None:
    add = ["add", "infiniti", "q60", "-m", "JP", "--since", "2026", "--model-years", "2027-", "--source", "s"]
    assert run(*add, data=[data]).exit_code == 0
    before = data.read_bytes()
    result = run("drop", "infiniti", "q60", "-m", "JP", "--until", "2028", "--last-model-year", "2025", data=[data])
    assert result.exit_code == 2
    assert "--last-model-year: 2025 is before the window's first model year, 2027" in result.stderr
    assert data.read_bytes() == before


def test_a_new_name_close_to_a_known_one_gets_a_note(run: Run, data: Path) -> None:
    result = run("add", "infinit", "q6", "-m", "JP", "--since", "2030", "--body", "coupe", "--origin", "JP",
                 "--source", "s", data=[data])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "note: infinit is a brand new to the data; did you mean 'infiniti'?" in result.stderr
    result = run("add", "infiniti", "q6", "-m", "JP", "--since", "2030", "--body", "coupe", "--source", "s",
                 data=[data])  # fmt: skip
    assert "note: q6 is a model new to Infiniti; did you mean 'q60'?" in result.stderr


def test_repeated_values_are_written_once(run: Run, data: Path) -> None:
    args = [
        "add",
        "infiniti",
        "qx9",
        "-m",
        "JP",
        "--since",
        "2030",
        "--body",
        "suv",
        "--body",
        "suv",
        "--powertrain",
        "bev",
        "--powertrain",
        "bev",
        "--follows",
        "qx60",
        "--follows",
        "qx60",
        "--source",
        "s",
    ]
    assert run(*args, data=[data]).exit_code == 0
    model = load.load([data]).brands["infiniti"].models["qx9"]
    assert (len(model.body), len(model.powertrain), model.follows) == (1, 1, ("infiniti/qx60",))


def test_edits_need_data_named_by_the_user(run: Run) -> None:
    before = EMBEDDED.read_bytes()
    result = run("drop", "infiniti", "qx60", "-m", "TW", "--until", "2024", data=None)
    assert result.exit_code == 1
    assert "say which data to edit with --data FILE or LINEUP_DATA" in result.stderr
    assert EMBEDDED.read_bytes() == before


def test_a_new_brand_goes_where_it_is_told(run: Run, data: Path, tmp_path: Path) -> None:
    target = tmp_path / "new" / "acme.toml"  # its folder is made
    args = ["add", "acme", "a1", "-m", "JP", "--since", "2025", "--body", "sedan", "--name", "A1",
            "--brand-name", "Acme", "--origin", "japan", "--source", "s", "--file", str(target)]  # fmt: skip
    result = run(*args, data=[data])
    assert result.exit_code == 0, result.output
    assert f"read it too with --data {target}" in result.stderr  # the new file is not in the data read
    assert load.load([data, target]).brands["acme"].markets["JP"]["a1"][0].sources == ("s",)
    other = [*args[:2], "a2", *args[3:]]  # the brand options agree with the data: fine
    assert run(*other, data=[data]).exit_code == 0  # an existing --file is read and added to, never replaced
    assert set(load.load([target]).brands["acme"].models) == {"a1", "a2"}
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.move(data, folder / "lineups.toml")
    result = run(*args[:-2], data=[folder, Path(f"{folder}/./")])  # one folder, however it is spelt
    assert result.exit_code == 0, result.output
    assert (folder / "acme.toml").read_text(encoding="utf-8").startswith('[brands.acme]\nname = "Acme"\norigin = "JP"')


def test_a_brand_split_across_files_is_edited_where_each_part_is(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.toml").write_text('[brands.a]\nname = "A"\n\n[brands.a.models.m]\nname = "M"\nbody = "sedan"\n',
                                   encoding="utf-8")  # fmt: skip
    (folder / "a-tw.toml").write_text('[[brands.a.markets.TW.m]]\nsince = 2020\nsource = "s"\n', encoding="utf-8")
    defs = (folder / "a.toml").read_bytes()
    assert run("drop", "a", "m", "-m", "TW", "--until", "2021", data=[folder]).exit_code == 0
    assert run("add", "a", "m", "-m", "JP", "--since", "2022", "--source", "s", data=[folder]).exit_code == 0
    assert (
        (folder / "a-tw.toml")
        .read_text(encoding="utf-8")
        .startswith('[[brands.a.markets.TW.m]]\nsince = 2020\nuntil = 2021\nsource = "s"\n')
    )
    assert "markets.JP" in (folder / "a.toml").read_text(encoding="utf-8")  # the market is new: the brand's file
    assert (folder / "a.toml").read_bytes().startswith(defs)


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


def test_a_file_with_a_byte_order_mark_is_refused_until_formatted(run: Run, data: Path) -> None:
    data.write_bytes(b"\xef\xbb\xbf" + data.read_bytes())
    before = data.read_bytes()
    result = run("drop", "infiniti", "qx60", "-m", "TW", "--until", "2024", data=[data])
    assert result.exit_code == 1
    assert "starts with a byte-order mark" in result.stderr
    assert "lineup fmt" in result.stderr
    assert data.read_bytes() == before
    assert run("fmt", str(data), data=None).exit_code == 0
    assert data.read_bytes() == before[3:]


def test_a_file_with_comments_is_refused(run: Run, data: Path) -> None:
    data.write_text("# my notes\n" + data.read_text(encoding="utf-8"), encoding="utf-8")
    before = data.read_bytes()
    result = run("drop", "infiniti", "qx60", "-m", "TW", "--until", "2024", data=[data])
    assert result.exit_code == 1
    assert "holds comments (line 1)" in result.stderr
    assert data.read_bytes() == before


def test_a_read_only_file_is_not_written(run: Run, data: Path) -> None:
    data.chmod(0o444)
    before = data.read_bytes()
    result = run("drop", "infiniti", "qx60", "-m", "TW", "--until", "2024", data=[data])
    assert result.exit_code == 1
    assert result.stderr == f"error: {data}: is read-only: make it writable first if it is to change\n"
    assert data.read_bytes() == before


def test_a_target_a_folder_read_would_skip_is_refused(run: Run, data: Path) -> None:
    folder = data.parent
    args = ["add", "acme", "a1", "-m", "JP", "--since", "2025", "--body", "sedan", "--origin", "JP", "--source", "s"]
    for name in ("acme.TOML", ".acme.toml", ".hidden/acme.toml"):
        result = run(*args, "--file", str(folder / name), data=[folder])
        assert result.exit_code == 1
        assert "would not be read with it" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["lineups.toml"]  # no file, no folder made


def test_a_refused_edit_makes_no_folder(run: Run, data: Path, tmp_path: Path) -> None:
    target = tmp_path / "new" / "deep" / "acme.toml"
    result = run("add", "acme", "a1", "-m", "JP", "--since", "2025", "--body", "sedan", "--origin", "JP",
                 "--follows", "nowhere", "--file", str(target), data=[data])  # fmt: skip
    assert result.exit_code == 1
    assert not (tmp_path / "new").exists()


def test_a_file_that_is_not_data_is_not_a_target(run: Run, data: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping: milk\n", encoding="utf-8")
    args = ["add", "acme", "a1", "-m", "JP", "--since", "2025", "--body", "sedan", "--origin", "JP"]
    result = run(*args, "--file", str(notes), data=[data])
    assert result.exit_code == 1
    assert "(this is not a lineup data file)" in result.stderr
    assert notes.read_text(encoding="utf-8") == "shopping: milk\n"
    other = Path(shutil.copy(EMBEDDED, tmp_path / "other.toml"))  # data, but defining what the data does
    result = run(*args, "--file", str(other), data=[data])
    assert "defined twice" in result.stderr
    assert "not a lineup data file" not in result.stderr


# Runs lineup from `site`, whatever else is installed (an editable install's finder included).
RUN_FROM = """
import runpy, sys
sys.path.insert(0, {site!r})
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
import lineup
assert lineup.__file__.startswith({site!r}), lineup.__file__
sys.argv[0] = "lineup"
runpy.run_module("lineup", run_name="__main__")
"""


def installed(tmp_path: Path) -> Path:
    """lineup as a wheel lays it out: the package, with the dataset inside it."""
    site = tmp_path / "site"
    shutil.copytree(Path(lineup.__file__).parent, site / "lineup", ignore=shutil.ignore_patterns("__pycache__"))
    (site / "lineup" / "data").mkdir(exist_ok=True)
    shutil.copy(EMBEDDED, site / "lineup" / "data" / "lineups.toml")
    return site


def test_the_installed_dataset_is_never_edited(tmp_path: Path) -> None:
    site = installed(tmp_path)
    packaged = site / "lineup" / "data"
    before = sorted((p.name, p.read_bytes()) for p in packaged.iterdir())
    for args in (
        ["drop", "infiniti", "qx60", "-m", "TW", "--until", "2024", "--data", str(packaged / "lineups.toml")],
        ["add", "acme", "a1", "-m", "JP", "--since", "2025", "--body", "sedan", "--origin", "JP",
         "--data", str(packaged)],
    ):  # fmt: skip
        done = subprocess.run([sys.executable, "-c", RUN_FROM.format(site=str(site)), *args], capture_output=True,
                              text=True)  # fmt: skip
        assert done.returncode == 1, done.stderr
        assert "lineup init FILE" in done.stderr
    for path in (packaged / "mine.toml", packaged / "sub"):
        done = subprocess.run([sys.executable, "-c", RUN_FROM.format(site=str(site)), "init", str(path)],
                              capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 1, done.stderr
        assert "is inside the installed lineup package" in done.stderr
    assert sorted((p.name, p.read_bytes()) for p in packaged.iterdir()) == before


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
    assert run("init", f"{tmp_path / 'dir.toml'}/", data=None).exit_code == 0  # a trailing slash: a folder
    assert (tmp_path / "dir.toml" / "lineups.toml").is_file()
    spaced = tmp_path / "a b.toml"
    assert f"--data '{spaced}'" in run("init", str(spaced), data=None).stderr  # a command a shell takes


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


def test_an_edit_through_a_symlink_writes_the_target(run: Run, data: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(data)
    assert run("drop", "infiniti", "qx60", "-m", "TW", "--until", "2024", data=[link]).exit_code == 0
    assert link.is_symlink()
    assert "until = 2024" in data.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["fmt", "d"], id="fmt"),
        pytest.param(
            [
                "add",
                "acme",
                "roadster",
                "-m",
                "JP",
                "--since",
                "2025",
                "--body",
                "coupe",
                "--origin",
                "JP",
                "--data",
                "d",
            ],
            id="add",
        ),
        pytest.param(["drop", "alpha", "a1", "-m", "TW", "--until", "2025", "--data", "d"], id="drop"),
        pytest.param(["import", "csv", "lists.csv", "-m", "US", "--data", "d"], id="import-data"),
        pytest.param(["import", "csv", "lists.csv", "-m", "US", "--into", "self.toml"], id="import-into"),
        pytest.param(["init", "self.toml"], id="init"),
        pytest.param(["export", "-o", "self.toml", "--data", "d/lineups.toml"], id="export"),
        pytest.param(["export", "-f", "sqlite", "-o", "self.toml", "--data", "d/lineups.toml"], id="export-sqlite"),
        pytest.param(["timeline", "alpha", "--svg", "self.toml", "--data", "d/lineups.toml"], id="timeline-svg"),
        pytest.param(["timeline", "alpha", "--html", "self.toml", "--data", "d/lineups.toml"], id="timeline-html"),
    ],
)
def test_a_symlink_loop_is_a_located_error_in_every_command_that_writes(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    (tmp_path / "d").mkdir()
    shutil.copy(FIXTURE, tmp_path / "d" / "lineups.toml")
    (tmp_path / "d" / "loop1.toml").symlink_to("loop2.toml")
    (tmp_path / "d" / "loop2.toml").symlink_to("loop1.toml")
    (tmp_path / "self.toml").symlink_to("self.toml")
    (tmp_path / "lists.csv").write_text("year,make,model,body_styles\n2020,Acme,Roadster,Convertible\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(*command, data=None)
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith(("error: d/loop1.toml: ", "error: self.toml: ")), result.stderr
    assert (tmp_path / "d" / "lineups.toml").read_bytes() == FIXTURE.read_bytes()


# --- what a model is sold as: a window's own facts, and a change within a stretch ------------------

FACTS_DATA = Path(__file__).parent / "data" / "facts.toml"


@pytest.fixture
def facts(tmp_path: Path, run: Run) -> Path:
    """A canonical copy of tests/data/facts.toml (its comments left out)."""
    path = tmp_path / "facts.toml"
    path.write_text("".join(line for line in FACTS_DATA.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not line.startswith("#")), encoding="utf-8")  # fmt: skip
    assert run("fmt", str(path), data=None).exit_code == 0
    return path


def test_add_takes_a_windows_own_facts_and_when_it_was_announced(run: Run, facts: Path) -> None:
    result = run("add", "gamma", "q50", "-m", "JP", "--since", "2027-H1", "--market-name", "Skyline",
                 "--window-body", "sedan", "--window-powertrain", "hybrid", "--generation", "3", "--announced",
                 "2026-10-01", "--plan", "--source", "https://example.org/jp", data=[facts])  # fmt: skip
    assert result.exit_code == 0, result.output
    window = next(r for r in json.loads(run("export", "-f", "json", data=[facts]).stdout) if r["market"] == "JP")
    assert (window["model_name"], window["powertrain"], window["generation"]) == ("Skyline", ["hybrid"], "3")
    assert (window["announced"], window["plan"], window["expected"]) == ("2026-10-01", True, True)


def test_change_closes_the_window_and_opens_the_next_in_one_edit(run: Run, facts: Path) -> None:
    before = facts.read_text(encoding="utf-8")
    result = run("change", "gamma", "lc", "-m", "TW", "--on", "2020-07", "--body", "coupe", "--body", "convertible",
                 "--source", "https://example.org/lc-tw-convertible", data=[facts])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == f"note: changed gamma/lc in TW from 2020-07 in {facts}\n"
    changed = changed_lines(before, facts.read_text(encoding="utf-8"))
    assert '+until = "2020-06"' in changed
    assert '+since = "2020-07"' in changed
    assert all("gamma.markets.TW.lc" in line or not line.startswith(("-[", "+[")) for line in changed)
    diff = json.loads(run("diff", "gamma", "2019", "2021", "-m", "TW", "-f", "json", data=[facts]).stdout)
    assert [(d["change"], d["model"], d["what"], d["date"]) for d in diff] == [
        ("changed", "LC", "body +convertible", "2020-07")
    ]
    windows = json.loads(run("model", "gamma", "lc", "-f", "json", data=[facts]).stdout)["windows"]
    assert [(w["since"], w["until"]) for w in windows if w["market"] == "TW"] == [("2017-Q2", "2020-06"),
                                                                              ("2020-07", "2026-08")]  # fmt: skip


def test_change_by_model_year_splits_the_model_years(run: Run, facts: Path) -> None:
    result = run("change", "gamma", "lc", "-m", "US", "--model-year", "2023", "--generation", "2", "--source", "s",
                 data=[facts])  # fmt: skip
    assert result.exit_code == 0, result.output
    windows = json.loads(run("model", "gamma", "lc", "-f", "json", data=[facts]).stdout)["windows"]
    assert [(w["model_years"], w["generation"]) for w in windows if w["market"] == "US"] == [
        ([2018, 2020], None),
        ([2021, 2022], None),
        ([2023, 2025], "2"),
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(["-m", "US", "--model-year", "2018", "--body", "sedan"], 1,
                     "the change in model year 2018 is at the window's start", id="at-the-start"),
        pytest.param(["-m", "US", "--on", "2024", "--body", "sedan"], 2,
                     "--model-year: the window is of model years", id="dates-for-model-years"),
        pytest.param(["-m", "US", "--model-year", "2019"], 2, "say what changed", id="nothing-changed"),
        pytest.param(["-m", "US", "--body", "sedan"], 2, "say when: --on DATE or --model-year YEAR", id="no-when"),
        pytest.param(["-m", "JP", "--on", "2020", "--body", "sedan"], 1, "lc has no window in JP on sale in 2020",
                     id="no-window"),
    ],
)  # fmt: skip
def test_a_change_that_cannot_be_made_writes_nothing(
    run: Run, facts: Path, args: list[str], code: int, message: str
) -> None:
    before = facts.read_bytes()
    result = run("change", "gamma", "lc", *args, data=[facts])
    assert result.exit_code == code, result.output
    assert message in " ".join(result.stderr.split())
    assert facts.read_bytes() == before
