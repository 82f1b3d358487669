"""A data file's bytes, text and TOML: what keeps a file from being read is one located error."""

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from lineup import files, load
from lineup.errors import LineupError
from lineup.load import cache, source
from lineup.model import Dataset

from .helpers import BRAND, error_of, write


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        pytest.param(lambda d: d / "missing.toml", "no such file or folder", id="missing"),
        pytest.param(lambda d: d, "no .toml files in this folder", id="empty-folder"),
        pytest.param(
            lambda d: write(d, "", "x.toml").with_name("x.toml") and _bytes(d, b"\xff\xfe[brands]"),
            "not UTF-8",
            id="not-utf8",
        ),
        pytest.param(lambda d: _bytes(d, b"\x00\x01\x02binary"), "not valid TOML", id="binary"),
    ],
)
def test_unreadable_input_gets_a_located_error(tmp_path: Path, setup: object, message: str) -> None:
    path = setup(tmp_path)  # type: ignore[operator]
    shown = str(error_of(path))
    assert message in shown
    assert str(path) in shown or str(tmp_path) in shown


def test_not_utf8_points_at_the_bad_byte(tmp_path: Path) -> None:
    path = _bytes(tmp_path, b'[brands.alpha]\nname = "Caf\xe9"\n')
    assert str(error_of(path)).startswith(f"{path}:2:12: not UTF-8 text (byte 0xe9)")


def test_an_empty_file_is_an_empty_dataset(tmp_path: Path) -> None:
    assert load.load([write(tmp_path, "")]).brands == {}


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = _bytes(tmp_path, "\ufeff".encode() + BRAND.encode())
    assert "alpha" in load.load([path]).brands


def test_an_unreadable_file_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, BRAND)

    def refuse(path: Path, limit: int) -> bytes:  # chmod 0 would not stop root, who runs CI here
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(files, "read_bytes", refuse)
    assert str(error_of(path)) == f"{path}: cannot read: Permission denied"


def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "x = " + "[" * 5000 + "]" * 5000 + "\n")
    assert str(path) in str(error_of(path))


@pytest.mark.parametrize(
    ("text", "column"),
    [
        pytest.param("a" + ".a" * 40000 + " = 1\n", 1, id="dotted-key"),
        pytest.param("[" + "a." * 40000 + "a]\n", 2, id="header"),
        pytest.param("[[" + "a." * 40000 + "a]]\n", 3, id="array-header"),
        pytest.param('x = { "q"' + '."q"' * 40000 + " = 1 }\n", 7, id="inline-quoted"),
    ],
)
def test_a_key_of_thousands_of_parts_is_one_located_error(tmp_path: Path, text: str, column: int) -> None:
    """tomllib needs minutes and gigabytes for such a key: it is refused before tomllib sees it."""
    error = error_of(write(tmp_path, "[brands.a]\n" + text))
    assert (error.line, error.column) == (2, column)
    assert f"a key of more than {source.MAX_KEY_PARTS} parts" in error.message


def test_a_note_full_of_dots_is_no_key(tmp_path: Path) -> None:
    note = ".".join("abcdefghijklmnopqrstuvwxyzabcdefghijklmnop")
    path = write(tmp_path, BRAND + f'note = "{note}"\n')
    assert load.load([path]).brands["alpha"].models["a1"].note == note


def test_a_pipe_or_device_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert str(error_of(fifo)) == f"{fifo}: is not a regular file"
    assert str(error_of(Path("/dev/zero"))) == "/dev/zero: is not a regular file"


def test_a_file_too_large_to_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_BYTES", 10)
    path = write(tmp_path, BRAND)
    assert "more than lineup reads in one file" in str(error_of(path))


@pytest.mark.parametrize("cached", [False, True], ids=["read", "cached"])
def test_more_data_in_all_than_lineup_reads_at_once_is_refused_at_the_file_past_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    paths = [write(tmp_path, BRAND.replace("alpha", name), f"{name}.toml") for name in ("a", "b", "c")]
    kept = cache.Cache(tmp_path / "cache") if cached else None
    load.load(paths, kept)  # all within the limit; and kept, if cached
    monkeypatch.setattr(load, "MAX_TOTAL", sum(p.stat().st_size for p in paths[:2]))
    with pytest.raises(LineupError) as raised:
        load.load(paths, kept)
    assert str(raised.value).startswith(f"{paths[2]}: the data read adds up to more than 0 MB with this file")
    assert load.load(paths[:2], kept).brands.keys() == {"a", "b"}


def _bytes(folder: Path, data: bytes) -> Path:
    path = folder / "bad.toml"
    path.write_bytes(data)
    return path


def _within(seconds: float, work: Callable[[], object]) -> object:
    """What `work` gives, or a failure if it has not finished in `seconds` (it is left blocked)."""
    done: list[object] = []
    thread = threading.Thread(target=lambda: done.append(_outcome(work)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert done, f"still waiting after {seconds} s"
    return done[0]


def _outcome(work: Callable[[], object]) -> object:
    try:
        return work()
    except LineupError as e:
        return e


def test_a_file_swapped_for_a_pipe_after_it_was_checked_cannot_hold_lineup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race: a file that is regular when looked at, and a pipe when opened (a symlink switched
    between the two). Whatever looks at the path first, what is read is checked as it is opened."""
    regular = write(tmp_path, BRAND, "regular.toml").stat()
    fifo = tmp_path / "data.toml"
    os.mkfifo(fifo)
    stat = Path.stat

    def as_it_was(self: Path, **kwargs: object) -> os.stat_result:
        return regular if self == fifo else stat(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", as_it_was)
    error = _within(10, lambda: load.load([fifo]))
    assert str(error) == f"{fifo}: is not a regular file"


def test_a_cache_entry_that_is_a_pipe_cannot_hold_lineup(tmp_path: Path) -> None:
    path = write(tmp_path, BRAND)
    store = cache.Cache.open(tmp_path / "cache")
    assert store is not None
    load.load([path], store)
    for entry in store.folder.iterdir():
        entry.unlink()
        os.mkfifo(entry)  # no writer will ever come
    dataset = _within(10, lambda: load.load([path], store))
    assert isinstance(dataset, Dataset)
    assert dataset.brands["alpha"].name == "Alpha"
