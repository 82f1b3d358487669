import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from lineup import load
from lineup.schema import schema

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


@pytest.mark.parametrize(
    "brand",
    [
        pytest.param({**BRAND, "colour": "red"}, id="unknown-key"),
        pytest.param({**BRAND, "models": {"m": {"name": "M", "body": "boat"}}}, id="body"),
        pytest.param({**BRAND, "models": {"m": {"name": "M", "body": []}}}, id="empty-body"),
        pytest.param({**BRAND, "models": {"M": {"name": "M", "body": "sedan"}}}, id="upper-case-id"),
        pytest.param({**BRAND, "origin": "UK"}, id="not-iso"),
        pytest.param({**BRAND, "markets": {"tw": {"m": {"since": 2020}}}}, id="lower-case-market"),
        pytest.param({**BRAND, "markets": {"TW": {"m": {"since": "2022-13"}}}}, id="bad-month"),
        pytest.param({**BRAND, "markets": {"TW": {"m": {"note": "x"}}}}, id="no-start"),
        pytest.param({**BRAND, "markets": {"TW": {"m": {"since": 2020, "on_sale_by": 2020}}}}, id="since-and-by"),
        pytest.param(
            {**BRAND, "markets": {"TW": {"m": {"since": 2020, "source": "a", "sources": ["b"]}}}}, id="sources"
        ),
        pytest.param({**BRAND, "markets": {"TW": {"m": {"since": 2020, "model_years": "19-"}}}}, id="model-years"),
        pytest.param({**BRAND, "coverage": {"TW": {"note": "x"}}}, id="coverage"),
    ],
)
def test_bad_documents_are_rejected(validator: jsonschema.Draft202012Validator, brand: dict[str, object]) -> None:
    assert not validator.is_valid({"brands": {"x": brand}})


def test_a_good_document_is_accepted(validator: jsonschema.Draft202012Validator) -> None:
    brand = {**BRAND, "markets": {"TW": {"m": [{"since": "2022-H2", "source": "s"}, {"model_years": "2019-"}]}}}
    assert validator.is_valid({"brands": {"x": brand}})
