"""Where a failure becomes what a user reads and the exit code the shell gets (lineup.cli.output)."""

import errno
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lineup.cli import output
from lineup.errors import LineupError, UsageError


def on_writing(error: Exception, folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """The exit code of `error`, with stdout a file of its own (a real descriptor, which the failure
    may point elsewhere), and what reaches that file when a command goes on writing after it."""
    path = folder / "stdout"
    with path.open("w", encoding="utf-8") as stream, monkeypatch.context() as patched:
        patched.setattr(sys, "stdout", stream)
        code = output.exit_code(error)
        print("more output", flush=True)
    return code, path.read_text(encoding="utf-8")


def test_a_lineup_error_is_its_own_line_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code = output.exit_code(LineupError("no model 'q9'", file="data/a.toml", line=3, column=5))
    assert code == 1
    assert capsys.readouterr() == ("", "error: data/a.toml:3:5: no model 'q9'\n")


def test_a_usage_error_found_in_the_data_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert output.exit_code(UsageError("--origin", "a new brand needs its country")) == 2
    assert capsys.readouterr().err == "error: --origin: a new brand needs its country\n"


def test_what_an_error_quotes_cannot_drive_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    output.exit_code(LineupError("unknown brand 'a\x1b[2Jb'"))
    assert capsys.readouterr().err == "error: unknown brand 'a\\x1b[2Jb'\n"


def test_a_reader_gone_ends_quietly_with_141(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, written = on_writing(BrokenPipeError(errno.EPIPE, "Broken pipe"), tmp_path, monkeypatch)
    assert code == 141  # as `cat` does
    assert written == ""  # the rest, and Python's last flush, go nowhere
    assert capsys.readouterr() == ("", "")


def test_a_full_disk_says_the_output_cannot_be_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, written = on_writing(OSError(errno.ENOSPC, "No space left on device"), tmp_path, monkeypatch)
    assert code == 1
    assert written == ""
    assert capsys.readouterr().err == "error: cannot write the output: No space left on device\n"


def test_a_system_error_names_the_file_as_the_system_says_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    error = PermissionError(errno.EACCES, "Permission denied", "data/a.toml")
    assert on_writing(error, tmp_path, monkeypatch) == (1, "more output\n")  # not a failure to write
    assert capsys.readouterr().err == "error: data/a.toml: Permission denied\n"


def test_a_system_error_without_a_file_is_its_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert output.exit_code(OSError(errno.ENOMEM, "Cannot allocate memory")) == 1
    assert output.exit_code(OSError("no such thing")) == 1
    assert capsys.readouterr().err == "error: Cannot allocate memory\nerror: no such thing\n"


def test_an_unexpected_exception_is_an_internal_error_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LINEUP_DEBUG", raising=False)
    assert output.exit_code(KeyError("q60")) == 1
    assert capsys.readouterr() == (
        "",
        "error: internal error: KeyError: 'q60' (set LINEUP_DEBUG=1 for a traceback; please report it)\n",
    )


def test_lineup_debug_lets_an_unexpected_exception_through(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINEUP_DEBUG", "1")
    error = KeyError("q60")
    with pytest.raises(KeyError) as raised:
        output.exit_code(error)
    assert raised.value is error
    assert capsys.readouterr().err == ""


def test_lineup_debug_leaves_lineup_s_own_errors_as_they_are(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINEUP_DEBUG", "1")
    assert output.exit_code(LineupError("no model 'q9'")) == 1
    assert capsys.readouterr().err == "error: no model 'q9'\n"


def test_notes_and_errors_go_to_stderr_as_one_visible_line(capsys: pytest.CaptureFixture[str]) -> None:
    output.note("wrote a\u202eb.csv")
    output.fail("cannot read x")
    assert capsys.readouterr() == ("", "note: wrote a\\u202eb.csv\nerror: cannot read x\n")


def test_a_plain_typer_reads_no_markup_in_help() -> None:
    app = output.plain_typer()

    @app.command()
    def greet() -> None:
        """Say [bold]hello[/bold]."""

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    assert "Say [bold]hello[/bold]." in result.output
    assert "--install-completion" not in result.output
