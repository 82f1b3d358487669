"""A JSON Schema of the data format, for editors (taplo, VS Code's Even Better TOML) and other tools.

Built from the vocabularies, the date and id syntax and the key lists the loader uses (a test
holds the two to accepting the same data). The loader still checks what a schema cannot:
references between files, overlapping windows, date order, the days of each month.
"""

from typing import Any

from lineup import dates
from lineup.countries_data import COUNTRIES
from lineup.load import reader
from lineup.model import Body, Powertrain

DATE = f"^{dates.DATE_SYNTAX}$"
YEARS = f"^{dates.YEARS_SYNTAX}$"
ID = f"^{reader.ID_SYNTAX}$"
YEAR = {"type": "integer", "minimum": dates.MIN_YEAR, "maximum": dates.MAX_YEAR}


def _one_or_many(item: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [item, {"type": "array", "items": item, "minItems": 1, "uniqueItems": True}]}


def schema() -> dict[str, Any]:
    text = {"type": "string", "pattern": r"\S"}
    sources = {
        "source": {**text, "description": "Where the facts come from: a URL or a citation."},
        "sources": {"type": "array", "items": text, "minItems": 1, "description": "Several sources."},
    }
    one_source = {"not": {"required": ["source", "sources"]}}
    date = {
        "anyOf": [
            YEAR,
            {"type": "string", "pattern": DATE},
        ],
        "description": "2022, 2022-H2, 2022-Q3, 2022-04, or a day (a TOML date or 2022-04-15).",
    }
    span_properties = {
        "since": {**date, "description": "When it started (a launch, for a window)."},
        "until": {**date, "description": "The last day it covers; absent while it goes on."},
        "plan": {"type": "boolean", "description": "An announcement not yet confirmed by a record."},
        "note": text,
        **sources,
    }
    window = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            **span_properties,
            "on_sale_by": {**date, "description": "The first date a source shows it on sale; the launch is unknown."},
            "model_years": {
                "anyOf": [
                    YEAR,
                    {"type": "string", "pattern": YEARS},
                    {"type": "array", "items": YEAR, "minItems": 1, "maxItems": 2},
                ],
                "description": "2023, '2019-2023', '2019-' (open), [2019, 2023] or [2019].",
            },
        },
        "anyOf": [{"required": ["since"]}, {"required": ["on_sale_by"]}, {"required": ["model_years"]}],
        "allOf": [one_source, {"not": {"required": ["since", "on_sale_by"]}}],
    }
    production = {
        "type": "object",
        "additionalProperties": False,
        "properties": span_properties,
        "anyOf": [{"required": ["since"]}, {"required": ["until"]}],
        "allOf": [one_source],
    }
    market = {"type": "string", "enum": sorted(COUNTRIES), "description": "An ISO 3166-1 alpha-2 code."}
    model = {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            "name": text,
            "body": _one_or_many({"enum": [b.value for b in Body]}),
            "powertrain": {
                "anyOf": [
                    {"enum": [p.value for p in Powertrain]},
                    {"type": "array", "uniqueItems": True, "items": {"enum": [p.value for p in Powertrain]}},
                ]
            },
            "follows": _one_or_many({**text, "description": "A model of this brand, or brand/model."}),
            "generation": {"anyOf": [text, {"type": "integer"}]},
            "production": production,
            "note": text,
            **sources,
        },
        "allOf": [one_source],
    }
    brand = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "name": text,
            "parent": text,
            "origin": market,
            "note": text,
            **sources,
            "models": {"type": "object", "propertyNames": {"pattern": ID}, "additionalProperties": model},
            "markets": {
                "type": "object",
                "propertyNames": market,
                "additionalProperties": {
                    "type": "object",
                    "propertyNames": {"pattern": ID},
                    "additionalProperties": {
                        "anyOf": [window, {"type": "array", "items": window, "minItems": 1}],
                    },
                },
            },
            "coverage": {
                "type": "object",
                "propertyNames": market,
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["complete"],
                    "properties": {"complete": {"type": "boolean"}, "note": text, **sources},
                    "allOf": [one_source],
                },
            },
        },
        "allOf": [one_source],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "lineup data file",
        "description": "Car makers' model lineups per brand and market over time (see lineup's README).",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "brands": {"type": "object", "propertyNames": {"pattern": ID}, "additionalProperties": brand},
        },
    }
