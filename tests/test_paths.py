"""Which files hold the data: --data, else $LINEUP_DATA, else the embedded dataset; folders read recursively."""

import os
from pathlib import Path

from lineup import load

from .helpers import BRAND, write


def test_data_options_win_over_the_environment(tmp_path: Path) -> None:
    assert load.data_paths([tmp_path / "a.toml"], {"LINEUP_DATA": "b.toml"}) == [tmp_path / "a.toml"]


def test_environment_lists_paths_like_path(tmp_path: Path) -> None:
    env = {"LINEUP_DATA": f"{tmp_path / 'a.toml'}{os.pathsep}{tmp_path / 'b'}"}
    assert load.data_paths(None, env) == [tmp_path / "a.toml", tmp_path / "b"]


def test_embedded_data_is_the_default() -> None:
    [path] = load.data_paths(None, {})
    assert path == load.embedded_path()
    assert path.is_file()


def test_a_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path, "[brands.alpha.markets.TW]\na1 = { since = 2014 }\n", "sub/b.toml")
    write(tmp_path, BRAND, "a.toml")
    write(tmp_path, "not toml", "notes.txt")
    data = load.load([tmp_path])
    assert data.files == (str(tmp_path / "a.toml"), str(tmp_path / "sub" / "b.toml"))


def test_a_symlink_loop_in_a_folder_is_not_followed(tmp_path: Path) -> None:
    write(tmp_path, BRAND, "a.toml")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert load.load([tmp_path]).files == (str(tmp_path / "a.toml"),)


def test_the_same_file_named_twice_is_read_once(tmp_path: Path) -> None:
    path = write(tmp_path, BRAND)
    assert load.load([path, tmp_path / "." / "data.toml"]).files == (str(path),)
