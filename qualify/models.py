"""The database tables: leads, responses and answers, score snapshots, reps, assignments,
stage events and email deliveries."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base


def utcnow() -> datetime:
    """Naive UTC, stored as such on every backend."""
    return datetime.now(UTC).replace(tzinfo=None)


class Rep(Base):
    __tablename__ = "reps"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    sectors: Mapped[list] = mapped_column(JSON, default=list)
    zones: Mapped[list] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(default=20)
    away: Mapped[bool] = mapped_column(default=False)
    is_fallback: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


class Lead(Base):
    __tablename__ = "leads"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    email_normalised: Mapped[str] = mapped_column(String(254), index=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    company: Mapped[str] = mapped_column(String(200), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    questionnaire_id: Mapped[str] = mapped_column(String(60))
    sector: Mapped[str | None] = mapped_column(String(60))
    zone: Mapped[str | None] = mapped_column(String(60))
    stage: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    responses: Mapped[list[Response]] = relationship(back_populates="lead")
    snapshots: Mapped[list[ScoreSnapshot]] = relationship(
        back_populates="lead", order_by="ScoreSnapshot.id"
    )
    events: Mapped[list[StageEvent]] = relationship(order_by="StageEvent.id")
    assignments: Mapped[list[Assignment]] = relationship(order_by="Assignment.id")

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def latest_snapshot(self) -> ScoreSnapshot | None:
        return self.snapshots[-1] if self.snapshots else None

    @property
    def assignment(self) -> Assignment | None:
        return self.assignments[-1] if self.assignments else None


class Response(Base):
    """One prospect's pass through a questionnaire, saved at every step."""

    __tablename__ = "responses"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    questionnaire_id: Mapped[str] = mapped_column(String(60))
    questionnaire_version: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    step: Mapped[int] = mapped_column(default=0)  # furthest step reached
    hidden: Mapped[dict] = mapped_column(JSON, default=dict)  # utm_*, page...
    # The language the prospect reads the questionnaire in, kept for the whole response.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    consent: Mapped[bool] = mapped_column(default=False)
    # Why the response looks automated (honeypot filled...): submitted into quarantine.
    suspicion: Mapped[str | None] = mapped_column(Text)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]

    lead: Mapped[Lead | None] = relationship(back_populates="responses")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="Answer.id"
    )

    def answer_map(self) -> dict:
        """question id -> value; contact fields are keyed ``contact.<name>``."""
        return {a.question_id: a.value for a in self.answers}


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(80))
    value: Mapped[object] = mapped_column(JSON)

    response: Mapped[Response] = relationship(back_populates="answers")


class ScoreSnapshot(Base):
    """A lead's score at one moment, with the questionnaire version it was scored with."""

    __tablename__ = "score_snapshots"
    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    response_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id"))
    questionnaire_id: Mapped[str] = mapped_column(String(60))
    questionnaire_version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    fit: Mapped[float]
    intent: Mapped[float]
    timing: Mapped[float]
    total: Mapped[float]
    fit_completeness: Mapped[float]
    stage: Mapped[str] = mapped_column(String(20))
    details: Mapped[dict] = mapped_column(JSON)  # score, checklist, reasons, decision
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead: Mapped[Lead] = relationship(back_populates="snapshots")


class Assignment(Base):
    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("reps.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    sla_due_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    contacted_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    rep: Mapped[Rep] = relationship()


class StageEvent(Base):
    """Every stage change: who, when, from, to, why. KPIs are computed from these."""

    __tablename__ = "stage_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Delivery(Base):
    """One email to send; the source of truth for what was sent, is pending or failed."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_state_next", "state", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "report", "dossier" or "resume"
    # None for a resume link: it is sent before any lead exists, for ``response_id``.
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), index=True)
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("responses.id", name="fk_deliveries_response_id"), index=True
    )
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("score_snapshots.id"))
    recipient: Mapped[str] = mapped_column(String(254))
    message_id: Mapped[str] = mapped_column(String(254), unique=True)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    lead: Mapped[Lead | None] = relationship()


class QuestionnaireSource(Base):
    """The exact text a lead was scored with, kept by content hash so that any old lead can
    be re-scored exactly as it was, and so that a changed file cannot reuse a version."""

    __tablename__ = "questionnaire_sources"
    __table_args__ = (Index("ix_questionnaire_sources_id_version", "questionnaire_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    questionnaire_id: Mapped[str] = mapped_column(String(60))
    version: Mapped[int]
    source: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
