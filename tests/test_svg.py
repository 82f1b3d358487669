"""The timeline as a picture: SVG a person's browser or an article shows, and a web page of it."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lineup import chart as tl
from lineup import load
from lineup import svg as pictures

from .conftest import Run
from .helpers import FIXTURE

SVG = "{http://www.w3.org/2000/svg}"


def test_svg_is_well_formed_and_names_every_model(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "chart.svg"
    result = run("timeline", "alpha", "--svg", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"wrote {out}" in result.stderr
    root = ET.parse(out).getroot()
    assert root.tag == f"{SVG}svg"
    texts = {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}
    assert {"Taiwan", "United States", "A1", "A2", "A2 Classic", "AX", "AY"} <= texts  # under each market's heading
    assert not any("·" in t for t in texts)
    assert {"sedan", "coupe", "suv", "crossover", "expected"} <= texts  # the legend


def test_svg_escapes_hostile_names(tmp_path: Path) -> None:
    brand = load.load([FIXTURE.parent / "hostile.toml"]).brands["hostile"]
    svg = pictures.svg(tl.chart(brand, ["TW"], dt.date(2022, 11, 7)))
    root = ET.fromstring(svg)
    assert "Tab\\tand|pipe" in {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}


def test_html_is_a_page_around_the_svg(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "chart.html"
    assert run("timeline", "alpha", "-m", "TW", "--html", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "<svg" in page
    assert "</svg>" in page
    assert "<title>Alpha in Taiwan" in page


def test_the_svg_renders_to_an_image(tmp_path: Path) -> None:
    try:
        import cairosvg  # type: ignore[import-untyped]
    except OSError:
        pytest.skip("the cairo library is not installed")
    brand = load.load([FIXTURE]).brands["alpha"]
    png = tmp_path / "chart.png"
    cairosvg.svg2png(bytestring=pictures.svg(tl.chart(brand, [], dt.date(2022, 11, 7))).encode(), write_to=str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 5_000


def test_svg_text_is_always_valid_xml(tmp_path: Path) -> None:
    data = tmp_path / "odd.toml"
    data.write_text(
        '[brands.o]\nname = "O <script>&amp;"\n[brands.o.models.m]\nname = "M \\ufffe\\u0007 <b>&"\nbody = "sedan"\n'
        "[brands.o.markets.US]\nm = { since = 2020 }\n",
        encoding="utf-8",
    )
    svg = pictures.svg(tl.chart(load.load([data]).brands["o"], ["US"], dt.date(2022, 11, 7)))
    root = ET.fromstring(svg)
    texts = {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}
    assert "M \\ufffe\\x07 <b>&" in texts
    assert "<script>" not in svg


def picture(run: Run, tmp_path: Path, *args: str, data: tuple[Path, ...] | None = None) -> ET.Element:
    """The SVG `lineup timeline ARGS --svg FILE` writes (from the embedded data unless `data`)."""
    out = tmp_path / "chart.svg"
    result = run("timeline", *args, "--svg", str(out), data=data)
    assert result.exit_code == 0, result.output
    return ET.parse(out).getroot()


def texts_of(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_a_renamed_model_is_one_row_named_at_each_name(run: Run, tmp_path: Path) -> None:
    texts = texts_of(picture(run, tmp_path, "infiniti", "-m", "US"))
    assert "EX → QX50" in texts  # the row's label
    assert {"EX", "QX50", "QX56", "QX80", "G37 Coupe", "FX", "QX70"} <= set(texts)  # each name in its bar
    assert "renamed" in texts  # and the legend says what the white cut in a bar is
    page = tmp_path / "chart.html"
    assert run("timeline", "infiniti", "-m", "US", "--html", str(page), data=None).exit_code == 0
    assert "EX → QX50" in page.read_text(encoding="utf-8")


def test_labels_name_models_never_their_ids(run: Run, tmp_path: Path) -> None:
    texts = texts_of(picture(run, tmp_path, "infiniti"))
    assert {"Q60 (2014\N{EN DASH}2018)", "Q60 (2017\N{EN DASH}2023)"} <= set(texts)
    assert not any("q60-2013" in t for t in texts)


def test_the_credit_reads_as_a_credit(run: Run, tmp_path: Path) -> None:
    us = texts_of(picture(run, tmp_path, "infiniti", "-m", "US"))
    assert "Source: lineup data; US model-year list © abhionlyone, CC BY 4.0" in us
    tw = texts_of(picture(run, tmp_path, "infiniti", "-m", "TW"))
    assert "Source: lineup data" in tw  # nothing from the US list is drawn
    assert not any("lineup model" in t or "abhionlyone" in t for t in tw)


def test_an_editor_sets_the_words_the_width_and_what_stands_out(run: Run, tmp_path: Path) -> None:
    root = picture(run, tmp_path, "infiniti", "-m", "US", "--title", "Renamed, not replaced", "--subtitle",
                   "<b>Infiniti</b> & its names", "--credit", "Chart: Example Weekly", "--width", "1440",
                   "--highlight", "qx50")  # fmt: skip
    texts = texts_of(root)
    assert texts[0] == "Renamed, not replaced"
    assert "<b>Infiniti</b> & its names" in texts  # shown as text
    assert texts[-1] == "Chart: Example Weekly"
    assert root.get("width") == "1440"
    sizes = [float(t.get("font-size", 0)) for t in root.iter(f"{SVG}text")]
    assert min(sizes) >= 19  # text grows with the picture: 13 px and more at 960
    rows = [g for g in root.iter(f"{SVG}g") if g.get("transform") is None]  # a row's bars (a swatch is moved)
    assert len([g for g in rows if g.get("opacity")]) == len(rows) - 1  # all but the QX50's recede
    bold = [t.text for t in root.iter(f"{SVG}text") if t.get("font-weight") == "bold" and t.get("text-anchor") == "end"]
    assert bold == ["EX → QX50"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(["--highlight", "q99", "--svg", "x.svg"], 1, "no such model in this chart", id="unknown"),
        pytest.param(["-m", "TW", "--highlight", "qx80", "--svg", "x.svg"], 1, "its models: Q60, Q50", id="not-drawn"),
        pytest.param(["--width", "1200"], 2, "--svg or --html", id="width-without-picture"),
        pytest.param(["--width", "100", "--svg", "x.svg"], 2, "480-4800", id="width-too-small"),
        pytest.param(["--width", "wide", "--svg", "x.svg"], 2, "not a number of pixels", id="width-not-a-number"),
        pytest.param(["--title", " ", "--svg", "x.svg"], 2, "empty text", id="empty-title"),
    ],
)
def test_bad_editor_options(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int,
                            message: str) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    result = run("timeline", "infiniti", *args, data=None)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    if code == 1:
        assert result.stderr.count("error:") == 1
    assert not (tmp_path / "x.svg").exists()


def test_the_legend_has_a_swatch_for_each_mark_drawn_and_no_other(run: Run, tmp_path: Path) -> None:
    tw = texts_of(picture(run, tmp_path, "infiniti", "-m", "TW"))
    assert {"expected", "still on sale", "on sale by (launch unknown)", "on sale before 2017"} <= set(tw)
    us = texts_of(picture(run, tmp_path, "infiniti", "-m", "US", "--to", "2020"))
    assert "expected" not in us  # nothing expected is drawn before 2021
    assert "on sale by (launch unknown)" not in us
    assert {"still on sale", "new generation", "renamed"} <= set(us)


def test_nothing_runs_to_the_right_edge_and_labels_print_large(run: Run, tmp_path: Path) -> None:
    root = picture(run, tmp_path, "infiniti", "-m", "US")
    width = float(root.get("width", 0))
    ends = []
    for rect in root.iter(f"{SVG}rect"):
        if rect.get("x") not in (None, "0"):
            ends.append(float(rect.get("x", 0)) + float(rect.get("width", 0)))
    for path in root.iter(f"{SVG}path"):
        ends += [float(x) for x in re.findall(r"[ML]([\d.]+) ", path.get("d", ""))]
    assert max(ends) <= width - 24  # a margin at the right, arrows in it
    labels = [t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert labels
    assert all(float(t.get("font-size", 0)) >= 14 for t in labels)


def test_a_narrow_picture_wraps_its_subtitle_rather_than_shrink_it(run: Run, tmp_path: Path) -> None:
    root = picture(run, tmp_path, "infiniti", "-m", "TW", "--width", "480")
    assert min(float(t.get("font-size", 0)) for t in root.iter(f"{SVG}text")) >= 13
    assert texts_of(root)[1:3] == [
        "Each bar is a stretch on sale, coloured by body",
        "style; the dark line marks 2022-11-07.",
    ]
