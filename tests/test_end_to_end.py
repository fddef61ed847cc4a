"""The main job, end to end: the wizard up to the emails, with the PDFs opened and read.

Mail goes to the local outbox (the embedded default) or to a real SMTP server on loopback.
"""

from __future__ import annotations

import email
import io
from email import policy
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from walk import complete, flask_sender

from factories import HOT_ANSWERS, POOR_FIT_ANSWERS, answers
from qualify.models import Delivery, Lead
from qualify.services.routing import load_reps
from smtp_server import smtp_config, smtp_server  # noqa: F401  (fixture)

CONTACT = {
    "first_name": "Claire",
    "last_name": "Dupont",
    "email": "claire.dupont@bigco.example",
    "company": "BigCo Industries",
    "job_title": "Chief Data Officer",
    "phone": "+33 1 23 45 67 89",
}


def outbox_messages(app) -> list[email.message.EmailMessage]:
    folder = Path(app.config["OUTBOX_DIR"])
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


def pdf_text(message) -> str:
    [attachment] = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    data = attachment.get_content()
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_hot_prospect_gets_a_report_and_their_rep_a_dossier_in_the_outbox(
    app, client, session, published
):
    load_reps(session, app.config["REPS_FILE"])
    result = complete(flask_sender(client), published.questionnaire, HOT_ANSWERS, CONTACT)
    assert "Advanced" in result.text  # the prospect's diagnostic band

    lead = session.scalar(select(Lead))
    assert lead.stage == "routed"
    messages = {m["To"].addresses[0].addr_spec: m for m in outbox_messages(app)}
    assert set(messages) == {"claire.dupont@bigco.example", "camille.martin@acme-data.example"}

    report = pdf_text(messages["claire.dupont@bigco.example"])
    assert "Claire Dupont" in report and "BigCo Industries" in report
    dossier = pdf_text(messages["camille.martin@acme-data.example"])
    assert "BigCo Industries" in dossier
    assert "SQL candidate: total 85.5" in dossier  # why it is SQL
    assert "Camille Martin" in dossier  # routed to
    assert all(d.state == "sent" for d in session.scalars(select(Delivery)))


def test_a_poor_fit_gets_only_the_prospect_report(app, client, session, published):
    load_reps(session, app.config["REPS_FILE"])
    complete(flask_sender(client), published.questionnaire, POOR_FIT_ANSWERS, CONTACT)
    assert session.scalar(select(Lead)).stage in ("lead", "disqualified")
    [message] = outbox_messages(app)
    assert message["To"].addresses[0].addr_spec == "claire.dupont@bigco.example"
    assert "BigCo Industries" in pdf_text(message)


def test_a_good_fit_with_only_a_weak_signal_is_not_routed(app, client, session, published):
    load_reps(session, app.config["REPS_FILE"])
    weak = answers(demo="no", project="exploring", timeline="6_12_months", triggers=["none"])
    complete(flask_sender(client), published.questionnaire, weak, CONTACT)
    assert session.scalar(select(Lead)).stage == "mql"
    assert len(outbox_messages(app)) == 1


class TestOverSmtp:
    @pytest.fixture
    def app_config(self, app_config, smtp_server):  # noqa: F811
        return {**app_config, **smtp_config(smtp_server)}

    def test_both_emails_reach_a_real_server(self, app, client, session, published, smtp_server):  # noqa: F811
        load_reps(session, app.config["REPS_FILE"])
        complete(flask_sender(client), published.questionnaire, HOT_ANSWERS, CONTACT)
        assert sorted(smtp_server.recipients()) == [
            "camille.martin@acme-data.example",
            "claire.dupont@bigco.example",
        ]
        for received in smtp_server.received:
            assert "BigCo Industries" in pdf_text(received.message)
        assert not list(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))
