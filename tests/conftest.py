"""Shared fixtures: a pinned clock, colour and width, the fixture data, a CLI runner."""

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from lineup import dates
from lineup.cli import app
from lineup.load import cache

from .helpers import FIXTURE, TODAY

Run = Callable[..., Result]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="rewrite tests/data/expected/ from current output")
    parser.addoption("--fuzz", action="store_true", help="run the property and fuzz tests with thousands of examples")
    parser.addoption("--regen-docs", action="store_true", help="rewrite the output of the docs' console examples")


def pytest_configure(config: pytest.Config) -> None:
    settings.register_profile("ci", max_examples=200)
    settings.register_profile("fuzz", max_examples=5000)
    settings.load_profile("fuzz" if config.getoption("--fuzz") else "ci")


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The same clock, colour and width for every test, no data from the environment, and a cache of
    its own (empty: each test reads its data files, and fills the cache as a user's first run does).
    A file a test has just written is cached at once (a user's would be a few seconds after its last
    change: tests/test_cache.py tests that rule with it set back)."""
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    monkeypatch.delenv("LINEUP_DATA", raising=False)
    monkeypatch.delenv("LINEUP_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")


@pytest.fixture
def run() -> Run:
    """Invoke the CLI in-process on the fixture data (unless --data is given); stdout and stderr apart."""

    def invoke(*args: str, data: Sequence[Path] | None = (FIXTURE,), env: dict[str, str] | None = None) -> Result:
        argv = list(args)
        for path in data or ():
            argv += ["--data", str(path)]
        return CliRunner().invoke(app, argv, env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture data."""
    return Path(shutil.copy(FIXTURE, tmp_path / "lineups.toml"))


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))
