"""The life of a delivery: pending → sending → sent, or back to pending with a backoff on a
temporary error, or failed (permanent error, or too many attempts).

The deliveries table is the source of truth; queue tasks only say "look at delivery N now".
A claim is an atomic compare-and-set, so two tasks for the same delivery (a retry and a
sweep, say) never send it twice. While ``sending``, ``next_attempt_at`` holds the claim's
lease expiry: a worker killed mid-send leaves a lease the sweeper sees run out.
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
from . import mailer
from .documents import DeliveryError, build_message

log = logging.getLogger(__name__)

#: How long a worker may hold a delivery in ``sending`` before the sweeper takes it back.
SENDING_LEASE = timedelta(minutes=10)
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


def claim_delivery(session: Session, delivery_id: int, now: datetime) -> bool:
    """Move a due pending delivery to ``sending`` (one more attempt) and commit."""
    claimed = session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.state == "pending",
            Delivery.next_attempt_at <= now + DUE_TOLERANCE,
        )
        .values(
            state="sending", attempts=Delivery.attempts + 1, next_attempt_at=now + SENDING_LEASE
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    return bool(claimed)


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
        delivery.state, delivery.last_error = "failed", reason
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
    delivery.state, delivery.last_error = "pending", failure.reason
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
            if not claim_delivery(session, delivery_id, now):
                return Outcome(None)
            return _send_claimed(app, session, delivery_id, now)
        finally:
            session.close()


def _send_claimed(app: Flask, session: Session, delivery_id: int, now: datetime) -> Outcome:
    delivery = session.get(Delivery, delivery_id)
    try:
        message = build_message(app, session, delivery)
        mailer.send(app, message, delivery)
    except Exception as exc:  # recorded on the delivery: never lost, never silent
        failure = classify_failure(exc)
        if not failure.permanent:
            log.debug("delivery %s: temporary failure", delivery_id, exc_info=True)
        session.rollback()
        delivery = session.get(Delivery, delivery_id)
        return record_failure(session, delivery, failure, RetryPolicy.from_config(app.config), now)
    return record_sent(session, delivery, utcnow())


def classify_failure(exc: BaseException) -> mailer.SendFailure:
    """A send error as the mailer classifies it; a delivery that cannot be built is permanent;
    anything else (a database hiccup, a render crash) is retried up to the attempt limit."""
    if isinstance(exc, DeliveryError):
        return mailer.SendFailure(True, str(exc))
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
        failure = mailer.SendFailure(False, f"worker stopped during attempt {delivery.attempts}")
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
