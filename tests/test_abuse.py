"""Bots and abuse: rate limits per client address (one trusted proxy hop at most), a
honeypot, a minimum time to complete, and quarantine for review instead of dropping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from test_wizard import (
    QID,
    contact_form,
    form_token,
    post_step,
    start,
    step_answers,
    step_url,
    stored,
)

from factories import HOT_ANSWERS
from qualify import create_app
from qualify.db import get_db
from qualify.models import Delivery, Lead, Response, StageEvent
from qualify.services.routing import load_reps

HONEYPOT = "hp_check"


@pytest.fixture
def make_app(app_config, tmp_path, monkeypatch):
    """Build an app with config overrides (read once at start-up, like PROXY_HOPS)."""
    monkeypatch.setenv("QUALIFY_INSTANCE_PATH", str(tmp_path / "instance"))
    apps = []

    def make(**overrides):
        app = create_app({**app_config, **overrides})
        apps.append(app)
        return app

    yield make
    for app in apps:
        get_db(app).engine.dispose()


def post_start(client, address: str, forwarded: str | None = None, **data):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        f"/q/{QID}/start", data=data, headers=headers, environ_base={"REMOTE_ADDR": address}
    )


def walk_with(client, questionnaire, on_step: dict[int, dict] | None = None) -> tuple[str, object]:
    """Complete the wizard; ``on_step`` adds form values to given steps (e.g. the honeypot)."""
    on_step = on_step or {}
    token = start(client)
    for number in range(1, len(questionnaire.steps) + 1):
        data = {**step_answers(questionnaire, number, HOT_ANSWERS), **on_step.get(number, {})}
        reply = post_step(client, token, number, data)
        assert reply.status_code == 303, reply.text
    last = len(questionnaire.steps) + 1
    reply = post_step(client, token, last, {**contact_form(), **on_step.get(last, {})})
    assert reply.status_code == 303 and reply.location.endswith("/result"), reply.text
    return token, reply


def lead_of(app, token: str) -> Lead:
    with app.app_context():
        session = get_db(app).session
        response = session.scalar(select(Response).where(Response.token == token))
        return session.get(Lead, response.lead_id)


def deliveries_of(app, lead_id: int) -> list[Delivery]:
    with app.app_context():
        return list(
            get_db(app).session.scalars(select(Delivery).where(Delivery.lead_id == lead_id))
        )


def events_of(app, lead_id: int) -> list[StageEvent]:
    with app.app_context():
        return list(
            get_db(app).session.scalars(
                select(StageEvent).where(StageEvent.lead_id == lead_id).order_by(StageEvent.id)
            )
        )


def with_reps(app):
    with app.app_context():
        load_reps(get_db(app).session, app.config["REPS_FILE"])
    return app


# -- rate limits --


def test_the_start_post_over_the_limit_gets_a_friendly_429_per_client_address(make_app):
    client = make_app(RATE_LIMIT_START="3 per minute").test_client()
    for _ in range(3):
        assert post_start(client, "192.0.2.10").status_code == 303
    refused = post_start(client, "192.0.2.10", utm_source="linkedin")
    assert refused.status_code == 429
    assert "Just a moment" in refused.text and "Nothing is lost" in refused.text
    assert int(refused.headers["Retry-After"]) >= 1
    # the landing page's fields ride along on the page's Continue button
    assert '<input type="hidden" name="utm_source" value="linkedin">' in refused.text
    # another address has its own budget
    assert post_start(client, "192.0.2.11").status_code == 303


def test_without_a_trusted_proxy_x_forwarded_for_buys_no_new_budget(make_app):
    client = make_app(RATE_LIMIT_START="2 per minute", PROXY_HOPS=0).test_client()
    for n in range(2):
        assert post_start(client, "192.0.2.20", forwarded=f"198.51.100.{n}").status_code == 303
    assert post_start(client, "192.0.2.20", forwarded="198.51.100.99").status_code == 429


def test_behind_one_proxy_each_forwarded_client_has_its_own_budget(make_app):
    client = make_app(RATE_LIMIT_START="2 per minute", PROXY_HOPS=1).test_client()
    proxy = "10.0.0.1"
    for _ in range(2):
        assert post_start(client, proxy, forwarded="198.51.100.1").status_code == 303
    assert post_start(client, proxy, forwarded="198.51.100.1").status_code == 429
    assert post_start(client, proxy, forwarded="198.51.100.2").status_code == 303
    # only the hop our proxy appended counts: a client-written entry before it changes nothing
    assert post_start(client, proxy, forwarded="203.0.113.7, 198.51.100.1").status_code == 429


def test_a_step_post_over_the_limit_keeps_the_answers_for_the_continue_button(make_app):
    app = make_app(RATE_LIMIT_STEPS="2 per minute")
    client = app.test_client()
    token = start(client)
    page = client.get(step_url(token, 1))
    signed = form_token(page.text)
    data = {
        "company_size": "200-999",
        "industry": "saas",
        "region": "france",
        "form_token": signed,
        "action": "next",
    }
    for _ in range(2):
        assert client.post(step_url(token, 1), data=data).status_code == 303
    refused = client.post(step_url(token, 1), data={**data, "industry": "retail"})
    assert refused.status_code == 429
    assert f'action="{step_url(token, 1)}"' in refused.text
    assert '<input type="hidden" name="industry" value="retail">' in refused.text
    assert f'<input type="hidden" name="form_token" value="{signed}">' in refused.text
    # a moment later, Continue posts the same answers, and they are saved
    app.extensions["qualify.limiter"].reset()
    again = client.post(step_url(token, 1), data={**data, "industry": "retail"})
    assert again.status_code == 303
    with app.app_context():
        response = get_db(app).session.scalar(select(Response).where(Response.token == token))
        assert response.answer_map()["industry"] == "retail"


def test_the_live_panel_is_rate_limited_too(make_app):
    client = make_app(RATE_LIMIT_LIVE="1 per minute").test_client()
    token = start(client)
    signed = form_token(client.get(step_url(token, 1)).text)
    live = f"/q/{QID}/r/{token}/live"
    assert client.post(live, data={"form_token": signed}).status_code == 200
    assert client.post(live, data={"form_token": signed}).status_code == 429


# -- honeypot, minimum time, quarantine --


def test_every_wizard_form_carries_a_honeypot_humans_and_browsers_leave_alone(client):
    intro = client.get(f"/q/{QID}")
    token = start(client)
    step = client.get(step_url(token, 1))
    for page in (intro, step):
        assert (
            f'<input type="text" name="{HONEYPOT}" id="{HONEYPOT}" value="" autocomplete="off"'
            ' tabindex="-1">' in page.text
        )
        assert '<div class="hp-field" aria-hidden="true">' in page.text
        assert f'<label for="{HONEYPOT}">Leave this field empty</label>' in page.text


def test_a_filled_honeypot_quarantines_the_lead_with_no_dossier_nor_report(
    app, client, questionnaire
):
    with_reps(app)
    token, reply = walk_with(client, questionnaire, on_step={2: {HONEYPOT: "http://spam.example"}})
    assert client.get(reply.location).status_code == 200  # the bot sees nothing different
    lead = lead_of(app, token)
    assert lead.stage == "quarantined"
    assert deliveries_of(app, lead.id) == []
    [event] = events_of(app, lead.id)
    assert event.to_stage == "quarantined" and "hidden field" in event.reason
    assert stored(app, token).status == "submitted"  # kept, never dropped


def test_a_filled_honeypot_on_the_start_page_quarantines_too(app, client, questionnaire):
    reply = client.post(f"/q/{QID}/start", data={HONEYPOT: "x"})
    token = reply.location.split("/r/")[1].split("/")[0]
    assert "hidden field" in stored(app, token).suspicion


def test_an_empty_honeypot_changes_nothing(app, client, questionnaire):
    with_reps(app)
    token, _ = walk_with(client, questionnaire, on_step={1: {HONEYPOT: ""}})
    assert lead_of(app, token).stage == "routed"


def test_a_submission_faster_than_the_minimum_time_is_quarantined(make_app, questionnaire):
    app = with_reps(make_app(WIZARD_MIN_SECONDS=8))
    token, _ = walk_with(app.test_client(), questionnaire)
    lead = lead_of(app, token)
    assert lead.stage == "quarantined"
    assert "faster than the 8 s minimum" in events_of(app, lead.id)[0].reason
    assert deliveries_of(app, lead.id) == []


def test_a_submission_slower_than_the_minimum_time_is_qualified(make_app, questionnaire):
    app = with_reps(make_app(WIZARD_MIN_SECONDS=8))
    client = app.test_client()
    token = start(client)
    with app.app_context():  # the prospect pressed Start a minute ago
        session = get_db(app).session
        response = session.scalar(select(Response).where(Response.token == token))
        response.created_at -= timedelta(seconds=60)
        session.commit()
    for number in range(1, len(questionnaire.steps) + 1):
        post_step(client, token, number, step_answers(questionnaire, number, HOT_ANSWERS))
    post_step(client, token, len(questionnaire.steps) + 1, contact_form())
    assert lead_of(app, token).stage == "routed"


def test_a_quarantined_lead_is_listed_then_released_into_the_normal_qualification(
    app, client, runner, questionnaire
):
    with_reps(app)
    token, _ = walk_with(client, questionnaire, on_step={1: {HONEYPOT: "bot"}})
    lead = lead_of(app, token)
    listed = runner.invoke(args=["quarantine"])
    assert listed.exit_code == 0, listed.output
    assert f"{lead.id:>5}" in listed.output and "hidden field" in listed.output
    assert "1 lead(s) in quarantine." in listed.output  # counted, for Marketing Ops
    released = runner.invoke(args=["quarantine", "release", str(lead.id), "--by", "ops@acme"])
    assert released.exit_code == 0, released.output
    assert "now routed" in released.output
    lead = lead_of(app, token)
    assert lead.stage == "routed"
    kinds = sorted(d.kind for d in deliveries_of(app, lead.id))
    assert kinds == ["dossier", "report"]
    stages = [(e.from_stage, e.to_stage, e.actor) for e in events_of(app, lead.id)]
    assert stages[:2] == [(None, "quarantined", "qualify"), ("quarantined", "lead", "ops@acme")]
    # released once: a second release is refused
    again = runner.invoke(args=["quarantine", "release", str(lead.id)])
    assert again.exit_code == 1 and "not in quarantine" in again.output


def test_a_quarantined_lead_never_swallows_the_same_persons_real_response(
    app, client, questionnaire
):
    with_reps(app)
    bot_token, _ = walk_with(client, questionnaire, on_step={1: {HONEYPOT: "bot"}})
    human_token, _ = walk_with(client, questionnaire)
    bot, human = lead_of(app, bot_token), lead_of(app, human_token)
    assert bot.id != human.id
    assert (bot.stage, human.stage) == ("quarantined", "routed")


def test_free_text_longer_than_its_cap_is_refused_with_a_message(client, questionnaire):
    token = start(client)
    for number in range(1, len(questionnaire.steps) + 1):
        post_step(client, token, number, step_answers(questionnaire, number, HOT_ANSWERS))
    reply = post_step(client, token, len(questionnaire.steps) + 1, contact_form(company="B" * 201))
    assert reply.status_code == 422
    assert "200 characters" in reply.text  # the message names the cap
