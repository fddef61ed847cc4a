"""Step pages filled into their pre-rendered copy (qualify.wizard.prerender) are the very
pages a full render gives: every step of every bundled questionnaire, in each of its
languages, empty and with answers (hostile text included), and with errors (full render)."""

from __future__ import annotations

import re

import pytest
from test_wizard import form_token, start, step_url

from qualify.core.translations import languages
from qualify.db import get_db
from qualify.questionnaires import registry
from qualify.services.responses import save_answers
from qualify.wizard import views

TOKEN_VALUE = re.compile(r'name="form_token" value="[^"]+"')
HOSTILE = "<script>alert('x')</script> & \"quotes\""


def answer_for(question):
    """An answer of the question's type (the second choice, the top of the scale...)."""
    choices = [c.value for c in question.choices]
    return {
        "single": choices[-1] if choices else None,
        "dropdown": choices[-1] if choices else None,
        "multiple": choices[:2],
        "yes_no": "no",
        "country": "FR",
        "scale": question.scale.max if question.scale else None,
        "number": 12.5,
        "email": "a@b.example",
        "phone": "+33 1 23 45 67 89",
    }.get(question.type, HOSTILE)


def all_answers(questionnaire) -> dict:
    answers = {q.id: answer_for(q) for q in questionnaire.questions()}
    answers.update(
        {f"contact.{f.name}": HOSTILE for f in questionnaire.contact.fields if f.name != "email"}
    )
    answers["contact.email"] = "a@b.example"
    return answers


def both_renders(client, monkeypatch, token: str, number: int, qid: str) -> tuple[str, str]:
    filled = client.get(step_url(token, number, qid))
    with monkeypatch.context() as patch:
        patch.setattr(views, "can_fill", lambda *args: False)
        full = client.get(step_url(token, number, qid))
    assert filled.status_code == full.status_code == 200
    return (TOKEN_VALUE.sub("", filled.text), TOKEN_VALUE.sub("", full.text))


@pytest.mark.parametrize("qid", ["customer-data-maturity", "paie-rh-pme"])
@pytest.mark.parametrize("answered", [False, True])
def test_a_filled_page_is_the_fully_rendered_page(app, client, monkeypatch, qid, answered):
    published = registry(app).get(qid)
    questionnaire = published.questionnaire
    for language in languages(questionnaire):
        token = start(client, qid, lang=language)
        with app.app_context():
            answers = all_answers(questionnaire) if answered else {}
            save_answers(get_db(app).session, token, answers, step=len(questionnaire.steps))
        numbers = range(1, len(questionnaire.steps) + 2)
        for number in numbers:
            reply = client.get(step_url(token, number, qid))
            if reply.status_code == 303:  # a step hidden by the answers
                continue
            filled, full = both_renders(client, monkeypatch, token, number, qid)
            assert filled == full, (qid, language, number)
        if answered:
            assert "&lt;script&gt;" in full and "<script>alert" not in full


def test_a_page_with_errors_is_rendered_in_full_with_the_values_kept(app, client, monkeypatch):
    token = start(client)
    page = client.get(step_url(token, 1))
    reply = client.post(
        step_url(token, 1), data={"form_token": form_token(page.text), "action": "next"}
    )
    assert reply.status_code == 422
    assert 'class="error-summary"' in reply.text
    # the page after the errors is filled again, from the pre-rendered copy
    assert 'class="error-summary"' not in client.get(step_url(token, 1)).text


def other_answers(questionnaire) -> dict:
    """Answers unlike ``all_answers``: the first choice, the bottom of the scale, other text."""
    answers = {}
    for q in questionnaire.questions():
        choices = [c.value for c in q.choices]
        answers[q.id] = {
            "single": choices[0] if choices else None,
            "dropdown": choices[0] if choices else None,
            "multiple": choices[-1:],
            "yes_no": "yes",
            "country": "DE",
            "scale": q.scale.min if q.scale else None,
            "number": 3,
        }.get(q.type, "Bob's <b>other</b>")
    answers.update({f"contact.{f.name}": "Bob's <b>other</b>" for f in questionnaire.contact.fields})
    answers["contact.email"] = "bob@b.example"
    return answers


@pytest.mark.parametrize("qid", ["customer-data-maturity", "paie-rh-pme"])
def test_a_page_rendered_for_one_prospect_is_filled_for_another_as_their_own(
    app, client, monkeypatch, qid
):
    """The pre-rendered copy is made by whoever comes first: filled for the next prospect
    (other answers, or none), it is their full page and shows nothing of the first one's."""
    questionnaire = registry(app).get(qid).questionnaire
    first, second, empty = (start(client, qid) for _ in range(3))
    with app.app_context():
        session = get_db(app).session
        save_answers(session, first, all_answers(questionnaire), step=len(questionnaire.steps))
        save_answers(session, second, other_answers(questionnaire), step=len(questionnaire.steps))
        save_answers(session, empty, {}, step=len(questionnaire.steps))
    for number in range(1, len(questionnaire.steps) + 2):
        if client.get(step_url(first, number, qid)).status_code != 200:  # makes the copy
            continue
        for token in (second, empty):
            filled, full = both_renders(client, monkeypatch, token, number, qid)
            assert filled == full, (token, number)
            assert first not in filled and "&lt;script&gt;" not in filled
            assert " checked" not in filled or token == second
