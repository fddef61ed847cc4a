"""Quarantine: suspicious submissions (honeypot filled, completed too fast) are stored as
``quarantined`` leads with the reason as a stage event, never silently dropped.

A quarantined lead is not scored into a stage, not routed and gets no email (neither the
rep's dossier nor the prospect's report: the address may not be the submitter's). Releasing
it runs the normal qualification: score, stage, routing, emails.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.emails import normalise_email
from ..core.stages import QUARANTINED
from ..models import Lead, Response, StageEvent, utcnow
from . import Settings
from .leads import SubmitResult, _new_delivery, contact_of, record_stage, rescore_lead

#: Separates the reasons kept in ``Response.suspicion``.
REASON_SEPARATOR = "; "


class NotQuarantinedError(Exception):
    """No quarantined lead has this id (unknown, or already released)."""


def flag_response(session: Session, response: Response, reason: str) -> None:
    """Remember on an in-progress response why it looks automated (no commit).

    The prospect (or bot) sees nothing: the response goes on, and is quarantined at submit.
    """
    reasons = split_reasons(response.suspicion)
    if reason not in reasons:
        response.suspicion = REASON_SEPARATOR.join([*reasons, reason])


def split_reasons(suspicion: str | None) -> list[str]:
    return [r for r in (suspicion or "").split(REASON_SEPARATOR) if r]


def quarantine_response(
    session: Session, response: Response, published, reasons: Iterable[str], now: datetime
) -> SubmitResult:
    """Store a claimed, suspicious response as a new ``quarantined`` lead. No commit.

    Never merged into the same person's open lead (a bot may type a real prospect's
    address), never scored into a stage, routed or emailed.
    """
    questionnaire = published.questionnaire
    contact = contact_of(response.answer_map())
    email = contact.get("email", "")
    lead = Lead(
        email=email.strip(),
        email_normalised=normalise_email(email),
        questionnaire_id=questionnaire.id,
        language=response.language,
        stage=QUARANTINED,
    )
    for name in ("first_name", "last_name", "company", "job_title", "phone"):
        if contact.get(name):
            setattr(lead, name, contact[name])
    session.add(lead)
    response.lead = lead
    session.flush()
    why = REASON_SEPARATOR.join(reasons)
    session.add(
        StageEvent(
            lead_id=lead.id,
            from_stage=None,
            to_stage=QUARANTINED,
            actor="qualify",
            reason=f"Quarantined for review: {why} (response to {questionnaire.id} "
            f"v{questionnaire.version}).",
            at=now,
        )
    )
    session.flush()
    return SubmitResult(lead_id=lead.id, stage=QUARANTINED, created=True, delivery_ids=())


def list_quarantined(session: Session) -> list[tuple[Lead, str]]:
    """Quarantined leads, oldest first, each with why it was quarantined."""
    leads = session.scalars(select(Lead).where(Lead.stage == QUARANTINED).order_by(Lead.id))
    listed = []
    for lead in leads:
        reasons = [e.reason for e in lead.events if e.to_stage == QUARANTINED]
        listed.append((lead, reasons[-1] if reasons else ""))
    return listed


def release_lead(
    session: Session,
    lead_id: int,
    published,
    settings: Settings,
    actor: str,
    now: datetime | None = None,
) -> SubmitResult:
    """Take a lead out of quarantine and qualify it normally (score, stage, routing, the
    report and dossier deliveries); commit. Enqueue ``delivery_ids`` after this returns.

    The lead keeps its own record: it is not merged into another open lead of the same
    person (the review decided it stands as it is).
    """
    now = now or utcnow()
    lead = session.get(Lead, lead_id)
    if lead is None or lead.stage != QUARANTINED:
        raise NotQuarantinedError(lead_id)
    response = session.scalar(
        select(Response).where(Response.lead_id == lead.id).order_by(Response.id.desc()).limit(1)
    )
    record_stage(session, lead, "lead", actor, "Released from quarantine after review.", now)
    session.flush()
    outcome = rescore_lead(session, lead, published, settings, now, response=response, actor=actor)
    deliveries = [_new_delivery("report", lead, outcome.snapshot, lead.email, settings.mail_domain)]
    if outcome.assignment is not None:
        deliveries.append(
            _new_delivery(
                "dossier",
                lead,
                outcome.snapshot,
                outcome.assignment.rep.email,
                settings.mail_domain,
            )
        )
    session.add_all(deliveries)
    session.commit()
    return SubmitResult(
        lead_id=lead.id,
        stage=lead.stage,
        created=False,
        delivery_ids=tuple(d.id for d in deliveries),
    )
