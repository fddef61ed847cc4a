"""Which steps and questions the wizard shows, as plain functions of the answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualify.core.loader import load_questionnaire
from qualify.wizard.steps import (
    answers_to_clear,
    counted_steps,
    hidden_on_submit,
    next_step,
    previous_step,
    progress,
    questions_on_page,
    shown_steps,
)

FRENCH = Path(__file__).resolve().parents[2] / "questionnaires" / "paie-rh-pme.yaml"


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire(FRENCH)


def ids(questions) -> list[str]:
    return [q.id for q in questions]


def test_a_question_waiting_on_an_unanswered_question_of_its_page_is_shown(questionnaire):
    assert "logiciel_actuel" in ids(questions_on_page(questionnaire, 2, {}))


def test_a_question_whose_same_page_condition_is_answered_false_is_not_shown(questionnaire):
    page = ids(questions_on_page(questionnaire, 2, {"gestion_paie": "tableur"}))
    assert page == ["fonction", "gestion_paie"]


def test_a_condition_on_an_earlier_step_is_decided_before_the_page_is_shown(questionnaire):
    assert questions_on_page(questionnaire, 4, {"projet": "aucun"}) == []
    assert ids(questions_on_page(questionnaire, 4, {"projet": "actif"})) == ["echeance"]


def test_on_submit_an_unmet_condition_hides_the_question(questionnaire):
    assert hidden_on_submit(questionnaire, 2, {}) == {"logiciel_actuel"}
    assert hidden_on_submit(questionnaire, 2, {"gestion_paie": "logiciel"}) == set()


def test_a_step_with_every_question_hidden_is_skipped_and_not_counted(questionnaire):
    no_project = {"projet": "aucun"}
    assert shown_steps(questionnaire, no_project) == [1, 2, 3, 5, 6]
    assert next_step(questionnaire, no_project, 3) == 5
    assert previous_step(questionnaire, no_project, 5) == 3
    assert progress(questionnaire, no_project, 5) == (4, 5)
    assert progress(questionnaire, {"projet": "actif"}, 5) == (5, 6)


def test_the_step_count_only_shrinks_as_the_prospect_answers(questionnaire):
    """The calendar step waits on "projet" (step 3): until it is answered, the step counts,
    so the intro's "6 short steps" and "Step 1 of 6" hold for a prospect with a project, and
    one without sees the total drop to 5 — never "Step 1 of 5" then "Step 5 of 6"."""
    assert counted_steps(questionnaire, {}) == [1, 2, 3, 4, 5, 6]
    assert progress(questionnaire, {}, 1) == (1, 6)
    assert progress(questionnaire, {"effectif": "50-249"}, 3) == (3, 6)
    assert counted_steps(questionnaire, {"projet": "aucun"}) == [1, 2, 3, 5, 6]
    assert progress(questionnaire, {"projet": "aucun"}, 5) == (4, 5)
    assert counted_steps(questionnaire, {"projet": "actif"}) == [1, 2, 3, 4, 5, 6]


def test_answers_to_questions_now_hidden_are_cleared(questionnaire):
    answers = {"projet": "aucun", "echeance": "moins_3_mois", "gestion_paie": "logiciel"}
    assert answers_to_clear(questionnaire, answers) == {"echeance": None}
