"""The shipped JSON Schema: generated from the loader's model, valid for the bundled files,
and rejecting the mistakes a schema can express."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from qualify.core.schema import EDITOR_LINE, SCHEMA_FILE, questionnaire_schema, schema_text

QUESTIONNAIRES = Path(__file__).resolve().parent.parent / "questionnaires"
BUNDLED = sorted(p for p in QUESTIONNAIRES.glob("*.yaml") if not p.name.endswith(".cases.yaml"))


def validator():
    return jsonschema.Draft202012Validator(questionnaire_schema())


def test_the_shipped_schema_is_the_one_the_model_generates():
    assert (QUESTIONNAIRES / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_questionnaire_validates_and_names_the_schema(path):
    assert path.read_text(encoding="utf-8").splitlines()[0] == EDITOR_LINE
    validator().validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def broken(mutate):
    data = yaml.safe_load(BUNDLED[0].read_text(encoding="utf-8"))
    mutate(data)
    return list(validator().iter_errors(data))


def test_an_unknown_key_is_rejected():
    assert broken(lambda d: d.update(titel="x"))


def test_an_unknown_question_type_is_rejected():
    assert broken(lambda d: d["steps"][0]["questions"][0].update(type="slider"))


def test_an_unknown_fit_level_is_rejected():
    assert broken(lambda d: d["steps"][0]["questions"][0]["choices"][0].update(fit="maybe"))


def test_a_wrong_type_is_rejected():
    assert broken(lambda d: d["thresholds"].update(sql="high"))


def test_a_missing_required_key_is_rejected():
    assert broken(lambda d: d.pop("contact"))


def test_a_threshold_out_of_range_is_rejected():
    assert broken(lambda d: d["thresholds"].update(mql=140))
