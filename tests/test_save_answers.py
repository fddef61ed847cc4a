"""Saving a step (``save_answers``), against SQLite and PostgreSQL: answers inserted,
changed or cleared, the furthest step that only grows, consent, and a response that can no
longer change once submitted, even when the save and the submit happen at the same moment."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select, update

from factories import HOT_ANSWERS, contact
from qualify.db import get_db
from qualify.models import Answer, Response
from qualify.services.responses import (
    ResponseClosedError,
    UnknownResponseError,
    save_answers,
    start_response,
)


def stored(session, token: str) -> tuple[dict, int, bool]:
    """(answers, furthest step, consent) as committed."""
    session.expire_all()
    response = session.scalar(select(Response).where(Response.token == token))
    return response.answer_map(), response.step, response.consent


def started(session, published) -> str:
    q = published.questionnaire
    return start_response(session, q.id, q.version, {"utm_source": "ads"}).token


def test_a_save_inserts_new_answers_changes_stored_ones_and_clears_emptied_ones(
    session, published
):
    token = started(session, published)
    save_answers(session, token, {"region": "france", "industry": "saas", "pains": ["a", "b"]})
    save_answers(session, token, {"region": "europe", "industry": "", "pains": [], "size": None})
    answers, _, _ = stored(session, token)
    assert answers == {"hidden.utm_source": "ads", "region": "europe"}
    # one row per question: the change updated the stored answer
    regions = session.scalars(select(Answer.id).where(Answer.question_id == "region")).all()
    assert len(regions) == 1


def test_the_furthest_step_only_grows(session, published):
    token = started(session, published)
    save_answers(session, token, {"region": "france"}, step=3)
    save_answers(session, token, {"region": "europe"}, step=1)  # Back, then Next on step 1
    save_answers(session, token, {"region": "spain"})  # Back saves no step
    answers, step, _ = stored(session, token)
    assert step == 3 and answers["region"] == "spain"
    save_answers(session, token, {}, step=4)
    assert stored(session, token)[1] == 4


def test_consent_is_recorded_only_when_given(session, published):
    token = started(session, published)
    save_answers(session, token, {"region": "france"}, step=1)
    assert stored(session, token)[2] is False
    save_answers(session, token, contact(), step=2, consent=True)
    answers, _, consent = stored(session, token)
    assert consent is True and answers["contact.email"] == contact()["contact.email"]
    save_answers(session, token, {"region": "spain"})  # a later Back keeps the consent
    assert stored(session, token)[2] is True


def test_a_submitted_response_refuses_a_save_and_keeps_its_answers(session, published):
    token = started(session, published)
    save_answers(session, token, {"region": "france"}, step=1)
    session.execute(update(Response).where(Response.token == token).values(status="submitted"))
    session.commit()
    with pytest.raises(ResponseClosedError):
        save_answers(session, token, {"region": "europe", "industry": "saas"}, step=5)
    answers, step, _ = stored(session, token)
    assert answers == {"hidden.utm_source": "ads", "region": "france"} and step == 1


def test_an_unknown_token_is_refused_as_unknown(session):
    with pytest.raises(UnknownResponseError):
        save_answers(session, "no-such-response", {"region": "france"})


@pytest.mark.parametrize("through", ["session", "engine"])
def test_a_save_caught_behind_a_submit_in_progress_changes_nothing(
    app, session, published, through
):
    """The submit has claimed the response (not yet committed) when another tab's save
    comes in: the save waits for it, then finds the response closed; the lead is scored with
    the answers the submit read. Through a session (services, tests) or the engine (the
    wizard's step POST)."""
    token = started(session, published)
    save_answers(session, token, {**HOT_ANSWERS, **contact()}, step=4)
    submitting = get_db(app).sessionmaker()
    outcome: list[object] = []

    def late_save() -> None:
        own = get_db(app).sessionmaker() if through == "session" else get_db(app).engine
        try:
            save_answers(own, token, {"region": "europe"}, step=5)
            outcome.append("saved")
        except Exception as exc:  # reported below
            outcome.append(exc)
        finally:
            if through == "session":
                own.close()

    try:
        claimed = submitting.execute(
            update(Response)
            .where(Response.token == token, Response.status == "in_progress")
            .values(status="submitted")
        ).rowcount
        assert claimed == 1
        other_tab = threading.Thread(target=late_save)
        other_tab.start()
        time.sleep(0.5)  # the save reaches the claimed row and waits on it
        submitting.commit()
    finally:
        submitting.close()
    other_tab.join(60)
    assert len(outcome) == 1 and isinstance(outcome[0], ResponseClosedError)
    answers, step, _ = stored(session, token)
    assert answers["region"] == HOT_ANSWERS["region"] and step == 4
