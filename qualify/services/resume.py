"""Save and resume: a resume link emailed on the prospect's request, and partial responses
kept for ``PARTIAL_RESPONSE_DAYS`` then purged."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..models import Answer, Delivery, Response, utcnow
from .responses import ResponseClosedError, get_response

#: At most this many resume links per response: the form can't be used to flood an inbox.
MAX_RESUME_LINKS = 3
EMAIL_ANSWER = "contact.email"

log = logging.getLogger(__name__)


class TooManyResumeLinksError(Exception):
    """This response already had ``MAX_RESUME_LINKS`` links emailed."""


def request_resume_link(session: Session, token: str, email: str, mail_domain: str) -> int:
    """Record a resume-link email to ``email`` for the in-progress response; commit and
    return the delivery id (enqueue it after this returns).

    The address also prefills the contact step, unless the prospect already gave one there.
    """
    response = get_response(session, token)
    if response.status != "in_progress":
        raise ResponseClosedError(token)
    sent = session.scalar(
        select(func.count(Delivery.id)).where(
            Delivery.response_id == response.id, Delivery.kind == "resume"
        )
    )
    if sent >= MAX_RESUME_LINKS:
        raise TooManyResumeLinksError(token)
    if EMAIL_ANSWER not in response.answer_map():
        response.answers.append(Answer(question_id=EMAIL_ANSWER, value=email))
    delivery = Delivery(
        kind="resume",
        lead_id=None,
        response_id=response.id,
        recipient=email,
        message_id=f"<{uuid.uuid4().hex}.resume@{mail_domain}>",
    )
    session.add(delivery)
    response.updated_at = utcnow()  # asking for a link keeps the response alive
    session.commit()
    return delivery.id


def purge_partial_responses(session: Session, days: int, now: datetime | None = None) -> int:
    """Delete the in-progress responses untouched for more than ``days`` days, with their
    answers and resume-link deliveries; commit and return how many were deleted.

    Submitted responses belong to their lead and are never purged here.
    """
    cutoff = (now or utcnow()) - timedelta(days=days)
    stale = select(Response.id).where(
        Response.status == "in_progress", Response.updated_at < cutoff
    )
    ids = list(session.scalars(stale))
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        session.execute(delete(Answer).where(Answer.response_id.in_(chunk)))
        session.execute(delete(Delivery).where(Delivery.response_id.in_(chunk)))
        session.execute(delete(Response).where(Response.id.in_(chunk)))
    session.commit()
    return len(ids)


def step_counts(session: Session, questionnaire_id: str) -> list[tuple[int, str]]:
    """``(furthest step completed, status)`` of every response to the questionnaire that is
    still stored (partial ones until they are purged): the drop-off analysis's input."""
    rows = session.execute(
        select(Response.step, Response.status).where(Response.questionnaire_id == questionnaire_id)
    )
    return [(step, status) for step, status in rows]


def purge_expired(app) -> int:
    """The periodic purge (huey task, ``qualify purge``): partial responses older than the
    app's ``PARTIAL_RESPONSE_DAYS``, in a session of its own."""
    from ..db import get_db

    with app.app_context():
        session = get_db(app).sessionmaker()
        try:
            deleted = purge_partial_responses(session, int(app.config["PARTIAL_RESPONSE_DAYS"]))
        finally:
            session.close()
    log.info("purged %s partial responses", deleted)
    return deleted
