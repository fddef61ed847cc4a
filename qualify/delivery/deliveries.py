"""The life of a delivery: pending → sending → sent, or back to pending with a backoff on a
temporary error, or failed (permanent error, render over its bounds, or too many attempts).

The deliveries table is the source of truth; queue tasks only say "look at delivery N now".
A claim is an atomic compare-and-set, so two tasks for the same delivery (a retry and a
sweep, say) never send it twice. While ``sending``, ``next_attempt_at`` holds the claim's
lease expiry (``DELIVERY_SENDING_LEASE_SECONDS``): a worker killed mid-job leaves a lease
the sweeper sees run out, and a starting worker sweeps at once.

A worker killed mid-job, and what the next attempt knows:

- killed while rendering (``sent_at`` still empty): nothing left the worker; sent again.
- killed while handing over (``sent_at`` holds when the hand-over began, the state still
  ``sending``): for the outbox, the ``.eml`` carrying the delivery's Message-ID either
  exists (written atomically: it was sent, it is not written again) or it does not; for SMTP
  nobody can know whether the server took the message before the worker died, so it is sent
  again with the same Message-ID (mail clients merge copies with one Message-ID). That is
  the one case that can give a second copy: the worker died, or the server hung up, between
  the end of the DATA and the server's answer, and the server kept the message anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..db import get_db
from ..models import Delivery, utcnow
from ..reports.pool import RenderError
from . import mailer
from .documents import DeliveryError, build_message

log = logging.getLogger(__name__)

#: How long a worker may hold a delivery in ``sending`` (rendering, then again handing over)
#: before the sweeper takes it back: renders are bounded (30 s) and SMTP calls time out.
SENDING_LEASE = timedelta(minutes=3)
#: How late a pending delivery must be before the sweeper assumes its task was lost.
LOST_AFTER = timedelta(minutes=1)
#: A task may run this much before its delivery is due (clocks of two machines differ).
DUE_TOLERANCE = timedelta(seconds=5)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_seconds: float = 30

    @classmethod
    def from_config(cls, config) -> RetryPolicy:
        return cls(
            int(config["DELIVERY_MAX_ATTEMPTS"]), float(config["DELIVERY_RETRY_BASE_SECONDS"])
        )

    def delay_after(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt: base × 2^(attempts-1)."""
        return self.base_seconds * 2 ** max(attempts - 1, 0)


@dataclass(frozen=True)
class Outcome:
    """What one attempt did: the delivery's new state, and when to try again if at all."""

    state: str | None  # None: not claimed (already sent, failed, being sent, or not due)
    retry_in: float | None = None


def sending_lease(config) -> timedelta:
    """The lease a claim (and a hand-over) holds: ``DELIVERY_SENDING_LEASE_SECONDS``."""
    seconds = config.get("DELIVERY_SENDING_LEASE_SECONDS")
    return timedelta(seconds=float(seconds)) if seconds else SENDING_LEASE


def claim_delivery(
    session: Session, delivery_id: int, now: datetime, lease: timedelta = SENDING_LEASE
) -> bool:
    """Move a due pending delivery to ``sending`` (one more attempt) and commit."""
    claimed = session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.state == "pending",
            Delivery.next_attempt_at <= now + DUE_TOLERANCE,
        )
        .values(
            state="sending",
            attempts=Delivery.attempts + 1,
            next_attempt_at=now + lease,
            sent_at=None,  # no hand-over yet in this attempt
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    return bool(claimed)


def _still_ours(delivery_id: int, attempt: int):
    """The condition that the claim of attempt ``attempt`` still holds."""
    return (
        (Delivery.id == delivery_id)
        & (Delivery.state == "sending")
        & (Delivery.attempts == attempt)
    )


def mark_handover(
    session: Session, delivery_id: int, attempt: int, now: datetime, lease: timedelta
) -> bool:
    """Record that attempt ``attempt`` starts handing the message over (``sent_at`` while
    ``sending``) and renew its lease; commit. False when the claim was lost meanwhile."""
    marked = session.execute(
        update(Delivery)
        .where(_still_ours(delivery_id, attempt))
        .values(sent_at=now, next_attempt_at=now + lease)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    return bool(marked)


def record_sent(session: Session, delivery: Delivery, now: datetime) -> Outcome:
    delivery.state, delivery.sent_at, delivery.last_error = "sent", now, None
    session.commit()
    return Outcome("sent")


def record_failure(
    session: Session, delivery: Delivery, failure: mailer.SendFailure, policy: RetryPolicy, now
) -> Outcome:
    """Failed for good (permanent, or out of attempts), or pending again after a backoff."""
    if failure.permanent or delivery.attempts >= policy.max_attempts:
        reason = failure.reason
        if not failure.permanent:
            reason = f"gave up after {delivery.attempts} attempts: {reason}"
        delivery.state, delivery.last_error, delivery.sent_at = "failed", reason, None
        session.commit()
        log.error(
            "delivery %s (%s to %s) failed: %s",
            delivery.id,
            delivery.kind,
            delivery.recipient,
            reason,
        )
        return Outcome("failed")
    delay = policy.delay_after(delivery.attempts)
    delivery.state, delivery.last_error, delivery.sent_at = "pending", failure.reason, None
    delivery.next_attempt_at = now + timedelta(seconds=delay)
    session.commit()
    log.warning(
        "delivery %s attempt %s failed, retry in %ss: %s",
        delivery.id,
        delivery.attempts,
        delay,
        failure.reason,
    )
    return Outcome("pending", retry_in=delay)


def attempt_delivery(app: Flask, delivery_id: int, now: datetime | None = None) -> Outcome:
    """Claim, render, compose and send one delivery, and record what happened.

    Uses its own session (a worker has no request). Never raises for a send or render error:
    the error is recorded on the delivery, and ``Outcome.retry_in`` says when to try again.
    """
    now = now or utcnow()
    with app.app_context():
        session = get_db(app).sessionmaker()
        try:
            if not claim_delivery(session, delivery_id, now, sending_lease(app.config)):
                return Outcome(None)
            return _send_claimed(app, session, delivery_id, now)
        finally:
            session.close()


def _send_claimed(app: Flask, session: Session, delivery_id: int, now: datetime) -> Outcome:
    delivery = session.get(Delivery, delivery_id)
    attempt = delivery.attempts
    try:
        message = build_message(app, session, delivery)
        if not mark_handover(session, delivery_id, attempt, utcnow(), sending_lease(app.config)):
            log.warning("delivery %s: claim lost while rendering; not sent", delivery_id)
            return Outcome(None)
        mailer.send(app, message, delivery)
    except Exception as exc:  # recorded on the delivery: never lost, never silent
        failure = classify_failure(exc)
        if not failure.permanent:
            log.debug("delivery %s: temporary failure", delivery_id, exc_info=True)
        session.rollback()
        # Read again: the hand-over marker was written by a Core update, so the object still
        # holds sent_at=None, and clearing it would change nothing the flush could see.
        delivery = session.get(Delivery, delivery_id, populate_existing=True)
        return record_failure(session, delivery, failure, RetryPolicy.from_config(app.config), now)
    return record_sent(session, delivery, utcnow())


def classify_failure(exc: BaseException) -> mailer.SendFailure:
    """A send error as the mailer classifies it; a delivery that cannot be built is permanent;
    anything else (a database hiccup, a render crash) is retried up to the attempt limit."""
    if isinstance(exc, DeliveryError):
        return mailer.SendFailure(True, str(exc))
    if isinstance(exc, RenderError):  # over its time or memory bound: permanent
        return mailer.SendFailure(exc.permanent, str(exc))
    if not isinstance(exc, OSError | mailer.smtplib.SMTPException | mailer.BadHeaderError):
        log.exception("delivery failed unexpectedly")
    return mailer.classify_send_error(exc)


def sweep_deliveries(
    app: Flask, enqueue: Callable[[int], None], now: datetime | None = None
) -> list[int]:
    """Re-queue what a lost task or a killed worker left behind; return the delivery ids.

    Pending deliveries overdue by more than ``LOST_AFTER`` lost their task (queue flushed,
    enqueue failed after the commit); ``sending`` ones whose lease ran out lost their worker.
    The latter go back to pending (or failed, out of attempts) before being re-queued.
    """
    now = now or utcnow()
    with app.app_context():
        session = get_db(app).sessionmaker()
        try:
            release_stale_sending(session, RetryPolicy.from_config(app.config), now)
            due = list(
                session.scalars(
                    select(Delivery.id)
                    .where(Delivery.state == "pending", Delivery.next_attempt_at < now - LOST_AFTER)
                    .order_by(Delivery.next_attempt_at, Delivery.id)
                )
            )
        finally:
            session.close()
    for delivery_id in due:
        enqueue(delivery_id)
    return due


def release_stale_sending(session: Session, policy: RetryPolicy, now: datetime) -> list[int]:
    """Deliveries whose sending lease ran out: back to pending, due now; commit."""
    stale = list(
        session.scalars(
            select(Delivery).where(Delivery.state == "sending", Delivery.next_attempt_at < now)
        )
    )
    for delivery in stale:
        if delivery.sent_at is None:
            doing = "while rendering"
        else:
            doing = "while handing over (sent again with the same Message-ID)"
            log.warning(
                "delivery %s: worker stopped while handing over; an SMTP server may already"
                " hold it, so the copy sent again can arrive twice (same Message-ID)",
                delivery.id,
            )
        failure = mailer.SendFailure(
            False, f"worker stopped {doing} during attempt {delivery.attempts}"
        )
        record_failure(session, delivery, failure, policy, now)
        if delivery.state == "pending":
            # Already overdue: the sweep re-queues it in this same pass.
            delivery.next_attempt_at = now - LOST_AFTER - timedelta(seconds=1)
    session.commit()
    return [d.id for d in stale]


def list_deliveries(session: Session, state: str | None = None, limit: int = 50) -> list[Delivery]:
    """The latest deliveries, newest first, optionally in one state (for the console)."""
    query = select(Delivery).order_by(Delivery.id.desc()).limit(limit)
    if state:
        query = query.where(Delivery.state == state)
    return list(session.scalars(query))
