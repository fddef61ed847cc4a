"""The queue on Redis (``QUEUE_URL=redis://...``), against the running server: a submitted
lead's task is stored in Redis, a real ``qualify worker`` on another process takes it from
there and sends the email once, and the sweeper re-queues into Redis a delivery whose task
was lost.

Skipped, with the reason, where no Redis answers on 127.0.0.1:6379; with
``QUALIFY_REQUIRE_REDIS=1`` (CI) that fails instead.
"""

from __future__ import annotations

import os
import random
import socket
from datetime import timedelta

import pytest
from huey import RedisHuey
from test_worker_process import PROSPECT, Worker, row, submit_poor_fit, wait_until

from qualify.delivery import get_huey
from qualify.delivery.queue import make_huey
from qualify.models import utcnow
from smtp_server import smtp_config, smtp_server  # noqa: F401  (a fixture, used by name)

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_url():
    """A Redis database of its own for this test (1-15, picked at random), emptied after."""
    if not redis_answers():
        message = f"no Redis at {REDIS_HOST}:{REDIS_PORT}"
        if os.environ.get("QUALIFY_REQUIRE_REDIS") == "1":
            pytest.fail(message + " (QUALIFY_REQUIRE_REDIS=1)")
        pytest.skip(message + ": Redis queue tests skipped")
    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{random.randint(1, 15)}"
    yield url
    make_huey(url).flush()


@pytest.fixture
def app_config(app_config, tmp_path, smtp_server, redis_url):  # noqa: F811
    return {
        **app_config,
        **smtp_config(smtp_server),
        "QUEUE_URL": redis_url,
        "DELIVERY_SENDING_LEASE_SECONDS": 2,
        "DELIVERY_RETRY_BASE_SECONDS": 1,
        "RATE_LIMIT_ENABLED": False,
    }


@pytest.fixture
def worker(app, tmp_path):
    started: list[Worker] = []

    def start() -> Worker:
        process = Worker(app, tmp_path / "worker.log").start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


def test_a_redis_url_gives_a_redis_queue(redis_url):
    huey = make_huey(redis_url)
    assert isinstance(huey, RedisHuey)
    assert huey.storage.conn.ping()


def test_a_task_queued_in_redis_is_sent_once_by_a_worker_process(
    app,
    session,
    smtp_server,  # noqa: F811
    worker,
):
    huey = get_huey(app)
    assert isinstance(huey, RedisHuey)
    delivery_id = submit_poor_fit(app, session)
    assert huey.pending_count() == 1  # the task waits in Redis, nothing sent in-process
    assert row(session, delivery_id).state == "pending" and smtp_server.received == []

    process = worker()
    wait_until(lambda: row(session, delivery_id).state == "sent", "the delivery", process)
    assert huey.pending_count() == 0
    assert smtp_server.recipients() == [PROSPECT]
    assert smtp_server.received[0].message["Message-ID"] == row(session, delivery_id).message_id


def test_the_sweeper_requeues_into_redis_a_delivery_whose_task_was_lost(
    app,
    session,
    smtp_server,  # noqa: F811
    worker,
):
    huey = get_huey(app)
    delivery_id = submit_poor_fit(app, session)
    huey.flush()  # the task is lost (Redis flushed, say); the row is still pending
    assert huey.pending_count() == 0
    delivery = row(session, delivery_id)
    delivery.next_attempt_at = utcnow() - timedelta(minutes=5)
    session.commit()

    process = worker()  # its start-up sweep finds the row and queues it in Redis again
    wait_until(lambda: row(session, delivery_id).state == "sent", "the delivery", process)
    assert smtp_server.recipients() == [PROSPECT]
    assert "1 deliveries re-queued" in process.output()
