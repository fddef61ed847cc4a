"""SPEC.md's qualification model, rule by rule, on the bundled questionnaire."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from factories import HOT_ANSWERS, POOR_FIT_ANSWERS, answers
from qualify.core.scoring import BehaviourEvent, score_answers


def test_fit_is_the_weighted_share_of_levels_over_declared_criteria(questionnaire):
    score = score_answers(questionnaire, HOT_ANSWERS)
    # company_size 25 + role 20 + industry 20 + geography 10 + budget 15 at sql, maturity 10 at mql
    assert score.fit == 95.0
    assert score.fit_levels["maturity"] == "mql"


def test_an_unanswered_criterion_lowers_fit_and_completeness(questionnaire):
    partial = {k: v for k, v in HOT_ANSWERS.items() if k not in ("budget", "maturity", "region")}
    score = score_answers(questionnaire, partial)
    assert score.fit_completeness == 0.5
    assert score.fit == 65.0
    assert any("Budget: not answered" in r.text for r in score.reasons)


def test_a_disqualifying_answer_names_the_criterion(questionnaire):
    score = score_answers(questionnaire, answers(role="student"))
    assert score.disqualified_by.startswith("Contact role Student")


def test_intent_counts_each_signal_once_and_caps_at_100(questionnaire):
    now = datetime(2026, 12, 1)
    events = [BehaviourEvent("pricing_visits", now), BehaviourEvent("demo_request", now)]
    events += [BehaviourEvent("webinar", now), BehaviourEvent("asset_downloads", now)]
    score = score_answers(questionnaire, HOT_ANSWERS, events, now=now)
    assert score.intent_signals.count("demo_request") == 1
    assert score.intent == 100  # 60 + 60 + 25 + 25 = 170, capped
    assert any("capped" in r.text for r in score.reasons)


def test_behaviour_older_than_the_intent_window_no_longer_counts(questionnaire):
    now = datetime(2026, 12, 1)
    old = BehaviourEvent("pricing_visits", now - timedelta(days=91))
    recent = BehaviourEvent("webinar", now - timedelta(days=89))
    score = score_answers(questionnaire, answers(demo="no"), [old, recent], now=now)
    assert score.intent_signals == ("webinar",)
    assert score.intent == 25


def test_timing_adds_points_and_caps_at_100(questionnaire):
    score = score_answers(questionnaire, HOT_ANSWERS)  # trigger 30 + project 50 + timeline 50
    assert score.timing == 100
    assert set(score.timing_signals) == {"trigger_event", "active_project", "timeline_3m"}


def test_not_now_is_a_veto_and_earns_no_points(questionnaire):
    score = score_answers(questionnaire, answers(timeline="not_now", triggers=[]))
    assert score.veto
    assert score.timing == 50  # the active project only


def test_total_uses_the_questionnaire_block_weights(questionnaire):
    score = score_answers(questionnaire, HOT_ANSWERS)
    assert score.total == pytest.approx((95 * 50 + 60 * 30 + 100 * 20) / 100)


def test_every_fit_point_carries_a_reason_in_plain_words(questionnaire):
    score = score_answers(questionnaire, HOT_ANSWERS)
    texts = [str(r) for r in score.reasons]
    assert "+25 FIT: Company size 200–999: the exact ICP range" in texts
    assert any(t.startswith("+60 INTENT: demo or contact request") for t in texts)


def test_a_poor_fit_scores_low_on_every_block(questionnaire):
    score = score_answers(questionnaire, POOR_FIT_ANSWERS)
    assert (score.fit, score.intent, score.timing) == (5.0, 0, 0)  # North America: mql, half of 10


def _tiny_questionnaire(**overrides):
    """Two FIT criteria weighted 46 and 1, two medium INTENT signals, a trigger worth 30."""
    from qualify.core.questionnaire import Questionnaire

    def single(qid, criterion=None, **effects):
        return {
            "id": qid,
            "type": "single",
            "label": qid,
            **({"criterion": criterion} if criterion else {}),
            "choices": [
                {"value": "yes", "label": "Yes", **effects},
                {"value": "no", "label": "No", **({"fit": "none"} if criterion else {})},
            ],
        }

    band = [{"min": 0, "max": 100, "title": "t", "text": "x"}]
    data = {
        "id": "tiny",
        "version": 1,
        "title": "Tiny",
        "fit_criteria": {
            "company_size": {"label": "Size", "weight": 46},
            "role": {"label": "Role", "weight": 1},
        },
        "intent_signals": {
            "webinar": {"label": "Webinar", "strength": "medium"},
            "downloads": {"label": "Downloads", "strength": "medium"},
        },
        "timing_signals": {"trigger_event": {"label": "Trigger", "points": 30}},
        "steps": [
            {
                "title": "s",
                "questions": [
                    single("size", "company_size", fit="sql"),
                    single("role", "role", fit="sql"),
                    single("webinar", intent=["webinar"]),
                    single("downloads", intent=["downloads"]),
                    single("trigger", timing=["trigger_event"]),
                ],
            }
        ],
        "contact": {"fields": [{"name": "email", "label": "E"}], "consent": "ok"},
        "diagnostic": {"dimensions": [{"id": "d", "label": "D", "bands": band}], "bands": band},
        "next_step": {"text": "x"},
        **overrides,
    }
    return Questionnaire.model_validate(data)


def test_the_total_is_rounded_once_so_rounding_never_lifts_a_lead_over_a_threshold():
    q = _tiny_questionnaire()
    values = {"size": "yes", "role": "no", "webinar": "yes", "downloads": "yes", "trigger": "yes"}
    score = score_answers(q, values)
    # FIT 46/47 = 97.87…; total 97.87 × 50% + 50 × 30% + 30 × 20% = 69.94 (69.95 from FIT 97.9)
    assert score.fit == 97.9
    assert score.total == 69.9
    assert score.total < q.thresholds.sql


def test_a_strength_left_out_of_the_override_keeps_its_default():
    q = _tiny_questionnaire(strengths={"strong": 70})
    assert (q.strengths["strong"], q.strengths["medium"], q.strengths["weak"]) == (70, 25, 10)
    score = score_answers(q, {"webinar": "yes"})
    assert score.intent == 25


def test_timing_over_100_says_it_was_capped(questionnaire):
    score = score_answers(questionnaire, HOT_ANSWERS)  # trigger 30 + project 50 + timeline 50
    assert score.timing == 100
    capped = [r for r in score.reasons if r.block == "timing" and "capped at 100" in r.text]
    assert capped and "130" in capped[0].text


def test_behaviour_dated_in_the_future_does_not_count_yet(questionnaire):
    now = datetime(2026, 12, 1)
    ahead = BehaviourEvent("pricing_visits", now + timedelta(days=3))
    score = score_answers(questionnaire, answers(demo="no"), [ahead], now=now)
    assert "pricing_visits" not in score.intent_signals
