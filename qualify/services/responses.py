"""A prospect's response: started, saved at every step, submitted once."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Connection, Engine, bindparam, case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload

from ..core.abuse import suspicion_reasons
from ..core.answers import hidden_key
from ..models import Answer, Response, utcnow
from . import Settings
from .leads import SubmitResult, qualify_response
from .quarantine import quarantine_response, split_reasons


class ResponseClosedError(Exception):
    """The response was already submitted; it can no longer change."""


class UnknownResponseError(Exception):
    """No response has this token (mistyped, purged or forged)."""


def new_token() -> str:
    """An unguessable response token (256 bits)."""
    return secrets.token_urlsafe(32)


#: The shape of what ``new_token`` makes (URL-safe base64). Anything else names no response
#: and is not sent to the database: PostgreSQL refuses a NUL in a parameter (a 500 for
#: /q/<id>/r/%00/result).
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,100}")


def check_token_shape(token: object) -> None:
    """``UnknownResponseError`` for a token no response can have."""
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        raise UnknownResponseError(token)


def start_response(
    session: Session,
    questionnaire_id: str,
    questionnaire_version: int,
    hidden: Mapping[str, str] | None = None,
    language: str = "en",
) -> Response:
    """Create an in-progress response in the prospect's ``language`` and commit it.

    The landing page's hidden fields are kept on the response (analytics) and stored as
    answers under ``hidden.<name>``, where scoring reads them.
    """
    hidden = dict(hidden or {})
    response = Response(
        token=new_token(),
        questionnaire_id=questionnaire_id,
        questionnaire_version=questionnaire_version,
        hidden=hidden,
        language=language,
        answers=[Answer(question_id=hidden_key(name), value=value) for name, value in hidden.items()],
    )
    session.add(response)
    session.commit()
    return response


@cache
def _response_by_token():
    # One query: every page reads the answers, and a lazy load was a second round trip.
    # Built once: composing the statement cost a third of running it.
    return (
        select(Response)
        .where(Response.token == bindparam("token"))
        .options(joinedload(Response.answers))
    )


@dataclass(frozen=True)
class ResponseState:
    """What the wizard's pages read of a response (a snapshot, not an ORM object): a step
    page only reads these, and loading the ORM object with its answers was a sixth of it."""

    token: str
    questionnaire_id: str
    status: str
    step: int
    language: str
    answers: Mapping[str, object]

    def answer_map(self) -> dict:
        """question id -> value; contact fields are keyed ``contact.<name>``."""
        return dict(self.answers)


@cache
def _state_by_token():
    # A Core select of the columns read, the answers joined: one round trip, no ORM.
    answers = Answer.__table__
    responses = Response.__table__
    return (
        select(
            responses.c.questionnaire_id,
            responses.c.status,
            responses.c.step,
            responses.c.language,
            answers.c.question_id,
            answers.c.value,
        )
        .select_from(responses.outerjoin(answers, answers.c.response_id == responses.c.id))
        .where(responses.c.token == bindparam("token"))
        .order_by(answers.c.id)
    )


def read_response(db: Session | Connection, token: str) -> ResponseState:
    """The response with this token as the pages read it (status, furthest step, language
    and answers), without loading ORM objects; ``db`` is a session, or a connection for a
    page that only reads."""
    check_token_shape(token)
    connection = db.connection() if isinstance(db, Session) else db
    rows = connection.execute(_state_by_token(), {"token": token}).all()
    if not rows:
        raise UnknownResponseError(token)
    first = rows[0]
    answers = {row[4]: row[5] for row in rows if row[4] is not None}
    return ResponseState(token, first[0], first[1], first[2], first[3], answers)


def get_response(session: Session, token: str) -> Response:
    """The response with this token, its answers loaded with it."""
    check_token_shape(token)
    result = session.execute(_response_by_token(), {"token": token})
    response = result.unique().scalar_one_or_none()
    if response is None:
        raise UnknownResponseError(token)
    return response


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == []


@cache
def _claim_for_save(with_step: bool, with_consent: bool):
    # The response row, updated (and so locked) first, only while still in progress: a save
    # and a submit serialise on it, and a save after the submit changes nothing.
    responses = Response.__table__
    values = {"updated_at": bindparam("b_now")}
    if with_step:  # in SQL, so that a concurrent save of a further step is never undone
        values["step"] = case(
            (responses.c.step < bindparam("b_step"), bindparam("b_step")), else_=responses.c.step
        )
    if with_consent:
        values["consent"] = bindparam("b_consent")
    return (
        update(responses)
        .where(responses.c.token == bindparam("b_token"), responses.c.status == "in_progress")
        .values(values)
        .returning(responses.c.id)
    )


@cache
def _upsert_answers(dialect: str):
    # Insert the answer, or update the one already stored (the unique constraint on
    # response_id, question_id): no need to read the answers first.
    answers = Answer.__table__
    insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}[dialect]
    statement = insert(answers)
    return statement.on_conflict_do_update(
        index_elements=[answers.c.response_id, answers.c.question_id],
        set_={"value": statement.excluded.value},
    )


@cache
def _delete_answers():
    answers = Answer.__table__
    return delete(answers).where(
        answers.c.response_id == bindparam("response_id"),
        answers.c.question_id.in_(bindparam("cleared", expanding=True)),
    )


@cache
def _response_exists():
    responses = Response.__table__
    return select(responses.c.id).where(responses.c.token == bindparam("token"))


def save_answers(
    db: Session | Engine,
    token: str,
    answers: Mapping[str, object],
    step: int | None = None,
    consent: bool | None = None,
) -> None:
    """Store answers (None or empty removes one), the furthest step reached and, on the
    contact step, the prospect's consent; commit.

    One transaction of Core statements, nothing read first: the response row is updated
    only while in progress (``ResponseClosedError`` otherwise), which locks it, so a save
    and a submit of the same response serialise (a save after the submit changes nothing);
    the furthest step only grows, in SQL; each answer is inserted or, when stored already
    (another tab, a double click), updated in the same statement.

    ``db`` is a session (committed), or an engine for a page that has no ORM work (a pooled
    connection's transaction: the session's own bookkeeping was a fifth of the save).
    """
    check_token_shape(token)
    if not isinstance(db, Session):
        with db.begin() as connection:
            _write_step(connection, token, answers, step, consent)
        return
    db.flush()  # anything pending goes first, in this transaction
    try:
        _write_step(db.connection(), token, answers, step, consent)
        db.commit()
    except BaseException:
        db.rollback()
        raise


def _write_step(
    connection: Connection,
    token: str,
    answers: Mapping[str, object],
    step: int | None,
    consent: bool | None,
) -> None:
    # (bind names other than the columns': update() reserves those for its SET clause)
    params: dict[str, object] = {"b_token": token, "b_now": utcnow()}
    if step is not None:
        params["b_step"] = step
    if consent is not None:
        params["b_consent"] = consent
    claim = _claim_for_save(step is not None, consent is not None)
    response_id = connection.execute(claim, params).scalar()
    if response_id is None:
        if connection.execute(_response_exists(), {"token": token}).first() is None:
            raise UnknownResponseError(token)
        raise ResponseClosedError(token)
    kept = [
        {"response_id": response_id, "question_id": question_id, "value": value}
        for question_id, value in answers.items()
        if not _is_empty(value)
    ]
    cleared = [question_id for question_id, value in answers.items() if _is_empty(value)]
    if kept:
        connection.execute(_upsert_answers(connection.dialect.name), kept)
    if cleared:
        connection.execute(_delete_answers(), {"response_id": response_id, "cleared": cleared})


def submit_response(
    session: Session,
    token: str,
    published,
    settings: Settings,
    enqueue: Callable[[int], None] = lambda delivery_id: None,
    now: datetime | None = None,
) -> SubmitResult:
    """Submit a response: qualify it into a lead (new or merged), commit, then enqueue emails.

    A suspicious response (flagged while filled in, or submitted sooner than
    ``settings.min_seconds_to_submit`` after Start) becomes a ``quarantined`` lead instead.

    Submitting twice (double click, two tabs, a replayed POST) returns the first result and
    creates nothing: the response is claimed with an atomic compare-and-set before anything
    else happens, so that concurrent submissions serialise on it.
    """
    now = now or utcnow()
    claimed = session.execute(
        update(Response)
        .where(Response.token == token, Response.status == "in_progress")
        .values(status="submitted", submitted_at=now)
    ).rowcount
    if not claimed:
        session.rollback()
        response = get_response(session, token)
        if response.lead_id is None:
            raise ResponseClosedError(token)
        return SubmitResult(
            response.lead_id, response.lead.stage, False, (), already_submitted=True
        )
    try:
        response = get_response(session, token)
        session.refresh(response)
        elapsed = (now - response.created_at).total_seconds()
        reasons = suspicion_reasons(
            split_reasons(response.suspicion), elapsed, settings.min_seconds_to_submit
        )
        if reasons:
            outcome = quarantine_response(session, response, published, reasons, now)
        else:
            outcome = qualify_response(session, response, published, settings, now)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    for delivery_id in outcome.delivery_ids:
        enqueue(delivery_id)
    return outcome
