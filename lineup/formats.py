"""What a person can ask output to be: a format, and colour or not."""

from enum import StrEnum


class Format(StrEnum):
    """An output format: a table for people, or a format for programs."""

    table = "table"
    tsv = "tsv"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


class Color(StrEnum):
    """Whether tables are in colour: as the terminal allows, always, or never."""

    auto = "auto"
    always = "always"
    never = "never"
