"""A JSON Schema of the data format, for editors (taplo, VS Code's Even Better TOML) and other tools.

Built from the vocabularies, the date and id syntax and the key lists the loader uses (a test
holds the two to accepting the same data). The loader still checks what a schema cannot:
references between files, overlapping windows, date order, the days of each month.
"""

from typing import Any

from lineup import dates
from lineup.countries_data import COUNTRIES
from lineup.load import values
from lineup.model import Body, Powertrain

DATE = f"^{dates.DATE_SYNTAX}$"
YEARS = f"^{dates.YEARS_SYNTAX}$"
PERIOD = f"^({dates.PERIOD_SYNTAX})$"
ID = f"^{values.ID_SYNTAX}$"
YEAR = {"type": "integer", "minimum": dates.MIN_YEAR, "maximum": dates.MAX_YEAR}


def _one_or_many(item: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [item, {"type": "array", "items": item, "minItems": 1, "uniqueItems": True}]}


TEXT = {"type": "string", "pattern": r"\S"}
SOURCES = {
    "source": {**TEXT, "description": "Where the facts come from: a URL or a citation."},
    "sources": {"type": "array", "items": TEXT, "minItems": 1, "description": "Several sources."},
}
ONE_SOURCE = {"not": {"required": ["source", "sources"]}}
MARKET = {"type": "string", "enum": sorted(COUNTRIES), "description": "An ISO 3166-1 alpha-2 code."}


def schema() -> dict[str, Any]:
    """The JSON Schema of a data file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "lineup data file",
        "description": "Car makers' model lineups per brand and market over time (see lineup's README).",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "regions": {"type": "object", "propertyNames": {"pattern": ID}, "additionalProperties": _region()},
            "brands": {"type": "object", "propertyNames": {"pattern": ID}, "additionalProperties": _brand()},
        },
    }


def _region() -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "markets"],
        "properties": {
            "name": TEXT,
            "markets": {"type": "array", "items": MARKET, "minItems": 1, "uniqueItems": True},
            "note": TEXT,
            **SOURCES,
        },
        "allOf": [ONE_SOURCE],
    }


def _date() -> dict[str, Any]:
    return {
        "anyOf": [YEAR, {"type": "string", "pattern": DATE}],
        "description": "2022, 2022-H2, 2022-Q3, 2022-04, or a day (a TOML date or 2022-04-15).",
    }


def _span() -> dict[str, Any]:
    """The keys a stretch of time has, a window's or a production span's."""
    return {
        "since": {**_date(), "description": "When it started (a launch, for a window)."},
        "until": {**_date(), "description": "The last day it covers; absent while it goes on."},
        "announced": {**_date(), "description": "The day a source first reported its dates still to come."},
        "until_announced": {**_date(), "description": "The day a source first reported its end, if later."},
        "plan": {"type": "boolean", "description": "An announcement not yet confirmed by a record."},
        "note": TEXT,
        **SOURCES,
    }


def _years() -> dict[str, Any]:
    return {
        "anyOf": [YEAR, {"type": "string", "pattern": YEARS}, {"type": "array", "items": YEAR, "minItems": 1,
                  "maxItems": 2}],
        "description": "2023, '2019-2023', '2019-' (open), [2019, 2023] or [2019].",
    }  # fmt: skip


def _facts() -> dict[str, Any]:
    """A model's facts, which a window may state for its market and stretch."""
    powertrains = [p.value for p in Powertrain]
    return {
        "name": TEXT,
        "body": _one_or_many({"enum": [b.value for b in Body]}),
        "powertrain": {"anyOf": [{"enum": powertrains},
                                 {"type": "array", "uniqueItems": True, "items": {"enum": powertrains}}]},
        "generation": {"anyOf": [TEXT, {"type": "integer"}]},
    }  # fmt: skip


def _window(presence: bool = False) -> dict[str, Any]:
    """A model's window on sale in a market; or, for `presence`, the brand's own window there."""
    on_sale_by = {**_date(), "description": "The first date a source shows it on sale; the launch is unknown."}
    if presence:
        properties, starts = {**_span(), "on_sale_by": on_sale_by}, ["since", "on_sale_by"]
    else:
        properties = {**_span(), "on_sale_by": on_sale_by, "model_years": _years(), **_facts()}
        starts = ["since", "on_sale_by", "model_years"]
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "anyOf": [{"required": [key]} for key in starts],
        "allOf": [ONE_SOURCE, {"not": {"required": ["since", "on_sale_by"]}}],
    }


def _figure() -> dict[str, Any]:
    """A model's units sold in a market in one period, with its source."""
    period = {
        "anyOf": [YEAR, {"type": "string", "pattern": PERIOD}],
        "description": "A year, half, quarter or month (2021-H1), or a run of months (2021-01..2021-09).",
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["period", "units"],
        "properties": {
            "period": period,
            "units": {"type": "integer", "minimum": 0},
            "change": {"type": "number", "description": "A change in percent the source reports."},
            "compared_with": {**period, "description": "The period `change` compares with (default: a year earlier)."},
            "note": TEXT,
            **SOURCES,
        },
        "dependentRequired": {"compared_with": ["change"]},
        "allOf": [ONE_SOURCE],
    }  # fmt: skip


def _model() -> dict[str, Any]:
    production = {
        "type": "object",
        "additionalProperties": False,
        "properties": _span(),
        "anyOf": [{"required": ["since"]}, {"required": ["until"]}],
        "allOf": [ONE_SOURCE],
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            **_facts(),
            "follows": _one_or_many({**TEXT, "description": "A model of this brand, or brand/model."}),
            "production": production,
            "note": TEXT,
            **SOURCES,
        },
        "allOf": [ONE_SOURCE],
    }


def _brand() -> dict[str, Any]:
    windows = {"anyOf": [_window(), {"type": "array", "items": _window(), "minItems": 1}]}
    presence = {"anyOf": [_window(True), {"type": "array", "items": _window(True), "minItems": 1}]}
    stretch = {
        "type": "object",
        "additionalProperties": False,
        "required": ["complete"],
        "properties": {"since": _date(), "until": _date(), "model_years": _years(), "complete": {"type": "boolean"},
                       "note": TEXT, **SOURCES},
        "allOf": [ONE_SOURCE],
    }  # fmt: skip
    coverage = {"anyOf": [stretch, {"type": "array", "items": stretch, "minItems": 1}]}
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "name": TEXT,
            "parent": TEXT,
            "origin": MARKET,
            "note": TEXT,
            **SOURCES,
            "models": {"type": "object", "propertyNames": {"pattern": ID}, "additionalProperties": _model()},
            "markets": {
                "type": "object",
                "propertyNames": MARKET,
                "additionalProperties": {
                    "type": "object",
                    "propertyNames": {"pattern": ID},
                    "additionalProperties": windows,
                },
            },
            "presence": {"type": "object", "propertyNames": MARKET, "additionalProperties": presence},
            "coverage": {"type": "object", "propertyNames": MARKET, "additionalProperties": coverage},
            "sales": {
                "type": "object",
                "propertyNames": MARKET,
                "additionalProperties": {
                    "type": "object",
                    "propertyNames": {"pattern": ID},
                    "additionalProperties": {
                        "anyOf": [_figure(), {"type": "array", "items": _figure(), "minItems": 1}]
                    },
                },
            },
        },
        "allOf": [ONE_SOURCE],
    }
