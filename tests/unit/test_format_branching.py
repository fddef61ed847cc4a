"""show_if: a question shown only for some earlier answers never counts against the
prospect — not in FIT, not in FIT completeness, not in the diagnostic."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_format_example import EXAMPLE, HOT, load_text

from qualify.core.branching import (
    _visible_questions,
    is_shown,
    visible_answers,
    visible_questions,
)
from qualify.core.diagnostic import diagnose, max_points
from qualify.core.loader import load_questionnaire
from qualify.core.questionnaire import Condition, Questionnaire
from qualify.core.scoring import score_answers


@pytest.fixture
def full(tmp_path):
    """The full-format example, loaded."""
    return load_text(tmp_path, EXAMPLE)


NO_PROJECT = {k: v for k, v in HOT.items() if k not in ("maturity", "details")} | {
    "project": "none"
}


def ids(questions):
    return [q.id for q in questions]


def test_a_question_is_shown_only_when_its_condition_holds(full):
    assert "maturity" in ids(visible_questions(full, HOT))
    assert "details" in ids(visible_questions(full, HOT))
    exploring = {**HOT, "project": "exploring"}
    assert is_shown(full, "maturity", exploring)
    assert not is_shown(full, "details", exploring)  # equals: active only
    assert ids(visible_questions(full, NO_PROJECT)) == [
        "company_size", "industry", "country", "role", "tools", "project", "demo",
    ]  # fmt: skip


def test_before_the_condition_is_answered_the_question_is_hidden(full):
    assert not is_shown(full, "maturity", {})


def test_all_and_any_combine_conditions():
    both = Condition.model_validate(
        {"all": [{"question": "a", "equals": "yes"}, {"question": "b", "in": ["x", "y"]}]}
    )
    either = Condition.model_validate(
        {"any": [{"question": "a", "equals": "yes"}, {"question": "b", "in": ["x", "y"]}]}
    )
    assert both.questions_named() == ["a", "b"] == either.questions_named()


def test_a_skipped_branch_does_not_lower_fit_nor_completeness(full):
    skipped = score_answers(full, NO_PROJECT)
    assert skipped.skipped_criteria == ("maturity",)
    assert skipped.fit == 100  # company size, role, geography, industry all sql
    assert skipped.fit_completeness == 1.0
    # The same branch shown but left unanswered does count.
    unanswered = score_answers(full, {**NO_PROJECT, "project": "exploring"})
    assert unanswered.fit == 80
    assert unanswered.fit_completeness == 0.8


def test_a_skipped_criterion_says_so_in_the_reasons(full):
    reasons = [str(r) for r in score_answers(full, NO_PROJECT).reasons]
    assert "Data maturity: question not shown, not counted" in reasons


def test_answers_to_hidden_questions_are_ignored(full):
    stale = {**NO_PROJECT, "maturity": 1, "details": "left from an earlier branch"}
    score = score_answers(full, stale)
    assert "maturity" not in score.fit_levels
    assert score.fit == 100
    assert "maturity" not in visible_answers(full, stale)
    assert visible_answers(full, {"hidden.page": "/pricing"}) == {"hidden.page": "/pricing"}


def test_a_skipped_branch_does_not_lower_the_diagnostic(full):
    result = diagnose(full, NO_PROJECT)
    data = next(d for d in result.dimensions if d.id == "data")
    # tools 2 of 2: the hidden maturity scale's 4 points are out of reach, not missed.
    assert data.percent == 100
    assert max_points(full, NO_PROJECT)["data"] == 2
    assert max_points(full)["data"] == 6
    assert (result.answered, result.total_questions) == (7, 7)


def test_a_hidden_answer_earns_no_diagnostic_points(full):
    result = diagnose(full, {"tools": "spreadsheets", "project": "none", "maturity": 5})
    data = next(d for d in result.dimensions if d.id == "data")
    assert data.percent == 0


# -- the bundled French questionnaire: a skipped branch is as if it were never there ----------

PAIE = Path(__file__).resolve().parents[2] / "questionnaires" / "paie-rh-pme.yaml"
PAIE_HOT = {
    "effectif": "50-249", "secteur": "manufacturing", "pays": "FR", "fonction": "dirigeant",
    "gestion_paie": "tableur", "digitalisation": "8", "projet": "actif",
    "echeance": "moins_3_mois", "echange": "yes",
}  # fmt: skip


def without_question(question_id: str, criterion: str | None = None):
    """The French questionnaire with one question (and the criterion it alone feeds) removed."""
    data = yaml.safe_load(PAIE.read_text(encoding="utf-8"))
    for step in data["steps"]:
        step["questions"] = [q for q in step["questions"] if q["id"] != question_id]
    data["steps"] = [step for step in data["steps"] if step["questions"]]
    data["translations"]["en"]["questions"].pop(question_id)
    data["translations"]["en"]["steps"] = data["translations"]["en"]["steps"][: len(data["steps"])]
    if criterion:
        data["fit_criteria"].pop(criterion)
    return Questionnaire.model_validate(data)


def same_outcome(with_branch, without_branch, answers):
    a, b = score_answers(with_branch, answers), score_answers(without_branch, answers)
    da, db = diagnose(with_branch, answers), diagnose(without_branch, answers)
    assert (a.fit, a.fit_completeness, a.total) == (b.fit, b.fit_completeness, b.total)
    assert da.percent == db.percent
    assert [(d.id, d.percent) for d in da.dimensions] == [(d.id, d.percent) for d in db.dimensions]


def test_a_skipped_fit_question_scores_as_if_the_questionnaire_never_had_it():
    paie = load_questionnaire(PAIE)
    # Payroll on spreadsheets: "which payroll software?" is never asked.
    assert not is_shown(paie, "logiciel_actuel", PAIE_HOT)
    same_outcome(paie, without_question("logiciel_actuel", "payroll_tool"), PAIE_HOT)
    assert score_answers(paie, PAIE_HOT).fit == 100


def test_a_skipped_step_counts_as_if_the_questionnaire_never_had_it():
    paie = load_questionnaire(PAIE)
    no_project = {k: v for k, v in PAIE_HOT.items() if k != "echeance"} | {"projet": "aucun"}
    assert not is_shown(paie, "echeance", no_project)
    same_outcome(paie, without_question("echeance"), no_project)
    # Its diagnostic points are out of reach, not missed: the momentum dimension is over 3.
    assert max_points(paie, no_project)["elan"] == 3


def test_answers_changed_in_place_between_two_calls_are_read_afresh(full):
    """visible_questions remembers its last answer: never for a dict changed since."""
    answers = dict(HOT)
    assert "details" in ids(visible_questions(full, answers))
    answers["project"] = "none"
    assert "details" not in ids(visible_questions(full, answers))
    answers["project"] = "active"
    shown = visible_questions(full, answers)
    assert "details" in ids(shown)
    shown.clear()  # a caller's list is its own
    assert "details" in ids(visible_questions(full, answers))


@pytest.mark.parametrize("first, then", [(1, True), (True, 1), (1.0, True)])
def test_equal_answers_of_another_type_are_not_taken_for_the_remembered_ones(
    tmp_path, first, then
):
    """1 == True == 1.0 in Python, yet a condition reads True as "yes" and 1 as "1": the
    answers last seen must match in type too, or the second call gets the first's result."""
    on_one = load_text(
        tmp_path,
        EXAMPLE.replace(
            "show_if: {question: project, equals: active}",
            "show_if: {question: maturity, equals: 1}",
        ),
    )
    first_answers, then_answers = {**HOT, "maturity": first}, {**HOT, "maturity": then}
    assert first_answers == then_answers
    fresh = ids(_visible_questions(on_one, then_answers))
    assert ("details" in fresh) == (not isinstance(then, bool))  # True reads "yes"
    visible_questions(on_one, first_answers)
    assert ids(visible_questions(on_one, then_answers)) == fresh
