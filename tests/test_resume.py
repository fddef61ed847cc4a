"""Save and resume: a resume link emailed with the prospect's consent, partial responses
kept PARTIAL_RESPONSE_DAYS then purged, and drop-off per step."""

from __future__ import annotations

import email
import re
import time
from datetime import timedelta
from email import policy

from itsdangerous import TimestampSigner
from sqlalchemy import func, select
from test_wizard import QID, post_step, saved_answers, start, step_answers, step_url, stored

from factories import HOT_ANSWERS
from qualify.db import get_db
from qualify.models import Answer, Delivery, Response, utcnow
from qualify.services.resume import MAX_RESUME_LINKS, purge_partial_responses

LINK = re.compile(r"http://localhost/q/[\w-]+/resume/[\w.-]+")


def ask_for_link(client, token, number, data, email_address="claire@bigco.example", consent=True):
    extra = {"resume_email": email_address}
    if consent:
        extra["resume_consent"] = "y"
    return post_step(client, token, number, {**data, **extra}, action="later")


def outbox_messages(app) -> list:
    from pathlib import Path

    folder = Path(app.config["OUTBOX_DIR"])
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted(folder.glob("*.eml"))
    ]


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def resume_deliveries(app) -> list[Delivery]:
    with app.app_context():
        return list(get_db(app).session.scalars(select(Delivery).where(Delivery.kind == "resume")))


def test_every_question_step_offers_to_email_a_link_to_finish_later(client, questionnaire):
    token = start(client)
    page = client.get(step_url(token, 1))
    assert 'name="action" value="later"' in page.text
    assert 'name="resume_email"' in page.text and 'name="resume_consent"' in page.text
    last = client.get(step_url(token, len(questionnaire.steps) + 1))
    assert 'value="later"' not in last.text  # not reached yet: redirected, or no box there


def test_asking_for_a_link_saves_the_step_and_emails_a_signed_link(app, client, questionnaire):
    token = start(client)
    post_step(client, token, 1, step_answers(questionnaire, 1, HOT_ANSWERS))
    data = step_answers(questionnaire, 2, HOT_ANSWERS)
    reply = ask_for_link(client, token, 2, data)
    assert reply.status_code == 200
    assert "Your link is on its way" in reply.text and "claire@bigco.example" in reply.text
    response = stored(app, token)
    assert response.status == "in_progress"
    answers = saved_answers(app, token)
    assert answers["role"] == HOT_ANSWERS["role"]  # the step's answers were saved
    assert answers["contact.email"] == "claire@bigco.example"  # prefills the contact step
    [delivery] = resume_deliveries(app)
    assert delivery.state == "sent" and delivery.lead_id is None
    assert delivery.response_id == response.id
    [message] = outbox_messages(app)
    assert message["To"] == "claire@bigco.example"
    assert "finish" in message["Subject"].lower()
    link = LINK.search(body_of(message)).group(0)
    assert token not in link.rsplit("/", 1)[1] or "." in link  # signed, not the bare token
    opened = client.get(link.removeprefix("http://localhost"))
    assert opened.status_code == 303 and opened.location == step_url(token, 2)
    page = client.get(opened.location)
    assert page.status_code == 200


def test_no_link_is_sent_without_consent_or_a_valid_address(app, client, questionnaire):
    token = start(client)
    data = step_answers(questionnaire, 1, HOT_ANSWERS)
    no_consent = ask_for_link(client, token, 1, data, consent=False)
    assert no_consent.status_code == 422 and "tick the box" in no_consent.text
    bad_address = ask_for_link(client, token, 1, data, email_address="not-an-email")
    assert bad_address.status_code == 422 and "valid email address" in bad_address.text
    assert 'value="not-an-email"' in bad_address.text  # what was typed is kept
    assert resume_deliveries(app) == []
    assert outbox_messages(app) == []


def test_the_link_box_refuses_an_address_the_mail_path_cannot_send_to(app, client, questionnaire):
    token = start(client)
    data = step_answers(questionnaire, 1, HOT_ANSWERS)
    reply = ask_for_link(client, token, 1, data, email_address="jörg@bigco.example")
    assert reply.status_code == 422 and "valid email address" in reply.text
    assert resume_deliveries(app) == []


def test_at_most_a_few_links_per_response_so_the_box_cannot_flood_an_inbox(
    app, client, questionnaire
):
    token = start(client)
    data = step_answers(questionnaire, 1, HOT_ANSWERS)
    for _ in range(MAX_RESUME_LINKS):
        assert ask_for_link(client, token, 1, data).status_code == 200
    refused = ask_for_link(client, token, 1, data)
    assert refused.status_code == 422 and "already emailed" in refused.text
    assert len(resume_deliveries(app)) == MAX_RESUME_LINKS


def test_a_forged_or_expired_resume_link_gets_a_friendly_page(
    app, client, questionnaire, monkeypatch
):
    token = start(client)
    forged = client.get(f"/q/{QID}/resume/{token}.forged.sig")
    assert forged.status_code == 410 and "This link has expired" in forged.text
    assert f'href="/q/{QID}"' in forged.text
    ask_for_link(client, token, 1, step_answers(questionnaire, 1, HOT_ANSWERS))
    link = LINK.search(body_of(outbox_messages(app)[0])).group(0).removeprefix("http://localhost")
    assert client.get(link).status_code == 303
    later = int(time.time()) + 31 * 24 * 3600  # a month on: past PARTIAL_RESPONSE_DAYS (30)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    assert client.get(link).status_code == 410


def test_a_resume_link_to_a_submitted_response_shows_its_result(app, client, questionnaire):
    token = start(client)
    ask_for_link(client, token, 1, step_answers(questionnaire, 1, HOT_ANSWERS))
    link = LINK.search(body_of(outbox_messages(app)[0])).group(0).removeprefix("http://localhost")
    with app.app_context():
        session = get_db(app).session
        session.scalar(select(Response).where(Response.token == token)).status = "submitted"
        session.commit()
    opened = client.get(link)
    assert opened.status_code == 303 and opened.location == step_url(token, "result")


def test_old_partial_responses_are_purged_and_recent_or_submitted_ones_kept(
    app, client, questionnaire
):
    old, recent, done = start(client), start(client), start(client)
    ask_for_link(client, old, 1, step_answers(questionnaire, 1, HOT_ANSWERS))
    with app.app_context():
        session = get_db(app).session
        long_ago = utcnow() - timedelta(days=31)
        for token, status in ((old, "in_progress"), (done, "submitted")):
            response = session.scalar(select(Response).where(Response.token == token))
            response.updated_at, response.status = long_ago, status
        session.commit()
        assert purge_partial_responses(session, days=30) == 1
        tokens = set(session.scalars(select(Response.token)))
        assert tokens == {recent, done}
        assert session.scalar(select(func.count(Delivery.id))) == 0  # its resume link went too
        orphans = session.scalar(
            select(func.count(Answer.id)).where(Answer.response_id.not_in(select(Response.id)))
        )
        assert orphans == 0
    # and its pages now say so kindly
    assert client.get(step_url(old, 1)).status_code == 404


def test_qualify_purge_uses_partial_response_days(app, client, runner):
    token = start(client)
    with app.app_context():
        session = get_db(app).session
        response = session.scalar(select(Response).where(Response.token == token))
        response.updated_at = utcnow() - timedelta(days=10)
        session.commit()
    kept = runner.invoke(args=["purge"])
    assert kept.exit_code == 0 and "purged 0 partial response(s) older than 30 days" in kept.output
    app.config["PARTIAL_RESPONSE_DAYS"] = 7
    purged = runner.invoke(args=["purge"])
    assert "purged 1 partial response(s) older than 7 days" in purged.output


def test_the_worker_purges_partial_responses_once_a_day(app, client):
    from datetime import datetime

    from qualify.delivery import get_huey, get_tasks

    [purge] = [t for t in get_huey(app)._registry.periodic_tasks if t.name.endswith("purge")]
    at_night, at_noon = datetime(2026, 3, 2, 3, 23), datetime(2026, 3, 2, 12, 23)
    assert purge.validate_datetime(at_night) and not purge.validate_datetime(at_noon)
    token = start(client)
    with app.app_context():
        session = get_db(app).session
        response = session.scalar(select(Response).where(Response.token == token))
        response.updated_at = utcnow() - timedelta(days=31)
        session.commit()
    get_tasks(app).purge()  # the immediate queue runs it here
    assert stored(app, token) is None


def test_qualify_dropoff_counts_partial_responses_per_step(app, client, runner, questionnaire):
    stopped_at_1 = start(client)  # noqa: F841  (started, answered nothing)
    stopped_at_3 = start(client)
    for number in (1, 2):
        post_step(client, stopped_at_3, number, step_answers(questionnaire, number, HOT_ANSWERS))
    result = runner.invoke(args=["dropoff", "--questionnaire", QID])
    assert result.exit_code == 0, result.output
    lines = {int(line.split()[0]): line.split() for line in result.output.splitlines()[2:]}
    assert lines[1][:4] == ["1", "2", "1", "50.0%"]  # 2 reached step 1, 1 left there
    assert lines[2][:4] == ["2", "1", "0", "0.0%"]
    assert lines[3][:4] == ["3", "1", "1", "100.0%"]
    assert lines[4][:4] == ["4", "0", "0", "0.0%"]


def test_the_worker_purge_keeps_partial_responses_partial_response_days(app, client):
    from qualify.delivery import get_tasks

    app.config["PARTIAL_RESPONSE_DAYS"] = 7
    old, recent = start(client), start(client)
    with app.app_context():
        session = get_db(app).session
        for token, days in ((old, 8), (recent, 6)):
            response = session.scalar(select(Response).where(Response.token == token))
            response.updated_at = utcnow() - timedelta(days=days)
        session.commit()
    get_tasks(app).purge()
    assert stored(app, old) is None
    assert stored(app, recent) is not None
