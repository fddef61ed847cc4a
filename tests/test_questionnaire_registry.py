"""The questionnaire registry under concurrent requests (gunicorn threads, worker threads)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import qualify.questionnaires as questionnaires
from qualify.questionnaires import QuestionnaireRegistry

BUNDLED = Path(__file__).resolve().parent.parent / "questionnaires"


def test_a_thread_arriving_during_the_first_scan_waits_for_it_instead_of_seeing_nothing(
    monkeypatch,
):
    load = questionnaires.load_questionnaire_text

    def slow_load(*args, **kwargs):
        time.sleep(0.2)  # the first thread is still scanning when the second one asks
        return load(*args, **kwargs)

    monkeypatch.setattr(questionnaires, "load_questionnaire_text", slow_load)
    registry = QuestionnaireRegistry(BUNDLED, reload_seconds=60)
    found: list[object] = []

    def ask() -> None:
        found.append(registry.get("customer-data-maturity"))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    threads[0].start()
    time.sleep(0.05)
    threads[1].start()
    for thread in threads:
        thread.join()
    assert len(found) == 2 and all(p is not None for p in found)
