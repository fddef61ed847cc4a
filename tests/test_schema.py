"""The shipped JSON Schema: generated from the loader's model, valid for the bundled files,
and rejecting the mistakes a schema can express."""

from __future__ import annotations

import functools
from pathlib import Path

import jsonschema
import pytest
import yaml

from qualify.core.loader import QuestionnaireError, load_questionnaire_text
from qualify.core.schema import EDITOR_LINE, SCHEMA_FILE, questionnaire_schema, schema_text

QUESTIONNAIRES = Path(__file__).resolve().parent.parent / "questionnaires"
BUNDLED = sorted(p for p in QUESTIONNAIRES.glob("*.yaml") if not p.name.endswith(".cases.yaml"))


@functools.cache
def validator():
    return jsonschema.Draft202012Validator(questionnaire_schema())


def test_the_shipped_schema_is_the_one_the_model_generates():
    assert (QUESTIONNAIRES / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_questionnaire_validates_and_names_the_schema(path):
    assert path.read_text(encoding="utf-8").splitlines()[0] == EDITOR_LINE
    validator().validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_qualify_schema_check_fails_when_the_shipped_schema_is_stale(tmp_path):
    from click.testing import CliRunner

    from qualify.cli import main

    stale = tmp_path / SCHEMA_FILE
    stale.write_text(schema_text().replace('"maxLength": 60', '"maxLength": 61', 1))
    result = CliRunner().invoke(main, ["schema", "--check", str(tmp_path)])
    assert result.exit_code == 1 and "out of date: run 'qualify schema'" in result.output
    fresh = CliRunner().invoke(main, ["schema", str(tmp_path)])
    assert fresh.exit_code == 0
    assert CliRunner().invoke(main, ["schema", "--check", str(tmp_path)]).exit_code == 0


# -- each kind of mistake the loader refuses and a schema can express --------------------
#
# Each mutation breaks one thing in a bundled questionnaire and returns where (the JSON
# path); the schema must reject it there, and the loader must reject the same file too.


def questions(data):
    return [q for step in data["steps"] for q in step["questions"]]


def first(data, *types):
    """The first question of one of ``types``, and its path."""
    for s, step in enumerate(data["steps"]):
        for q, question in enumerate(step["questions"]):
            if question["type"] in types:
                return question, ("steps", s, "questions", q)
    raise AssertionError(types)


def add_question(data, **question):
    """Append a question to the last step; its path."""
    step = data["steps"][-1]["questions"]
    step.append({"id": "added", "label": "Added", **question})
    return ("steps", len(data["steps"]) - 1, "questions", len(step) - 1)


def set_at(path, key, value):
    def mutate(data):
        target = data
        for segment in path:
            target = target[segment]
        target[key] = value
        return path

    return mutate


def on_first(types, key, value):
    def mutate(data):
        question, path = first(data, *types)
        question[key] = value
        return path

    return mutate


def adding(**question):
    return lambda data: add_question(data, **question)


def without_email(data):
    data["contact"]["fields"] = [f for f in data["contact"]["fields"] if f["name"] != "email"]
    return ("contact", "fields")


def popping(key):
    def mutate(data):
        del data[key]
        return ()

    return mutate


TWO_CHOICES = [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]

MISTAKES = {
    "unknown top-level key": set_at((), "titel", "x"),
    "unknown key in a question": on_first(("single",), "labl", "x"),
    "unknown key in the theme": set_at((), "theme", {"font": "Comic Sans"}),
    "missing required key": popping("contact"),
    "question without a label": adding(type="text", label=None),
    "wrong type": set_at(("thresholds",), "sql", "high"),
    "text where a boolean goes": set_at(("contact", "fields", 0), "required", "non"),
    "question type not offered": on_first(("single",), "type", "slider"),
    "fit level not offered": lambda d: set_at(first(d, "single")[1] + ("choices", 0), "fit", "maybe")(d),
    "language not offered": set_at((), "language", "de"),
    "threshold above 100": set_at(("thresholds",), "mql", 140),
    "criterion weight of 0": lambda d: set_at(("fit_criteria", next(iter(d["fit_criteria"]))), "weight", 0)(d),
    "strength above 100": set_at((), "strengths", {"strong": 120}),
    "text longer than allowed": adding(type="long_text", max_length=6000),
    "identifier with spaces": on_first(("single",), "id", "Company Size"),
    "country code not ISO alpha-2": adding(type="country", zones={"eu": {"countries": ["fra"]}}),
    "no steps": set_at((), "steps", []),
    "checklist item that does not exist": set_at((), "checklist", {"data_second_chanel": {"disabled": True}}),
    "checklist item with criterion and signals": set_at(
        (), "checklist", {"fit_core_zone": {"criterion": "geography", "signals": ["webinar"]}}
    ),
    "review rule of two kinds": set_at(
        (), "review", {"when_any": [{"fit_completeness_below": 1.0, "total_at_least": 90}]}
    ),
    "review criterion without values": set_at((), "review", {"when_any": [{"criterion": "role"}]}),
    "scale not offered": adding(type="scale", scale={"min": 2, "max": 7}),
    "choice question with one choice": adding(type="single", choices=TWO_CHOICES[:1]),
    "choices on a text question": adding(type="text", choices=TWO_CHOICES),
    "if_yes on a single question": adding(type="single", choices=TWO_CHOICES, if_yes={}),
    "zones on a dropdown": adding(type="dropdown", choices=TWO_CHOICES, zones={"eu": {"countries": ["FR"]}}),
    "ranges on a single question": adding(type="single", choices=TWO_CHOICES, ranges=[{"min": 1}]),
    "show_if with equals and in": lambda d: add_question(
        d, type="text", show_if={"question": questions(d)[0]["id"], "equals": "a", "in": ["b"]}
    ),
    "show_if with neither question nor all/any": adding(type="text", show_if={"equals": "a"}),
    "contact without an email field": without_email,
    "theme colour not hex": set_at((), "theme", {"primary_color": "blue"}),
    "logo given as a URL": set_at((), "theme", {"logo": "https://cdn.example/acme.svg"}),
    "logo not an image": set_at((), "theme", {"logo": "logos/acme.pdf"}),
    "theme colour left empty": set_at((), "theme", {"primary_color": None}),
    "logo left empty": set_at((), "theme", {"logo": None}),
    "allowed origin with a path": set_at((), "allowed_origins", ["https://example.com/embed"]),
}  # fmt: skip


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
@pytest.mark.parametrize("kind", MISTAKES)
def test_the_schema_and_the_loader_both_reject_each_kind_of_mistake(path, kind):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = list(MISTAKES[kind](data))
    errors = list(validator().iter_errors(data))
    assert errors, f"the schema accepts: {kind}"
    # Every error is at the mistake (the file is valid elsewhere).
    assert all(list(e.absolute_path)[: len(where)] == where for e in errors), [
        (list(e.absolute_path), e.message) for e in errors
    ]
    with pytest.raises(QuestionnaireError):
        load_questionnaire_text(yaml.safe_dump(data, allow_unicode=True), path.name)


VALID_VARIANTS = {
    "logo with capitals": set_at((), "theme", {"logo": "logos/Acme_2.PNG", "primary_color": "#abc"}),
    "wildcard origin with a port": set_at((), "allowed_origins", ["https://*.example.com:8443"]),
    "scale from 0 to 10": adding(type="scale", scale={"min": 0, "max": 10}),
    "review by level": set_at((), "review", {"when_any": [{"criterion": "role", "level_in": ["mql"]}]}),
    "checklist text only": set_at((), "checklist", {"fit_core_zone": {"item": "Zone we serve"}}),
    "show_if any": lambda d: add_question(
        d, type="text", show_if={"any": [{"question": questions(d)[0]["id"], "in": [
            questions(d)[0]["choices"][0]["value"]]}]}
    ),
    "only the email field required": lambda d: [
        f.update(required=f["name"] == "email") for f in d["contact"]["fields"]
    ],
}  # fmt: skip


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
@pytest.mark.parametrize("kind", VALID_VARIANTS)
def test_what_the_loader_accepts_the_schema_accepts_too(path, kind):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    VALID_VARIANTS[kind](data)
    load_questionnaire_text(yaml.safe_dump(data, allow_unicode=True), path.name)
    assert [e.message for e in validator().iter_errors(data)] == []
