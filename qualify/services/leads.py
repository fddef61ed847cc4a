"""Leads: created or merged from a response, scored, moved through the stages, routed."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.emails import email_domain, is_business_email, normalise_email
from ..core.scoring import VETO_DAYS, routing_values, score_answers, vetoing_answers
from ..core.stages import OPEN_STAGES, QUARANTINED, Decision, LeadFacts, decide_stage
from ..models import Assignment, Delivery, Lead, Response, ScoreSnapshot, StageEvent
from . import Settings
from .routing import route_lead
from .versions import remember_source

#: A re-score never moves a lead that sales already holds.
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


def lock_person(session: Session, email: str) -> None:
    """Hold one person's submissions in line until this transaction ends, so that two at once
    make one lead, not two: on PostgreSQL a transaction-scoped advisory lock keyed on the
    normalised email. SQLite serialises writers already (the response claim holds its lock).
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(normalise_email(email).encode(), digest_size=8).digest()
    session.execute(select(func.pg_advisory_xact_lock(int.from_bytes(digest, "big", signed=True))))


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


def merged_answers(
    session: Session, lead: Lead, questionnaire=None, now: datetime | None = None
) -> dict:
    """All answers of the lead's submitted responses, the newest answer winning. With a
    questionnaire and ``now``, a "not now" answered over ``VETO_DAYS`` before is left out:
    the veto holds six months, not forever."""
    answers: dict = {}
    responses = session.scalars(
        select(Response)
        .where(Response.lead_id == lead.id, Response.status == "submitted")
        .order_by(Response.submitted_at, Response.id)
    )
    veto_ends = now - timedelta(days=VETO_DAYS) if now is not None else None
    for response in responses:
        given = response.answer_map()
        old = veto_ends and response.submitted_at and response.submitted_at < veto_ends
        if questionnaire is not None and old:
            for question_id in vetoing_answers(questionnaire, given):
                given.pop(question_id)
        answers.update(given)
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
    lock_person(session, email)
    lead = find_open_lead(session, email)
    created = lead is None
    if created:
        lead = Lead(
            email=email.strip(),
            email_normalised=normalise_email(email),
            questionnaire_id=questionnaire.id,
            language=response.language,  # the language the prospect answered in
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
    outcome = rescore_lead(session, lead, published, settings, now, response=response, merged=not created)
    deliveries = [_new_delivery("report", lead, outcome.snapshot, lead.email, settings.mail_domain)]
    if outcome.assignment is not None:
        deliveries.append(
            _new_delivery(
                "dossier", lead, outcome.snapshot, outcome.assignment.rep.email, settings.mail_domain
            )
        )
    session.add_all(deliveries)
    session.flush()
    return SubmitResult(
        lead_id=lead.id,
        stage=lead.stage,
        created=created,
        delivery_ids=tuple(d.id for d in deliveries),
    )


@dataclass(frozen=True)
class Rescored:
    snapshot: ScoreSnapshot
    decision: Decision
    assignment: Assignment | None  # set when this scoring routed the lead


def evaluate_lead(session: Session, lead: Lead, questionnaire, settings: Settings, now):
    """Score the lead's merged answers and decide its stage, without storing anything."""
    answers = merged_answers(session, lead, questionnaire, now)
    score = score_answers(questionnaire, answers, now=now)
    return score, decide_stage(questionnaire, score, lead_facts(session, lead, settings))


def rescore_lead(
    session: Session,
    lead: Lead,
    published,
    settings: Settings,
    now,
    response: Response | None = None,
    merged: bool = False,
    actor: str = "qualify",
) -> Rescored:
    """Score the lead with ``published``, keep a snapshot, move its stage and route it if it
    became SQL. No commit."""
    questionnaire = published.questionnaire
    answers = merged_answers(session, lead)
    sector, zone = routing_values(questionnaire, answers)
    lead.sector, lead.zone = sector or lead.sector, zone or lead.zone
    score, decision = evaluate_lead(session, lead, questionnaire, settings, now)
    digest = remember_source(session, questionnaire, published.source) if published.source else published.content_hash
    snapshot = ScoreSnapshot(
        lead_id=lead.id,
        response_id=response.id if response else None,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        content_hash=digest,
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
            "merged": merged,
        },
        created_at=now,
    )
    session.add(snapshot)
    session.flush()
    move_to_decision(session, lead, decision.stage, decision.reasons, now, actor)
    assignment = route_lead(session, lead, settings, now) if lead.stage == "sql" else None
    return Rescored(snapshot, decision, assignment)


def move_to_decision(
    session: Session, lead: Lead, target: str, reasons: Sequence[str], now, actor: str
) -> None:
    """Move an unowned lead to the stage scoring decided; sales-held leads stay put, and so
    do quarantined ones (only a release takes them out)."""
    if lead.stage in SALES_STAGES or lead.stage in (target, QUARANTINED):
        return
    if lead.stage == "lead" and target in ("sql", "sql_review") and len(reasons) > 1:
        # Pass through MQL so that KPIs (MQL → SQL conversion) see every stage reached; each
        # event gives its own why: the MQL reason first, then what made it an SQL.
        record_stage(session, lead, "mql", actor, reasons[0], now)
        record_stage(session, lead, target, actor, " ".join(reasons[1:]), now)
        return
    record_stage(session, lead, target, actor, " ".join(reasons), now)
