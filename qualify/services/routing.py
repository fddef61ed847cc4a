"""Routing an SQL to a rep, with its SLA due time, and loading reps from YAML."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.business_time import add_business_hours
from ..core.routing import RepSlot, choose_rep
from ..models import Assignment, Lead, Rep
from . import Settings

#: Stages in which an assigned lead counts towards its rep's workload.
WORKLOAD_STAGES = ("routed", "contacted")


class RepsFileError(Exception):
    """The reps YAML file is malformed."""


def rep_slots(session: Session) -> list[RepSlot]:
    """Every active rep with their open-lead count and last assignment time."""
    open_counts = dict(
        session.execute(
            select(Assignment.rep_id, func.count(Assignment.id))
            .join(Lead, Lead.id == Assignment.lead_id)
            .where(Assignment.closed_at.is_(None), Lead.stage.in_(WORKLOAD_STAGES))
            .group_by(Assignment.rep_id)
        ).all()
    )
    last_assigned = dict(
        session.execute(
            select(Assignment.rep_id, func.max(Assignment.assigned_at)).group_by(Assignment.rep_id)
        ).all()
    )
    return [
        RepSlot(
            id=rep.id,
            name=rep.name,
            sectors=tuple(rep.sectors or ()),
            zones=tuple(rep.zones or ()),
            capacity=rep.capacity,
            open_leads=open_counts.get(rep.id, 0),
            last_assigned_at=last_assigned.get(rep.id),
            away=rep.away,
            is_fallback=rep.is_fallback,
        )
        for rep in session.scalars(select(Rep).where(Rep.active.is_(True)).order_by(Rep.id))
    ]


def ensure_fallback_owner(session: Session, settings: Settings) -> None:
    """Make sure a fallback owner exists (from config) when the reps file names none."""
    if session.scalar(select(Rep).where(Rep.is_fallback.is_(True), Rep.active.is_(True))):
        return
    rep = session.scalar(select(Rep).where(Rep.email == settings.fallback_owner))
    if rep is None:
        rep = Rep(email=settings.fallback_owner, name="Sales manager (fallback owner)")
        session.add(rep)
    rep.is_fallback, rep.active, rep.capacity = True, True, 10_000
    session.flush()


@cache
def public_holidays(country: str, year: int) -> frozenset[date]:
    """The public holidays of ``country`` (ISO code) this year and next, for SLA clocks."""
    if not country:
        return frozenset()
    return frozenset(holidays.country_holidays(country, years=(year, year + 1)))


def check_business_calendar(country: str, hours: Sequence[int], timezone: str) -> None:
    """Refuse at start-up a calendar the SLA clock cannot use, naming what to write."""
    if country and country.upper() not in holidays.list_supported_countries():
        raise ValueError(
            f"BUSINESS_COUNTRY {country!r} is not a country whose public holidays are known: "
            'write its ISO 3166 code (e.g. "FR", "DE", "US"), or "" for no holidays'
        )
    if len(hours) != 2 or not 0 <= hours[0] < hours[1] <= 24:
        raise ValueError(f"BUSINESS_HOURS {list(hours)}: write [open, close], e.g. [9, 18]")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"BUSINESS_TIMEZONE {timezone!r} is unknown: write an IANA name, e.g. Europe/Paris"
        ) from exc


#: The PostgreSQL advisory lock that puts routings in line (any fixed 64-bit number).
ROUTING_LOCK = 0x7175616C69667921  # "qualify!"


def hold_routing(session: Session) -> None:
    """Route one SQL at a time until this transaction ends: two routed at once both read the
    reps' open leads before either assignment existed, so a rep with one place left got both
    (and the least loaded rep got every simultaneous lead). SQLite serialises writers already.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(ROUTING_LOCK)))


def route_lead(session: Session, lead: Lead, settings: Settings, now: datetime) -> Assignment:
    """Assign an SQL to a rep, set its SLA due time and move it to ``routed``. No commit."""
    from .leads import record_stage

    ensure_fallback_owner(session, settings)
    hold_routing(session)
    choice = choose_rep(rep_slots(session), lead.sector, lead.zone)
    due = add_business_hours(
        now,
        settings.sla_business_hours,
        settings.business_timezone,
        settings.business_hours,
        public_holidays(settings.business_country, now.year),
    )
    assignment = Assignment(
        lead_id=lead.id, rep_id=choice.rep_id, assigned_at=now, sla_due_at=due, reason=choice.reason
    )
    session.add(assignment)
    session.flush()
    session.refresh(assignment, ["rep"])
    record_stage(session, lead, "routed", "qualify", f"Routed: {choice.reason}.", now)
    return assignment


def load_reps(session: Session, path: str | Path) -> list[Rep]:
    """Upsert reps from a YAML file (by email); reps missing from the file are deactivated."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise RepsFileError(f"{path}: {exc}") from exc
    entries = data.get("reps") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise RepsFileError(f"{path}: expected a top-level 'reps:' list")
    seen = []
    for index, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not entry.get("email") or not entry.get("name"):
            raise RepsFileError(f"{path}: rep #{index} needs at least a name and an email")
        email = str(entry["email"]).strip().lower()
        rep = session.scalar(select(Rep).where(Rep.email == email)) or Rep(email=email)
        rep.name = str(entry["name"])
        rep.sectors = [str(s) for s in entry.get("sectors", ["*"])]
        rep.zones = [str(z) for z in entry.get("zones", ["*"])]
        rep.capacity = int(entry.get("capacity", 20))
        rep.away = bool(entry.get("away", False))
        rep.is_fallback = bool(entry.get("fallback", False))
        rep.active = True
        session.add(rep)
        seen.append(rep)
    emails = {rep.email for rep in seen}
    for rep in session.scalars(select(Rep).where(Rep.active.is_(True))):
        if rep.email not in emails:
            rep.active = False
    session.commit()
    return seen
