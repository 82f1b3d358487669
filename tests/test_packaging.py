"""The installed command, run as a user runs it: in a subprocess, from another folder."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def lineup(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "LINEUP_DATA"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "lineup", *args], capture_output=True, text=True, cwd=cwd, env=environ, timeout=60
    )


def test_python_m_lineup_help(tmp_path: Path) -> None:
    result = lineup("--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Usage: lineup" in result.stdout


@pytest.mark.skipif(not (BIN / "lineup").exists(), reason="the console script is installed by pip install")
def test_console_script_shows_the_embedded_data_from_another_folder(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "LINEUP_DATA"}
    result = subprocess.run(
        [
            str(BIN / "lineup"),
            "show",
            "infiniti",
            "--market",
            "TW",
            "--on",
            "2022-11-07",
            "-f",
            "tsv",
            "--columns",
            "model",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "QX55" in result.stdout.splitlines()


@pytest.mark.parametrize("fmt", ["tsv", "csv", "json", "jsonl", "markdown"])
def test_machine_formats_do_not_import_rich(tmp_path: Path, fmt: str) -> None:
    code = (
        "import sys\n"
        "from lineup.cli import main\n"
        f"sys.argv = ['lineup', 'show', 'infiniti', '-m', 'TW', '-f', '{fmt}']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('RICH=' + str(sorted(m for m in sys.modules if m.split('.')[0] == 'rich')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert "RICH=[]" in result.stderr, result.stderr
    assert result.stdout


def test_importing_the_cli_does_no_work(tmp_path: Path) -> None:
    code = "import lineup.cli, sys; print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'json', 'csv')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout


def test_a_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "lineup", "show", "lexus", "-m", "US", "--year", "2020", "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()  # the reader goes away before lineup writes
    with proc.stderr:
        stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in stderr
    assert proc.returncode in (0, 141)


def test_the_embedded_data_ships_inside_the_package() -> None:
    from lineup import load

    path = load.embedded_path()
    assert path.is_file()
    assert path.name == "lineups.toml"
