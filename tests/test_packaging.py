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


def test_top_level_help_builds_no_command(tmp_path: Path) -> None:
    """`lineup --help` lists every command and what it does without importing any command's module."""
    code = (
        "import sys\nfrom lineup.cli import main\nsys.argv = ['lineup', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str(sorted(m for m in sys.modules if m.startswith('lineup.cli.'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.stderr == "['lineup.cli.output']"
    from lineup.cli import COMMANDS

    listed = result.stdout.split("Commands:\n", 1)[1]
    for name, (_, summary) in COMMANDS.items():
        assert f"  {name} " in listed
        assert " ".join(summary.split()) in " ".join(listed.split())


@pytest.mark.parametrize("fmt", ["table", "json", "tsv"])
@pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "PYTHONUNBUFFERED"])
def test_a_reader_gone_mid_answer_is_141_not_a_quiet_loss(tmp_path: Path, fmt: str, unbuffered: str) -> None:
    # `| head -1`: the reader takes the first line and goes while lineup is still writing. Python's text
    # layer straight over a raw file (PYTHONUNBUFFERED) drops the rest of a cut-short write, exit 0.
    big = tmp_path / "big.toml"
    rows = [
        f'[brands.b.models.m{i}]\nname = "Model {i} of a name long enough to fill the pipe"\nbody = "sedan"\n'
        for i in range(3000)
    ]
    markets = [f"m{i} = {{ since = 2020 }}\n" for i in range(3000)]
    big.write_text('[brands.b]\nname = "B"\n' + "".join(rows) + "[brands.b.markets.TW]\n" + "".join(markets))
    env = {**os.environ, "PYTHONUNBUFFERED": unbuffered, "COLUMNS": "80"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "lineup", "show", "-m", "TW", "--data", str(big), "-f", fmt, "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away with most of the answer unread
    with proc.stderr:
        stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141, stderr
    assert stderr == ""


def test_a_closed_pipe_exits_quietly_with_141(tmp_path: Path) -> None:
    # Far more output than a pipe buffer holds, so that lineup writes after the reader is gone.
    big = tmp_path / "big.toml"
    rows = [f'[brands.b.models.m{i}]\nname = "Model {i}"\nbody = "sedan"\n' for i in range(3000)]
    markets = [f"m{i} = {{ since = 2020 }}\n" for i in range(3000)]
    big.write_text('[brands.b]\nname = "B"\n' + "".join(rows) + "[brands.b.markets.TW]\n" + "".join(markets))
    proc = subprocess.Popen(
        [sys.executable, "-m", "lineup", "show", "-m", "TW", "--data", str(big), "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()  # the reader goes away
    with proc.stderr:
        stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141, stderr
    assert "Traceback" not in stderr
    assert "error" not in stderr


def test_a_closed_stdout_is_not_an_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lineup", "brands"],
        preexec_fn=lambda: os.close(1),  # as `lineup brands >&-` starts it
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full")
@pytest.mark.parametrize("args", [["--help"], ["-V"], ["show", "--help"], ["show", "infiniti", "-m", "TW"], ["export"]])
def test_output_that_cannot_be_written_is_one_line(tmp_path: Path, args: list[str]) -> None:
    with Path("/dev/full").open("w") as full:
        result = subprocess.run([sys.executable, "-m", "lineup", *args], stdout=full, stderr=subprocess.PIPE,
                                text=True, cwd=tmp_path, timeout=60)  # fmt: skip
    assert (result.returncode, result.stderr) == (1, "error: cannot write the output: No space left on device\n")


@pytest.mark.parametrize("args", [["export"], ["export", "-f", "jsonl"], ["show", "infiniti", "-m", "TW"], ["--help"]])
def test_output_does_not_depend_on_the_type_of_stdout(tmp_path: Path, args: list[str]) -> None:
    """As a test harness or a program embedding lineup runs it: stdout a StringIO, no file behind it."""
    code = (
        "import io, sys\n"
        "from lineup.cli import main\n"
        f"sys.argv = ['lineup', *{args!r}]\n"
        "out = sys.stdout = io.StringIO()\n"
        "try:\n    main()\nexcept SystemExit as e:\n    sys.__stderr__.write(f'exit {e.code}')\n"
        "sys.__stdout__.write(out.getvalue())\n"
    )
    embedded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert embedded.stderr.endswith("exit 0"), embedded.stderr
    assert embedded.stdout
    assert embedded.stdout == lineup(*args, cwd=tmp_path).stdout  # what it writes to a pipe


def test_output_in_an_encoding_without_the_data_characters(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "LINEUP_DATA"} | {"PYTHONIOENCODING": "ascii"}
    data = tmp_path / "cafe.toml"
    data.write_text('[brands.c]\nname = "Café"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "lineup", "brands", "--data", str(data)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Caf\\xe9" in result.stdout


def test_nothing_waits_for_input(tmp_path: Path) -> None:
    for args in (["show", "infiniti"], ["has", "infiniti", "q60"], ["brands"], ["markets"], []):
        result = subprocess.run(
            [sys.executable, "-m", "lineup", *args],
            stdin=subprocess.PIPE,
            capture_output=True,
            cwd=tmp_path,
            timeout=60,
        )  # stdin is a pipe left open: a prompt would wait until the timeout
        assert result.returncode in (0, 1, 2)


def test_an_interrupt_exits_130_without_a_traceback(tmp_path: Path) -> None:
    code = (
        "import os, signal, sys, time\n"
        "from lineup import query\n"
        "def interrupted(*args, **kwargs):\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    time.sleep(5)\n"
        "query.lineup = interrupted\n"
        "from lineup.cli import main\n"
        "sys.argv = ['lineup', 'show']\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 130
    assert "Traceback" not in result.stderr
