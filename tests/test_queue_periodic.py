"""The queue: a SQLite file in the instance folder by default, and the worker's periodic sweep
(scheduled every minute, and what it does when it runs)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from factories import POOR_FIT_ANSWERS, contact
from qualify.delivery import get_huey, get_tasks
from qualify.models import Delivery, utcnow
from qualify.services import Settings
from qualify.services.responses import save_answers, start_response, submit_response
from qualify.services.routing import load_reps


def test_the_sweep_is_scheduled_every_minute(app):
    [sweep] = [t for t in get_huey(app)._registry.periodic_tasks if t.name.endswith("sweep")]
    for minute in (0, 1, 17, 59):
        assert sweep.validate_datetime(datetime(2026, 3, 2, 14, minute))


def test_the_periodic_sweep_sends_a_delivery_whose_task_was_lost(app, session, published):
    load_reps(session, app.config["REPS_FILE"])
    q = published.questionnaire
    response = start_response(session, q.id, q.version)
    save_answers(session, response.token, {**POOR_FIT_ANSWERS, **contact()}, step=len(q.steps))
    lost = lambda delivery_id: None  # noqa: E731  (the enqueue failed after the commit)
    submit_response(session, response.token, published, Settings.from_config(app.config), lost)
    [delivery] = session.scalars(select(Delivery))
    assert delivery.state == "pending" and not list(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))

    delivery.next_attempt_at = utcnow() - timedelta(minutes=2)
    session.commit()
    get_tasks(app).sweep()  # what the worker runs every minute (in-process in the tests)

    session.expire_all()
    assert session.get(Delivery, delivery.id).state == "sent"
    assert len(list(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))) == 1


def test_the_default_queue_is_a_sqlite_file_in_the_instance_folder(tmp_path, monkeypatch):
    from huey import SqliteHuey

    from qualify import create_app

    monkeypatch.setenv("QUALIFY_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("QUALIFY_QUEUE_URL", raising=False)
    huey = get_huey(create_app())
    assert isinstance(huey, SqliteHuey)
    assert huey.storage.filename == str(tmp_path / "instance" / "queue.db")
