"""The cache: a second read of an unchanged file skips TOML and gives the same data; anything wrong
with the cache is no error, only a slower read."""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from lineup import cache, dates, load

from .conftest import Run
from .helpers import FIXTURE, TODAY
from .test_fmt import documents, write


@pytest.fixture
def store(tmp_path: Path) -> cache.Cache:
    opened = cache.Cache.open(tmp_path / "cache")
    assert opened is not None
    return opened


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose TOML is parsed, in order: the ones the cache did not spare."""
    seen: list[str] = []
    document = load._Reader._document

    def counting(self: load._Reader, file: str, doc: dict[str, object]) -> list[load.BrandPart]:
        seen.append(Path(file).name)
        return document(self, file, doc)

    monkeypatch.setattr(load._Reader, "_document", counting)
    return seen


def _entries(reports: bool = False) -> list[Path]:
    """The entries of this test's cache: every one, or its check reports."""
    opened = cache.Cache.open()
    assert opened is not None
    return [entry for entry in opened.entries() if not reports or entry.name.startswith(cache.REPORT)]


def data(tmp_path: Path) -> Path:
    return Path(shutil.copy(FIXTURE, tmp_path / "lineups.toml"))


def test_a_second_read_comes_from_the_cache(tmp_path: Path, store: cache.Cache, parsed: list[str]) -> None:
    path = data(tmp_path)
    first = load.load([path], store)
    second = load.load([path], store)
    assert parsed == ["lineups.toml"]  # once
    assert second.brands == first.brands
    for brand in first.brands.values():  # the places too, which equality leaves out
        for code, entries in brand.markets.items():
            for model_id, windows in entries.items():
                assert [w.place for w in second.brands[brand.id].markets[code][model_id]] == [w.place for w in windows]
        assert {m: x.place for m, x in second.brands[brand.id].models.items()} == {
            m: x.place for m, x in brand.models.items()
        }


def test_a_changed_file_is_read_again_at_once(tmp_path: Path, store: cache.Cache, parsed: list[str]) -> None:
    path = data(tmp_path)
    load.load([path], store)
    path.write_text(
        path.read_text(encoding="utf-8").replace('name = "Alpha"', 'name = "Alpha Motors"'), encoding="utf-8"
    )
    assert load.load([path], store).brands["alpha"].name == "Alpha Motors"
    assert parsed == ["lineups.toml", "lineups.toml"]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda text: text[: len(text) // 2], id="truncated"),
        pytest.param(lambda text: "", id="empty"),
        pytest.param(lambda text: "not json", id="garbage"),
        pytest.param(lambda text: text.replace('"Alpha"', '"Omega"', 1), id="changed-light"),
        pytest.param(lambda text: text.replace("sedan", "sedam", 1), id="changed-heavy"),
        pytest.param(lambda text: text.replace("sedan", "sedam", 1).split("\n", 1)[1], id="no-checksum"),
    ],
)
def test_a_damaged_entry_is_rebuilt_silently(
    tmp_path: Path, store: cache.Cache, parsed: list[str], damage: object
) -> None:
    path = data(tmp_path)
    expected = load.load([path], store)
    [entry] = store.entries()
    entry.write_text(damage(entry.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    again = load.load([path], store)
    assert again.brands == expected.brands
    assert again.brands["alpha"].name == "Alpha"
    assert parsed == ["lineups.toml", "lineups.toml"]
    assert load.load([path], store).brands == expected.brands  # and the entry written again is good


def test_an_entry_for_another_version_is_not_used(
    tmp_path: Path, store: cache.Cache, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data(tmp_path)
    load.load([path], store)
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    load.load([path], store)
    assert parsed == ["lineups.toml", "lineups.toml"]


def test_a_folder_others_can_write_is_not_used(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    assert cache.Cache.open(shared) is None  # someone else could put an entry there for us to read


def test_a_new_folder_is_private(tmp_path: Path) -> None:
    opened = cache.Cache.open(tmp_path / "deep" / "lineup")
    assert opened is not None
    assert opened.folder.stat().st_mode & 0o777 == 0o700


def test_an_entry_that_cannot_be_written_is_skipped(
    tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tempfile.mkstemp", full)
    path = data(tmp_path)
    assert load.load([path], store).brands["alpha"].name == "Alpha"
    assert list(store.entries()) == []


def test_a_question_about_one_brand_builds_that_brand(
    tmp_path: Path, store: cache.Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data(tmp_path)
    load.load([path], store)
    built: list[str] = []
    heavy = cache._heavy

    def counting(file: str, brand_id: str, text: str) -> load.Heavy:
        built.append(brand_id)
        return heavy(file, brand_id, text)

    monkeypatch.setattr(cache, "_heavy", counting)
    dataset = load.load([path], store)
    assert built == []
    assert dataset.brands["alpha"].name == "Alpha"
    assert built == ["alpha"]


def test_problems_found_in_cached_files_have_their_lines(run: Run, tmp_path: Path) -> None:
    path = data(tmp_path)  # the fixture lacks some sources: warnings, with lines
    first = run("check", str(path), data=None)
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
    assert len(_entries()) == 1


def test_cache_info_and_clear(run: Run, tmp_path: Path) -> None:
    path = data(tmp_path)
    run("show", data=[path])
    info = run("cache", "info", data=None)
    assert info.exit_code == 0
    assert info.stdout.startswith(f"{cache.folder()}: 1 data file, ")
    cleared = run("cache", "clear", data=None)
    assert cleared.stderr == f"note: removed 1 entry from {cache.folder()}\n"
    assert run("cache", "info", data=None).stdout.startswith(f"{cache.folder()}: 0 data files, ")


@settings(max_examples=60, suppress_health_check=list(HealthCheck), deadline=None)
@given(documents())
def test_what_the_cache_gives_back_is_what_was_read(
    tmp_path_factory: pytest.TempPathFactory, doc: dict[str, object]
) -> None:
    """Any file the loader takes comes back from the cache whole, with no TOML read again."""
    import tomli_w

    folder = tmp_path_factory.mktemp("doc")
    path = write(folder, tomli_w.dumps(doc))
    store = cache.Cache.open(folder / "cache")
    assert store is not None
    cold = load.load([path], store)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(load._Reader, "read_file", _no_toml(load._Reader.read_file))
        warm = load.load([path], store)
        assert warm.brands == cold.brands  # every brand decoded, in the same read
    assert [(w.place, w.first_seen) for b in warm.brands.values() for e in b.markets.values()
            for ws in e.values() for w in ws] == [(w.place, w.first_seen) for b in cold.brands.values()
            for e in b.markets.values() for ws in e.values() for w in ws]  # fmt: skip


def _no_toml(read_file: Callable[..., None]) -> Callable[..., None]:
    def from_the_cache_only(self: load._Reader, path: Path, given: str | None = None) -> None:
        assert self.cache is not None, f"{path} read from its TOML again"
        read_file(self, path, given)
        assert str(path) in self.cached, f"{path} not taken from the cache"

    return from_the_cache_only


def test_a_folder_of_another_user_is_not_used(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a folder to another user")
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 1234, 1234)
    assert cache.Cache.open(theirs) is None  # its owner could put an entry there for us to read


def _forge(entry: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change an entry as only a bug or a hand could: its checksum made to match."""
    body = json.loads(entry.read_bytes().partition(b"\n")[2])
    change(body)
    text = json.dumps(body).encode()
    entry.write_bytes(cache._checksum(text) + b"\n" + text)


def _heavy_of(body: dict[str, Any], brand_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    [part] = [part for part in body["value"] if part["id"] == brand_id]
    heavy = json.loads(part["heavy"])
    change(heavy)
    part["heavy"] = json.dumps(heavy)


def _unnamed(heavy: dict[str, Any]) -> None:
    heavy["models"]["a2"][0] = 5  # a name that is a number


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda body: body["value"][0].update(id="Not An Id"), id="light-value"),
        pytest.param(lambda body: body["value"][0]["markets"].update(TW="a1"), id="light-shape"),
        pytest.param(lambda body: body["value"].append({}), id="light-missing"),
        pytest.param(lambda body: _heavy_of(body, "alpha", lambda h: h["models"].popitem()), id="heavy-disagrees"),
        pytest.param(lambda body: _heavy_of(body, "alpha", _unnamed), id="heavy-value"),
        pytest.param(lambda body: _heavy_of(body, "alpha", lambda h: h.update(coverage=[])), id="heavy-shape"),
    ],
)
def test_a_forged_entry_is_read_again_from_the_file(
    tmp_path: Path, store: cache.Cache, parsed: list[str], change: Callable[[dict[str, Any]], None]
) -> None:
    path = data(tmp_path)
    expected = load.load([path])
    parsed.clear()
    load.load([path], store)
    [entry] = store.entries()
    _forge(entry, change)
    assert load.load([path], store).brands == expected.brands
    assert parsed == ["lineups.toml", "lineups.toml"]  # read again, once
    assert load.load([path], store).brands == expected.brands  # from an entry written again, or the file


def test_a_forged_entry_that_cannot_be_mended_is_an_error_once(run: Run, tmp_path: Path, store: cache.Cache) -> None:
    path = data(tmp_path)
    assert run("show", "alpha", data=[path]).exit_code == 0
    [entry] = _entries()

    def both(body: dict[str, Any]) -> None:  # a name the file does not have, and a heavy part to read again
        body["value"][0]["attrs"]["name"] = "Omega"
        _heavy_of(body, "alpha", lambda h: h["models"].popitem())

    _forge(entry, both)
    failed = run("show", "alpha", data=[path])
    assert (failed.exit_code, failed.stdout) == (1, "")
    assert failed.stderr == f"error: {path}: changed while it was read: run the command again\n"
    assert not entry.exists()
    assert run("show", "alpha", data=[path]).stdout == run("show", "alpha", "--no-cache", data=[path]).stdout


def test_a_forged_entry_that_agrees_with_itself_meets_the_checks_of_merging(run: Run, tmp_path: Path) -> None:
    path = data(tmp_path)
    run("show", "alpha", data=[path])
    [entry] = _entries()

    def ghost(body: dict[str, Any]) -> None:  # windows of a model the entry, light and heavy alike, never defines
        [part] = [part for part in body["value"] if part["id"] == "alpha"]
        code, listed = next(iter(part["markets"].items()))
        listed.append("ghost")
        _heavy_of(body, "alpha", lambda h: h["markets"][code].update(ghost=h["markets"][code][listed[0]]))

    _forge(entry, ghost)
    for command in (["show"], ["show", "alpha"], ["diff", "alpha", "2014", "2024"], ["export", "-f", "json"]):
        result = run(*command, data=[path])
        assert result.exit_code == 1
        assert "ghost" in result.stderr
        assert "internal error" not in result.stderr


def test_completion_from_a_forged_entry_completes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lineup import complete

    path = data(tmp_path)
    monkeypatch.setenv("LINEUP_DATA", str(path))
    assert [value for value, _ in complete.brands(None, "al")] == ["alpha"]
    [entry] = _entries()

    def both(body: dict[str, Any]) -> None:
        body["value"][0]["attrs"]["name"] = "Omega"
        _heavy_of(body, "alpha", lambda h: h["models"].popitem())

    _forge(entry, both)
    assert complete.brands(None, "al") == []  # the error comes up as a brand is built: no traceback


# --- what check found, kept for the same files on the same day ------------------------------------


@pytest.fixture
def checked(run: Run, tmp_path: Path, parsed: list[str]) -> tuple[Path, str]:
    """A copy of the fixture checked once: its path, and what check said."""
    path = data(tmp_path)
    first = run("check", str(path), data=None)
    assert parsed == ["lineups.toml"]
    parsed.clear()
    return path, first.stdout + first.stderr


def test_a_second_check_of_the_same_files_reads_none(
    run: Run, checked: tuple[Path, str], parsed: list[str], checks: list[dt.date]
) -> None:
    path, said = checked
    again = run("check", str(path), data=None)
    assert again.stdout + again.stderr == said
    assert (parsed, checks) == ([], [])
    assert _entries()


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[dt.date]:
    """The days check ran its quality rules for: the checks a kept report did not spare."""
    from lineup import check

    days: list[dt.date] = []
    quality = check._quality

    def counting(reading: load.Reading, data: Any, today: dt.date) -> Any:
        days.append(today)
        return quality(reading, data, today)

    monkeypatch.setattr(check, "_quality", counting)
    return days


def test_a_changed_file_or_another_day_is_checked_again(
    run: Run, checked: tuple[Path, str], parsed: list[str], checks: list[dt.date], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = checked
    path.write_text(path.read_text(encoding="utf-8").replace('name = "Alpha"', 'name = "Alpha Motors"'), "utf-8")
    changed = run("check", str(path), data=None)
    assert (parsed, checks) == (["lineups.toml"], [TODAY])
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
    [entry] = _entries(reports=True)
    _forge(entry, lambda body: change(body["value"]))
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
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "lineup", "check", str(folder)]
    first = subprocess.run(command, capture_output=True, env=env, timeout=60)
    assert (first.returncode, first.stderr.splitlines()[-1]) == (
        0,
        b"6 warnings: 2 brands, 7 models, 12 windows in 1 file",
    )
    assert subprocess.run(command, capture_output=True, env=env, timeout=60).stdout == first.stdout  # as kept


def test_quality_rules_are_rules() -> None:
    from lineup import check

    assert set(check.RULES) >= check.QUALITY


def test_reports_of_other_days_are_forgotten(run: Run, tmp_path: Path, fixture_copy: Path) -> None:
    other = Path(shutil.copy(FIXTURE, tmp_path / "other.toml"))
    run("check", str(other), data=None)
    [old] = _entries(reports=True)
    os.utime(old, (0, 0))  # written long ago
    run("check", str(fixture_copy), data=None)
    reports = _entries(reports=True)
    assert old not in reports
    assert len(reports) == 1


def test_a_file_changed_while_it_is_read_is_not_kept_as_it_is_now(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data(tmp_path)
    text = path.read_text(encoding="utf-8")
    document = load._Reader._document

    def replaced_meanwhile(self: load._Reader, file: str, doc: dict[str, object]) -> list[load.BrandPart]:
        info = path.stat()  # as parsing ends, another program saves a new version: same size, same time
        path.write_text(text.replace('body = "sedan"', 'body = "sedna"', 1), encoding="utf-8")
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        return document(self, file, doc)

    with monkeypatch.context() as patch:
        patch.setattr(load._Reader, "_document", replaced_meanwhile)
        assert run("show", "alpha", data=[path]).exit_code == 0  # what it read was good
    again = run("check", str(path), data=None)
    assert again.exit_code == 1
    assert "sedna" in again.stdout
