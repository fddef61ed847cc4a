"""The questionnaires the app serves, loaded from ``QUESTIONNAIRES_DIR`` and reloaded when a
file changes (so a marketer's edit takes effect without a restart)."""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from .core.loader import (
    LoadError,
    QuestionnaireError,
    content_hash,
    load_questionnaire_text,
    read_source,
)
from .core.questionnaire import Questionnaire

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Published:
    """A loaded questionnaire with the file it came from and the hash of its content."""

    questionnaire: Questionnaire
    path: Path
    content_hash: str
    mtime_ns: int
    source: str = ""


class QuestionnaireRegistry:
    def __init__(self, directory: str | Path, reload_seconds: float = 1.0):
        self.directory = Path(directory)
        self.reload_seconds = reload_seconds
        self._by_id: dict[str, Published] = {}
        self._files: dict[Path, int] = {}
        self._scanned_at: float | None = None
        self._scan_lock = threading.Lock()
        self.errors: dict[Path, QuestionnaireError] = {}

    def _scanned_recently(self) -> bool:
        at = self._scanned_at
        return at is not None and time.monotonic() - at < self.reload_seconds

    def _scan(self) -> None:
        # Globbing and stat-ing the folder on every request costs more than rendering a
        # step: look at most once per reload_seconds (an edit shows within that delay).
        if self._scanned_recently():
            return
        # One thread scans while the others wait: marking the scan done before it finished
        # let a second worker thread see no questionnaire at all.
        with self._scan_lock:
            if not self._scanned_recently():
                self._load_changed_files()
                self._scanned_at = time.monotonic()

    def _load_changed_files(self) -> None:
        now = time.time_ns()
        files = {
            p: _mtime(p)
            for p in sorted(self.directory.glob("*.y*ml"))
            if p.suffix in (".yaml", ".yml") and not p.name.endswith((".cases.yaml", ".cases.yml"))
        }
        if files == self._files:
            return
        by_id: dict[str, Published] = {}
        errors: dict[Path, QuestionnaireError] = {}
        last_good = {published.path: published for published in self._by_id.values()}
        serving = {published.questionnaire.id: published.path for published in last_good.values()}
        for path, mtime in files.items():
            try:
                if not path.is_file():  # never open a pipe: the read would wait forever
                    raise QuestionnaireError([LoadError(str(path), None, None, NOT_A_FILE, None)])
                # Read once: the hash must be of the very text that was loaded.
                source = read_source(path)
                questionnaire = load_questionnaire_text(source, str(path))
            except QuestionnaireError as exc:
                log.error("questionnaire not loaded:\n%s", exc)
                errors[path] = exc
                # A broken edit does not take the questionnaire offline: its last good
                # version stays served (and scored with its own text) until it is fixed.
                if path in last_good:
                    _publish(by_id, errors, last_good[path], serving)
                continue
            digest = content_hash(source)
            published = Published(questionnaire, path, digest, mtime, source)
            _publish(by_id, errors, published, serving)
        # A file changed within a time stamp's grain of this scan can change again with the
        # same time stamp (two saves in one second on a file system counting seconds, or
        # in one clock tick): it is not taken as seen, and is read again at the next scan.
        # (A stamp far ahead of the clock is not such a file: it would be read every scan.)
        seen = {p: RACY if abs(now - mtime) <= RACY_NS else mtime for p, mtime in files.items()}
        self._by_id, self._files, self.errors = by_id, seen, errors

    def get(self, questionnaire_id: str) -> Published | None:
        self._scan()
        return self._by_id.get(questionnaire_id)

    def all(self) -> list[Published]:
        self._scan()
        return list(self._by_id.values())

    def errors_for(self, questionnaire_id: str) -> list[QuestionnaireError]:
        """The mistakes of the file that holds (or last held) ``questionnaire_id``, or of a
        file named after it that does not load: what a marketer's edit broke."""
        self._scan()
        published = self._by_id.get(questionnaire_id)
        return [
            exc
            for path, exc in self.errors.items()
            if path.stem == questionnaire_id or (published and path == published.path)
        ]


#: How recent a file's time stamp must be for the file to be read again at the next scan
#: (the coarsest grain of common file systems: FAT counts every two seconds).
RACY_NS = 2_000_000_000
#: The time stamp remembered for such a file: no file has it, so the next scan reads it.
RACY = -2

#: What a .yaml name in the folder that is no regular file (a link to nothing, a folder, a
#: pipe) is reported as.
NOT_A_FILE = "not a file that can be read (a link to nothing, a folder or a pipe?)"


def _mtime(path: Path) -> int:
    """When ``path`` last changed; -1 when it cannot be read (gone since the folder was
    listed, as a save by rename does, or a link to nothing): reported, never a 500."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def duplicate_id_error(file: str, text: str, questionnaire_id: str, other: str) -> LoadError:
    """The mistake of a file whose questionnaire id another file (``other``) already uses:
    both would answer at /q/<id>, and which one won depended on the files' names."""
    found = re.search(r"^id\s*:", text, re.MULTILINE)
    line = text.count("\n", 0, found.start()) + 1 if found else None
    return LoadError(
        file,
        line,
        1 if found else None,
        f"the id '{questionnaire_id}' is already used by {other}",
        f"give this questionnaire an id of its own, e.g. id: {Path(file).stem}",
    )


def _publish(
    by_id: dict[str, Published],
    errors: dict[Path, QuestionnaireError],
    published: Published,
    serving: dict[str, Path],
) -> None:
    """Serve ``published`` under its id, unless another file already has that id: then the
    file that was serving it keeps it (else the first by name), and the other one is
    reported. A copy saved under a new name must not silently replace a live wizard."""
    questionnaire_id = published.questionnaire.id
    other = by_id.get(questionnaire_id)
    if other is None:
        by_id[questionnaire_id] = published
        return
    kept, refused = (other, published)
    if serving.get(questionnaire_id) == published.path:
        kept, refused = published, other
    error = QuestionnaireError(
        [duplicate_id_error(str(refused.path), refused.source, questionnaire_id, kept.path.name)]
    )
    log.error("questionnaire not loaded:\n%s", error)
    errors.setdefault(refused.path, error)  # a broken file's own mistakes come first
    by_id[questionnaire_id] = kept


def init_app(app: Flask) -> None:
    app.extensions["qualify.questionnaires"] = QuestionnaireRegistry(
        app.config["QUESTIONNAIRES_DIR"], app.config["QUESTIONNAIRES_RELOAD_SECONDS"]
    )


def registry(app: Flask | None = None) -> QuestionnaireRegistry:
    return (app or current_app).extensions["qualify.questionnaires"]
