"""Sales' side of the workflow: first contact, then feedback (confirmed, rejected with a
reason, or back to nurture). Every change is a stage event with the rep as its actor."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
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


def claim_lead(session: Session, lead_id: int, stages: tuple[str, ...], refusal: str) -> Lead:
    """The lead, read again and held until the transaction ends, if its stage is one of
    ``stages``; else ``FeedbackError(refusal)`` (``{stage}`` filled in).

    A compare-and-set: of two clicks at once (a double click, two tabs), the second waits
    for the first and then sees its stage, instead of recording the same change twice.
    """
    claimed = session.execute(
        update(Lead)
        .where(Lead.id == lead_id, Lead.stage.in_(stages))
        .values(stage=Lead.stage)
        .execution_options(synchronize_session=False)
    ).rowcount
    lead = session.get(Lead, lead_id, populate_existing=True)
    if lead is None:
        raise FeedbackError("this lead no longer exists")
    if not claimed:
        raise FeedbackError(refusal.format(stage=lead.stage))
    return lead


def record_first_contact(
    session: Session, lead_id: int, actor: str, note: str = "", now: datetime | None = None
) -> Lead:
    """Log the first sales contact (or attempt): ``routed`` → ``contacted``; commit."""
    now = now or utcnow()
    lead = claim_lead(
        session,
        lead_id,
        ("routed",),
        "first contact is logged on a routed lead; this one is {stage}",
    )
    _log_first_contact(session, lead, actor, note, now)
    session.commit()
    return lead


def _log_first_contact(session: Session, lead: Lead, actor: str, note: str, now: datetime):
    assignment = lead.assignment
    if assignment is not None and assignment.contacted_at is None:
        assignment.contacted_at = now
    late = assignment is not None and now > assignment.sla_due_at
    why = "First contact logged" + (" after the SLA due time" if late else " within the SLA")
    record_stage(
        session, lead, "contacted", actor, why + (f": {note.strip()}" if note.strip() else "."), now
    )


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
    lead = claim_lead(
        session,
        lead_id,
        ("routed", "contacted"),
        "feedback is given on a routed or contacted lead; this one is {stage}",
    )
    if lead.stage == "routed":  # in the same transaction: the claim holds until the end
        _log_first_contact(session, lead, actor, "logged with the feedback", now)
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
