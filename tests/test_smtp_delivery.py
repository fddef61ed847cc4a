"""Delivery through a real SMTP server on loopback (aiosmtpd): every email arrives exactly
once, temporary refusals are retried, permanent ones are failed visibly, and a server that
is down loses nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from factories import HOT_ANSWERS, POOR_FIT_ANSWERS, contact
from qualify.delivery import enqueue_delivery, get_tasks
from qualify.delivery.deliveries import attempt_delivery, sweep_deliveries
from qualify.models import Delivery, utcnow
from qualify.services import Settings
from qualify.services.responses import save_answers, start_response, submit_response
from qualify.services.routing import load_reps
from smtp_server import smtp_config, smtp_server  # noqa: F401  (a fixture, used by name)

PROSPECT = "claire.dupont@bigco.example"
REP = "camille.martin@acme-data.example"


@pytest.fixture
def app_config(app_config, smtp_server):  # noqa: F811
    """The suite's config, sending through the loopback server."""
    return {**app_config, **smtp_config(smtp_server)}


def submit(app, session, published, values) -> dict[str, int]:
    """Submit a full response, letting the immediate queue send; return ids by kind."""
    load_reps(session, app.config["REPS_FILE"])
    q = published.questionnaire
    response = start_response(session, q.id, q.version)
    save_answers(session, response.token, values, step=len(q.steps))
    result = submit_response(
        session,
        response.token,
        published,
        Settings.from_config(app.config),
        enqueue=enqueue_delivery(app),
    )
    kinds = {d.id: d.kind for d in session.scalars(select(Delivery))}
    return {kinds[i]: i for i in result.delivery_ids}


def delivery(session, delivery_id: int) -> Delivery:
    session.expire_all()
    return session.get(Delivery, delivery_id)


def let_retry_come_due(session, delivery_id: int, late_by=timedelta(seconds=0)) -> None:
    """Time passes: the delivery's next attempt is due (``late_by`` ago)."""
    row = delivery(session, delivery_id)
    row.next_attempt_at = utcnow() - late_by
    session.commit()


def test_a_hot_lead_gets_both_emails_over_smtp(app, session, published, smtp_server):  # noqa: F811
    ids = submit(app, session, published, {**HOT_ANSWERS, **contact()})
    assert sorted(smtp_server.recipients()) == sorted([PROSPECT, REP])
    by_recipient = {r.rcpt_tos[0]: r.message for r in smtp_server.received}
    report, dossier = by_recipient[PROSPECT], by_recipient[REP]
    assert next(report.iter_attachments()).get_filename() == "report-BigCo-Industries.pdf"
    assert next(dossier.iter_attachments()).get_content().startswith(b"%PDF")
    assert report["Message-ID"] == delivery(session, ids["report"]).message_id
    assert report.get_body(("html",)) is not None and report.get_body(("plain",)) is not None
    assert all(delivery(session, i).state == "sent" for i in ids.values())


def test_a_server_that_is_down_loses_nothing_and_delivers_once_it_is_back(
    app,
    session,
    published,
    smtp_server,  # noqa: F811
):
    smtp_server.stop()
    ids = submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()})
    row = delivery(session, ids["report"])
    assert (row.state, row.attempts) == ("pending", 1)
    assert "Connection" in row.last_error or "refused" in row.last_error.lower()
    assert row.next_attempt_at > utcnow()

    smtp_server.start()
    assert sweep_deliveries(app, enqueue_delivery(app)) == []  # retry not overdue: its task runs
    let_retry_come_due(session, ids["report"], late_by=timedelta(minutes=2))  # ...and was lost
    assert sweep_deliveries(app, enqueue_delivery(app)) == [ids["report"]]
    assert sweep_deliveries(app, enqueue_delivery(app)) == []

    assert smtp_server.recipients() == [PROSPECT]
    row = delivery(session, ids["report"])
    assert (row.state, row.attempts, row.last_error) == ("sent", 2, None)


def test_451_twice_then_accepted_is_sent_on_the_third_attempt(
    app,
    session,
    published,
    smtp_server,  # noqa: F811
):
    smtp_server.handler.temporary_failures = 2
    ids = submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()})
    row = delivery(session, ids["report"])
    assert (row.state, row.attempts) == ("pending", 1)
    assert row.last_error.startswith("SMTP 451")
    first_delay = (row.next_attempt_at - utcnow()).total_seconds()
    assert 25 < first_delay <= 30  # DELIVERY_RETRY_BASE_SECONDS

    let_retry_come_due(session, ids["report"])
    assert attempt_delivery(app, ids["report"]).retry_in == 60  # base × 2^(2-1)
    let_retry_come_due(session, ids["report"])
    get_tasks(app).deliver.call_local(ids["report"])

    row = delivery(session, ids["report"])
    assert (row.state, row.attempts) == ("sent", 3)
    assert smtp_server.recipients() == [PROSPECT]


def test_a_retry_that_is_not_due_yet_does_nothing(app, session, published, smtp_server):  # noqa: F811
    smtp_server.handler.temporary_failures = 1
    ids = submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()})
    get_tasks(app).deliver.call_local(ids["report"])  # a duplicate task, 30 s early
    assert delivery(session, ids["report"]).attempts == 1
    assert smtp_server.received == []


def test_550_for_the_rep_fails_that_email_and_still_sends_the_report(
    app,
    session,
    published,
    smtp_server,  # noqa: F811
):
    smtp_server.handler.refused = {REP}
    ids = submit(app, session, published, {**HOT_ANSWERS, **contact()})
    dossier = delivery(session, ids["dossier"])
    assert (dossier.state, dossier.attempts) == ("failed", 1)
    assert "550" in dossier.last_error and REP in dossier.last_error
    assert delivery(session, ids["report"]).state == "sent"
    assert smtp_server.recipients() == [PROSPECT]


def test_a_failed_delivery_shows_in_the_console(app, session, published, smtp_server, runner):  # noqa: F811
    smtp_server.handler.refused = {PROSPECT}
    submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()})
    output = runner.invoke(args=["deliveries", "--state", "failed"]).output
    assert PROSPECT in output and "550" in output


def test_a_server_that_hangs_up_after_accepting_counts_the_email_sent(
    app,
    session,
    published,
    smtp_server,  # noqa: F811
):
    smtp_server.handler.hang_up_after_accept = True
    ids = submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()})
    row = delivery(session, ids["report"])
    assert (row.state, row.attempts) == ("sent", 1)
    assert smtp_server.recipients() == [PROSPECT]


def test_a_line_break_in_the_name_or_company_adds_no_header_over_smtp(
    app,
    session,
    published,
    smtp_server,  # noqa: F811
):
    values = {
        **HOT_ANSWERS,
        **contact(company="ACME\r\nBcc: evil@x.example", last_name="Dupont\nX-Injected: yes"),
    }
    submit(app, session, published, values)
    assert sorted(smtp_server.recipients()) == sorted([PROSPECT, REP])
    for received in smtp_server.received:
        message = received.message
        assert message["Bcc"] is None and message["X-Injected"] is None
        assert "evil@x.example" not in received.rcpt_tos
    dossier = next(r.message for r in smtp_server.received if r.rcpt_tos == [REP])
    assert dossier["Subject"].startswith("SQL: ACME Bcc: evil@x.example — Claire Dupont X-Injected")


def test_a_delivery_refused_by_a_dead_server_is_listed_as_pending_not_sent(
    app,
    session,
    published,
    smtp_server,  # noqa: F811
    runner,
):
    """The hand-over marker (``sent_at`` while sending) is cleared when the send fails: the
    console said "sent 06:13" of an email that never left, and so would a failed one."""
    smtp_server.stop()
    ids = submit(app, session, published, {**HOT_ANSWERS, **contact()})
    for delivery_id in ids.values():
        row = delivery(session, delivery_id)
        assert (row.state, row.sent_at) == ("pending", None)
    output = runner.invoke(args=["deliveries"]).output
    assert "(next " in output and "(sent " not in output
    smtp_server.handler.refused = {REP}
    smtp_server.start()
    let_retry_come_due(session, ids["dossier"])
    attempt_delivery(app, ids["dossier"])
    row = delivery(session, ids["dossier"])
    assert (row.state, row.sent_at) == ("failed", None)
