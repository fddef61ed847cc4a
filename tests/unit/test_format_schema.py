"""The JSON Schema knows the full format: the example validates, its mistakes do not."""

from __future__ import annotations

import jsonschema
import pytest
import yaml
from test_format_example import EXAMPLE

from qualify.core.schema import questionnaire_schema


def errors_of(mutate=lambda data: None) -> list:
    data = yaml.safe_load(EXAMPLE)
    mutate(data)
    return list(jsonschema.Draft202012Validator(questionnaire_schema()).iter_errors(data))


def test_the_full_format_example_validates():
    assert errors_of() == []


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["steps"][0]["questions"][2]["zones"]["france"].update(countries=["fra"]),
        lambda d: d["steps"][1]["questions"][2]["show_if"].update(contains="x"),
        lambda d: d["review"]["when_any"][1].update(fit_completeness_below=2),
        lambda d: d["translations"].update(de={"title": "Beispiel"}),
        lambda d: d["checklist"]["data_second_channel"].update(disabled="maybe"),
        lambda d: d["theme"].update(font="Comic Sans"),
    ],
    ids=[
        "country code",
        "show_if key",
        "review bound",
        "language",
        "bool",
        "theme key",
    ],
)
def test_the_schema_rejects_full_format_mistakes(mutate):
    assert errors_of(mutate)
