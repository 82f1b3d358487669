import datetime as dt
import os
import shutil
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lineup import layout as fmt
from lineup import load
from lineup.model import Brand, Dataset, without_places

from .conftest import Run
from .helpers import FIXTURE, write

MESSY = """\
[brands.zeta]
origin = "DE"
name = "Zeta"

[brands.zeta.markets.US]
z2 = [{ until = "2019-06", since = 2010, sources = ["https://example.org/one"] }, { since = 2021 }]
z1 = { since = "2014", model_years = [2015, 2020], until = 2020 }

[brands.zeta.models.z2]
body = ["coupe"]
name = "Z2"
powertrain = ["ice", "hybrid"]

[brands.zeta.models.z1]
name = "Z1"
body = "sedan"

[brands.alpha]
name = "Alpha"

[brands.alpha.models.a]
name = "A"
body = "suv"
production = { until = "2022-q4", since = 2019-05-01, plan = false }

[brands.alpha.markets.JP]
a = { on_sale_by = "2019-H1" }
"""


def test_the_canonical_layout(tmp_path: Path, run: Run) -> None:
    path = write(tmp_path, MESSY)
    result = run("fmt", str(path), data=None)
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text.index("[brands.alpha]") < text.index("[brands.zeta]")  # brands in id order
    assert text.index("[brands.zeta.models.z1]") < text.index("[brands.zeta.models.z2]")
    assert text.index("models.z2]") < text.index("markets.US")  # models before markets
    assert 'body = "coupe"' in text  # one value, not a list of one
    assert 'until = "2022-Q4"' in text
    assert "since = 2019-05-01" in text  # a day stays a TOML date
    assert "since = 2014" in text  # a year is an integer
    assert 'model_years = "2015-2020"' in text
    assert 'source = "https://example.org/one"' in text  # one source as `source`
    assert "plan = false" not in text
    windows = tomllib.loads(text)["brands"]["zeta"]["markets"]["US"]["z2"]
    assert [w["since"] for w in windows] == [2010, 2021]  # windows in date order


def test_formatting_twice_changes_nothing(tmp_path: Path) -> None:
    once = fmt.canonical_text(MESSY)
    assert fmt.canonical_text(once) == once


def test_a_character_a_reviewer_would_not_see_is_written_as_an_escape(tmp_path: Path, run: Run) -> None:
    raw = '[brands.x]\nname = "X\u202eY\u200b"\norigin = "JP"\nnote = "a\u2028b\tc"\n'
    path = write(tmp_path, raw)
    assert run("fmt", str(path), data=None).exit_code == 0
    written = path.read_text(encoding="utf-8")
    assert written == '[brands.x]\nname = "X\\u202eY\\u200b"\norigin = "JP"\nnote = "a\\u2028b\tc"\n'
    assert tomllib.loads(written) == tomllib.loads(raw)


def test_the_embedded_data_is_canonical(run: Run) -> None:
    result = run("fmt", "--check", data=None)
    assert (result.exit_code, result.stdout) == (0, ""), result.stdout


def test_check_writes_nothing_and_says_which_file_would_change(tmp_path: Path, run: Run) -> None:
    path = write(tmp_path, MESSY)
    result = run("fmt", "--check", str(path), data=None)
    assert result.exit_code == 1
    assert result.stdout == f"would reformat {path}\n"
    assert path.read_text(encoding="utf-8") == MESSY


def test_check_diff_shows_how(tmp_path: Path, run: Run) -> None:
    path = write(tmp_path, MESSY)
    out = run("fmt", "--check", "--diff", str(path), data=None).stdout
    assert f"--- {path}\n+++ {path} (formatted)" in out
    assert '-z1 = { since = "2014", model_years = [2015, 2020], until = 2020 }' in out


def test_diff_alone_writes_nothing(tmp_path: Path, run: Run) -> None:
    """As black and ruff do: --diff shows, it does not write."""
    path = write(tmp_path, MESSY)
    result = run("fmt", "--diff", str(path), data=None)
    assert result.exit_code == 1
    assert f"--- {path}\n+++ {path} (formatted)" in result.stdout
    assert path.read_text(encoding="utf-8") == MESSY


def test_a_diff_too_long_to_compute_is_summed_up(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmt, "DIFF_LINES", 10)
    path = write(tmp_path, MESSY)
    out = run("fmt", "--diff", str(path), data=None).stdout
    lines = (MESSY.count("\n"), fmt.canonical_text(MESSY).count("\n"))
    assert out.splitlines()[1:] == [f"--- {path}", f"(not shown: {lines[0]} lines would become {lines[1]})"]


def test_one_file_of_a_split_brand_with_the_rest_as_context(tmp_path: Path, run: Run) -> None:
    """What a pre-commit hook does: format the changed file, read the others, write only the one."""
    rest = write(tmp_path, '[brands.a]\nname = "A"\n[brands.a.models.m]\nbody = "sedan"\nname = "M"\n', "a.toml")
    part = write(tmp_path, "[brands.a.markets.TW]\nm = { since = 2020 }\n", "a-tw.toml")
    alone = run("fmt", "--check", str(part), data=None)
    assert alone.exit_code == 1
    assert "needs a name" in alone.stderr  # alone, the file is not valid data
    rest_before = rest.read_bytes()
    result = run("fmt", str(part), data=[tmp_path])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"note: reformatted {part}\nnote: 1 file reformatted, 0 unchanged\n"
    assert part.read_text(encoding="utf-8") == "[[brands.a.markets.TW.m]]\nsince = 2020\n"
    assert rest.read_bytes() == rest_before


def test_a_file_changed_while_formatting_is_not_written(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor saves the file after lineup read it: lineup's version would lose that save."""
    path = write(tmp_path, MESSY)
    read = load.read

    def read_then_someone_saves(*args: object, **kwargs: object) -> load.Reading:
        reading = read(*args, **kwargs)  # type: ignore[arg-type]
        path.write_text(MESSY + "\n", encoding="utf-8")
        return reading

    monkeypatch.setattr(load, "read", read_then_someone_saves)
    result = run("fmt", str(path), data=None)
    assert result.exit_code == 1
    assert "changed since lineup read it, so nothing was written" in result.stderr
    assert path.read_text(encoding="utf-8") == MESSY + "\n"


def test_the_owner_is_kept(tmp_path: Path, run: Run) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    path = write(tmp_path, MESSY)
    os.chown(path, 1234, 1234)
    assert run("fmt", str(path), data=None).exit_code == 0
    assert (path.stat().st_uid, path.stat().st_gid) == (1234, 1234)


def test_refused_files_are_counted(tmp_path: Path, run: Run) -> None:
    write(tmp_path, MESSY.replace('name = "Alpha"', 'name = "Alpha"  # note'))
    result = run("fmt", str(tmp_path), data=None)
    assert result.stderr.endswith("note: 0 files reformatted, 0 unchanged, 1 refused\n")


def test_a_schema_directive_with_a_windows_line_end(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "crlf.toml"
    path.write_bytes(b"#:schema ./lineup.schema.json\r\n" + MESSY.encode())
    assert run("fmt", str(path), data=None).exit_code == 0
    assert b"\r" not in path.read_bytes()


def test_a_file_with_comments_is_refused_never_stripped(tmp_path: Path, run: Run) -> None:
    text = MESSY.replace('name = "Alpha"', 'name = "Alpha"  # a comment "with quotes"')
    path = write(tmp_path, text)
    result = run("fmt", str(path), data=None)
    assert result.exit_code == 1
    assert f"{path}:19: holds comments" in result.stderr
    assert path.read_text(encoding="utf-8") == text
    assert "holds comments" in run("fmt", "--check", str(path), data=None).stderr


def test_a_hash_inside_a_string_is_not_a_comment(tmp_path: Path) -> None:
    assert fmt.first_comment('a = "#1"\nb = \'#2\'\nc = """\n# 3\n"""\n') is None
    assert fmt.first_comment("a = 1\n\n  # here\n") == 3


def test_the_schema_directive_is_kept(tmp_path: Path, run: Run) -> None:
    path = write(tmp_path, "#:schema ./lineup.schema.json\n" + MESSY)
    assert run("fmt", str(path), data=None).exit_code == 0
    assert path.read_text(encoding="utf-8").startswith("#:schema ./lineup.schema.json\n\n[brands.alpha]")


def test_invalid_data_is_not_formatted(tmp_path: Path, run: Run) -> None:
    path = write(tmp_path, MESSY.replace('body = "suv"', 'body = "boat"'))
    result = run("fmt", str(path), data=None)
    assert result.exit_code == 1
    assert "unknown body style 'boat'" in result.stderr
    assert "see lineup check" in result.stderr


def test_the_write_is_atomic_and_keeps_the_mode(tmp_path: Path, run: Run) -> None:
    path = write(tmp_path, MESSY)
    path.chmod(0o640)
    assert run("fmt", str(path), data=None).exit_code == 0
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.toml"]  # no temporary file left


def test_the_installed_dataset_is_not_rewritten(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, MESSY)
    monkeypatch.setattr(load, "is_packaged", lambda p: True)
    result = run("fmt", str(path), data=None)
    assert result.exit_code == 1
    assert "installed with lineup" in result.stderr
    assert path.read_text(encoding="utf-8") == MESSY


def test_files_split_by_brand_are_formatted_together(tmp_path: Path, run: Run) -> None:
    write(tmp_path, '[brands.a]\nname = "A"\n[brands.a.models.m]\nbody = "sedan"\nname = "M"\n', "a.toml")
    write(tmp_path, "[brands.a.markets.TW]\nm = { since = 2020 }\n", "a-tw.toml")
    result = run("fmt", str(tmp_path), data=None)
    assert result.exit_code == 0, result.output
    assert "2 files reformatted, 0 unchanged" in result.stderr
    assert list(load.load([tmp_path]).brands["a"].markets["TW"]) == ["m"]


# --- lossless: load(fmt(x)) == load(x) ------------------------------------------------------

days = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))  # every year lineup takes
written_dates = st.one_of(
    days.map(lambda d: d.year),
    days.map(lambda d: f"{d.year:04d}"),
    days.map(lambda d: f"{d.year:04d}-H{(d.month - 1) // 6 + 1}"),
    days.map(lambda d: f" {d.year:04d}-q{(d.month - 1) // 3 + 1}"),
    days.map(lambda d: f"{d.year:04d}-{d.month:02d}"),
    days,
    days.map(lambda d: d.isoformat()),
)
texts = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=12).filter(str.strip)
sources: st.SearchStrategy[dict[str, object]] = st.one_of(
    st.fixed_dictionaries({"source": texts}),
    st.fixed_dictionaries({"sources": st.lists(texts, min_size=1, max_size=3)}),
    st.just({}),
)


facts: st.SearchStrategy[dict[str, object]] = st.fixed_dictionaries(
    {},
    optional={
        "body": st.sampled_from(["sedan", ["coupe", "convertible"]]),
        "powertrain": st.sampled_from(["hybrid", ["ice", "diesel"]]),
        "generation": st.one_of(texts, st.integers(1, 9)),
        "name": texts,
        "announced": written_dates,
    },
)


@st.composite
def windows(draw: st.DrawFn) -> list[dict[str, object]]:
    """Non-overlapping windows: one or more, in any order, written in any spelling."""
    years = sorted(draw(st.lists(st.integers(1, 9999), min_size=1, max_size=6, unique=True)))
    out = []
    for first, last in zip(years[::2], [*years[1::2], None], strict=False):
        start = draw(st.sampled_from(["since", "on_sale_by", "model_years"]))  # model years alone can start one
        window: dict[str, object] = {} if start == "model_years" else {start: first}
        if last is not None and draw(st.booleans()):
            window["until"] = last - 1 if last - 1 >= first else first
        if start == "model_years" or draw(st.booleans()):
            window["model_years"] = draw(st.sampled_from([[first], f"{first:04d}-", first]))
        if draw(st.booleans()):
            window["note"] = draw(texts)
        if draw(st.booleans()):
            window["plan"] = draw(st.booleans())
        if draw(st.integers(0, 3)) == 0:  # a window's own facts, and when its dates were announced
            window |= draw(facts)
        window |= draw(sources)
        out.append(window)
        if last is None or "until" not in window:
            break
    return draw(st.permutations(out))


@st.composite
def documents(draw: st.DrawFn) -> dict[str, object]:
    ids = draw(
        st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,5}[a-z0-9]", fullmatch=True), min_size=1, max_size=4, unique=True)
    )
    models = {}
    for model_id in ids:
        model: dict[str, object] = {"name": draw(texts)}
        body = draw(st.sampled_from(["sedan", ["coupe"], ["suv", "crossover"], None]))  # None: not known
        if body is not None:
            model["body"] = body
        if draw(st.booleans()):
            model["production"] = {"since": draw(written_dates)} | draw(sources)
        models[model_id] = model
    markets = {
        code: {model_id: draw(windows()) for model_id in draw(st.lists(st.sampled_from(ids), unique=True, max_size=3))}
        for code in draw(st.lists(st.sampled_from(["TW", "US", "JP"]), unique=True, max_size=2))
    }
    brand: dict[str, object] = {"name": draw(texts), "models": models, "markets": markets, **draw(sources)}
    codes = ["TW", "US", "JP"]
    if draw(st.booleans()):  # the brand's own presence per market: when it entered and left
        presence: dict[str, object] = {}
        brand["presence"] = presence
        for code in draw(st.lists(st.sampled_from(codes), unique=True, min_size=1, max_size=2)):
            years = sorted(draw(st.lists(st.integers(1900, 2100), min_size=1, max_size=4, unique=True)))
            stays = [{"since": first, **({"until": last - 1} if last else {})} for first, last in
                     zip(years[::2], [*years[1::2], None], strict=False)]  # fmt: skip
            presence[code] = [*stays[:-1], stays[-1] | draw(facts.map(lambda f: {k: v for k, v in
                                       f.items() if k == "announced"}))]  # fmt: skip
    if draw(st.booleans()):  # coverage: undated, or stretches by model year
        stretches = [{"model_years": "1990-2000", "complete": True}, {"model_years": 2001, "complete": False}]
        brand["coverage"] = {
            code: draw(st.sampled_from([{"complete": True}, stretches]))
            for code in draw(st.lists(st.sampled_from(codes), unique=True, max_size=2))
        }
    doc: dict[str, object] = {"brands": {"b": brand}}
    if draw(st.booleans()):
        doc["regions"] = {"r": {"name": draw(texts), "markets": draw(st.lists(st.sampled_from(codes), min_size=1,
                                                                              unique=True))}}  # fmt: skip
    return doc


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents())
def test_formatting_never_changes_the_data(tmp_path_factory: pytest.TempPathFactory, doc: dict[str, object]) -> None:
    path = tmp_path_factory.mktemp("lossless") / "data.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    before = load.load([path])
    [result] = fmt.format_files([path])  # raises if the canonical form would load differently
    assert result.after is not None
    path.write_text(result.after, encoding="utf-8")
    assert _facts(load.load([path])) == _facts(before)
    assert fmt.canonical_text(result.after) == result.after


def test_the_fixture_round_trips(tmp_path: Path) -> None:
    path = Path(shutil.copy(FIXTURE, tmp_path / "f.toml"))
    # The fixture has comments: format its data without them.
    text = "".join(
        line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if not line.startswith("#")
    )
    text = text.replace("  # no 2018 model year", "")
    path.write_text(text, encoding="utf-8")
    before = load.load([path])
    [result] = fmt.format_files([path])
    path.write_text(result.after or "", encoding="utf-8")
    assert _facts(load.load([path])) == _facts(before)


def _facts(dataset: Dataset) -> list[Brand]:
    return [without_places(brand) for brand in dataset.brands.values()]
