"""Re-scoring leads: replay them under the current questionnaire version and report what
changed (the monthly review), or check that each one still scores exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Lead, ScoreSnapshot, utcnow
from . import Settings
from .leads import _new_delivery, evaluate_lead, rescore_lead
from .versions import scored_questionnaire


@dataclass(frozen=True)
class Replay:
    lead_id: int
    who: str
    old_stage: str
    new_stage: str
    old_total: float
    new_total: float
    old_version: int
    new_version: int

    @property
    def changed(self) -> bool:
        return self.old_stage != self.new_stage or self.old_total != self.new_total


def latest_snapshot(session: Session, lead: Lead) -> ScoreSnapshot | None:
    return session.scalar(
        select(ScoreSnapshot).where(ScoreSnapshot.lead_id == lead.id).order_by(ScoreSnapshot.id.desc()).limit(1)
    )


def leads_to_replay(session: Session, questionnaire_id: str | None) -> list[Lead]:
    query = select(Lead).order_by(Lead.id)
    if questionnaire_id:
        query = query.where(Lead.questionnaire_id == questionnaire_id)
    return list(session.scalars(query))


def replay_leads(
    session: Session,
    published_for: Callable[[str], object | None],
    settings: Settings,
    questionnaire_id: str | None = None,
    apply: bool = False,
    now: datetime | None = None,
) -> tuple[list[Replay], list[int]]:
    """Each lead scored under the questionnaire now published, beside its last snapshot.

    With ``apply``, leads whose result changed get a new snapshot and move stage (sales-held
    leads keep theirs); one that becomes SQL is routed and its rep gets the dossier. Commits,
    and returns the replays and the ids of the dossier deliveries to enqueue.
    """
    now = now or utcnow()
    replays, dossiers = [], []
    for lead in leads_to_replay(session, questionnaire_id):
        published = published_for(lead.questionnaire_id)
        before = latest_snapshot(session, lead)
        if published is None or before is None:
            continue
        score, decision = evaluate_lead(session, lead, published.questionnaire, settings, now)
        replay = Replay(
            lead.id, f"{lead.name} <{lead.email}> ({lead.company})", before.stage, decision.stage,
            before.total, score.total, before.questionnaire_version, published.questionnaire.version,
        )
        replays.append(replay)
        if apply and replay.changed:
            outcome = rescore_lead(session, lead, published, settings, now, actor="rescore")
            if outcome.assignment is not None:
                dossier = _new_delivery(
                    "dossier", lead, outcome.snapshot, outcome.assignment.rep.email, settings.mail_domain
                )
                session.add(dossier)
                dossiers.append(dossier)
    session.flush()
    session.commit()
    return replays, [d.id for d in dossiers]


@dataclass(frozen=True)
class Mismatch:
    lead_id: int
    snapshot_id: int
    what: str


def verify_snapshots(session: Session, settings: Settings) -> tuple[int, list[Mismatch]]:
    """Re-score every lead's latest snapshot with the exact questionnaire text it was scored
    with, at the time it was scored; return how many were checked and any that differ."""
    checked, mismatches = 0, []
    for lead in leads_to_replay(session, None):
        snapshot = latest_snapshot(session, lead)
        if snapshot is None:
            continue
        questionnaire = scored_questionnaire(session, snapshot.content_hash)
        if questionnaire is None:
            mismatches.append(Mismatch(lead.id, snapshot.id, "its questionnaire text was not kept"))
            continue
        # Scores depend on the answers and the text only; stages also on facts that move
        # (blacklist, colleagues' leads), so the scores are what must reproduce.
        score, _ = evaluate_lead(session, lead, questionnaire, settings, snapshot.created_at)
        checked += 1
        stored = (snapshot.fit, snapshot.intent, snapshot.timing, snapshot.total)
        if (score.fit, score.intent, score.timing, score.total) != stored:
            mismatches.append(
                Mismatch(lead.id, snapshot.id, f"stored total {snapshot.total:g}, re-scored {score.total:g}")
            )
    return checked, mismatches
