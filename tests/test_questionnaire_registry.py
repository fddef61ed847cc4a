"""The questionnaire registry under concurrent requests (gunicorn threads, worker threads)."""

from __future__ import annotations

import os
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


def test_a_copy_keeping_the_id_of_a_live_questionnaire_does_not_replace_it(tmp_path):
    """A marketer copies customer-data-maturity.yaml to try a variant and forgets the id:
    the live wizard keeps its file, and the copy is reported, naming the file it clashes
    with. Which file won used to depend on the names' sort order."""
    live = tmp_path / "customer-data-maturity.yaml"
    live.write_text((BUNDLED / live.name).read_text())
    registry = QuestionnaireRegistry(tmp_path, reload_seconds=0)
    assert registry.get("customer-data-maturity").path == live
    variant = (BUNDLED / live.name).read_text().replace(
        'title: "How mature is your customer data?"', 'title: "A variant"'
    )
    copy = tmp_path / "zz-variant.yaml"  # sorts after the live file
    copy.write_text(variant)
    early = tmp_path / "aa-variant.yaml"  # and before it
    early.write_text(variant)
    published = registry.get("customer-data-maturity")
    assert published.path == live
    assert published.questionnaire.title == "How mature is your customer data?"
    for path in (copy, early):
        (error,) = registry.errors[path].errors
        assert error.message == "the id 'customer-data-maturity' is already used by " + live.name
        assert error.hint == f"give this questionnaire an id of its own, e.g. id: {path.stem}"


def test_of_two_new_files_with_one_id_the_first_by_name_is_served(tmp_path):
    for name in ("b.yaml", "a.yaml"):
        (tmp_path / name).write_text((BUNDLED / "customer-data-maturity.yaml").read_text())
    registry = QuestionnaireRegistry(tmp_path, reload_seconds=0)
    assert registry.get("customer-data-maturity").path == tmp_path / "a.yaml"
    assert list(registry.errors) == [tmp_path / "b.yaml"]


def test_a_link_to_nothing_in_the_folder_is_reported_and_the_others_still_served(tmp_path):
    """A dangling symlink (or a file gone between the listing and the look at it, as a save
    by rename does) made every wizard page a 500: the folder scan raised."""
    (tmp_path / "customer-data-maturity.yaml").write_text(
        (BUNDLED / "customer-data-maturity.yaml").read_text()
    )
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    registry = QuestionnaireRegistry(tmp_path, reload_seconds=0)
    assert registry.get("customer-data-maturity") is not None
    (error,) = registry.errors[tmp_path / "gone.yaml"].errors
    assert error.message == questionnaires.NOT_A_FILE


def test_a_pipe_named_like_a_questionnaire_is_reported_not_opened(tmp_path):
    """Opening a named pipe waits for a writer: every request would hang on the scan."""
    import os

    (tmp_path / "customer-data-maturity.yaml").write_text(
        (BUNDLED / "customer-data-maturity.yaml").read_text()
    )
    os.mkfifo(tmp_path / "pipe.yaml")
    found: list[object] = []
    scan = threading.Thread(
        target=lambda: found.append(
            QuestionnaireRegistry(tmp_path, reload_seconds=0).get("customer-data-maturity")
        ),
        daemon=True,  # the old scan never returns: the test must not hang with it
    )
    scan.start()
    scan.join(10)
    assert found and found[0] is not None


def test_an_edit_keeping_the_time_stamp_of_the_last_one_is_served(tmp_path):
    """Two saves within one grain of the file system's clock (a second on some, a tick on
    others) leave the same time stamp: the second edit was never served, the wizard kept
    the first text until the next edit."""
    text = (BUNDLED / "customer-data-maturity.yaml").read_text()
    path = tmp_path / "customer-data-maturity.yaml"
    registry = QuestionnaireRegistry(tmp_path, reload_seconds=0)
    for title in ("First edit", "Other edit", "Third edit"):
        path.write_text(text.replace("How mature is your customer data?", title))
        if title == "First edit":
            stamp = path.stat().st_mtime_ns
        os.utime(path, ns=(stamp, stamp))
        assert registry.get("customer-data-maturity").questionnaire.title == title


def test_a_file_stamped_in_the_future_is_not_read_again_at_every_scan(tmp_path, monkeypatch):
    """A file copied from a machine whose clock is ahead: not taken for one just changed (a
    full reload at every scan costs tens of milliseconds of a request)."""
    path = tmp_path / "customer-data-maturity.yaml"
    path.write_text((BUNDLED / path.name).read_text())
    ahead = time.time_ns() + 3600 * 10**9
    os.utime(path, ns=(ahead, ahead))
    registry = QuestionnaireRegistry(tmp_path, reload_seconds=0)
    first = registry.get("customer-data-maturity")
    assert registry.get("customer-data-maturity") is first
