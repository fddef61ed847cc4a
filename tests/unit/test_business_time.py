"""SLA due times in business hours (Paris, 9:00–18:00, Monday to Friday)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from qualify.core.business_time import add_business_hours


def test_hours_within_the_same_working_day():
    # Thursday 08:00 UTC = 09:00 Paris; +8h = 17:00 Paris = 16:00 UTC
    assert add_business_hours(datetime(2026, 12, 3, 8, 0), 8) == datetime(2026, 12, 3, 16, 0)


def test_a_friday_afternoon_lead_is_due_on_monday():
    # Friday 16:00 UTC = 17:00 Paris: 1h left on Friday, 7h on Monday → Monday 16:00 Paris
    assert add_business_hours(datetime(2026, 12, 4, 16, 0), 8) == datetime(2026, 12, 7, 15, 0)


def test_a_lead_arriving_at_night_counts_from_the_next_opening():
    assert add_business_hours(datetime(2026, 12, 2, 22, 0), 1) == datetime(2026, 12, 3, 9, 0)


def test_public_holidays_are_skipped():
    christmas = frozenset({date(2026, 12, 25)})
    due = add_business_hours(datetime(2026, 12, 24, 16, 0), 2, holidays=christmas)
    assert due == datetime(2026, 12, 28, 9, 0)  # Thu 17:00 Paris +1h, then Monday +1h


def test_round_the_clock_hours_close_at_midnight():
    # Thu 23:00 UTC = Fri 00:00 Paris, open 0–24: 30 h = all of Friday, then Monday 06:00 Paris
    due = add_business_hours(datetime(2026, 12, 3, 23, 0), 30, opening=(0, 24))
    assert due == datetime(2026, 12, 7, 5, 0)


@pytest.mark.parametrize("opening", [(9, 9), (18, 9), (-1, 18), (9, 25)])
def test_opening_hours_that_leave_no_working_time_are_refused(opening):
    with pytest.raises(ValueError, match="0 <= open < close <= 24"):
        add_business_hours(datetime(2026, 12, 3, 8, 0), 1, opening=opening)
