import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import Run
from .helpers import DATA, FIXTURE

CHECK = DATA / "check"

# Each planted problem: line, column, severity, rule. The files say where each one is.
QUALITY = [
    (3, 1, "warning", "region-code"),  # origin = "NA"
    (8, 1, "error", "follows-cycle"),  # a follows b follows a
    (15, 1, "warning", "unsold-model"),  # c is sold nowhere
    (23, 1, "warning", "missing-source"),  # d's production has no source
    (26, 7, "warning", "far-future"),  # since = 2050
    (26, 21, "warning", "model-years"),  # model years 2045- far from 2050
    (27, 21, "warning", "stale-plan"),  # plan = true dated 2020
    (28, 35, "warning", "model-years"),  # model years end 2016, until 2019
    (30, 1, "warning", "region-code"),  # market NA
    (31, 1, "warning", "missing-source"),  # a window without a source
    (34, 1, "warning", "invisible-character"),  # a right-to-left override in a name
    (38, 57, "warning", "invisible-character"),  # a zero-width space in a source
]
ERRORS = [
    (3, 1, "error", "market-code"),  # origin = "UK"
    (7, 1, "error", "vocabulary"),  # body = "sedna"
    (8, 1, "error", "vocabulary"),  # powertrain = "steam"
    (13, 1, "error", "unknown-key"),  # colour
    (14, 1, "error", "follows"),  # follows nowhere
    (16, 1, "error", "market-code"),  # market EU
    (20, 22, "error", "date-order"),  # until before since
    (20, 40, "error", "date"),  # 2022-13
    (21, 1, "error", "unknown-model"),  # zz
]


def findings(run: Run, *args: str) -> list[tuple[int, int, str, str]]:
    result = run("check", *args, "-f", "json", data=None)
    return [(f["line"], f["column"], f["severity"], f["rule"]) for f in json.loads(result.stdout)]


@pytest.mark.parametrize(("name", "expected"), [("quality.toml", QUALITY), ("errors.toml", ERRORS)])
def test_every_planted_problem_at_its_line(run: Run, name: str, expected: list[tuple[int, int, str, str]]) -> None:
    assert findings(run, str(CHECK / name)) == expected


def test_one_line_per_problem_for_editors(run: Run) -> None:
    path = CHECK / "errors.toml"
    result = run("check", str(path), data=None)
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{path}:3:1: error: 'UK' is not an ISO 3166-1 alpha-2 country code; United Kingdom is 'GB' [market-code]"
    )
    assert all(line.startswith(f"{path}:") for line in lines)
    assert result.stderr.startswith("9 errors in 1 file")


def test_errors_exit_1_and_warnings_alone_exit_0(run: Run, tmp_path: Path) -> None:
    assert run("check", str(CHECK / "errors.toml"), data=None).exit_code == 1
    warned = tmp_path / "warned.toml"
    warned.write_text('[brands.w]\nname = "W"\n[brands.w.models.m]\nname = "M"\nbody = "sedan"\n', encoding="utf-8")
    result = run("check", str(warned), data=None)
    assert result.exit_code == 0
    assert "[unsold-model]" in result.stdout
    assert run("check", "--strict", str(warned), data=None).exit_code == 1


def test_an_invisible_character_is_found_in_every_text_at_its_place(run: Run, tmp_path: Path) -> None:
    text = r"""[brands.w]
name = "W"
note = "Made\u00adup"
sources = ["https://example.org/w"]

[brands.w.models.m]
name = "M"
body = "sedan"
generation = "2nd\u2066"
production = { since = 2010, note = "\ufeff", source = "https://example.org/m" }

[brands.w.markets.TW]
m = { since = 2020, note = "x\u2028y", source = "https://example.org/w" }

[brands.w.coverage.TW]
complete = false
note = "\u200f"
"""
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    found = json.loads(run("check", str(path), "-f", "json", data=None).stdout)
    assert [(f["line"], f["rule"]) for f in found] == [(n, "invisible-character") for n in (3, 9, 10, 13, 17)]
    assert "U+00AD SOFT HYPHEN" in found[0]["message"]


def test_select_and_ignore_rules(run: Run) -> None:
    path = str(CHECK / "quality.toml")
    assert {f[3] for f in findings(run, path, "--select", "region-code")} == {"region-code"}
    assert "region-code" not in {f[3] for f in findings(run, path, "--ignore", "region-code")}
    result = run("check", path, "--ignore", "no-such-rule", data=None)
    assert result.exit_code == 2
    assert "unknown rule 'no-such-rule'" in result.stderr


def test_success_is_one_line_on_stderr_and_nothing_on_stdout(run: Run, tmp_path: Path) -> None:
    clean = tmp_path / "clean.toml"
    clean.write_text(
        '[brands.c]\nname = "C"\n[brands.c.models.m]\nname = "M"\nbody = "sedan"\n'
        '[brands.c.markets.TW]\nm = { since = 2020, source = "https://example.org" }\n',
        encoding="utf-8",
    )
    result = run("check", str(clean), data=None)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "ok: 1 brand, 1 model, 1 window in 1 file\n"


def test_the_fixture_only_lacks_sources(run: Run) -> None:
    assert {f[3] for f in findings(run, str(FIXTURE))} == {"missing-source"}


def test_the_embedded_data_has_no_problem(run: Run) -> None:
    result = run("check", "--strict", data=None)
    assert (result.exit_code, result.stdout) == (0, ""), result.stdout
    assert result.stderr.startswith("ok: 3 brands")


def test_a_folder_and_several_files(run: Run) -> None:
    result = run("check", str(CHECK), data=None)
    assert result.exit_code == 1
    # Errors in one file stop the quality rules, which need data that loads: they come once it is fixed.
    files = {line.split(":")[0] for line in result.stdout.splitlines()}
    assert files == {str(CHECK / "errors.toml")}
    assert "quality rules run once the errors are fixed" in result.stderr


def test_problems_are_sorted_by_file_and_line(run: Run) -> None:
    lines = run("check", str(CHECK), data=None).stdout.splitlines()
    keys = [(x.split(":")[0], int(x.split(":")[1]), int(x.split(":")[2])) for x in lines]
    assert keys == sorted(keys)


def test_a_syntax_error_is_located(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[brands.x]\nname = "X"\nbody = [\n', encoding="utf-8")
    result = run("check", str(bad), data=None)
    assert result.stdout.startswith(f"{bad}:4:1: error: not valid TOML")
    assert result.stdout.rstrip().endswith("[toml-syntax]")


def test_long_chains_and_several_circles(run: Run, tmp_path: Path) -> None:
    """A chain of a thousand models closed into one circle, and a small circle beside it: each once."""
    count = 1000
    models = "".join(
        f'[brands.a.models.m{n:04d}]\nname = "M"\nbody = "sedan"\nfollows = "m{(n + 1) % count:04d}"\n'
        for n in range(count)
    )
    models += '[brands.a.models.x]\nname = "X"\nbody = "sedan"\nfollows = ["y", "m0000"]\n'
    models += '[brands.a.models.y]\nname = "Y"\nbody = "sedan"\nfollows = "x"\n'
    path = tmp_path / "chain.toml"
    path.write_text('[brands.a]\nname = "A"\n' + models, encoding="utf-8")
    result = run("check", str(path), "--select", "follows-cycle", data=None)
    circles = result.stdout.splitlines()
    assert len(circles) == 2
    chain = " -> ".join(f"a/m{n:04d}" for n in [*range(count), 0])
    assert circles[0].endswith(f"follows goes round in a circle: {chain} [follows-cycle]")
    assert circles[1].endswith("follows goes round in a circle: a/x -> a/y -> a/x [follows-cycle]")


def test_errors_left_out_by_the_rules_chosen_still_fail(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[brands.a]\nname = "A"\n[brands.a.models.m]\nname = "M"\nbody = "sedan"\n'
                    '[brands.a.markets.US]\nm = { since = "2022-13", source = "s" }\n', encoding="utf-8")  # fmt: skip
    result = run("check", "--ignore", "date", str(path), data=None)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("1 error left out by --select/--ignore in 1 file")
    assert run("check", "--select", "date", "--ignore", "date", str(path), data=None).exit_code == 2


def test_na_is_found_where_it_is_written(run: Run, tmp_path: Path) -> None:
    (tmp_path / "o1.toml").write_text('[brands.acme]\nname = "Acme"\norigin = "NA"\n', encoding="utf-8")
    (tmp_path / "o2.toml").write_text('[brands.acme.models.m]\nname = "M"\nbody = "sedan"\n\n'
                                      "[brands.acme.coverage.NA]\ncomplete = false\n", encoding="utf-8")  # fmt: skip
    result = run("check", str(tmp_path / "o1.toml"), str(tmp_path / "o2.toml"), "--select", "region-code", data=None)
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'o1.toml'}:3:1: warning: NA is Namibia [region-code]",
        f"{tmp_path / 'o2.toml'}:5:1: warning: NA is Namibia: for North America, list its countries [region-code]",
    ]


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        pytest.param('{ on_sale_by = 2018, model_years = "2014-2019", source = "s" }', [], id="on-sale-by-is-no-start"),
        pytest.param('{ model_years = "2050-2052", source = "s" }', ["far-future"], id="far-model-years"),
        pytest.param(
            '{ model_years = "2019-2020", plan = true, source = "s" }', ["stale-plan"], id="stale-model-years"
        ),
    ],
)
def test_windows_dated_by_model_years(run: Run, tmp_path: Path, window: str, expected: list[str]) -> None:
    path = tmp_path / "w.toml"
    path.write_text('[brands.a]\nname = "A"\n[brands.a.models.m]\nname = "M"\nbody = "sedan"\n'
                    f"[brands.a.markets.US]\nm = {window}\n", encoding="utf-8")  # fmt: skip
    assert [rule for _, _, _, rule in findings(run, str(path))] == expected


def test_folders_that_cannot_be_read_and_links_that_lead_nowhere(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "loop.toml").symlink_to("loop.toml")
    result = run("check", str(folder), data=None)
    assert result.exit_code == 1
    assert result.stdout == f"{folder / 'loop.toml'}: error: cannot read: Too many levels of symbolic links [read]\n"
    given = run("check", str(folder / "loop.toml"), data=None)
    assert (
        given.stderr
        == f"error: {folder / 'loop.toml'}: is a symlink that leads nowhere (a loop, or a target not there)\n"
    )


def test_an_unreadable_folder_is_an_error(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    folder = tmp_path / "data"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "x.toml").write_text('[brands.a]\nname = "A"\n', encoding="utf-8")
    walk = os.walk

    def refusing(top: str, onerror: Callable[[OSError], object]) -> Iterator[tuple[str, list[str], list[str]]]:
        for root, dirs, names in walk(top):  # as os.walk does for a folder of mode 000
            if root.endswith("sub"):
                onerror(PermissionError(13, "Permission denied", root))
                return
            yield root, dirs, names

    monkeypatch.setattr(os, "walk", refusing)
    result = run("check", str(folder), data=None)
    assert result.exit_code == 1
    assert result.stderr == f"error: {folder / 'sub'}: cannot read the folder: Permission denied\n"


def test_columns_need_a_format(run: Run) -> None:
    assert run("check", "--columns", "line", str(FIXTURE), data=None).exit_code == 2
