"""The timeline as a picture: SVG a person's browser or an article shows, and a web page of it."""

import datetime as dt
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
    for label in ("A1 · TW", "A1 · US", "A2 · TW", "A2 · US", "A2 Classic · US", "AX · TW", "AX · US", "AY · TW"):
        assert label in texts
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
