"""The worker's console: deliveries stay readable, not buried under the minutely sweep."""

from __future__ import annotations

import logging

import pytest

from qualify.cli_worker import QuietSweep


def record(level: int, name: str, message: str) -> logging.LogRecord:
    return logging.makeLogRecord({"levelno": level, "name": name, "msg": message})


@pytest.mark.parametrize(
    "name, message",
    [
        ("huey.consumer.Scheduler", "Enqueueing periodic task qualify.delivery.tasks.sweep: 9e0"),
        ("huey", "Executing qualify.delivery.tasks.sweep: 9e0"),
        ("huey", "qualify.delivery.tasks.sweep: 9e0 executed in 0.004s"),
    ],
)
def test_the_sweeps_routine_lines_are_left_out(name, message):
    assert not QuietSweep().filter(record(logging.INFO, name, message))


@pytest.mark.parametrize(
    "level, message",
    [
        (logging.INFO, "Executing qualify.delivery.tasks.deliver: 1a2"),
        (logging.INFO, "qualify.delivery.tasks.deliver: 1a2 executed in 1.204s"),
        (logging.ERROR, "Unhandled exception in task qualify.delivery.tasks.sweep: 9e0"),
        (logging.WARNING, "qualify.delivery.tasks.sweep: 9e0 took too long"),
    ],
)
def test_deliveries_and_any_sweep_trouble_are_shown(level, message):
    assert QuietSweep().filter(record(level, "huey", message))
