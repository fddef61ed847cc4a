"""Sales' side of the workflow: first contact, then feedback (confirmed, rejected with a
reason, or back to nurture). Every change is a stage event with the rep as its actor."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..models import Lead, utcnow
from .leads import record_stage

#: Why sales rejects a lead; the monthly review groups rejections by these.
REJECTION_REASONS = {
    "bad_fit": "Not our ideal customer (FIT data wrong)",
    "no_budget": "No budget",
    "no_project": "No real project or timing",
    "wrong_contact": "Not the right contact",
    "already_customer": "Already a customer or in a deal",
    "competitor": "Competitor or partner",
    "unreachable": "Unreachable after several attempts",
    "other": "Other (say why)",
}
OUTCOMES = ("confirmed", "rejected", "nurture")


class FeedbackError(Exception):
    """A contact or feedback that the lead's stage or the form does not allow."""


def get_lead(session: Session, lead_id: int) -> Lead:
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise FeedbackError("this lead no longer exists")
    return lead


def record_first_contact(
    session: Session, lead_id: int, actor: str, note: str = "", now: datetime | None = None
) -> Lead:
    """Log the first sales contact (or attempt): ``routed`` → ``contacted``; commit."""
    now = now or utcnow()
    lead = get_lead(session, lead_id)
    if lead.stage != "routed":
        raise FeedbackError(f"first contact is logged on a routed lead; this one is {lead.stage}")
    assignment = lead.assignment
    if assignment is not None and assignment.contacted_at is None:
        assignment.contacted_at = now
    late = assignment is not None and now > assignment.sla_due_at
    why = "First contact logged" + (" after the SLA due time" if late else " within the SLA")
    record_stage(
        session, lead, "contacted", actor, why + (f": {note.strip()}" if note.strip() else "."), now
    )
    session.commit()
    return lead


def record_feedback(
    session: Session,
    lead_id: int,
    outcome: str,
    actor: str,
    reason: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Lead:
    """Sales feedback on a routed or contacted lead; commit.

    confirmed → ``accepted``; rejected → ``rejected`` (a reason is required); nurture → back
    to ``mql``. Feedback on a lead still ``routed`` also records the first contact.
    """
    now = now or utcnow()
    if outcome not in OUTCOMES:
        raise FeedbackError(f"unknown outcome {outcome!r}: choose one of {', '.join(OUTCOMES)}")
    note = note.strip()
    if outcome == "rejected":
        if reason not in REJECTION_REASONS:
            raise FeedbackError("a rejection needs a reason: choose one from the list")
        if reason == "other" and not note:
            raise FeedbackError("say why in the note when the reason is 'other'")
    lead = get_lead(session, lead_id)
    if lead.stage not in ("routed", "contacted"):
        raise FeedbackError(
            f"feedback is given on a routed or contacted lead; this one is {lead.stage}"
        )
    if lead.stage == "routed":
        record_first_contact(session, lead_id, actor, "logged with the feedback", now)
    assignment = lead.assignment
    suffix = f" — {note}" if note else ""
    if outcome == "confirmed":
        record_stage(session, lead, "accepted", actor, f"Confirmed by sales{suffix}", now)
    elif outcome == "rejected":
        record_stage(
            session,
            lead,
            "rejected",
            actor,
            f"Rejected: {REJECTION_REASONS[reason]} [{reason}]{suffix}",
            now,
        )
    else:
        record_stage(session, lead, "mql", actor, f"Back to nurture by sales{suffix}", now)
    if assignment is not None:
        assignment.closed_at = now
    session.commit()
    return lead
