"""Answers as tables: each cell's text for people and its JSON for programs."""

import pytest

from lineup import tables
from lineup.dates import parse
from lineup.tables import Start, Years


@pytest.mark.parametrize(
    ("value", "text", "as_json"),
    [
        (Years(2014, 2017), "2014-2017", [2014, 2017]),
        (Years(2019, None), "2019-", [2019, None]),
        (Years(2023, 2023), "2023", [2023, 2023]),
        (Start(parse("2019-Q1"), first_seen=True), "by 2019-Q1", "2019-Q1"),
        (Start(parse("2022-03"), first_seen=False), "2022-03", "2022-03"),
        (parse("2022-H2"), "2022-H2", "2022-H2"),
        (("sedan", "coupe"), "sedan, coupe", ["sedan", "coupe"]),
        (None, "", None),
        (True, "yes", True),
    ],
)
def test_values_as_text_and_json(value: tables.Cell, text: str, as_json: object) -> None:
    assert tables.text_of(value) == text
    assert tables.json_of(value) == as_json
