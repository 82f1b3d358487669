import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from lineup import dates, load
from lineup.errors import Problem
from lineup.json_schema import DATE, YEARS, schema
from lineup.load import reader

from .conftest import Run
from .helpers import FIXTURE


def as_json(value: Any) -> Any:
    """A TOML document as JSON has it: dates become ISO strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema())
    return jsonschema.Draft202012Validator(schema())


def test_lineup_schema_prints_it(run: Run) -> None:
    result = run("schema", data=None)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == schema()


@pytest.mark.parametrize("path", [load.embedded_path(), FIXTURE], ids=["embedded", "fixture"])
def test_valid_data_validates(validator: jsonschema.Draft202012Validator, path: Path) -> None:
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(as_json(doc))] == []


BRAND = {"name": "X", "models": {"m": {"name": "M", "body": "sedan"}}}


def keywords(errors: Iterable[jsonschema.ValidationError]) -> Iterator[str]:
    """The keywords of the errors and of the errors under them (the branches of an anyOf)."""
    for error in errors:
        yield str(error.validator)
        yield from keywords(error.context or ())


def loader_problems(doc: dict[str, Any]) -> list[Problem]:
    """What the loader says of a document, as a file would hold it."""
    return load.read([Path("doc.toml")], {"doc.toml": tomli_w.dumps(doc)}).problems


@pytest.mark.parametrize(
    ("brand", "keyword"),
    [
        pytest.param({**BRAND, "colour": "red"}, "additionalProperties", id="unknown-key"),
        pytest.param({**BRAND, "models": {"m": {"name": "M", "body": "boat"}}}, "enum", id="body"),
        pytest.param({**BRAND, "models": {"m": {"name": "M", "body": []}}}, "minItems", id="empty-body"),
        pytest.param({**BRAND, "models": {"M": {"name": "M", "body": "sedan"}}}, "pattern", id="upper-case-id"),
        pytest.param({**BRAND, "origin": "UK"}, "enum", id="not-iso"),
        pytest.param({**BRAND, "markets": {"tw": {"m": {"since": 2020}}}}, "enum", id="lower-case-market"),
        pytest.param({**BRAND, "markets": {"TW": {"m": {"since": "2022-13"}}}}, "pattern", id="bad-month"),
        pytest.param({**BRAND, "markets": {"TW": {"m": {"note": "x"}}}}, "required", id="no-start"),
        pytest.param({**BRAND, "markets": {"TW": {"m": {"since": 2020, "on_sale_by": 2020}}}}, "not",
                     id="since-and-by"),
        pytest.param({**BRAND, "markets": {"TW": {"m": {"since": 2020, "source": "a", "sources": ["b"]}}}}, "not",
                     id="sources"),
        pytest.param({**BRAND, "markets": {"TW": {"m": {"since": 2020, "model_years": "19-"}}}}, "pattern",
                     id="model-years"),
        pytest.param({**BRAND, "coverage": {"TW": {"note": "x"}}}, "required", id="coverage"),
    ],
)  # fmt: skip
def test_bad_documents_are_rejected(
    validator: jsonschema.Draft202012Validator, brand: dict[str, object], keyword: str
) -> None:
    doc = {"brands": {"x": brand}}
    assert loader_problems(doc) != []  # the loader refuses it too
    assert keyword in set(keywords(validator.iter_errors(doc)))


def test_a_good_document_is_accepted(validator: jsonschema.Draft202012Validator) -> None:
    brand = {**BRAND, "markets": {"TW": {"m": [{"since": "2022-H2", "source": "s"}, {"model_years": "2019-"}]}}}
    assert validator.is_valid({"brands": {"x": brand}})


@pytest.mark.parametrize(
    ("key", "value"),
    [
        pytest.param("since", "2022-h2", id="lower-case-half"),
        pytest.param("since", " 2022-Q3 ", id="spaces"),
        pytest.param("model_years", " 2019-2020 ", id="years-spaces"),
    ],
)
def test_what_the_loader_takes_the_schema_takes(
    validator: jsonschema.Draft202012Validator, key: str, value: str
) -> None:
    doc = {"brands": {"x": {**BRAND, "markets": {"TW": {"m": {key: value, "source": "s"}}}}}}
    assert loader_problems(doc) == []
    assert [e.message for e in validator.iter_errors(doc)] == []


@pytest.mark.parametrize(
    ("key", "value", "keyword"),
    [
        pytest.param("since", "0000", "pattern", id="year-zero"),
        pytest.param("model_years", [0], "minimum", id="years-zero"),
        pytest.param("model_years", [10000], "maximum", id="years-too-late"),
    ],
)
def test_what_the_loader_refuses_the_schema_refuses(
    validator: jsonschema.Draft202012Validator, key: str, value: object, keyword: str
) -> None:
    doc = {"brands": {"x": {**BRAND, "markets": {"TW": {"m": {key: value, "source": "s"}}}}}}
    assert loader_problems(doc) != []
    errors = list(validator.iter_errors(doc))
    assert errors
    assert keyword in set(keywords(errors))  # refused for the reason the loader has, not another


def test_generation_must_be_text(validator: jsonschema.Draft202012Validator) -> None:
    model = {"name": "M", "body": "sedan", "generation": "\u00a0"}
    doc = {"brands": {"x": {**BRAND, "models": {"m": model}}}}
    assert loader_problems(doc) != []
    assert not validator.is_valid(doc)


def test_the_schema_knows_every_key_the_loader_does() -> None:
    brand = schema()["properties"]["brands"]["additionalProperties"]
    model = brand["properties"]["models"]["additionalProperties"]
    window = brand["properties"]["markets"]["additionalProperties"]["additionalProperties"]["anyOf"][0]
    coverage = brand["properties"]["coverage"]["additionalProperties"]["anyOf"][0]
    presence = brand["properties"]["presence"]["additionalProperties"]["anyOf"][0]
    region = schema()["properties"]["regions"]["additionalProperties"]
    assert set(schema()["properties"]) == set(reader.DOCUMENT_KEYS)
    assert set(brand["properties"]) == set(reader.BRAND_KEYS)
    assert set(model["properties"]) == set(reader.MODEL_KEYS)
    assert set(model["properties"]["production"]["properties"]) == set(reader.SPAN_KEYS)
    assert set(window["properties"]) == set(reader.WINDOW_KEYS)
    assert set(presence["properties"]) == set(reader.PRESENCE_KEYS)
    assert set(coverage["properties"]) == set(reader.COVERAGE_KEYS)
    assert set(region["properties"]) == set(reader.REGION_KEYS)


date_texts = st.text(alphabet="0123456789-HhQq ", max_size=12)


@given(date_texts)
def test_a_date_the_schema_takes_is_one_the_loader_takes(text: str) -> None:
    try:
        dates.parse(text)
        takes = True
    except ValueError as e:
        takes = "no such day" in str(e)  # 2022-02-30: the one thing a pattern cannot know
    assert takes == bool(re.fullmatch(DATE, text)), text


@given(date_texts)
def test_model_years_the_schema_takes_are_those_the_loader_takes(text: str) -> None:
    try:
        dates.parse_years(text)
        takes = True
    except ValueError as e:
        takes = "backwards" in str(e)  # 2023-2019: order is the loader's to check
    assert takes == bool(re.fullmatch(YEARS, text)), text
