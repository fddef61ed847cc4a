"""A real ``qualify worker`` process against a real SMTP server on loopback: killed mid-job,
or facing a server that refuses for a while, every email still arrives, once.

The worker runs as a subprocess on the test's database and an SQLite queue file; the test
submits leads in-process (their tasks go to that queue) and watches the deliveries table.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from factories import POOR_FIT_ANSWERS, contact
from qualify.delivery import enqueue_delivery
from qualify.models import Delivery, utcnow
from qualify.questionnaires import registry
from qualify.services import Settings
from qualify.services.responses import save_answers, start_response, submit_response
from qualify.services.routing import load_reps
from smtp_server import smtp_config, smtp_server  # noqa: F401  (a fixture, used by name)

PROSPECT = "claire.dupont@bigco.example"
#: Short, so a killed worker's claim runs out within the test.
LEASE_SECONDS = 2
#: How long a condition may take before the test gives up (a guard, not a timing check).
PATIENCE = 90


@pytest.fixture
def app_config(app_config, tmp_path, smtp_server):  # noqa: F811
    """The suite's config with a queue file a worker process can share, and the SMTP server."""
    return {
        **app_config,
        **smtp_config(smtp_server),
        "QUEUE_URL": f"sqlite:///{tmp_path / 'queue.db'}",
        "DELIVERY_SENDING_LEASE_SECONDS": LEASE_SECONDS,
        "DELIVERY_RETRY_BASE_SECONDS": 1,
    }


class Worker:
    """``qualify worker`` in a subprocess with the test app's configuration."""

    def __init__(self, app, log_path: Path, extra_env: dict[str, str] | None = None):
        self.app, self.log_path, self.extra_env = app, log_path, extra_env or {}
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        instance = Path(self.app.instance_path)
        keys = (
            "SECRET_KEY",
            "DATABASE_URL",
            "QUEUE_URL",
            "OUTBOX_DIR",
            "REPS_FILE",
            "BASE_URL",
            "MAIL_SERVER",
            "MAIL_PORT",
            "MAIL_TIMEOUT",
            "DELIVERY_SENDING_LEASE_SECONDS",
            "DELIVERY_RETRY_BASE_SECONDS",
            "REPORT_TEMPLATES_DIR",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUALIFY_")}
        env.update({f"QUALIFY_{key}": str(self.app.config[key]) for key in keys})
        env["QUALIFY_INSTANCE_PATH"] = str(instance)
        env.update(self.extra_env)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "qualify.cli", "worker", "--workers", "1"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its render process goes with it when killed
            )
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its render process: no clean-up of any kind."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def workers(app, tmp_path):
    """Start workers with ``workers()``; every one is stopped after the test."""
    started: list[Worker] = []

    def start(**extra_env: str) -> Worker:
        worker = Worker(app, tmp_path / "worker.log", extra_env).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_until(condition, what: str, worker: Worker | None = None):
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    output = worker.output() if worker else ""
    pytest.fail(f"waited {PATIENCE}s for {what}\n{output}")


def submit_poor_fit(app, session) -> int:
    """A lead that gets only the prospect's report; its task goes to the queue file."""
    load_reps(session, app.config["REPS_FILE"])
    published = registry(app).get("customer-data-maturity")
    q = published.questionnaire
    response = start_response(session, q.id, q.version)
    save_answers(session, response.token, {**POOR_FIT_ANSWERS, **contact()}, step=len(q.steps))
    result = submit_response(
        session,
        response.token,
        published,
        Settings.from_config(app.config),
        enqueue=enqueue_delivery(app),
    )
    (delivery_id,) = result.delivery_ids
    return delivery_id


def row(session, delivery_id: int) -> Delivery:
    session.expire_all()
    return session.get(Delivery, delivery_id)


def test_a_worker_killed_mid_send_delivers_once_after_restart(
    app,
    session,
    smtp_server,  # noqa: F811
    workers,
):
    smtp_server.handler.hold_data = 1  # the first message waits at DATA for the test
    delivery_id = submit_poor_fit(app, session)
    first = workers()
    wait_until(smtp_server.handler.holding.is_set, "the worker to reach DATA", first)
    assert row(session, delivery_id).state == "sending"
    first.kill()
    smtp_server.handler.release.set()  # the server's answer comes too late: client gone

    # The dead worker's lease runs out; a new worker takes the delivery back at start-up.
    wait_until(lambda: row(session, delivery_id).next_attempt_at < utcnow(), "the lease to end")
    second = workers()
    sent = wait_until(
        lambda: row(session, delivery_id).state == "sent", "the delivery to be sent", second
    )
    assert sent
    delivery = row(session, delivery_id)
    assert delivery.attempts == 2
    assert smtp_server.recipients() == [PROSPECT]
    assert smtp_server.received[0].message["Message-ID"] == delivery.message_id


def test_a_server_that_kept_the_message_of_a_killed_worker_gets_at_most_one_copy_more(
    app,
    session,
    smtp_server,  # noqa: F811
    workers,
):
    """The documented limit: killed between the end of DATA and the server's answer, with a
    server that commits before answering, nobody can know; one copy more, same Message-ID."""
    smtp_server.handler.hold_data, smtp_server.handler.keep_when_client_left = 1, True
    delivery_id = submit_poor_fit(app, session)
    first = workers()
    wait_until(smtp_server.handler.holding.is_set, "the worker to reach DATA", first)
    first.kill()
    smtp_server.handler.release.set()
    wait_until(lambda: row(session, delivery_id).next_attempt_at < utcnow(), "the lease to end")
    second = workers()
    wait_until(lambda: row(session, delivery_id).state == "sent", "the delivery", second)
    ids = {received.message["Message-ID"] for received in smtp_server.received}
    assert len(smtp_server.received) == 2 and ids == {row(session, delivery_id).message_id}


def test_a_worker_killed_while_rendering_delivers_once_after_restart(
    app,
    session,
    smtp_server,  # noqa: F811
    workers,
    tmp_path,
):
    # A report template that never finishes: the worker is surely rendering when killed.
    templates = Path(app.config["REPORT_TEMPLATES_DIR"])
    stuck = tmp_path / "templates"
    shutil.copytree(templates, stuck)
    report = stuck / "report.html"
    report.write_text("{% for i in range(10**12) %}{% endfor %}" + report.read_text())
    app.config["REPORT_TEMPLATES_DIR"] = str(stuck)
    delivery_id = submit_poor_fit(app, session)
    first = workers()
    wait_until(lambda: row(session, delivery_id).state == "sending", "the claim", first)
    first.kill()
    assert row(session, delivery_id).sent_at is None  # no hand-over began

    shutil.copy(templates / "report.html", report)  # the next worker renders normally
    wait_until(lambda: row(session, delivery_id).next_attempt_at < utcnow(), "the lease to end")
    second = workers()
    wait_until(lambda: row(session, delivery_id).state == "sent", "the delivery", second)
    assert smtp_server.recipients() == [PROSPECT]
    assert row(session, delivery_id).attempts == 2


def test_a_server_refusing_for_a_while_then_healthy_gets_each_email_once(
    app,
    session,
    smtp_server,  # noqa: F811
    workers,
):
    smtp_server.stop()
    first_id, second_id = submit_poor_fit(app, session), submit_poor_fit(app, session)
    worker = workers()
    wait_until(
        lambda: all(row(session, i).attempts >= 2 for i in (first_id, second_id)),
        "two refused attempts each",
        worker,
    )
    assert {row(session, i).state for i in (first_id, second_id)} <= {"pending", "sending"}
    smtp_server.start()
    wait_until(
        lambda: all(row(session, i).state == "sent" for i in (first_id, second_id)),
        "both deliveries after recovery",
        worker,
    )
    assert smtp_server.recipients() == [PROSPECT, PROSPECT]
    message_ids = [received.message["Message-ID"] for received in smtp_server.received]
    assert sorted(message_ids) == sorted(row(session, i).message_id for i in (first_id, second_id))
    assert "refused" in worker.output().lower() or "Connection" in worker.output()


def test_the_console_shows_a_delivery_handing_over(app, session, runner):
    """What an operator sees while a worker holds a delivery in the hand-over."""
    delivery_id = submit_poor_fit(app, session)
    delivery = row(session, delivery_id)
    delivery.state, delivery.sent_at = "sending", utcnow()
    delivery.next_attempt_at = utcnow() + timedelta(seconds=LEASE_SECONDS)
    session.commit()
    output = runner.invoke(args=["deliveries"]).output
    assert "handing over since" in output and "lease until" in output


def test_a_worker_on_a_system_without_fonts_warns_at_start_up(app, workers, tmp_path):
    """A real fontconfig that knows no font: the worker says so, and what to install."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>'
    )
    worker = workers(FONTCONFIG_FILE=str(config))
    wait_until(lambda: "qualify worker:" in worker.output(), "the worker to start", worker)
    output = worker.output()
    assert "WARNING qualify.worker: no installed font covers Latin" in output
    assert "apt-get install fonts-dejavu-core fonts-noto-cjk fonts-noto-core" in output
