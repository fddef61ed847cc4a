"""Email delivery without a mail server: the outbox, the message's headers and attachment,
the retry arithmetic, the sweeper, and the console listing."""

from __future__ import annotations

import email
import io
import re
import shutil
import smtplib
from datetime import timedelta
from email import policy
from email.header import decode_header, make_header
from email.utils import getaddresses
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from factories import HOT_ANSWERS, POOR_FIT_ANSWERS, contact
from qualify.delivery import enqueue_delivery, get_tasks
from qualify.delivery.deliveries import (
    RetryPolicy,
    attempt_delivery,
    sweep_deliveries,
)
from qualify.delivery.mailer import (
    BadHeaderError,
    classify_send_error,
    clean_header_text,
    compose,
    make_filename,
)
from qualify.models import Delivery, utcnow
from qualify.services import Settings
from qualify.services.responses import save_answers, start_response, submit_response
from qualify.services.routing import load_reps

ROOT = Path(__file__).resolve().parent.parent


def submit(app, session, published, values, enqueue=None) -> list[int]:
    """Submit a full response as the wizard would; return the delivery ids."""
    load_reps(session, app.config["REPS_FILE"])
    q = published.questionnaire
    response = start_response(session, q.id, q.version)
    save_answers(session, response.token, values, step=len(q.steps))
    result = submit_response(
        session,
        response.token,
        published,
        Settings.from_config(app.config),
        enqueue=enqueue or enqueue_delivery(app),
    )
    return list(result.delivery_ids)


def outbox_messages(app) -> dict[str, email.message.EmailMessage]:
    """The .eml files in the outbox, parsed, keyed by file name."""
    outbox = Path(app.config["OUTBOX_DIR"])
    return {
        path.name: email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(outbox.glob("*.eml"))
    }


def pdf_text(message) -> str:
    (attachment,) = list(message.iter_attachments())
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    return "\n".join(page.extract_text() for page in reader.pages)


def deliveries(session) -> list[Delivery]:
    session.expire_all()
    return list(session.scalars(select(Delivery).order_by(Delivery.id)))


# -- the outbox -------------------------------------------------------------------------------


def test_a_hot_lead_leaves_the_report_and_the_dossier_in_the_outbox(app, session, published):
    ids = submit(app, session, published, {**HOT_ANSWERS, **contact()})
    messages = outbox_messages(app)
    assert sorted(name.split("-", 1)[1] for name in messages) == sorted(
        [f"{ids[0]}-report.eml", f"{ids[1]}-dossier.eml"]
    )
    report = next(m for name, m in messages.items() if name.endswith("-report.eml"))
    dossier = next(m for name, m in messages.items() if name.endswith("-dossier.eml"))

    assert report["To"].addresses[0].addr_spec == "claire.dupont@bigco.example"
    assert report["Subject"] == "Your report: How mature is your customer data?"
    assert {p.get_content_type() for p in report.walk()} >= {"text/plain", "text/html"}
    assert next(report.iter_attachments()).get_filename() == "report-BigCo-Industries.pdf"
    assert "BigCo Industries" in pdf_text(report)

    assert dossier["To"].addresses[0].addr_spec == "camille.martin@acme-data.example"
    assert dossier["Subject"].startswith("SQL: BigCo Industries — Claire Dupont (due ")
    assert "Why it is SQL" in dossier.get_body(("plain",)).get_content()
    assert "BigCo Industries" in pdf_text(dossier)

    rows = deliveries(session)
    assert [(d.state, d.attempts) for d in rows] == [("sent", 1), ("sent", 1)]
    assert {report["Message-ID"], dossier["Message-ID"]} == {d.message_id for d in rows}
    assert all(d.sent_at is not None for d in rows)


def test_a_poor_fit_gets_only_the_report(app, session, published):
    submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()})
    assert [name.rsplit("-", 1)[1] for name in outbox_messages(app)] == ["report.eml"]


def test_the_outbox_holds_no_partial_file(app, session, published):
    submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()})
    assert [p.suffix for p in Path(app.config["OUTBOX_DIR"]).iterdir()] == [".eml"]


def test_a_sent_delivery_is_never_sent_again(app, session, published):
    ids = submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()})
    assert attempt_delivery(app, ids[0]).state is None
    get_tasks(app).deliver(ids[0])
    assert len(outbox_messages(app)) == 1
    assert deliveries(session)[0].attempts == 1


def test_nothing_is_rendered_or_sent_on_submit_without_the_immediate_queue(app, session, published):
    queued = []
    ids = submit(app, session, published, {**HOT_ANSWERS, **contact()}, enqueue=queued.append)
    assert queued == ids
    assert outbox_messages(app) == {}
    assert [d.state for d in deliveries(session)] == ["pending", "pending"]


# -- headers a prospect cannot touch ----------------------------------------------------------


def test_a_line_break_in_the_company_or_name_adds_no_header(app, session, published):
    injected = "ACME\r\nBcc: evil@x.example"
    submit(
        app,
        session,
        published,
        {
            **HOT_ANSWERS,
            **contact(
                company=injected, first_name="Eve\nX-Evil: 1", last_name="=?utf-8?b?QmNjOg==?="
            ),
        },
    )
    for raw in Path(app.config["OUTBOX_DIR"]).glob("*.eml"):
        message = email.message_from_bytes(raw.read_bytes(), policy=policy.default)
        assert message["Bcc"] is None and message["X-Evil"] is None
        assert b"\nBcc:" not in raw.read_bytes() and b"\nX-Evil" not in raw.read_bytes()
        assert all(len(m["To"].addresses) == 1 for m in [message])
    assert all(d.state == "sent" for d in deliveries(session))


@pytest.mark.parametrize(
    "typed, cleaned",
    [
        ("ACME\r\nBcc: evil@x.example", "ACME Bcc: evil@x.example"),
        ("Zoë\x00\x1b[31m Ltd", "Zoë [31m Ltd"),
        ("=?utf-8?q?Bcc:?=", "= ?utf-8?q?Bcc:?="),
        ("a\u2028b", "a b"),
    ],
)
def test_header_text_loses_control_characters_and_encoded_words(typed, cleaned):
    assert clean_header_text(typed) == cleaned


def test_attachment_names_keep_the_company_with_an_ascii_fallback():
    assert make_filename("report", "BigCo Industries") == (
        "report-BigCo-Industries.pdf",
        "report-BigCo-Industries.pdf",
    )
    assert make_filename("report", "Société Générale") == (
        "report-Société-Générale.pdf",
        "report-Societe-Generale.pdf",
    )
    assert make_filename("report", "株式会社") == ("report-株式会社.pdf", "report.pdf")
    assert make_filename("report", "../../etc/passwd") == (
        "report-etc-passwd.pdf",
        "report-etc-passwd.pdf",
    )


def test_a_recipient_with_a_line_break_fails_for_good(app, session, published):
    ids = submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()}, enqueue=lambda _: None)
    session.get(Delivery, ids[0]).recipient = "claire@bigco.example\r\nBcc: evil@x.example"
    session.commit()
    attempt_delivery(app, ids[0])
    (delivery,) = deliveries(session)
    assert delivery.state == "failed" and "refused" in delivery.last_error
    assert outbox_messages(app) == {}


# -- which errors are retried -----------------------------------------------------------------


@pytest.mark.parametrize(
    "error, permanent",
    [
        (ConnectionRefusedError(111, "Connection refused"), False),
        (TimeoutError("timed out"), False),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False),
        (smtplib.SMTPDataError(451, b"try again later"), False),
        (smtplib.SMTPDataError(554, b"rejected as spam"), True),
        (smtplib.SMTPRecipientsRefused({"a@x.example": (550, b"no such user")}), True),
        (smtplib.SMTPRecipientsRefused({"a@x.example": (450, b"mailbox busy")}), False),
        (smtplib.SMTPSenderRefused(553, b"sender refused", "no-reply@q.example"), True),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (BadHeaderError("line break"), True),
    ],
)
def test_temporary_errors_are_retried_and_permanent_ones_are_not(error, permanent):
    assert classify_send_error(error).permanent is permanent


def test_the_retry_delay_doubles_with_each_attempt():
    policy_ = RetryPolicy(max_attempts=8, base_seconds=30)
    assert [policy_.delay_after(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


# -- the sweeper ------------------------------------------------------------------------------


def test_the_sweeper_requeues_a_delivery_whose_task_was_lost(app, session, published):
    ids = submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()}, enqueue=lambda _: None)
    assert sweep_deliveries(app, enqueue_delivery(app)) == []  # not overdue yet
    later = utcnow() + timedelta(minutes=2)
    assert sweep_deliveries(app, enqueue_delivery(app), now=later) == ids
    assert [d.state for d in deliveries(session)] == ["sent"]
    assert len(outbox_messages(app)) == 1


def test_a_worker_killed_mid_send_is_retried_once_its_lease_runs_out(app, session, published):
    ids = submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()}, enqueue=lambda _: None)
    delivery = session.get(Delivery, ids[0])
    delivery.state, delivery.attempts = "sending", 1
    delivery.next_attempt_at = utcnow() + timedelta(minutes=10)  # the dead worker's lease
    session.commit()
    assert sweep_deliveries(app, enqueue_delivery(app)) == []  # lease still running
    delivery.next_attempt_at = utcnow() - timedelta(seconds=1)  # ten minutes later: ran out
    session.commit()
    assert sweep_deliveries(app, enqueue_delivery(app)) == ids
    (delivery,) = deliveries(session)
    assert (delivery.state, delivery.attempts) == ("sent", 2)
    assert len(outbox_messages(app)) == 1


def test_a_delivery_out_of_attempts_fails_with_the_last_error(app, session, published):
    ids = submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()}, enqueue=lambda _: None)
    delivery = session.get(Delivery, ids[0])
    delivery.state, delivery.attempts = "sending", app.config["DELIVERY_MAX_ATTEMPTS"]
    delivery.next_attempt_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert sweep_deliveries(app, enqueue_delivery(app)) == []
    (delivery,) = deliveries(session)
    assert delivery.state == "failed"
    assert delivery.last_error.startswith("gave up after 8 attempts: worker stopped")


# -- the console ------------------------------------------------------------------------------


def test_the_deliveries_command_lists_state_attempts_and_errors(app, session, published, runner):
    submit(app, session, published, {**HOT_ANSWERS, **contact()}, enqueue=lambda _: None)
    delivery = deliveries(session)[0]
    delivery.state, delivery.last_error = "failed", "SMTP 550 mailbox unavailable"
    session.commit()
    result = runner.invoke(args=["deliveries"])
    assert result.exit_code == 0, result.output
    assert "failed" in result.output and "SMTP 550 mailbox unavailable" in result.output
    assert "pending" in result.output and "dossier" in result.output
    only_failed = runner.invoke(args=["deliveries", "--state", "failed"])
    assert "pending" not in only_failed.output


def test_submitting_does_not_import_weasyprint_outside_the_worker(app, session, published):
    import subprocess
    import sys

    code = (
        "import sys; import qualify.delivery, qualify.delivery.tasks, qualify.delivery.mailer;"
        " print('weasyprint' in sys.modules)"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
        == "False"
    )


def test_compose_sets_the_stable_message_id(app):
    from qualify.delivery.mailer import compose

    lead = SimpleNamespace(
        name="Claire Dupont",
        first_name="Claire",
        company="BigCo",
        email="c@b.example",
        phone="",
        language="fr",
    )
    delivery = SimpleNamespace(
        id=7, kind="report", recipient="c@b.example", message_id="<abc.report@q.example>"
    )
    with app.app_context():
        message = compose(delivery, lead, b"%PDF-1.7")
        parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Message-ID"] == "<abc.report@q.example>"
    assert parsed["Subject"].startswith("Votre rapport\u00a0: ")
    assert next(parsed.iter_attachments()).get_filename() == "rapport-BigCo.pdf"


# -- a render over its bounds fails its delivery, not the worker -----------------------------


class TestRenderBounds:
    @pytest.fixture
    def app_config(self, app_config, tmp_path):
        """Report templates that loop forever, and a 2-second render bound."""
        templates = tmp_path / "templates"
        shutil.copytree(ROOT / "report_templates", templates)
        report = templates / "report.html"
        report.write_text("{% for i in range(10**12) %}{% endfor %}" + report.read_text())
        return {**app_config, "REPORT_TEMPLATES_DIR": str(templates), "RENDER_TIMEOUT_SECONDS": 2}

    def test_a_render_over_its_time_bound_fails_the_delivery_with_a_clear_reason(
        self, app, session, published, runner
    ):
        ids = submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()})
        (delivery,) = deliveries(session)
        assert (delivery.id, delivery.state, delivery.attempts) == (ids[0], "failed", 1)
        assert delivery.last_error == "render stopped: report took longer than 2 s"
        assert outbox_messages(app) == {}
        output = runner.invoke(args=["deliveries", "--state", "failed"]).output
        assert "report took longer than 2 s" in output


# -- what the emails say, in which language, with which headers -------------------------------


def parsed(message) -> tuple[bytes, email.message.EmailMessage]:
    raw = message.as_bytes()
    return raw, email.message_from_bytes(raw, policy=policy.default)


def raw_headers(raw: bytes) -> bytes:
    """The message's own header block, as sent."""
    return re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]


def a_lead(**fields) -> SimpleNamespace:
    values = {
        "name": "Claire Dupont",
        "first_name": "Claire",
        "company": "BigCo",
        "email": "c@b.example",
        "phone": "",
        "language": "en",
        **fields,
    }
    return SimpleNamespace(**values)


def a_delivery(kind="report", recipient="c@b.example") -> SimpleNamespace:
    return SimpleNamespace(id=7, kind=kind, recipient=recipient, message_id=f"<x.{kind}@q.example>")


@pytest.mark.parametrize(
    "name, company",
    [
        ("佐藤 陽菜", "株式会社データ"),
        ("فاطمة الزهراء", "شركة البيانات"),
        ("Zoë Ærø", "Société Générale"),
    ],
)
def test_unicode_names_and_subjects_are_rfc2047_encoded_and_decode_back_exactly(app, name, company):
    lead = a_lead(name=name, first_name=name.split()[0], company=company)
    with app.app_context():
        raw, message = parsed(
            compose(
                a_delivery("dossier", "rep@acme.example"),
                lead,
                b"%PDF",
                why=[],
                sla_due_at=None,
                rep_name=name,
            )
        )
    assert raw_headers(raw).isascii(), "raw non-ASCII in a header"
    assert message["Subject"] == f"SQL: {company} — {name} (due no SLA)"
    assert message["To"].addresses[0].display_name == name
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == make_filename("dossier", company)[0]


def test_attachment_names_carry_the_company_in_rfc2231_with_an_ascii_fallback(app):
    with app.app_context():
        raw, message = parsed(compose(a_delivery(), a_lead(company="Société Générale"), b"%PDF"))
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "report-Société-Générale.pdf"
    assert b"filename*=utf-8''report-Soci%C3%A9t%C3%A9-G%C3%A9n%C3%A9rale.pdf" in raw
    assert attachment.get_param("name") == "report-Societe-Generale.pdf"


@pytest.mark.parametrize(
    "typed",
    [
        "=?utf-8?q?x=0D=0ABcc:_a@b?=",
        "=?utf-8?b?eA0KQmNjOiBhQGI=?=",  # the same, base64
        "=?iso-8859-1?q?X=0AReply-To:_evil@x.example?=",
        "ACME\r\nBcc: evil@x.example",
    ],
)
def test_no_header_can_be_added_through_an_encoded_word_or_a_line_break(app, typed):
    lead = a_lead(name=typed, first_name=typed, company=typed)
    dossier_facts = {"why": [], "sla_due_at": None, "rep_name": typed}
    for delivery, facts in (
        (a_delivery(), {}),
        (a_delivery("dossier", "r@a.example"), dossier_facts),
    ):
        with app.app_context():
            raw, message = parsed(compose(delivery, lead, b"%PDF", **facts))
        assert message["Bcc"] is None and message["Reply-To"] is None
        assert [a.addr_spec for a in message["To"].addresses] == [delivery.recipient]
        # No header decodes to a line break: the encoded word was defused before encoding.
        for header, value in message.items():
            assert "\n" not in str(value) and "\r" not in str(value), header
        head = raw_headers(raw)
        assert b"=?utf-8?q?x=0D=0A" not in head and b"=?utf-8?b?eA0KQmNjOiBhQGI" not in head


def test_the_report_email_speaks_the_questionnaire_language_in_both_parts(app):
    with app.app_context():
        _, french = parsed(compose(a_delivery(), a_lead(language="fr"), b"%PDF"))
        _, english = parsed(compose(a_delivery(), a_lead(language="en"), b"%PDF"))
    assert french["Subject"].startswith("Votre rapport\u00a0: ")
    assert "Bonjour Claire" in french.get_body(("plain",)).get_content()
    html = french.get_body(("html",)).get_content()
    assert "Bonjour" in html and 'lang="fr"' in html
    assert "Hello Claire" in english.get_body(("plain",)).get_content()
    assert 'lang="en"' in english.get_body(("html",)).get_content()


def test_an_internationalised_domain_is_sent_as_punycode(app):
    with app.app_context():
        message = compose(a_delivery(recipient=" Claire@Bücher.example "), a_lead(), b"%PDF")
        _, parsed_message = parsed(message)
        assert {address for _, address in message.send_to} == {"Claire@xn--bcher-kva.example"}
    assert parsed_message["To"].addresses[0].addr_spec == "Claire@xn--bcher-kva.example"


@pytest.mark.parametrize("address", ["jörg@bigco.example", "claire@bigco", '"a b"@bigco.example'])
def test_an_address_the_mail_path_cannot_send_to_fails_for_good(app, session, published, address):
    ids = submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()}, enqueue=lambda _: None)
    session.get(Delivery, ids[0]).recipient = address
    session.commit()
    attempt_delivery(app, ids[0])
    (delivery,) = deliveries(session)
    assert (delivery.state, delivery.attempts) == ("failed", 1)
    assert "refused recipient" in delivery.last_error
    assert outbox_messages(app) == {}


# -- the rep's dossier links to the lead ------------------------------------------------------


def test_the_dossier_email_and_pdf_carry_the_signed_rep_links(app, session, published):
    from qualify.reps.links import read_lead_token

    submit(app, session, published, {**HOT_ANSWERS, **contact()})
    dossier = next(m for name, m in outbox_messages(app).items() if name.endswith("dossier.eml"))
    text = dossier.get_body(("plain",)).get_content()
    html = dossier.get_body(("html",)).get_content()
    urls = re.findall(r"http://localhost/rep/leads/[\w.\-]+", text)
    assert urls and all(url in html for url in urls)
    lead_id = deliveries(session)[1].lead_id
    assert {read_lead_token(app, url.rsplit("/", 1)[1]) for url in urls} == {lead_id}
    assert "Log first contact" in text and "Give feedback" in text
    assert "Log first contact" in pdf_text(dossier)
    (attachment,) = dossier.iter_attachments()
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    links = {
        annot.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annot in page.get("/Annots") or ()
        if "/A" in annot.get_object()
    }
    assert any(link.startswith("http://localhost/rep/leads/") for link in links)


# -- an outbox copy already written is not written again ---------------------------------------


def test_a_worker_killed_after_writing_the_outbox_copy_does_not_write_a_second(
    app, session, published
):
    ids = submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()})
    (first,) = outbox_messages(app)
    delivery = session.get(Delivery, ids[0])
    # As a worker killed after the .eml was written and before "sent" was recorded leaves it.
    delivery.state, delivery.sent_at = "sending", utcnow()
    delivery.next_attempt_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert sweep_deliveries(app, enqueue_delivery(app)) == ids
    (delivery,) = deliveries(session)
    assert (delivery.state, delivery.attempts) == ("sent", 2)
    assert list(outbox_messages(app)) == [first]
    assert "handing over" not in (delivery.last_error or "")


def rfc2047_decoded(raw: bytes, header: str) -> str:
    """A header as RFC 2047 decoders (mail clients) read it: the space between two adjacent
    encoded words is dropped, unlike CPython's modern parser, which adds one in a phrase."""
    value = email.message_from_bytes(raw, policy=policy.compat32)[header]
    return str(make_header(decode_header(value)))


@pytest.mark.parametrize(
    "name, company",
    [
        (
            "Marie-Bérénice-Alexandrine de La Rochefoucauld-Montmorency",
            "Banque Populaire des Territoires d'Outre-Mer SA",
        ),
        ("Ζωή Παπαδοπούλου-Κωνσταντινοπούλου Αλεξανδροπούλου", "Ελληνικά Δεδομένα Α.Ε."),
        ("Łukasz Żółć-Grzegorzewski Wojciechowski-Kowalczyk", "Przedsiębiorstwo Wielobranżowe"),
        ("山田 太郎", "東京データ株式会社 グローバル ソリューションズ"),
    ],
)
def test_long_unicode_names_fold_without_losing_or_adding_a_space(app, name, company):
    lead = a_lead(name=name, first_name=name.split()[0], company=company)
    with app.app_context():
        raw, _ = parsed(
            compose(
                a_delivery("dossier", "rep@acme.example"),
                lead,
                b"%PDF",
                why=[],
                sla_due_at=None,
                rep_name=name,
            )
        )
    head = raw_headers(raw)
    assert head.isascii()
    assert max(len(line) for line in head.split(b"\r\n")) <= 78
    assert rfc2047_decoded(raw, "Subject") == f"SQL: {company} — {name} (due no SLA)"
    ((display, address),) = getaddresses([rfc2047_decoded(raw, "To")])
    assert (display, address) == (name, "rep@acme.example")


# -- plain-text parts read as typed, HTML parts escaped ----------------------------------------


def test_plain_text_parts_show_what_was_typed_and_html_parts_escape_it(app):
    lead = a_lead(name="Seán O'Brien <b>", first_name="Seán O'Brien <b>", company="Smith & Co")
    links = {"Open the lead": "http://localhost/rep/leads/t?a=1&b=2"}
    with app.app_context():
        _, report = parsed(compose(a_delivery(), lead, b"%PDF"))
        _, dossier = parsed(
            compose(
                a_delivery("dossier"), lead, b"%PDF",
                why=["SQL: 5 > 3"], sla_due_at=None, rep_name="Camille", links=links,
            )
        )  # fmt: skip
    report_text = report.get_body(("plain",)).get_content()
    assert "Hello Seán O'Brien <b>," in report_text
    assert "&#39;" not in report_text and "&lt;" not in report_text
    assert "O&#39;Brien &lt;b&gt;" in report.get_body(("html",)).get_content()
    dossier_text = dossier.get_body(("plain",)).get_content()
    assert "at Smith & Co." in dossier_text and "SQL: 5 > 3" in dossier_text
    assert "http://localhost/rep/leads/t?a=1&b=2" in dossier_text
    dossier_html = dossier.get_body(("html",)).get_content()
    assert "Smith &amp; Co" in dossier_html and "<b>" not in dossier_html


def test_the_resume_link_in_the_plain_text_part_is_the_link_itself(app):
    from qualify.delivery.resume_mail import compose_resume

    url = "http://localhost/q/x/resume/abc?lang=fr&utm_source=mail"
    with app.app_context():
        _, message = parsed(
            compose_resume(a_delivery("resume"), title="Data & you", url=url, days=30)
        )
    text = message.get_body(("plain",)).get_content()
    assert url in text and '"Data & you"' in text
    assert url.replace("&", "&amp;") in message.get_body(("html",)).get_content()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_report_email_asks_no_reply_of_its_no_reply_sender(app, language):
    with app.app_context():
        _, message = parsed(compose(a_delivery(), a_lead(language=language), b"%PDF"))
    text = message.get_body(("plain",)).get_content().lower()
    assert "reply" not in text and "répondez" not in text
    assert ("next step" if language == "en" else "prochaine étape") in text


#: Unicode's bidirectional controls: an override or an isolate typed into a name reverses
#: what follows it where the email is shown (the dossier's subject then reads its due time
#: backwards, a file name its extension).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("control", list(BIDI_CONTROLS))
def test_no_bidirectional_control_typed_by_a_prospect_reaches_an_email(app, control):
    typed = f"Marie{control}fdp.exe"
    lead = a_lead(name=typed, first_name=typed, company=typed)
    dossier_facts = {"why": [], "sla_due_at": None, "rep_name": "Rep"}
    for delivery, facts in (
        (a_delivery(), {}),
        (a_delivery("dossier", "r@a.example"), dossier_facts),
    ):
        with app.app_context():
            _, message = parsed(compose(delivery, lead, b"%PDF", **facts))
        for header, value in message.items():
            assert control not in str(value), header
        for part in ("plain", "html"):
            body = message.get_body((part,)).get_content()
            assert "Marie" in body and control not in body, part


def test_the_prospect_emails_are_signed_by_the_sender_not_by_the_software(app):
    """A prospect of Acme Paie read "L'équipe qualify" under their report: the software's
    name, not the company's. The sender's display name (MAIL_DEFAULT_SENDER) signs."""
    from qualify.delivery.resume_mail import compose_resume

    acme = "Acme Paie <no-reply@acme-paie.example>"
    with app.app_context():
        _, french = parsed(compose(a_delivery(), a_lead(language="fr"), b"%PDF", sender=acme))
        _, english = parsed(compose(a_delivery(), a_lead(), b"%PDF", sender=acme))
        _, resume = parsed(
            compose_resume(
                a_delivery("resume"),
                title="Paie",
                url="http://x.example/r",
                days=30,
                language="fr",
                sender=acme,
            )
        )
        _, unnamed = parsed(compose(a_delivery(), a_lead(), b"%PDF", sender="no-reply@x.example"))
    assert french.get_body(("plain",)).get_content().rstrip().endswith("L'équipe Acme Paie")
    assert "L&#39;équipe Acme Paie" in french.get_body(("html",)).get_content()
    assert english.get_body(("plain",)).get_content().rstrip().endswith("The Acme Paie team")
    assert resume.get_body(("plain",)).get_content().rstrip().endswith("L'équipe Acme Paie")
    assert unnamed.get_body(("plain",)).get_content().rstrip().endswith("The qualify team")
