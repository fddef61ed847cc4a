"""The task queue (Huey): SQLite in ``instance/`` by default, Redis when ``QUEUE_URL`` is a
``redis://`` URL, or ``immediate`` (tasks run at once, in-process: tests only)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

log = logging.getLogger(__name__)

def make_huey(url: str) -> Huey:
    """A Huey instance for ``QUEUE_URL``."""
    if url == "immediate":
        return MemoryHuey("qualify", immediate=True)
    if url.startswith("redis://") or url.startswith("rediss://"):
        return RedisHuey("qualify", url=url)
    if url.startswith("sqlite:///"):
        return SqliteHuey("qualify", filename=url.removeprefix("sqlite:///"))
    raise ValueError(
        f"QUEUE_URL must be sqlite:///PATH, redis://HOST:PORT/DB or immediate, not {url!r}"
    )


def init_app(app: Flask) -> None:
    """Set up the mailer, the queue and its tasks on ``app``."""
    from . import mailer, tasks

    mailer.init_app(app)
    huey = make_huey(app.config["QUEUE_URL"])
    app.extensions["qualify.huey"] = huey
    app.extensions["qualify.tasks"] = tasks.register(app, huey)


def get_huey(app: Flask | None = None) -> Huey:
    """The app's Huey instance."""
    return (app or current_app).extensions["qualify.huey"]


def get_tasks(app: Flask | None = None):
    """The app's tasks (``deliver``, ``sweep``)."""
    return (app or current_app).extensions["qualify.tasks"]


def enqueue_delivery(app: Flask | None = None) -> Callable[[int], None]:
    """The ``enqueue`` callable to give ``submit_response``: queue delivery N for the worker.

    Call it after the commit. It never raises: the delivery row is already committed as
    pending, so if the queue is unreachable the sweeper picks it up within a minute or two.
    In ``immediate`` mode (tests) the delivery is rendered and sent right here.
    """
    deliver = get_tasks(app).deliver

    def enqueue(delivery_id: int) -> None:
        try:
            deliver(delivery_id)
        except Exception:
            log.exception("delivery %s not queued; the sweeper will re-queue it", delivery_id)

    return enqueue
