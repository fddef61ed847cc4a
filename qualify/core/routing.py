"""Which rep gets an SQL: sector and zone match, least loaded first, round-robin among equals,
a fallback owner when none matches. Pure: the service passes reps and their loads in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RepSlot:
    """A rep as routing sees them."""

    id: int
    name: str
    sectors: tuple[str, ...]
    zones: tuple[str, ...]
    capacity: int
    open_leads: int
    last_assigned_at: datetime | None = None
    away: bool = False
    is_fallback: bool = False


@dataclass(frozen=True)
class RoutingChoice:
    rep_id: int
    reason: str
    fallback: bool


class NoRepError(Exception):
    """No rep matches and no fallback owner is configured."""


def _covers(values: tuple[str, ...], value: str | None) -> bool:
    return "*" in values or (value is not None and value in values)


def choose_rep(reps: Sequence[RepSlot], sector: str | None, zone: str | None) -> RoutingChoice:
    """Pick the rep for a lead in ``sector`` and ``zone``."""
    available = [r for r in reps if not r.away and r.open_leads < r.capacity]
    matching = [
        r for r in available if not r.is_fallback and _covers(r.sectors, sector) and _covers(r.zones, zone)
    ]
    if matching:
        # Least loaded first; among equals, whoever waited longest since their last lead.
        chosen = min(
            matching,
            key=lambda r: (r.open_leads / r.capacity, r.last_assigned_at or datetime.min, r.id),
        )
        return RoutingChoice(
            chosen.id,
            f"{chosen.name} covers sector {sector or '—'} and zone {zone or '—'}, "
            f"{chosen.open_leads}/{chosen.capacity} open leads "
            f"(least loaded of {len(matching)} matching rep{'s' if len(matching) > 1 else ''})",
            fallback=False,
        )
    fallbacks = [r for r in reps if r.is_fallback and not r.away] or [r for r in reps if r.is_fallback]
    if not fallbacks:
        raise NoRepError(f"no rep covers sector {sector!r} and zone {zone!r}, and no fallback owner")
    chosen = fallbacks[0]
    return RoutingChoice(
        chosen.id,
        f"no available rep covers sector {sector or '—'} and zone {zone or '—'}: "
        f"sent to the fallback owner {chosen.name}",
        fallback=True,
    )
