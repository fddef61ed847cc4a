"""Queue tasks: deliver one email, and sweep up deliveries whose task was lost."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Flask
from huey import Huey, crontab

from .deliveries import attempt_delivery, sweep_deliveries


def register(app: Flask, huey: Huey) -> SimpleNamespace:
    """Declare the app's tasks on ``huey``; each runs inside an app context."""

    @huey.task()
    def deliver(delivery_id: int) -> None:
        """Send delivery ``delivery_id`` once; on a temporary error, schedule the retry."""
        outcome = attempt_delivery(app, delivery_id)
        if outcome.retry_in is not None:
            deliver.schedule(args=(delivery_id,), delay=outcome.retry_in)

    # Every minute: cheap (two indexed queries) and bounds how long a lost task goes unseen.
    @huey.periodic_task(crontab(minute="*"))
    def sweep() -> None:
        """Re-queue pending deliveries whose task was lost and ``sending`` ones whose worker died."""
        sweep_deliveries(app, deliver)

    # Daily: partial responses older than PARTIAL_RESPONSE_DAYS go (save and resume).
    @huey.periodic_task(crontab(minute="23", hour="3"))
    def purge() -> None:
        """Delete partial responses kept longer than ``PARTIAL_RESPONSE_DAYS``."""
        from ..services.resume import purge_expired

        purge_expired(app)

    return SimpleNamespace(deliver=deliver, sweep=sweep, purge=purge)
