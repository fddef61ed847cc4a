"""Business-hours arithmetic for SLAs: working days Monday to Friday, opening hours in the
team's time zone. Pure; times in and out are naive UTC like the database's."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def add_business_hours(
    start_utc: datetime,
    hours: float,
    timezone: str = "Europe/Paris",
    opening: tuple[int, int] = (9, 18),
    holidays: frozenset[date] = frozenset(),
) -> datetime:
    """The naive-UTC moment ``hours`` business hours after ``start_utc``."""
    if not 0 <= opening[0] < opening[1] <= 24:
        raise ValueError(
            f"business hours {list(opening)}: write [open, close], 0 <= open < close <= 24"
        )
    zone = ZoneInfo(timezone)
    local = start_utc.replace(tzinfo=UTC).astimezone(zone)
    remaining = timedelta(hours=hours)
    open_at = time(opening[0])
    while True:
        day = local.date()
        day_open = datetime.combine(day, open_at, zone)
        # Closing at 24 is midnight of the next day.
        day_close = datetime.combine(day, time(0), zone) + timedelta(hours=opening[1])
        if day.weekday() >= 5 or day in holidays or local >= day_close:
            local = datetime.combine(day + timedelta(days=1), open_at, zone)
            continue
        if local < day_open:
            local = day_open
        available = day_close - local
        if remaining <= available:
            return (local + remaining).astimezone(UTC).replace(tzinfo=None)
        remaining -= available
        local = datetime.combine(day + timedelta(days=1), open_at, zone)
