"""Leads: created or merged from a response, scored, moved through the stages, routed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.emails import email_domain, is_business_email, normalise_email
from ..core.scoring import routing_values, score_answers
from ..core.stages import OPEN_STAGES, LeadFacts, decide_stage
from ..models import Delivery, Lead, Response, ScoreSnapshot, StageEvent
from . import Settings
from .routing import route_lead

#: The order a lead climbs; a re-score never moves a lead that sales already holds.
LADDER = ("lead", "mql", "sql")
SALES_STAGES = ("routed", "contacted", "accepted", "rejected")

CONTACT_PREFIX = "contact."


@dataclass(frozen=True)
class SubmitResult:
    lead_id: int
    stage: str
    created: bool  # False when the response merged into the same person's open lead
    delivery_ids: tuple[int, ...]
    already_submitted: bool = False


def contact_of(answers: dict) -> dict[str, str]:
    return {
        key.removeprefix(CONTACT_PREFIX): str(value)
        for key, value in answers.items()
        if key.startswith(CONTACT_PREFIX)
    }


def record_stage(
    session: Session, lead: Lead, to_stage: str, actor: str, reason: str, at: datetime
) -> None:
    """Move ``lead`` to ``to_stage`` and log the event (who, when, from, to, why)."""
    if lead.stage == to_stage:
        return
    session.add(
        StageEvent(
            lead_id=lead.id, from_stage=lead.stage, to_stage=to_stage, actor=actor, reason=reason, at=at
        )
    )
    lead.stage = to_stage


def find_open_lead(session: Session, email: str) -> Lead | None:
    return session.scalar(
        select(Lead)
        .where(Lead.email_normalised == normalise_email(email), Lead.stage.in_(OPEN_STAGES))
        .order_by(Lead.id.desc())
        .limit(1)
    )


def lead_facts(session: Session, lead: Lead, settings: Settings) -> LeadFacts:
    """The facts scoring cannot see in the answers: blacklist, business email, duplicates."""
    domain = email_domain(lead.email)
    company = lead.company.strip().lower()
    blacklisted = None
    if domain in settings.blacklist_domains:
        blacklisted = f"the email domain {domain} is blacklisted"
    elif company and company in settings.blacklist_companies:
        blacklisted = f"the company {lead.company} is on the blacklist (competitor or excluded)"
    colleague_open = bool(
        company
        and session.scalar(
            select(func.count(Lead.id)).where(
                func.lower(Lead.company) == company,
                Lead.id != lead.id,
                Lead.email_normalised != lead.email_normalised,
                Lead.stage.in_(OPEN_STAGES),
            )
        )
    )
    return LeadFacts(
        business_email=is_business_email(lead.email),
        has_phone=bool(lead.phone.strip()),
        duplicate_of_open_lead=colleague_open,
        blacklisted=blacklisted,
    )


def merged_answers(session: Session, lead: Lead) -> dict:
    """All answers of the lead's submitted responses, the newest answer winning."""
    answers: dict = {}
    responses = session.scalars(
        select(Response)
        .where(Response.lead_id == lead.id, Response.status == "submitted")
        .order_by(Response.submitted_at, Response.id)
    )
    for response in responses:
        answers.update(response.answer_map())
    return answers


def _apply_contact(lead: Lead, contact: dict[str, str]) -> None:
    for field in ("first_name", "last_name", "company", "job_title", "phone"):
        if contact.get(field):
            setattr(lead, field, contact[field])


def _new_delivery(kind: str, lead: Lead, snapshot: ScoreSnapshot, recipient: str, domain: str):
    return Delivery(
        kind=kind,
        lead_id=lead.id,
        snapshot_id=snapshot.id,
        recipient=recipient,
        message_id=f"<{uuid.uuid4().hex}.{kind}@{domain}>",
    )


def qualify_response(session: Session, response: Response, published, settings: Settings, now):
    """Turn a claimed response into a scored, staged (and maybe routed) lead. No commit."""
    questionnaire = published.questionnaire
    contact = contact_of(response.answer_map())
    email = contact.get("email", "")
    lead = find_open_lead(session, email)
    created = lead is None
    if created:
        lead = Lead(
            email=email.strip(),
            email_normalised=normalise_email(email),
            questionnaire_id=questionnaire.id,
            language=questionnaire.language,
            stage="lead",
        )
        session.add(lead)
    _apply_contact(lead, contact)
    response.lead = lead
    session.flush()
    if created:
        session.add(
            StageEvent(
                lead_id=lead.id, from_stage=None, to_stage="lead", actor="qualify",
                reason=f"response to {questionnaire.id} v{questionnaire.version}", at=now,
            )
        )

    answers = merged_answers(session, lead)
    sector, zone = routing_values(questionnaire, answers)
    lead.sector, lead.zone = sector or lead.sector, zone or lead.zone
    facts = lead_facts(session, lead, settings)
    score = score_answers(questionnaire, answers, now=now)
    decision = decide_stage(questionnaire, score, facts)

    snapshot = ScoreSnapshot(
        lead_id=lead.id,
        response_id=response.id,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        content_hash=published.content_hash,
        fit=score.fit,
        intent=score.intent,
        timing=score.timing,
        total=score.total,
        fit_completeness=score.fit_completeness,
        stage=decision.stage,
        details={
            "score": score.as_dict(),
            "reasons": [r.as_dict() for r in score.reasons],
            "checklist": [item.as_dict() for item in decision.checklist],
            "decision": list(decision.reasons),
            "stage": decision.stage,
            "merged": not created,
        },
        created_at=now,
    )
    session.add(snapshot)
    session.flush()

    why = " ".join(decision.reasons)
    if lead.stage not in SALES_STAGES:
        target = decision.stage
        if target in LADDER and lead.stage in LADDER:
            # Climb one rung at a time so that KPIs see every stage a lead reached.
            for rung in LADDER[LADDER.index(lead.stage) + 1 : LADDER.index(target) + 1]:
                record_stage(session, lead, rung, "qualify", why, now)
        record_stage(session, lead, target, "qualify", why, now)

    deliveries = [_new_delivery("report", lead, snapshot, lead.email, settings.mail_domain)]
    if lead.stage == "sql":
        assignment = route_lead(session, lead, settings, now)
        deliveries.append(
            _new_delivery("dossier", lead, snapshot, assignment.rep.email, settings.mail_domain)
        )
    session.add_all(deliveries)
    session.flush()
    return SubmitResult(
        lead_id=lead.id,
        stage=lead.stage,
        created=created,
        delivery_ids=tuple(d.id for d in deliveries),
    )
