"""Queue tasks. (Skeleton: the delivery helper fills this in.)"""

from __future__ import annotations

from types import SimpleNamespace

from flask import Flask
from huey import Huey


def register(app: Flask, huey: Huey) -> SimpleNamespace:
    """Declare the app's tasks on ``huey``; each runs inside an app context."""

    @huey.task()
    def deliver(delivery_id: int) -> None:
        with app.app_context():
            pass

    return SimpleNamespace(deliver=deliver)
