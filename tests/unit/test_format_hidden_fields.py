"""Hidden fields: values the embed URL passes (``hidden.<name>`` in the answers), scored
like answers — INTENT and TIMING signals, and FIT criteria too."""

from __future__ import annotations

import pytest
from test_format_example import EXAMPLE, HOT, load_text

from qualify.core.answers import hidden_key
from qualify.core.scoring import hidden_effects, score_answers


@pytest.fixture
def full(tmp_path):
    """The full-format example, loaded."""
    return load_text(tmp_path, EXAMPLE)


NO_INDUSTRY = {k: v for k, v in HOT.items() if k != "industry"}


def test_the_standard_utm_fields_and_page_exist_without_declaring_them(full):
    assert list(full.all_hidden_fields())[:6] == [
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "page",
    ]  # fmt: skip
    assert "partner" in full.all_hidden_fields()


def test_a_campaign_value_gives_its_signal_whatever_its_case(full):
    score = score_answers(full, {hidden_key("utm_campaign"): "Enterprise-2026"})
    assert "page_view" in score.intent_signals
    assert any("hidden field utm_campaign = Enterprise-2026" in str(r) for r in score.reasons)


def test_an_unmapped_value_feeds_nothing(full):
    score = score_answers(full, {hidden_key("utm_campaign"): "spring-sale"})
    assert score.intent_signals == ()


def test_a_hidden_field_can_feed_a_fit_criterion(full):
    score = score_answers(full, {**NO_INDUSTRY, hidden_key("partner"): "retail-club"})
    assert score.fit_levels["industry"] == "sql"
    assert score.fit_completeness == 1.0
    assert any("Industry retail-club: sent by a retail partner" in str(r) for r in score.reasons)


def test_any_other_value_gets_the_other_effect(full):
    [effect] = hidden_effects(full.all_hidden_fields()["partner"], "someone")
    assert effect.fit == "mql"
    assert hidden_effects(full.all_hidden_fields()["partner"], "") == []


def test_the_best_level_wins_between_a_question_and_a_hidden_field(full):
    values = {**HOT, "industry": "other", hidden_key("partner"): "someone"}
    assert score_answers(full, values).fit_levels["industry"] == "mql"


def test_a_plain_hidden_field_is_kept_but_not_scored(full):
    score = score_answers(full, {**HOT, hidden_key("utm_source"): "linkedin"})
    assert score == score_answers(full, HOT)
