"""Drop-off per step, from (furthest step completed, status): pure arithmetic."""

from qualify.core.dropoff import dropoff_by_step


def test_a_partial_response_drops_off_at_the_step_after_its_last_completed_one():
    rows = dropoff_by_step([(0, "in_progress"), (2, "in_progress"), (4, "submitted")], 4)
    assert [(r.step, r.reached, r.dropped) for r in rows] == [
        (1, 3, 1),
        (2, 2, 0),
        (3, 2, 1),
        (4, 1, 0),
    ]
    assert rows[0].rate == 1 / 3 and rows[2].rate == 0.5


def test_submitted_and_quarantined_responses_reached_every_step_and_dropped_nowhere():
    rows = dropoff_by_step([(4, "submitted"), (3, "submitted")], 4)
    assert all(r.reached == 2 and r.dropped == 0 and r.completed == 2 for r in rows)


def test_a_step_nobody_reached_has_a_zero_rate_not_a_division_error():
    rows = dropoff_by_step([], 3)
    assert [(r.reached, r.rate) for r in rows] == [(0, 0.0)] * 3


def test_a_step_beyond_the_current_questionnaire_counts_on_its_last_step():
    [only] = dropoff_by_step([(7, "in_progress")], 1)
    assert (only.reached, only.dropped) == (1, 1)
