"""The rep's side: a signed, expiring link to the lead; first contact; feedback."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factories import HOT_ANSWERS, contact
from qualify.models import Assignment, Lead, StageEvent
from qualify.reps.links import rep_links, sign_lead
from qualify.services import Settings
from qualify.services.feedback import FeedbackError, record_feedback, record_first_contact
from qualify.services.responses import save_answers, start_response, submit_response
from qualify.services.routing import load_reps


@pytest.fixture
def routed_lead(app, session, published):
    load_reps(session, app.config["REPS_FILE"])
    q = published.questionnaire
    response = start_response(session, q.id, q.version)
    save_answers(session, response.token, {**HOT_ANSWERS, **contact(company="<b>Evil & Co</b>")})
    result = submit_response(session, response.token, published, Settings())
    assert result.stage == "routed"
    return session.get(Lead, result.lead_id)


def path_of(url: str) -> str:
    return url.removeprefix("http://localhost")


def test_the_signed_link_shows_the_lead_with_why_it_is_sql(app, client, routed_lead):
    page = client.get(path_of(rep_links(app, routed_lead.id)["lead"]))
    assert page.status_code == 200
    assert "SQL candidate: total 85.5" in page.text
    assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in page.text  # escaped, never markup
    assert page.headers["Content-Security-Policy"].endswith("frame-ancestors 'none'")


def test_a_forged_or_altered_link_is_refused(app, client, routed_lead):
    token = sign_lead(app, routed_lead.id)
    assert client.get(f"/rep/leads/{token[:-2]}xx").status_code == 403
    assert client.get("/rep/leads/eyJsZWFkIjoxfQ").status_code == 403


def test_an_expired_link_is_refused_with_a_friendly_page(app, client, routed_lead):
    token = sign_lead(app, routed_lead.id)
    app.config["REP_LINK_MAX_AGE_DAYS"] = -1
    page = client.get(f"/rep/leads/{token}")
    assert page.status_code == 403
    assert "expired" in page.text


def test_logging_first_contact_moves_the_lead_and_stamps_the_assignment(
    app, client, session, routed_lead
):
    token = sign_lead(app, routed_lead.id)
    reply = client.post(f"/rep/leads/{token}/contact", data={"note": "Called, demo booked"})
    assert reply.status_code == 303
    session.expire_all()
    lead = session.get(Lead, routed_lead.id)
    assert lead.stage == "contacted"
    assert session.scalar(select(Assignment)).contacted_at is not None
    event = session.scalars(select(StageEvent).order_by(StageEvent.id.desc())).first()
    assert event.actor == "camille.martin@acme-data.example (rep link)"
    assert "Called, demo booked" in event.reason


def test_a_rejection_without_a_reason_is_refused_with_the_form_kept(
    app, client, session, routed_lead
):
    token = sign_lead(app, routed_lead.id)
    reply = client.post(f"/rep/leads/{token}/feedback", data={"outcome": "rejected", "note": "meh"})
    assert reply.status_code == 400
    assert "a rejection needs a reason" in reply.text
    assert ">meh</textarea>" in reply.text
    session.expire_all()
    assert session.get(Lead, routed_lead.id).stage == "routed"


def test_a_rejection_with_a_reason_is_recorded_for_the_monthly_review(
    app, client, session, routed_lead
):
    token = sign_lead(app, routed_lead.id)
    reply = client.post(
        f"/rep/leads/{token}/feedback", data={"outcome": "rejected", "reason": "no_budget"}
    )
    assert reply.status_code == 303
    session.expire_all()
    assert session.get(Lead, routed_lead.id).stage == "rejected"
    stages = [e.to_stage for e in session.scalars(select(StageEvent).order_by(StageEvent.id))]
    assert stages[-2:] == ["contacted", "rejected"]  # feedback implies the first contact
    assert (
        "[no_budget]"
        in session.scalars(select(StageEvent).order_by(StageEvent.id.desc())).first().reason
    )


def test_nurture_sends_the_lead_back_to_mql_and_frees_the_rep(session, routed_lead):
    lead = record_feedback(session, routed_lead.id, "nurture", "rep")
    assert lead.stage == "mql"
    assert session.scalar(select(Assignment)).closed_at is not None


def test_feedback_on_a_closed_lead_is_refused(session, routed_lead):
    record_feedback(session, routed_lead.id, "confirmed", "rep")
    with pytest.raises(FeedbackError):
        record_feedback(session, routed_lead.id, "rejected", "rep", reason="no_budget")
    with pytest.raises(FeedbackError):
        record_first_contact(session, routed_lead.id, "rep")


@pytest.mark.parametrize("start", ["routed", "contacted"])
def test_feedback_sent_twice_at_once_is_recorded_once(app, session, routed_lead, start):
    """A double click on the feedback button (or two tabs): two requests at the same moment
    both read a lead open to feedback. One is recorded, the other told the lead moved on."""
    import threading

    from qualify.db import get_db

    if start == "contacted":
        record_first_contact(session, routed_lead.id, "rep")
    lead_id = routed_lead.id
    both_read = threading.Barrier(2)
    outcomes: list[str] = []

    def click() -> None:
        own = get_db(app).sessionmaker()
        try:
            assert own.get(Lead, lead_id) is not None  # each request loads it first (load_lead)
            both_read.wait(timeout=10)
            record_feedback(own, lead_id, "rejected", "rep", reason="no_budget")
            outcomes.append("recorded")
        except FeedbackError as exc:
            own.rollback()
            outcomes.append(str(exc))
        finally:
            own.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == [
        "feedback is given on a routed or contacted lead; this one is rejected",
        "recorded",
    ]
    session.expire_all()
    moves = [
        (event.from_stage, event.to_stage)
        for event in session.scalars(
            select(StageEvent).where(StageEvent.lead_id == lead_id).order_by(StageEvent.id)
        )
    ]
    assert moves[-2:] == [("routed", "contacted"), ("contacted", "rejected")]
    assert moves.count(("contacted", "rejected")) == 1


@pytest.mark.parametrize("lead", [True, 10**30, 0, -1, "1", None])
def test_a_signed_link_whose_lead_is_no_lead_id_is_refused(app, client, routed_lead, lead):
    """Only a holder of the secret key can sign one, but a payload that is no lead id
    (JSON true, past the database's integers) must still be a refusal, not a lead or a 500."""
    from itsdangerous import URLSafeTimedSerializer

    from qualify.reps.links import SALT

    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=SALT).dumps({"lead": lead})
    page = client.get(f"/rep/leads/{token}")
    assert page.status_code == 403
    assert "This link is not valid" in page.text


def test_the_rep_page_gives_times_on_the_sales_teams_clock_like_the_dossier(
    app, client, routed_lead
):
    from qualify.reports.context import format_datetime

    page = client.get(path_of(rep_links(app, routed_lead.id)["lead"]))
    zone = app.config["BUSINESS_TIMEZONE"]
    due = format_datetime(routed_lead.assignment.sla_due_at, zone)
    assert zone != "UTC" and due.endswith(f" {zone}")
    assert f"<dd>{due}" in page.text
    assert f"<time>{format_datetime(routed_lead.events[0].at, zone)}</time>" in page.text
    assert " UTC" not in page.text


def test_the_rep_page_states_the_total_once_not_as_points_added(app, client, routed_lead):
    page = client.get(path_of(rep_links(app, routed_lead.id)["lead"])).text
    assert "<li>Total 85.5 = FIT " in page
    assert "TOTAL:" not in page
    assert "+25 FIT: Company size" in page  # the other reasons keep their points


def test_a_bidirectional_override_in_a_name_reorders_nothing_else_on_the_rep_page(
    app, client, session, published
):
    """U+202E (right-to-left override) typed into the company made a browser draw the rest of
    the line backwards, the job title included: each typed text is isolated in a <bdi>."""
    load_reps(session, app.config["REPS_FILE"])
    q = published.questionnaire
    response = start_response(session, q.id, q.version)
    typed = contact(company="ACME\u202eexe.fdp", first_name="Eve\u202e", job_title="CTO")
    save_answers(session, response.token, {**HOT_ANSWERS, **typed})
    lead_id = submit_response(session, response.token, published, Settings()).lead_id
    page = client.get(path_of(rep_links(app, lead_id)["lead"])).text
    assert "<bdi>ACME\u202eexe.fdp</bdi> · <bdi>CTO</bdi>" in page
    name = session.get(Lead, lead_id).name
    assert "\u202e" in name and f"<h1><bdi>{name}</bdi></h1>" in page


def test_the_rep_page_names_the_rep_once_and_gives_why_this_rep_apart(app, client, routed_lead):
    """The routing reason already starts with the rep's name: 'Routed to' read 'Camille Martin —
    Camille Martin covers sector saas…'. Like the dossier: who (name and email), then why."""
    rep = routed_lead.assignment.rep
    reason = routed_lead.assignment.reason
    assert reason.startswith(rep.name)
    page = client.get(path_of(rep_links(app, routed_lead.id)["lead"])).text
    assert f"{rep.name} — {rep.name}" not in page
    assert f"<dt>Routed to</dt><dd>{rep.name} &lt;{rep.email}&gt;</dd>" in page
    assert f"<dt>Why this rep</dt><dd>{reason}</dd>" in page


def test_the_rep_pages_phone_link_is_a_dialable_tel_uri_without_spaces(app, client, routed_lead):
    """RFC 3966 allows no spaces in a tel: URI; the stored number is spaced for reading."""
    assert routed_lead.phone == "+33 1 23 45 67 89"
    page = client.get(path_of(rep_links(app, routed_lead.id)["lead"])).text
    assert '<a href="tel:+33-1-23-45-67-89">+33 1 23 45 67 89</a>' in page
