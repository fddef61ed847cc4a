"""A questionnaire's own scoring settings are the ones scoring and the stage decision use:
block weights, signal strengths and points, thresholds (MQL, SQL, fast track). Each test
changes one setting away from its default and checks that the result moves with it."""

from __future__ import annotations

import pytest
from test_format_example import EXAMPLE, HOT, example, load_text

from qualify.core.scoring import score_answers
from qualify.core.stages import LeadFacts, decide_stage

FACTS = LeadFacts(business_email=True, has_phone=True)


def loaded(tmp_path, old: str = "", new: str = ""):
    return load_text(tmp_path, example(old, new) if old else EXAMPLE)


def with_setting(tmp_path, line: str):
    """The example with one more top-level setting line (after ``version: 1``)."""
    return loaded(tmp_path, "version: 1\n", f"version: 1\n{line}\n")


def test_the_total_uses_the_questionnaires_block_weights(tmp_path):
    default = score_answers(loaded(tmp_path), HOT)
    score = score_answers(with_setting(tmp_path, "weights: {fit: 70, intent: 20, timing: 10}"), HOT)
    assert (score.fit, score.intent, score.timing) == (default.fit, default.intent, default.timing)
    assert score.total == round((score.fit * 70 + score.intent * 20 + score.timing * 10) / 100, 1)
    assert score.total != default.total
    assert any("× 70%" in str(r) for r in score.reasons)


def test_intent_uses_the_questionnaires_signal_strengths(tmp_path):
    assert score_answers(loaded(tmp_path), HOT).intent == 60  # demo request: strong, default
    score = score_answers(with_setting(tmp_path, "strengths: {strong: 80}"), HOT)
    assert score.intent == 80


def test_a_weak_hidden_signal_uses_the_weak_strength(tmp_path):
    answers = {"hidden.utm_campaign": "enterprise-2026"}  # page_view: weak
    assert score_answers(loaded(tmp_path), answers).intent == 10
    assert score_answers(with_setting(tmp_path, "strengths: {weak: 15}"), answers).intent == 15


def test_timing_uses_the_points_a_questionnaire_gives_a_signal(tmp_path):
    answers = {**HOT}
    assert score_answers(loaded(tmp_path), answers).timing == 50  # active project
    overridden = with_setting(
        tmp_path, 'timing_signals: {active_project: {label: "Project", points: 35}}'
    )
    assert score_answers(overridden, answers).timing == 35


def test_the_sql_threshold_is_the_questionnaires(tmp_path):
    no_demo = {**HOT, "demo": "no"}  # no strong signal: no fast track either
    q = loaded(tmp_path)
    score = score_answers(q, no_demo)
    assert score.total < 70
    decision = decide_stage(q, score, FACTS)
    assert decision.stage == "mql"
    assert f"Not an SQL candidate: total {score.total:g} < 70" in decision.reasons[-1]
    lowered = loaded(tmp_path, "sql: 70,", f"sql: {int(score.total)},")
    decision = decide_stage(lowered, score_answers(lowered, no_demo), FACTS)
    assert decision.stage == "sql"
    assert f"≥ SQL threshold {int(score.total)}" in decision.reasons[1]


def test_the_mql_threshold_is_the_questionnaires(tmp_path):
    lukewarm = {**HOT, "demo": "no", "project": "none"}
    q = loaded(tmp_path)
    score = score_answers(q, lukewarm)
    assert decide_stage(q, score, FACTS).stage == "mql"
    raised = loaded(
        tmp_path,
        "{mql: 40, sql: 70,",
        f"{{mql: {int(score.total) + 1}, sql: {int(score.total) + 1},",
    )
    decision = decide_stage(raised, score_answers(raised, lukewarm), FACTS)
    assert decision.stage == "lead"
    assert f"below the MQL threshold {int(score.total) + 1}" in decision.reasons[0]


@pytest.mark.parametrize(("fast_track_fit", "candidate"), [(60, True), (100, False)])
def test_the_fast_track_fit_is_the_questionnaires(tmp_path, fast_track_fit, candidate):
    # A strong signal (demo request) with a good but not perfect FIT, below the SQL total.
    answers = {**HOT, "project": "none", "company_size": "1000+"}
    q = loaded(
        tmp_path,
        "{mql: 40, sql: 70, fast_track_fit: 60}",
        f"{{mql: 40, sql: 95, fast_track_fit: {fast_track_fit}}}",
    )
    score = score_answers(q, answers)
    assert score.total < 95 and 60 <= score.fit < 100
    reasons = decide_stage(q, score, FACTS).reasons
    assert any("fast track" in r for r in reasons) is candidate
