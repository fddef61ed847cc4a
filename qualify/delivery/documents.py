"""The email a delivery sends: its PDF rendered from the lead as stored, then composed.

Runs in the worker only (or in-process in the tests' immediate queue). PDFs are rendered in
the render pool's child processes, each render bounded in time and memory: WeasyPrint is
imported there, never by the web process nor by the worker's threads.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path

from flask import Flask
from flask_mail import Message
from sqlalchemy.orm import Session

from ..core.translations import localise
from ..models import Delivery, Lead, ScoreSnapshot
from ..questionnaires import registry
from ..services.leads import merged_answers
from ..services.versions import scored_questionnaire
from . import mailer

log = logging.getLogger(__name__)

#: A theme logo larger than this is not embedded (a logo is a few kilobytes).
MAX_LOGO_BYTES = 512 * 1024
LOGO_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


class DeliveryError(Exception):
    """A delivery that cannot be built (missing lead or questionnaire): retrying won't help."""


def build_message(app: Flask, session: Session, delivery: Delivery) -> Message:
    """The email ``delivery`` sends, with its freshly rendered PDF attached."""
    if delivery.kind == "resume":  # no lead nor PDF: a link to a partial response
        from .resume_mail import build_resume_message

        return build_resume_message(app, session, delivery)
    lead = session.get(Lead, delivery.lead_id)
    if lead is None:
        raise DeliveryError(f"lead {delivery.lead_id} no longer exists")
    snapshot = session.get(ScoreSnapshot, delivery.snapshot_id) if delivery.snapshot_id else None
    questionnaire = questionnaire_for(app, session, lead, snapshot)
    answers = merged_answers(session, lead)
    details = dict(snapshot.details) if snapshot is not None else {}
    sender = app.config.get("MAIL_DEFAULT_SENDER")
    if delivery.kind == "report":
        pdf = render_report(app, questionnaire, lead, answers, details)
        return mailer.compose_report(delivery, lead, pdf, sender=sender, title=questionnaire.title)
    if delivery.kind == "dossier":
        return _build_dossier(app, delivery, lead, questionnaire, answers, details, sender)
    raise DeliveryError(f"unknown delivery kind {delivery.kind!r}")


def _build_dossier(app, delivery, lead, questionnaire, answers, details, sender) -> Message:
    from ..reports import dossier_context
    from ..reps.links import rep_links  # the rep pages' blueprint; imported when needed

    assignment = lead.assignment
    rep = assignment.rep if assignment else None
    timezone = app.config["BUSINESS_TIMEZONE"]
    links = rep_links(app, lead.id)
    context = dossier_context(
        questionnaire, lead, answers, details, assignment, rep, lead.events, links, tz=timezone
    )
    pdf = render_pdf(app, "dossier", context)
    return mailer.compose_dossier(
        delivery,
        lead,
        pdf,
        why=context["why"],
        sla_due_at=assignment.sla_due_at if assignment else None,
        timezone=timezone,
        rep_name=rep.name if rep else "",
        links={link["label"]: link["url"] for link in context["links"]},
        sender=sender,
    )


def render_report(app: Flask, questionnaire, lead: Lead, answers: dict, details: dict) -> bytes:
    """The prospect's PDF report, branded by the questionnaire's theme (colours and logo)."""
    from ..reports import report_context

    logo = theme_logo_uri(app, questionnaire.theme.logo)
    context = report_context(questionnaire, lead, answers, details, logo=logo)
    return render_pdf(app, "report", context)


def theme_logo_uri(app: Flask, name: str | None) -> str | None:
    """The theme's logo (a file under ``static/``) as a ``data:`` URI, the only form of
    image the renderer takes besides its bundled assets; None, and logged, when the file is
    missing, outside ``STATIC_DIR`` or larger than ``MAX_LOGO_BYTES``: the report then shows
    the default mark rather than failing."""
    if not name:
        return None
    static = Path(app.config["STATIC_DIR"]).resolve()
    path = (static / name).resolve()
    kind = LOGO_TYPES.get(path.suffix.lower())
    if kind is None or not path.is_relative_to(static) or not path.is_file():
        log.warning("theme logo %r is not an image file under static/: default mark used", name)
        return None
    with path.open("rb") as file:  # never more than the limit in memory, whatever the file
        data = file.read(MAX_LOGO_BYTES + 1)
    if len(data) > MAX_LOGO_BYTES:
        log.warning("theme logo %r is over %s bytes: default mark used", name, MAX_LOGO_BYTES)
        return None
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def render_pdf(app: Flask, kind: str, context: dict) -> bytes:
    """Render ``kind`` ("report" or "dossier") in the app's render pool: a child process,
    bounded in time and memory (``RenderLimitError`` when a render exceeds the bounds)."""
    from ..reports import get_render_pool

    return get_render_pool(app).render(kind, context)


def questionnaire_for(app: Flask, session: Session, lead: Lead, snapshot: ScoreSnapshot | None):
    """The questionnaire exactly as the lead was scored with (the published one when that
    text was not kept), in the lead's language: the report must match what they answered."""
    scored = scored_questionnaire(session, snapshot.content_hash) if snapshot is not None else None
    if scored is None:
        published = registry(app).get(lead.questionnaire_id)
        if published is None:
            raise DeliveryError(f"questionnaire {lead.questionnaire_id!r} is not published")
        scored = published.questionnaire
    return localise(scored, lead.language) if lead.language else scored
