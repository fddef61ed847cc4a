"""Compose the prospect's report email and the rep's dossier email, and send them: over SMTP
through Flask-Mail, or, with no ``MAIL_SERVER``, as ``.eml`` files in ``OUTBOX_DIR``.

Everything a prospect typed that reaches a header (display name, subject, attachment name)
goes through ``clean_header_text`` first: no CR/LF, no control character, no encoded word,
so no input can add or change a header.
"""

from __future__ import annotations

import os
import re
import smtplib
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy as email_policy
from email.header import Header
from email.parser import BytesHeaderParser
from email.utils import encode_rfc2231, formataddr, parseaddr
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask_mail import Attachment, BadHeaderError, Mail, Message
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..core.addresses import AddressError, check_deliverable_address, is_reserved_domain
from ..core.typography import french_spacing

#: Longest prospect-typed text put in a header; beyond it the text is cut.
MAX_HEADER_TEXT = 80
#: Longest company part of an attachment's file name.
MAX_FILENAME_TEXT = 60

#: The words of each email, per questionnaire language (the lead's language).
EMAIL_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "report_subject": "Your report: {title}",
        "report_prefix": "report",
        "greeting": "Hello",
        "report_intro": "Thank you for taking our self-diagnostic. Your personalised report is attached.",
        # The sender is a no-reply address: point at the report's own next step, not a reply.
        "report_next": "Your report ends with recommendations chosen from your answers and your next step.",
        "signature": "The {team} team",
    },
    "fr": {
        "report_subject": "Votre rapport : {title}",
        "report_prefix": "rapport",
        "greeting": "Bonjour",
        "report_intro": "Merci d'avoir répondu à notre autodiagnostic. Votre rapport personnalisé est en pièce jointe.",
        "report_next": "Votre rapport se termine par des recommandations choisies selon vos réponses et la prochaine étape.",
        "signature": "L'équipe {team}",
    },
}
# French spacing written once here rather than as invisible characters in the texts above.
EMAIL_TEXT["fr"] = {key: french_spacing(text) for key, text in EMAIL_TEXT["fr"].items()}

#: Control characters, line and paragraph separators, and the bidirectional controls (an
#: override typed into a name reversed what follows it: the dossier subject's due time).
_CONTROL_CHARS = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+"
)
_ENCODED_WORD = re.compile(r"=\?")
# Runs of whitespace, except the no-break spaces French puts before "?" or ":" in a subject.
_BREAKABLE_SPACES = re.compile(r"[^\S\u00a0\u202f]+")
_FILENAME_UNSAFE = re.compile(r"[^\w]+")
# RFC 5322 specials: in a display name Flask-Mail leaves unquoted, "@" or ":" would make
# mail clients read part of the name as an address.
_ADDRESS_SPECIALS = re.compile(r'[][\\()<>@,:;"]+')

# HTML parts are autoescaped; plain-text parts are not (escaping there would show a prospect
# "O&#39;Brien" and break a link's "&"): a text/plain body is never read as markup.
_environment = Environment(
    loader=PackageLoader("qualify.delivery", "templates"),
    autoescape=select_autoescape(
        enabled_extensions=("html",),
        disabled_extensions=("txt",),
        default=True,
        default_for_string=True,
    ),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


#: Flask-Mail sets the modern SMTP policy, which refolds every header: CPython's folder drops
#: the space at a fold between two encoded words ("— Marie" became "—Marie") and splits a
#: long word in two ("Montmoren cy"). Headers are encoded here, once, by ``email.header``.
SMTP_POLICY = email_policy.compat32.clone(linesep="\r\n")


def encode_header(value: str, name: str) -> str | Header:
    """An unstructured header: ASCII as it is (folded at spaces), else RFC 2047 encoded words
    that carry every space inside them."""
    return value if value.isascii() else Header(value, "utf-8", header_name=name)


def encode_address(address: str | tuple[str, str], name: str) -> str | Header:
    """``Name <addr>`` with a non-ASCII display name as RFC 2047 encoded words."""
    display, addr = parseaddr(address) if isinstance(address, str) else address
    if display.isascii():
        return formataddr((display, addr))
    header = Header(display, "utf-8", header_name=name)
    header.append(f"<{addr}>", "us-ascii")
    return header


class QualifyMessage(Message):
    """A Flask-Mail message whose Subject, From and To are encoded once, and not refolded."""

    def _message(self):
        message = super()._message()
        message.policy = SMTP_POLICY
        if self.subject:
            message.replace_header("Subject", encode_header(self.subject, "Subject"))
        message.replace_header("From", encode_address(self.sender, "From"))
        del message["To"]
        for recipient in self.recipients:
            message["To"] = encode_address(recipient, "To")
        for part in message.walk():
            name = part.get_filename()
            if name and not name.isascii():
                # RFC 6266: clients that read filename* get the UTF-8 name, the others ASCII.
                fallback = part.get_param("name") or "attachment.pdf"
                part.replace_header(
                    "Content-Disposition",
                    f"attachment; filename*={encode_rfc2231(name, 'utf-8')}; "
                    f'filename="{fallback}"',
                )
        return message


@dataclass(frozen=True)
class SendFailure:
    """Why a send failed, and whether trying again could help."""

    permanent: bool
    reason: str


def init_app(app: Flask) -> Mail:
    """Set Flask-Mail up on ``app`` from its ``MAIL_*`` config."""
    # Flask-Mail suppresses sending when TESTING; our SMTP tests need real sends, and the
    # outbox (no MAIL_SERVER) is already what keeps tests and development off the network.
    app.config.setdefault("MAIL_SUPPRESS_SEND", False)
    mail = Mail(app)
    app.extensions["qualify.mail"] = mail
    return mail


# -- header safety ----------------------------------------------------------------------------


def clean_header_text(value: Any, limit: int = MAX_HEADER_TEXT) -> str:
    """``value`` made safe for a header: control characters (CR, LF, NUL, bidirectional
    overrides...) and encoded-word openers removed, whitespace collapsed, cut to ``limit`` characters."""
    text = _CONTROL_CHARS.sub(" ", "" if value is None else str(value))
    text = _ENCODED_WORD.sub("= ?", text)  # "=?utf-8?b?...?=" would be decoded by mail clients
    text = _BREAKABLE_SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_display_name(value: Any) -> str:
    """A display name for To/From: ``clean_header_text`` without RFC 5322 specials."""
    return " ".join(_ADDRESS_SPECIALS.sub(" ", clean_header_text(value)).split())


def make_filename(prefix: str, company: str) -> tuple[str, str]:
    """The attachment's name from the company, as (unicode name, ASCII fallback).

    ``("report-Société-Générale.pdf", "report-Societe-Generale.pdf")``; a company with no
    ASCII letters at all falls back to ``report.pdf``.
    """
    unicode_slug = _slug(clean_header_text(company, MAX_FILENAME_TEXT))
    ascii_text = unicodedata.normalize("NFKD", unicode_slug).encode("ascii", "ignore").decode()
    ascii_slug = _slug(ascii_text)
    unicode_name = f"{prefix}-{unicode_slug}.pdf" if unicode_slug else f"{prefix}.pdf"
    ascii_name = f"{prefix}-{ascii_slug}.pdf" if ascii_slug else f"{prefix}.pdf"
    return unicode_name, ascii_name


def _slug(text: str) -> str:
    return _FILENAME_UNSAFE.sub("-", text).strip("-_")[:MAX_FILENAME_TEXT].strip("-_")


def pdf_attachment(prefix: str, company: str, pdf_bytes: bytes) -> Attachment:
    """The PDF as an attachment named after the company: the Unicode name as RFC 2231
    ``filename*``, and the ASCII fallback as ``filename`` (when the name is ASCII) or as the
    Content-Type ``name`` that clients without RFC 2231 read instead."""
    unicode_name, ascii_name = make_filename(prefix, company)
    # Flask-Mail turns a non-ASCII filename into filename*=UTF8''... (RFC 2231). Both forms
    # cannot sit in Content-Disposition: the SMTP policy refolds the header and keeps one.
    return Attachment(
        filename=unicode_name,
        content_type=f'application/pdf; name="{ascii_name}"',
        data=pdf_bytes,
    )


def check_recipient(address: str) -> str:
    """The recipient as the mail path sends it (``check_deliverable_address``: trimmed,
    internationalised domain in punycode), or ``BadHeaderError`` (a permanent failure).

    The app's own configured addresses (reps, fallback owner) may use a reserved domain such
    as ``qualify.localhost`` in development; prospects' addresses never reach here with one
    (the form refuses them)."""
    if _CONTROL_CHARS.search(address) or not address.strip():
        raise BadHeaderError(f"refused recipient address {address!r}")
    try:
        return check_deliverable_address(address)
    except AddressError as exc:
        if is_reserved_domain(address) and address.strip().isascii() and " " not in address:
            return address.strip()
        raise BadHeaderError(f"refused recipient address {address!r}: {exc}") from exc


# -- composition ------------------------------------------------------------------------------


def render_email(template: str, **context: Any) -> tuple[str, str]:
    """The plain-text and HTML parts of ``template`` (``<template>.txt`` / ``.html``)."""
    text = _environment.get_template(f"{template}.txt").render(**context)
    html = _environment.get_template(f"{template}.html").render(**context)
    return text, html


def email_text(language: str | None) -> dict[str, str]:
    """The email words for ``language``, English when it has no translation."""
    return EMAIL_TEXT.get(language or "en", EMAIL_TEXT["en"])


def team_name(sender: Any) -> str:
    """Who signs a prospect's email: the sender's name (``MAIL_DEFAULT_SENDER = "Acme Paie
    <no-reply@acme.example>"`` signs "L'équipe Acme Paie"), else qualify."""
    name = sender[0] if isinstance(sender, (tuple, list)) else parseaddr(sender or "")[0]
    return clean_header_text(name, 60) or "qualify"


def compose_report(
    delivery: Any, lead: Any, pdf_bytes: bytes, *, sender: str | None = None, title: str = ""
) -> Message:
    """The prospect's email: a short note in their language with the PDF report attached."""
    language = getattr(lead, "language", None) or "en"
    language = language if language in EMAIL_TEXT else "en"
    words = dict(email_text(language))
    words["signature"] = words["signature"].format(team=team_name(sender))
    text, html = render_email(
        "report_email",
        words=words,
        language=language,
        first_name=clean_header_text(lead.first_name),
    )
    return _message(
        delivery,
        subject=words["report_subject"].format(title=title.strip() or "qualify"),
        recipient=(clean_display_name(lead.name), check_recipient(delivery.recipient)),
        body=text,
        html=html,
        attachment=pdf_attachment(words["report_prefix"], lead.company, pdf_bytes),
        sender=sender,
    )


def compose_dossier(
    delivery: Any,
    lead: Any,
    pdf_bytes: bytes,
    *,
    why: list[str],
    sla_due_at: datetime | None,
    timezone: str = "UTC",
    rep_name: str = "",
    links: dict[str, str] | None = None,
    sender: str | None = None,
) -> Message:
    """The rep's email: who, why SQL in three lines, the SLA due time, the dossier attached."""
    company = clean_header_text(lead.company) or "(no company)"
    name = clean_header_text(lead.name) or clean_header_text(lead.email)
    due = format_due(sla_due_at, timezone)
    text, html = render_email(
        "dossier_email",
        lead=lead,
        company=company,
        name=name,
        why=why[:3],
        due=due,
        rep_name=rep_name,
        links=links or {},
    )
    return _message(
        delivery,
        subject=f"SQL: {company} — {name} (due {due})",
        recipient=(clean_display_name(rep_name), check_recipient(delivery.recipient)),
        body=text,
        html=html,
        attachment=pdf_attachment("dossier", lead.company, pdf_bytes),
        sender=sender,
    )


def compose(delivery: Any, lead: Any, pdf_bytes: bytes, **dossier_facts: Any) -> Message:
    """The email for ``delivery``: the report for ``kind == "report"``, else the dossier."""
    if delivery.kind == "report":
        return compose_report(delivery, lead, pdf_bytes, sender=dossier_facts.get("sender"))
    return compose_dossier(delivery, lead, pdf_bytes, **dossier_facts)


def format_due(value: datetime | None, timezone: str = "UTC") -> str:
    """A stored naive-UTC due time as the sales team reads it: ``Tue 14 Jan 10:00 CET``."""
    if value is None:
        return "no SLA"
    local = value.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone))
    return f"{local:%a %d %b %H:%M} {local.tzname()}"


def _message(delivery, *, subject, recipient, body, html, attachment, sender) -> Message:
    message = QualifyMessage(
        subject=clean_header_text(subject, 200),
        recipients=[recipient],
        body=body,
        html=html,
        sender=sender,
        attachments=[attachment],
    )
    # The stable Message-ID lets mail clients drop a copy re-sent after a crash.
    message.msgId = delivery.message_id
    return message


# -- sending ----------------------------------------------------------------------------------


def send(app: Flask, message: Message, delivery: Any) -> str:
    """Send ``message``: over SMTP when ``MAIL_SERVER`` is set, else into the outbox.

    Returns where it went (``smtp://host:port`` or the .eml path). Raises on failure; see
    ``classify_send_error``. Needs an app context (Flask-Mail reads ``current_app``).
    """
    if not app.config.get("MAIL_SERVER"):
        return str(write_outbox(Path(app.config["OUTBOX_DIR"]), message, delivery))
    send_smtp(app, message)
    return f"smtp://{app.config['MAIL_SERVER']}:{app.config['MAIL_PORT']}"


def write_outbox(outbox: Path, message: Message, delivery: Any) -> Path:
    """Write ``message`` as ``<utc timestamp>-<delivery id>-<kind>.eml``, atomically (a
    reader never sees half a file), unless a copy with its Message-ID is already there (a
    worker killed after writing it and before recording it): then that copy's path."""
    if message.has_bad_headers():
        raise BadHeaderError(f"delivery {delivery.id}: a header contains a line break")
    existing = find_outbox_copy(outbox, delivery)
    if existing is not None:
        return existing
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = outbox / f"{stamp}-{delivery.id}-{delivery.kind}.eml"
    data = message.as_bytes()
    fd, temp = tempfile.mkstemp(dir=outbox, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def find_outbox_copy(outbox: Path, delivery: Any) -> Path | None:
    """The ``.eml`` already written for ``delivery`` (same id, kind and Message-ID), if any."""
    for path in sorted(outbox.glob(f"*-{delivery.id}-{delivery.kind}.eml")):
        with path.open("rb") as file:
            headers = BytesHeaderParser(policy=email_policy.default).parse(file)
        if str(headers["Message-ID"] or "").strip() == delivery.message_id:
            return path
    return None


def send_smtp(app: Flask, message: Message) -> None:
    """Send ``message`` through Flask-Mail's connection, with ``MAIL_TIMEOUT``.

    Once the server has accepted the message, closing the connection may still fail (the
    server hangs up instead of answering QUIT): the message is sent, so that error is
    swallowed rather than reported as a failure that would cause a duplicate.
    """
    mail: Mail = app.extensions["qualify.mail"]
    connection = mail.connect()
    connection.host = open_smtp(app.extensions["mail"], float(app.config.get("MAIL_TIMEOUT") or 20))
    try:
        connection.send(message)
    except BaseException:
        connection.host.close()
        raise
    close_quietly(connection.host)


def open_smtp(state: Any, timeout: float) -> smtplib.SMTP:
    """An SMTP connection as Flask-Mail's ``configure_host`` makes it, plus a timeout (theirs
    has none: a server that stops answering would hold a worker forever)."""
    if state.use_ssl:
        host = smtplib.SMTP_SSL(state.server, state.port, timeout=timeout)
    else:
        host = smtplib.SMTP(state.server, state.port, timeout=timeout)
    try:
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
    except BaseException:
        host.close()
        raise
    return host


def close_quietly(host: smtplib.SMTP) -> None:
    """QUIT, ignoring a server that already hung up."""
    try:
        host.quit()
    except (smtplib.SMTPException, OSError):
        host.close()


def classify_send_error(exc: BaseException) -> SendFailure:
    """Whether a send error is permanent (5xx, a refused header) or worth a retry (4xx,
    refused connection, timeout, a server that hung up before accepting)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        details = "; ".join(
            f"{address}: {code} {_decode(text)}" for address, (code, text) in exc.recipients.items()
        )
        return SendFailure(
            bool(codes) and all(code >= 500 for code in codes), f"recipient refused: {details}"
        )
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        # Wrong credentials are the server configuration's fault, not this email's: retry.
        return SendFailure(False, f"SMTP login refused: {exc.smtp_code} {_decode(exc.smtp_error)}")
    if isinstance(exc, smtplib.SMTPResponseException):
        permanent = 500 <= exc.smtp_code < 600
        return SendFailure(permanent, f"SMTP {exc.smtp_code} {_decode(exc.smtp_error)}")
    if isinstance(exc, BadHeaderError):
        return SendFailure(True, f"refused header: {exc}")
    if isinstance(exc, smtplib.SMTPException | OSError):
        return SendFailure(False, f"{type(exc).__name__}: {exc}")
    return SendFailure(False, f"{type(exc).__name__}: {exc}")


def _decode(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
