"""The cache: a second read of an unchanged file skips TOML and gives the same data; a question about
one brand reads that brand alone; anything wrong with the cache is no error, only a slower read."""

import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from lineup import dates, load, validation
from lineup.load import cache, records, source
from lineup.model import without_places

from .conftest import Run
from .helpers import FIXTURE, TODAY, write
from .test_layout import documents


@pytest.fixture
def store(tmp_path: Path) -> cache.Cache:
    opened = cache.Cache.open(tmp_path / "cache")
    assert opened is not None
    return opened


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts parsed as TOML, in order: the files the cache did not spare."""
    seen: list[str] = []
    parse = source.parse_toml

    def counting(text: str) -> dict[str, Any]:
        seen.append(text[:0] + "toml")
        return parse(text)

    monkeypatch.setattr(source, "parse_toml", counting)
    return seen


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The brands read back from the cache's records, in order."""
    seen: list[str] = []
    record = records.Decoder.record

    def counting(self: records.Decoder, file: str, brand_id: str, data: Any) -> records.Record:
        seen.append(brand_id)
        return record(self, file, brand_id, data)

    monkeypatch.setattr(records.Decoder, "record", counting)
    return seen


def _entries(kind: str = "") -> list[Path]:
    """The entries of this test's cache, of one kind (cache.FILE, cache.SET, cache.REPORT) or all."""
    opened = cache.Cache.open()
    assert opened is not None
    return [entry for entry in opened.entries() if entry.name.startswith(kind)]


def data(tmp_path: Path, name: str = "lineups.toml") -> Path:
    return Path(shutil.copy(FIXTURE, tmp_path / name))


def _facts(dataset: Any) -> list[Any]:
    return [without_places(brand) for brand in dataset.brands.values()]


def test_a_second_read_comes_from_the_cache(tmp_path: Path, store: cache.Cache, parsed: list[str]) -> None:
    path = data(tmp_path)
    first = load.load([path], store)
    second = load.load([path], store)
    assert parsed == ["toml"]  # once
    assert list(second.brands.values()) == list(first.brands.values())  # places and all


def test_a_question_about_one_brand_reads_that_brand(
    tmp_path: Path, store: cache.Cache, built: list[str], parsed: list[str]
) -> None:
    one, other = data(tmp_path, "one.toml"), tmp_path / "other.toml"
    other.write_text('[brands.omega]\nname = "Omega"\n', encoding="utf-8")
    load.load([one, other], store)
    built.clear()
    dataset = load.load([one, other], store)
    assert (built, parsed) == ([], ["toml", "toml"])  # nothing read but what the set entry says
    assert list(dataset.brands) == ["alpha", "beta", "omega"]
    assert dataset.brands["alpha"].name == "Alpha"
    assert built == ["alpha"]


@pytest.mark.parametrize("cached", [False, True], ids=["no-cache", "cache"])
def test_an_unknown_brand_reads_each_file_at_most_twice(
    run: Run, tmp_path: Path, parsed: list[str], cached: bool
) -> None:
    """A question about one brand lets the others go; asked for a name it does not know, lineup looks
    at every brand's name, so each file is read again once, not once for each brand in it."""
    brand = '[brands.bN]\nname = "BN"\n[brands.bN.models.m]\nname = "M"\nbody = "sedan"\n'
    brand += "[brands.bN.markets.US]\nm = { since = 2020 }\n"
    brands = "".join(brand.replace("N", str(n)) for n in range(40))
    files = [write(tmp_path, brands.replace("[brands.b", f"[brands.f{i}b"), f"f{i}.toml") for i in range(3)]
    if cached:
        run("brands", data=files)
    parsed.clear()
    result = run("show", "b7x", "-m", "US", *([] if cached else ["--no-cache"]), data=files)
    assert result.exit_code == 1
    assert "unknown brand 'b7x'" in result.stderr
    assert len(parsed) <= 2 * len(files)


def test_a_changed_file_is_read_again_at_once(tmp_path: Path, store: cache.Cache, parsed: list[str]) -> None:
    path = data(tmp_path)
    load.load([path], store)
    path.write_text(path.read_text("utf-8").replace('name = "Alpha"', 'name = "Alpha Motors"'), encoding="utf-8")
    assert load.load([path], store).brands["alpha"].name == "Alpha Motors"
    assert parsed == ["toml", "toml"]


def test_a_file_changed_a_moment_ago_is_not_cached(
    tmp_path: Path, store: cache.Cache, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where a file system keeps times to the second, two saves in one second leave the same times: an
    entry made between them would pass for the second. So none is made until the file has settled."""
    monkeypatch.setattr(cache, "SETTLED_NS", 3_000_000_000)
    path = data(tmp_path)
    text = path.read_text("utf-8")
    assert load.load([path], store).brands["alpha"].name == "Alpha"
    assert list(store.entries()) == []  # just saved: nothing kept
    info = path.stat()
    path.write_text(text.replace('"Alpha"', '"Omega"', 1), encoding="utf-8")  # the same size
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # and, as a coarse clock leaves it, the same time
    assert load.load([path], store).brands["alpha"].name == "Omega"
    old = (info.st_mtime_ns - 10**10,) * 2
    os.utime(path, ns=old)  # once its last change is seconds old, it is kept
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    load.load([path], store)
    assert {entry.name.split("-")[0] for entry in store.entries()} == {"file", "set"}


def test_stat_times_made_to_collide_never_give_a_stale_answer(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system with one-second times, simulated: every time lineup sees is cut to the second."""
    real_identity = cache.identity

    def coarse(info: os.stat_result) -> list[int]:
        size, mtime, ctime, inode = real_identity(info)
        return [size, mtime // 10**9 * 10**9, ctime // 10**9 * 10**9, inode]

    monkeypatch.setattr(cache, "identity", coarse)
    monkeypatch.setattr(cache, "SETTLED_NS", 3_000_000_000)
    path = data(tmp_path)
    text = path.read_text("utf-8")
    for name in ("Omega", "Sigma", "Delta"):  # each rewrite within the same second as the read before it
        assert run("show", "alpha", "-f", "tsv", data=[path]).exit_code == 0
        path.write_text(text.replace('"Alpha"', f'"{name}"', 1), encoding="utf-8")
        shown = run("show", "alpha", "-f", "tsv", data=[path]).stdout
        assert shown.startswith(f"{name}\t"), shown
    path.write_text(text.replace("sedan", "sedam", 1), encoding="utf-8")
    assert run("check", str(path), data=None).exit_code == 1


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: b"not json", id="garbage"),
        pytest.param(lambda raw: raw.replace(b'"brands"', b'"brandz"', 1), id="changed-header"),
        pytest.param(lambda raw: raw.replace(b"sedan", b"sedam", 1), id="changed-table"),
        pytest.param(lambda raw: raw.split(b" ", 1)[1], id="no-checksum"),
    ],
)
def test_a_damaged_entry_is_rebuilt_silently(
    tmp_path: Path, store: cache.Cache, parsed: list[str], damage: Callable[[bytes], bytes]
) -> None:
    path = data(tmp_path)
    expected = load.load([path], store)
    [entry] = [e for e in store.entries() if e.name.startswith(cache.FILE)]
    entry.write_bytes(damage(entry.read_bytes()))
    for set_entry in store.entries():  # and the set entry gone: the file's entry must be read
        if set_entry.name.startswith(cache.SET):
            set_entry.unlink()
    again = load.load([path], store)
    assert _facts(again) == _facts(expected)
    assert parsed == ["toml", "toml"]
    assert _facts(load.load([path], store)) == _facts(expected)  # and the entry written again is good
    assert parsed == ["toml", "toml"]


@pytest.mark.parametrize("made_by", ["version", "code", "python"])
def test_an_entry_made_by_other_code_is_not_used(
    tmp_path: Path, store: cache.Cache, parsed: list[str], monkeypatch: pytest.MonkeyPatch, made_by: str
) -> None:
    path = data(tmp_path)
    load.load([path], store)
    monkeypatch.setattr(cache, "_CODE", [])  # worked out again, from what is patched:
    if made_by == "version":
        monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    elif made_by == "python":  # another Python sharing the folder: its marshal may read records otherwise
        monkeypatch.setattr(cache, "_PYTHON", ("cpython-399", 4))
    else:  # a checkout's code edited, or a build reinstalled at the same version
        real_scandir = os.scandir
        monkeypatch.setattr(os, "scandir", lambda folder: [*real_scandir(folder), Touched(folder)])
    load.load([path], store)
    assert parsed == ["toml", "toml"]


class Touched:
    """A module of lineup's changed now, as os.scandir lists it."""

    name = "touched.py"

    def __init__(self, folder: object) -> None:
        self.folder = folder

    def stat(self) -> SimpleNamespace:
        return SimpleNamespace(st_mtime_ns=time.time_ns() + 10**12)


def test_a_folder_others_can_write_is_not_used(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    assert cache.Cache.open(shared) is None  # someone else could put an entry there for us to read


def test_a_cache_folder_that_is_a_link_is_not_used(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (tmp_path / "cache").symlink_to(elsewhere)
    assert cache.Cache.open(tmp_path / "cache") is None


def test_a_new_folder_is_private(tmp_path: Path) -> None:
    opened = cache.Cache.open(tmp_path / "deep" / "lineup")
    assert opened is not None
    assert opened.folder.stat().st_mode & 0o777 == 0o700


def test_a_folder_of_another_user_is_not_used(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a folder to another user")
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 1234, 1234)
    assert cache.Cache.open(theirs) is None  # its owner could put an entry there for us to read


def test_an_entry_that_cannot_be_written_is_skipped(
    tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tempfile.mkstemp", full)
    path = data(tmp_path)
    assert load.load([path], store).brands["alpha"].name == "Alpha"
    assert list(store.entries()) == []


def test_problems_found_in_cached_files_have_their_lines(run: Run, tmp_path: Path) -> None:
    path = data(tmp_path)  # the fixture lacks some sources: warnings, with lines
    first = run("check", str(path), "--no-cache", data=None)
    run("show", data=[path])  # cached
    second = run("check", str(path), data=None)
    assert second.stdout == first.stdout
    assert ":" in second.stdout.splitlines()[0].split(f"{path}:")[1]


def test_no_cache_and_the_environment_bypass_it(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data(tmp_path)
    assert run("show", "--no-cache", data=[path]).exit_code == 0
    assert _entries() == []
    monkeypatch.setenv("LINEUP_NO_CACHE", "1")
    assert run("show", data=[path]).exit_code == 0
    assert _entries() == []
    monkeypatch.delenv("LINEUP_NO_CACHE")
    assert run("show", data=[path]).exit_code == 0
    assert len(_entries(cache.FILE)) == 1


def test_cache_info_and_clear(run: Run, tmp_path: Path) -> None:
    path = data(tmp_path)
    run("show", data=[path])
    info = run("cache", "info", data=None)
    assert info.exit_code == 0
    assert info.stdout.startswith(f"{cache.folder()}: 1 data file, 0 check reports, ")
    cleared = run("cache", "clear", data=None)
    assert cleared.stderr == f"note: removed 2 entries from {cache.folder()}\n"  # the file's, and the set's
    assert run("cache", "info", data=None).stdout.startswith(f"{cache.folder()}: 0 data files, ")


def test_cache_clear_removes_only_what_lineup_wrote(run: Run, tmp_path: Path) -> None:
    path = data(tmp_path)
    run("show", data=[path])
    folder = cache.folder()
    mine = folder / "notes.json"
    mine.write_text('{"mine": true}\n', encoding="utf-8")
    lookalike = folder / "file-00000000-00000000.json"  # lineup's name, not its content
    lookalike.write_text('{"mine": true}\n', encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.json").write_text("{}", encoding="utf-8")
    (folder / "set-11111111-11111111.json").symlink_to(outside / "precious.json")  # a link out of the folder
    assert run("cache", "info", data=None).stdout.startswith(f"{folder}: 1 data file, ")
    assert run("cache", "clear", data=None).stderr == f"note: removed 2 entries from {folder}\n"
    assert [p.exists() for p in (mine, lookalike, outside / "precious.json")] == [True, True, True]


@settings(max_examples=60, suppress_health_check=list(HealthCheck), deadline=None)
@given(documents())
def test_what_the_cache_gives_back_is_what_was_read(
    tmp_path_factory: pytest.TempPathFactory, doc: dict[str, object]
) -> None:
    """Any file the loader takes comes back from the cache whole, places and all, with no TOML read."""
    import tomli_w

    folder = tmp_path_factory.mktemp("doc")
    path = write(folder, tomli_w.dumps(doc))
    store = cache.Cache.open(folder / "cache")
    assert store is not None
    cold = load.load([path], store)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(source, "parse_toml", _no_toml)
        assert list(load.load([path], store).brands.values()) == list(cold.brands.values())
        for entry in store.entries():
            if entry.name.startswith(cache.SET):
                entry.unlink()  # every file's entry read whole, without the set's
        assert list(load.load([path], store).brands.values()) == list(cold.brands.values())


def _no_toml(text: str) -> dict[str, Any]:
    raise AssertionError("TOML read again")


# --- forged entries: a bug, or the user's own hand, leaves one whose checksums match -------------


def forge(entry: Path, change: Callable[[dict[str, Any]], object]) -> None:
    """Change the tables in a data file's entry, its checksums made to match."""
    raw = entry.read_bytes()
    first = raw.partition(b"\n")[0]
    header = json.loads(first.split(b" ", 1)[1])
    start = len(first) + 1
    tables = {}
    for brand_id, (offset, length, _) in header["brands"].items():
        tables[brand_id] = cache._unpack(raw[start + offset : start + offset + length])
    change(tables)
    chunks, brands, offset = [], {}, 0
    for brand_id, table in tables.items():
        chunk = cache._pack(table)
        brands[brand_id] = [offset, len(chunk), zlib.crc32(chunk)]
        chunks.append(chunk)
        offset += len(chunk)
    header["brands"] = brands
    text = json.dumps(header).encode()
    entry.write_bytes(cache._checksum(text) + b" " + text + b"\n" + b"".join(chunks))


def _file_entry() -> Path:
    [entry] = _entries(cache.FILE)
    return entry


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda tables: tables["alpha"]["attrs"].update(name=5), id="a-name-that-is-a-number"),
        pytest.param(lambda tables: tables["alpha"]["models"].popitem(), id="a-model-gone"),
        pytest.param(lambda tables: tables.update({"Not An Id": tables["alpha"]}), id="a-bad-id"),
        pytest.param(lambda tables: tables["alpha"].update(markets=[]), id="a-wrong-shape"),
        pytest.param(lambda tables: tables["alpha"]["windows"]["since"].__setitem__(0, [1, 9]), id="a-bad-date"),
        pytest.param(lambda tables: tables["alpha"]["windows"]["plan"].pop(), id="a-column-short"),
    ],
)
def test_a_forged_entry_is_read_again_from_the_file(
    run: Run, tmp_path: Path, change: Callable[[dict[str, Any]], None]
) -> None:
    path = data(tmp_path)
    expected = run("show", "alpha", "-f", "json", "--no-cache", data=[path]).stdout
    assert run("show", "alpha", data=[path]).exit_code == 0
    forge(_file_entry(), change)
    for entry in _entries(cache.SET):
        entry.unlink()
    for _ in range(2):  # read again from the file, and from the entry written again
        result = run("show", "alpha", "-f", "json", data=[path])
        assert (result.exit_code, result.stdout) == (0, expected), result.stderr


def test_a_forged_entry_the_set_vouches_for_is_read_again_from_the_file(run: Run, tmp_path: Path) -> None:
    path = data(tmp_path)
    expected = run("show", "alpha", "-f", "json", "--no-cache", data=[path]).stdout
    run("show", "alpha", data=[path])
    forge(_file_entry(), lambda tables: tables["alpha"]["attrs"].update(name=5))
    result = run("show", "alpha", "-f", "json", data=[path])
    assert (result.exit_code, result.stdout) == (0, expected), result.stderr


@pytest.mark.parametrize("body", [b"[1, 2]", b'"x"', b"5", b"null"])
@pytest.mark.parametrize("kind", [cache.FILE, cache.SET, cache.REPORT])
def test_an_entry_that_is_not_an_object_is_not_used(run: Run, tmp_path: Path, body: bytes, kind: str) -> None:
    """Each kind of entry with a checksum that matches a body that is not what lineup writes."""
    path = data(tmp_path)
    expected = [run(*command, "--no-cache", data=[path]) for command in (["show", "alpha"], ["check", str(path)])]
    for command in (["show", "alpha"], ["check", str(path)]):
        run(*command, data=[path])
    for entry in _entries(kind):
        entry.write_bytes(cache._checksum(body) + (b" " if kind == cache.FILE else b"\n") + body + b"\n")
    for command, before in zip((["show", "alpha"], ["check", str(path)]), expected, strict=True):
        result = run(*command, data=[path])
        assert (result.exit_code, result.stdout) == (before.exit_code, before.stdout), result.stderr


def test_an_entry_naming_a_brand_no_file_could_hold_is_not_used(run: Run, tmp_path: Path) -> None:
    """With the set's entry vouching for the file: the file is read, not taken to have changed."""
    path = data(tmp_path)
    expected = {command: run(*command, "--no-cache", data=[path]) for command in (("brands",), ("show", "-m", "TW"))}
    run("brands", data=[path])
    forge(_file_entry(), lambda tables: tables.update({"Not An Id": tables["alpha"]}))
    for command, before in expected.items():
        result = run(*command, data=[path])
        assert (result.exit_code, result.stdout) == (0, before.stdout), result.stderr


def _indexed(tmp_path: Path, store: cache.Cache) -> tuple[Path, cache.Index]:
    """The fixture's entry, written by a first read, and its index."""
    path = data(tmp_path)
    load.load([path], store)
    [entry] = [e for e in store.entries() if e.name.startswith(cache.FILE)]
    index = store.index(str(path.resolve()), path.stat())
    assert index is not None
    return entry, index


def test_an_entry_written_again_by_another_run_is_not_removed(tmp_path: Path, store: cache.Cache) -> None:
    entry, index = _indexed(tmp_path, store)
    fresh = entry.read_bytes()
    written = entry.with_name(".entry.other")
    written.write_bytes(fresh)
    written.replace(entry)  # another run's entry, written as lineup writes one, in its place
    assert store.tables(index) is None  # not read as the entry indexed
    store.forget(index)
    assert entry.read_bytes() == fresh


def test_an_entry_read_from_is_read_on_though_another_run_writes_it_again(tmp_path: Path, store: cache.Cache) -> None:
    entry, index = _indexed(tmp_path, store)
    assert store.tables(index, ["alpha"]) is not None  # the entry opened, and kept so for the next brand
    forge(entry, lambda tables: tables["beta"]["attrs"].update(name="Forged"))  # another run's, in its place
    tables = store.tables(index, ["beta"])
    assert tables is not None
    assert tables["beta"]["attrs"]["name"] != "Forged"  # read from the entry the index was made of


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc")
def test_a_pass_over_many_files_holds_one_entry_open_at_a_time(tmp_path: Path, store: cache.Cache) -> None:
    paths = [write(tmp_path, f'[brands.b{n}]\nname = "B{n}"\n', f"part-{n}.toml") for n in range(12)]
    load.load(paths, store)  # the entries written
    dataset = load.load(paths, store)

    def held() -> int:
        links = []
        for fd in list(Path("/proc/self/fd").iterdir()):
            with contextlib.suppress(OSError):  # the listing's own, gone once listed
                links.append(str(fd.readlink()))
        return sum(link.startswith(str(store.folder)) for link in links)

    for brand in dataset.brands.values():
        assert brand.name
        assert held() == 1  # the entry of the file the brand came from, open for the next brand from it


def test_an_entry_too_large_for_memory_is_read_again_from_the_file(
    tmp_path: Path, store: cache.Cache, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data(tmp_path)
    expected = load.load([path], store)
    for entry in store.entries():
        if entry.name.startswith(cache.SET):
            entry.unlink()

    def too_large(chunk: bytes) -> object:
        raise MemoryError  # as marshal raises for a list whose forged length memory cannot hold

    monkeypatch.setattr(cache, "_unpack", too_large)
    assert _facts(load.load([path], store)) == _facts(expected)
    assert parsed == ["toml", "toml"]


def test_an_entry_of_an_earlier_version_is_removed_when_its_file_is_cached_again(
    tmp_path: Path, store: cache.Cache
) -> None:
    path = data(tmp_path)
    load.load([path], store)
    [entry] = [e for e in store.entries() if e.name.startswith(cache.FILE)]
    former = entry.with_suffix(".json")  # the name an earlier version gave it
    former.write_bytes(entry.read_bytes())
    entry.unlink()
    load.load([path], store)
    assert former.exists() is False
    assert entry.exists()


def test_a_forged_entry_that_agrees_with_itself_is_read_again_when_the_merge_finds_it(run: Run, tmp_path: Path) -> None:
    path = data(tmp_path)
    run("show", "alpha", data=[path])

    def ghost(tables: dict[str, Any]) -> None:  # a window of a model the entry never defines
        for name, column in tables["alpha"]["windows"].items():
            column.append("ghost" if name == "model" else column[0])

    for entry in _entries(cache.SET):
        entry.unlink()
    for command in (["show"], ["show", "alpha"], ["diff", "alpha", "2014", "2024"], ["export", "-f", "json"]):
        expected = run(*command, "--no-cache", data=[path])
        run(*command, data=[path])  # the entries written (again)
        forge(_file_entry(), ghost)
        result = run(*command, data=[path])  # the merge finds the ghost: the file itself is read
        assert (result.exit_code, result.stdout, result.stderr) == (0, expected.stdout, expected.stderr)


def test_completion_from_a_forged_entry_completes_what_the_file_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lineup import complete

    path = data(tmp_path)
    monkeypatch.setenv("LINEUP_DATA", str(path))
    assert [value for value, _ in complete.brands(None, "al")] == ["alpha"]
    forge(_file_entry(), lambda tables: tables["alpha"]["attrs"].update(name=5))
    assert [value for value, _ in complete.brands(None, "al")] == ["alpha"]


# --- what check found, kept for the same files on the same day ------------------------------------


@pytest.fixture
def checked(run: Run, tmp_path: Path, parsed: list[str]) -> tuple[Path, str]:
    """A copy of the fixture checked once: its path, and what check said."""
    path = data(tmp_path)
    first = run("check", str(path), data=None)
    assert parsed == ["toml"]
    parsed.clear()
    return path, first.stdout + first.stderr


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[dt.date]:
    """The days check ran its quality rules for: the checks a kept report did not spare."""
    days: list[dt.date] = []
    quality = validation._quality

    def counting(reading: load.Reading, data: Any, today: dt.date) -> Any:
        days.append(today)
        return quality(reading, data, today)

    monkeypatch.setattr(validation, "_quality", counting)
    return days


def test_a_second_check_of_the_same_files_reads_none(
    run: Run, checked: tuple[Path, str], parsed: list[str], checks: list[dt.date]
) -> None:
    path, said = checked
    again = run("check", str(path), data=None)
    assert again.stdout + again.stderr == said
    assert (parsed, checks) == ([], [])
    assert _entries(cache.REPORT)


def test_a_changed_file_or_another_day_is_checked_again(
    run: Run, checked: tuple[Path, str], parsed: list[str], checks: list[dt.date], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = checked
    path.write_text(path.read_text(encoding="utf-8").replace('name = "Alpha"', 'name = "Alpha Motors"'), "utf-8")
    changed = run("check", str(path), data=None)
    assert (parsed, checks) == (["toml"], [TODAY])
    assert changed.stdout == run("check", str(path), "--no-cache", data=None).stdout
    monkeypatch.setattr(dates, "today", lambda: dt.date(2099, 1, 1))  # plans go stale, dates are no longer ahead
    later = run("check", str(path), data=None)
    assert checks[-1] == dt.date(2099, 1, 1)
    assert later.stdout == run("check", str(path), "--no-cache", data=None).stdout


def test_rules_chosen_apply_to_a_kept_report(run: Run, checked: tuple[Path, str]) -> None:
    path, _ = checked
    for options in (["--select", "missing-source"], ["--ignore", "missing-source"], ["--select", "overlap"]):
        kept = run("check", str(path), *options, data=None)
        fresh = run("check", str(path), *options, "--no-cache", data=None)
        assert (kept.exit_code, kept.stdout, kept.stderr) == (fresh.exit_code, fresh.stdout, fresh.stderr)


def test_the_same_files_by_another_name_are_reported_by_that_name(
    run: Run, checked: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = checked
    monkeypatch.chdir(path.parent)
    relative = run("check", path.name, data=None)
    assert relative.stdout == run("check", path.name, "--no-cache", data=None).stdout
    assert relative.stdout.startswith(f"{path.name}:")


def _forge_report(entry: Path, change: Callable[[dict[str, Any]], None]) -> None:
    body = json.loads(entry.read_bytes().partition(b"\n")[2])
    change(body["value"])
    text = json.dumps(body).encode()
    entry.write_bytes(cache._checksum(text) + b"\n" + text)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda value: value.update(holds=[1, -1, 2]), id="holds"),
        pytest.param(lambda value: value["problems"].append(["f", 0, None, "m", "missing-source"]), id="line"),
        pytest.param(lambda value: value["problems"].append(["f", 1, 1, "m", "no-such-rule"]), id="rule"),
        pytest.param(lambda value: value.update(problems={}), id="shape"),
        pytest.param(lambda value: value.update(problems=[], holds=None), id="all-clear-unread"),
        pytest.param(
            lambda value: value["problems"].append(["/etc/passwd", 1, 1, "m", "missing-source"]), id="another-file"
        ),
        pytest.param(
            lambda value: value["problems"].append([value["problems"][0][0], 1, 1, "m", "read"]),
            id="loader-error-yet-loaded",
        ),
        pytest.param(lambda value: value["problems"][0].__setitem__(3, ""), id="no-message"),
    ],
)
def test_a_forged_report_is_checked_again(
    run: Run, checked: tuple[Path, str], checks: list[dt.date], change: Callable[[dict[str, Any]], None]
) -> None:
    path, said = checked
    [entry] = _entries(cache.REPORT)
    _forge_report(entry, change)
    again = run("check", str(path), data=None)
    assert again.stdout + again.stderr == said
    assert checks == [TODAY]


def test_a_file_put_back_with_its_old_time_is_read_again(run: Run, checked: tuple[Path, str]) -> None:
    path, _ = checked
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('body = "sedan"', 'body = "sedna"', 1), encoding="utf-8")  # the same size
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # and the time it had
    assert path.stat().st_size == info.st_size
    for command in (["check", str(path)], ["show", "alpha", "--data", str(path)]):
        result = run(*command, data=None)
        assert result.exit_code == 1
        assert "sedna" in result.stdout + result.stderr


def test_a_file_name_that_is_not_utf8_is_checked_and_kept(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.toml")  # Latin-1, as old archives have
    try:
        shutil.copy(FIXTURE, folder / name)
    except (OSError, UnicodeError):
        pytest.skip("this file system takes UTF-8 names only")
    os.utime(folder / name, (0, 0))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "lineup", "check", str(folder)]
    first = subprocess.run(command, capture_output=True, env=env, timeout=60)
    assert (first.returncode, first.stderr.splitlines()[-1]) == (
        0,
        b"6 warnings: 2 brands, 7 models, 12 windows in 1 file",
    )
    assert subprocess.run(command, capture_output=True, env=env, timeout=60).stdout == first.stdout  # as kept


def test_reports_of_other_days_are_forgotten(run: Run, tmp_path: Path, fixture_copy: Path) -> None:
    other = Path(shutil.copy(FIXTURE, tmp_path / "other.toml"))
    run("check", str(other), data=None)
    [old] = _entries(cache.REPORT)
    os.utime(old, (0, 0))  # written long ago
    run("check", str(fixture_copy), data=None)
    reports = _entries(cache.REPORT)
    assert old not in reports
    assert len(reports) == 1


def test_a_file_changed_while_it_is_read_is_not_kept_as_it_is_now(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data(tmp_path)
    text = path.read_text(encoding="utf-8")
    parse = source.parse_toml

    def replaced_meanwhile(read: str) -> dict[str, Any]:
        info = path.stat()  # as it is parsed, another program saves a new version: same size, same time
        path.write_text(text.replace('body = "sedan"', 'body = "sedna"', 1), encoding="utf-8")
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        return parse(read)

    with monkeypatch.context() as patch:
        patch.setattr(source, "parse_toml", replaced_meanwhile)
        assert run("show", "alpha", data=[path]).exit_code == 0  # what it read was good
    again = run("check", str(path), data=None)
    assert again.exit_code == 1
    assert "sedna" in again.stdout
