"""Choosing a rep: sector and zone, least loaded first, round-robin, fallback owner."""

from __future__ import annotations

from datetime import datetime

import pytest

from qualify.core.routing import NoRepError, RepSlot, choose_rep


def rep(id, sectors=("saas",), zones=("france",), capacity=10, open_leads=0, **kw):
    return RepSlot(id, f"rep{id}", tuple(sectors), tuple(zones), capacity, open_leads, **kw)


def test_the_least_loaded_matching_rep_gets_the_lead():
    reps = [rep(1, open_leads=5), rep(2, open_leads=2), rep(3, sectors=("retail",))]
    assert choose_rep(reps, "saas", "france").rep_id == 2


def test_among_equals_the_rep_who_waited_longest_gets_the_lead():
    reps = [rep(1, last_assigned_at=datetime(2026, 12, 2)), rep(2, last_assigned_at=datetime(2026, 12, 1))]
    assert choose_rep(reps, "saas", "france").rep_id == 2


def test_a_rep_away_or_at_capacity_is_skipped():
    reps = [rep(1, away=True), rep(2, capacity=3, open_leads=3), rep(3, open_leads=9)]
    assert choose_rep(reps, "saas", "france").rep_id == 3


def test_a_star_covers_every_sector():
    assert choose_rep([rep(1, sectors=("*",))], "retail", "france").rep_id == 1


def test_with_no_match_the_fallback_owner_gets_the_lead_with_the_reason():
    choice = choose_rep([rep(1), rep(9, is_fallback=True)], "retail", "europe")
    assert choice.fallback and choice.rep_id == 9
    assert "fallback owner" in choice.reason


def test_with_no_match_and_no_fallback_routing_fails_loudly():
    with pytest.raises(NoRepError):
        choose_rep([rep(1)], "retail", "europe")
