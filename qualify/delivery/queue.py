"""The task queue (Huey): SQLite in ``instance/`` by default, Redis when ``QUEUE_URL`` is a
``redis://`` URL, or ``immediate`` (tasks run at once, in-process: tests only)."""

from __future__ import annotations

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey


def make_huey(url: str) -> Huey:
    if url == "immediate":
        return MemoryHuey("qualify", immediate=True)
    if url.startswith("redis://") or url.startswith("rediss://"):
        return RedisHuey("qualify", url=url)
    if url.startswith("sqlite:///"):
        return SqliteHuey("qualify", filename=url.removeprefix("sqlite:///"))
    raise ValueError(f"QUEUE_URL must be sqlite:///PATH, redis://HOST:PORT/DB or immediate, not {url!r}")


def init_app(app: Flask) -> None:
    huey = make_huey(app.config["QUEUE_URL"])
    app.extensions["qualify.huey"] = huey
    from . import tasks

    app.extensions["qualify.tasks"] = tasks.register(app, huey)


def get_huey(app: Flask | None = None) -> Huey:
    return (app or current_app).extensions["qualify.huey"]
