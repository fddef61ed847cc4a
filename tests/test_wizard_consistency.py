"""Back, refresh, two tabs and a double click on Submit: one lead, with the answers the
prospect gave last (issue 4, item 2). No cookie is involved: every tab carries the state."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from test_wizard import (
    contact_form,
    form_token,
    post_step,
    saved_answers,
    start,
    step_answers,
    step_url,
)

from factories import HOT_ANSWERS
from qualify.db import get_db
from qualify.models import Delivery, Lead, Response, ScoreSnapshot
from qualify.services.leads import merged_answers
from qualify.services.routing import load_reps


def counts(app) -> dict[str, int]:
    with app.app_context():
        session = get_db(app).session
        return {
            "leads": session.scalar(select(func.count(Lead.id))),
            "snapshots": session.scalar(select(func.count(ScoreSnapshot.id))),
            "deliveries": session.scalar(select(func.count(Delivery.id))),
        }


def lead_answers(app, token: str) -> dict:
    with app.app_context():
        session = get_db(app).session
        response = session.scalar(select(Response).where(Response.token == token))
        return merged_answers(session, session.get(Lead, response.lead_id))


def open_tab(client, token: str, number: int) -> str:
    """GET a step as a tab would; return the form token its page carries."""
    page = client.get(step_url(token, number))
    assert page.status_code == 200, page.location
    return form_token(page.text)


def post_with(client, token: str, number: int, signed: str, data: dict, action: str = "next"):
    return client.post(
        step_url(token, number), data={**data, "form_token": signed, "action": action}
    )


def answer_steps(client, token, questionnaire, numbers, answers=HOT_ANSWERS):
    for number in numbers:
        reply = post_step(client, token, number, step_answers(questionnaire, number, answers))
        assert reply.status_code == 303, reply.text


def submit(client, token, questionnaire, **contact):
    reply = post_step(client, token, len(questionnaire.steps) + 1, contact_form(**contact))
    assert reply.status_code == 303 and reply.location.endswith("/result")
    return reply


def test_back_then_a_changed_answer_ends_in_one_lead_with_the_changed_answer(
    app, client, questionnaire
):
    token = start(client)
    answer_steps(client, token, questionnaire, [1, 2])
    # on step 3, go Back twice, changing the region on the way
    back = post_step(client, token, 3, step_answers(questionnaire, 3, HOT_ANSWERS), action="back")
    assert back.status_code == 303 and back.location == step_url(token, 2)
    post_step(client, token, 2, step_answers(questionnaire, 2, HOT_ANSWERS), action="back")
    changed = {**step_answers(questionnaire, 1, HOT_ANSWERS), "region": "europe"}
    assert post_step(client, token, 1, changed).status_code == 303
    answer_steps(client, token, questionnaire, range(2, len(questionnaire.steps) + 1))
    submit(client, token, questionnaire)
    assert counts(app)["leads"] == 1
    assert lead_answers(app, token)["region"] == "europe"


def test_refreshing_a_posted_step_posts_it_again_and_keeps_the_last_answers(
    app, client, questionnaire
):
    token = start(client)
    signed = open_tab(client, token, 1)
    first = step_answers(questionnaire, 1, HOT_ANSWERS)
    assert post_with(client, token, 1, signed, first).status_code == 303
    # the browser's "resend the form?" after a refresh: the same form token, changed answers
    again = post_with(client, token, 1, signed, {**first, "company_size": "1000+"})
    assert again.status_code == 303 and again.location == step_url(token, 2)
    answer_steps(client, token, questionnaire, range(2, len(questionnaire.steps) + 1))
    reply = submit(client, token, questionnaire)
    assert client.get(reply.location).status_code == 200
    assert lead_answers(app, token)["company_size"] == "1000+"
    assert counts(app)["leads"] == 1


def test_an_older_step_posted_from_a_second_tab_wins_and_still_makes_one_lead(
    app, client, questionnaire
):
    with app.app_context():
        load_reps(get_db(app).session, app.config["REPS_FILE"])
    token = start(client)
    answer_steps(client, token, questionnaire, [1])
    tab_b = open_tab(client, token, 2)  # a second tab left on step 2
    tab_a = open_tab(client, token, 2)
    assert (
        post_with(client, token, 2, tab_a, step_answers(questionnaire, 2, HOT_ANSWERS)).status_code
        == 303
    )
    answer_steps(client, token, questionnaire, [3])  # tab A goes on to step 4
    # tab B, still on step 2, answers it differently: that is the latest answer now
    older = {**step_answers(questionnaire, 2, HOT_ANSWERS), "role": "director"}
    reply = post_with(client, token, 2, tab_b, older)
    assert reply.status_code == 303
    # progress is not lost: step 4 stays reachable in tab A
    assert client.get(step_url(token, 4)).status_code == 200
    answer_steps(client, token, questionnaire, range(4, len(questionnaire.steps) + 1))
    submit(client, token, questionnaire)
    assert counts(app)["leads"] == 1
    answers = lead_answers(app, token)
    assert answers["role"] == "director" and answers["budget"] == HOT_ANSWERS["budget"]


def test_a_step_posted_from_a_second_tab_after_submission_shows_the_result(
    app, client, questionnaire
):
    token = start(client)
    tab_b = open_tab(client, token, 1)
    answer_steps(client, token, questionnaire, range(1, len(questionnaire.steps) + 1))
    submit(client, token, questionnaire)
    late = post_with(client, token, 1, tab_b, step_answers(questionnaire, 1, HOT_ANSWERS))
    assert late.status_code == 303 and late.location == step_url(token, "result")
    assert counts(app)["leads"] == 1


def test_a_double_click_on_submit_makes_one_lead_scored_and_emailed_once(
    app, client, questionnaire
):
    with app.app_context():
        load_reps(get_db(app).session, app.config["REPS_FILE"])
    token = start(client)
    answer_steps(client, token, questionnaire, range(1, len(questionnaire.steps) + 1))
    last = len(questionnaire.steps) + 1
    signed = open_tab(client, token, last)
    first = post_with(client, token, last, signed, contact_form())
    second = post_with(client, token, last, signed, contact_form())
    assert first.location == second.location == step_url(token, "result")
    assert counts(app) == {"leads": 1, "snapshots": 1, "deliveries": 2}  # report + dossier


def test_two_simultaneous_submits_make_one_lead(app, questionnaire):
    client = app.test_client()
    token = start(client)
    answer_steps(client, token, questionnaire, range(1, len(questionnaire.steps) + 1))
    last = len(questionnaire.steps) + 1
    signed = open_tab(client, token, last)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def click() -> None:
        own = app.test_client()  # each click is its own request, as from a browser
        barrier.wait()
        reply = post_with(own, token, last, signed, contact_form())
        statuses.append(reply.status_code)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [303, 303]
    assert counts(app)["leads"] == 1 and counts(app)["snapshots"] == 1


def test_a_form_token_issued_for_one_step_is_refused_on_another(app, client, questionnaire):
    token = start(client)
    step_1 = open_tab(client, token, 1)
    answer_steps(client, token, questionnaire, [1])
    # step 1's form token replayed on step 2: refused, nothing saved for step 2
    replayed = post_with(client, token, 2, step_1, step_answers(questionnaire, 2, HOT_ANSWERS))
    assert replayed.status_code == 400
    assert "role" not in saved_answers(app, token)


def test_a_step_saved_just_after_another_tab_submitted_changes_nothing(
    app, client, questionnaire, monkeypatch
):
    """Tab B read the response (in progress) a moment before tab A's submit committed; its
    save must not change the answers the lead was scored with."""
    from qualify.services import responses
    from qualify.wizard import views

    token = start(client)
    answer_steps(client, token, questionnaire, range(1, len(questionnaire.steps) + 1))
    tab_b = open_tab(client, token, 1)
    with app.app_context():
        before_submit = responses.read_response(get_db(app).session, token)
    submit(client, token, questionnaire)
    scored = lead_answers(app, token)
    monkeypatch.setattr(views, "read_response", lambda _session, _token: before_submit)
    late = post_with(
        client, token, 1, tab_b, {**step_answers(questionnaire, 1, HOT_ANSWERS), "region": "europe"}
    )
    assert late.status_code == 303 and late.location == step_url(token, "result")
    assert saved_answers(app, token)["region"] == HOT_ANSWERS["region"]
    assert lead_answers(app, token) == scored


def test_back_never_stores_an_answer_that_failed_validation(app, client, questionnaire):
    token = start(client)
    answer_steps(client, token, questionnaire, [1, 2])
    assert saved_answers(app, token)["role"] == HOT_ANSWERS["role"]
    # back on step 2, a value that is not one of the choices, then Back
    forged = {**step_answers(questionnaire, 2, HOT_ANSWERS), "role": "not-a-choice"}
    back = post_step(client, token, 2, forged, action="back")
    assert back.status_code == 303 and back.location == step_url(token, 1)
    assert saved_answers(app, token)["role"] == HOT_ANSWERS["role"]  # the valid one is kept
