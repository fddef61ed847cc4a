"""Questionnaire versions: a changed file must carry a new version, and the text of every
version leads were scored with is kept, so that an old lead can be re-scored exactly."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..core.loader import content_hash, load_questionnaire_text, read_source
from ..core.questionnaire import Questionnaire
from ..models import QuestionnaireSource

_VERSION_LINE = re.compile(r"^version:[ \t]*(\d+)[ \t]*(#.*)?$", re.MULTILINE)


class VersionNotBumpedError(Exception):
    """A questionnaire's content changed but its version did not."""

    def __init__(self, message: str, next_version: int):
        super().__init__(message)
        self.next_version = next_version


@dataclass(frozen=True)
class PublishResult:
    questionnaire_id: str
    version: int
    new: bool


def find_source(session: Session, digest: str) -> QuestionnaireSource | None:
    return session.scalar(select(QuestionnaireSource).where(QuestionnaireSource.content_hash == digest))


def remember_source(session: Session, questionnaire: Questionnaire, source: str) -> str:
    """Keep the text a lead is being scored with (once per hash); flush, no commit.

    Never refuses: a lead must not be lost because a marketer forgot to bump a version
    (``qualify publish`` is where that is caught); the hash keeps the two texts apart.
    """
    digest = content_hash(source)
    if find_source(session, digest) is None:
        values = {
            "content_hash": digest,
            "questionnaire_id": questionnaire.id,
            "version": questionnaire.version,
            "source": source,
        }
        insert = _INSERTS.get(session.get_bind().dialect.name)
        if insert is None:
            session.add(QuestionnaireSource(**values))
            session.flush()
        else:
            # Two first submissions of a new text at once both found it missing: the second
            # insert was a unique violation, a 500 for that prospect (PostgreSQL).
            statement = insert(QuestionnaireSource).values(**values)
            session.execute(statement.on_conflict_do_nothing(index_elements=["content_hash"]))
    return digest


_INSERTS = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


def check_version_bumped(session: Session, questionnaire: Questionnaire, source: str, file: str) -> None:
    """Refuse new content under a version that was already published with other content."""
    digest = content_hash(source)
    if find_source(session, digest) is not None:
        return
    rows = session.execute(
        select(QuestionnaireSource.version, QuestionnaireSource.published_at).where(
            QuestionnaireSource.questionnaire_id == questionnaire.id
        )
    ).all()
    clash = [published for version, published in rows if version == questionnaire.version]
    if clash:
        latest = max(version for version, _ in rows)
        raise VersionNotBumpedError(
            f"{file}: version {questionnaire.version} was already published on "
            f"{clash[0]:%Y-%m-%d} with other content — write 'version: {latest + 1}' "
            "(or run qualify publish --bump)",
            latest + 1,
        )


def publish_file(session: Session, path: str | Path, bump: bool = False) -> PublishResult:
    """Check and publish one questionnaire file; with ``bump``, raise its version in the
    file when its content changed under a published version. Commits."""
    path = Path(path)
    source = read_source(path)
    questionnaire = load_questionnaire_text(source, str(path))
    try:
        check_version_bumped(session, questionnaire, source, str(path))
    except VersionNotBumpedError as exc:
        if not bump:
            raise
        source = bump_version_line(source, exc.next_version, str(path))
        path.write_text(source, encoding="utf-8")
        questionnaire = load_questionnaire_text(source, str(path))
    new = find_source(session, content_hash(source)) is None
    remember_source(session, questionnaire, source)
    session.commit()
    return PublishResult(questionnaire.id, questionnaire.version, new)


def bump_version_line(source: str, version: int, file: str) -> str:
    """The source with its top-level ``version:`` line set to ``version``."""
    bumped, count = _VERSION_LINE.subn(lambda m: f"version: {version}" + (f" {m[2]}" if m[2] else ""), source, 1)
    if not count:
        raise VersionNotBumpedError(f"{file}: no top-level 'version: N' line to bump", version)
    return bumped


def scored_questionnaire(session: Session, digest: str) -> Questionnaire | None:
    """The questionnaire exactly as it was when a snapshot with ``digest`` was scored."""
    known = find_source(session, digest)
    if known is None:
        return None
    return load_questionnaire_text(known.source, f"{known.questionnaire_id} v{known.version} ({digest[:8]})")


def published_versions(session: Session) -> list[tuple[str, int, int]]:
    """(questionnaire id, latest version, number of texts kept) per questionnaire."""
    return [
        tuple(row)
        for row in session.execute(
            select(
                QuestionnaireSource.questionnaire_id,
                func.max(QuestionnaireSource.version),
                func.count(QuestionnaireSource.id),
            ).group_by(QuestionnaireSource.questionnaire_id)
        )
    ]
