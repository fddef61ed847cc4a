"""The stage decision, in SPEC.md's order, and the SQL-ready checklist."""

from __future__ import annotations

from datetime import datetime

from factories import HOT_ANSWERS, POOR_FIT_ANSWERS, answers
from qualify.core.scoring import BehaviourEvent, score_answers
from qualify.core.stages import LeadFacts, decide_stage

GOOD_DATA = LeadFacts(business_email=True, has_phone=True)


def decide(questionnaire, values, facts=GOOD_DATA):
    return decide_stage(questionnaire, score_answers(questionnaire, values), facts)


def test_a_decision_maker_in_a_priority_sector_asking_for_a_demo_is_sql(questionnaire):
    decision = decide(questionnaire, HOT_ANSWERS)
    assert decision.stage == "sql"
    assert not decision.unchecked


def test_a_blacklist_disqualifies_before_anything_else(questionnaire):
    decision = decide(questionnaire, HOT_ANSWERS, LeadFacts(blacklisted="competitor list"))
    assert decision.stage == "disqualified"
    assert "competitor list" in decision.reasons[0]


def test_a_fit_disqualify_answer_disqualifies(questionnaire):
    assert decide(questionnaire, answers(region="rest_of_world")).stage == "disqualified"


def test_below_60_percent_fit_completeness_a_lead_cannot_be_mql(questionnaire):
    partial = {k: v for k, v in HOT_ANSWERS.items() if k not in ("budget", "maturity", "region")}
    decision = decide(questionnaire, partial)
    assert decision.stage == "lead"
    assert "50% complete" in decision.reasons[0]


def test_below_the_mql_threshold_stays_lead(questionnaire):
    assert decide(questionnaire, POOR_FIT_ANSWERS).stage == "lead"


def test_a_good_fit_with_only_a_weak_signal_never_becomes_sql(questionnaire):
    # FIT 95 but no demo, no project, no timeline: total 47.5 < 70 and no strong signal.
    values = answers(demo="no", project="exploring", timeline="6_12_months", triggers=[])
    decision = decide(questionnaire, values)
    assert decision.stage == "mql"
    assert not decision.sql_candidate


def test_one_strong_signal_with_good_fit_fast_tracks_to_sql_candidate(questionnaire):
    # Total 65.5 < 70, but a demo request and FIT 95 ≥ 60 make it a candidate.
    values = answers(project="exploring", triggers=[], timeline="3_6_months")
    decision = decide(questionnaire, values)
    assert decision.sql_candidate and decision.stage == "sql"
    assert any("fast track" in r for r in decision.reasons)


def test_more_than_two_unchecked_boxes_keep_a_candidate_in_nurture(questionnaire):
    facts = LeadFacts(business_email=False, has_phone=False)
    values = answers(region="europe")  # core zone unchecked too: three boxes
    decision = decide(questionnaire, values, facts)
    assert decision.sql_candidate and decision.stage == "mql"
    assert len(decision.unchecked) == 3
    assert "3 checklist boxes unchecked" in decision.reasons[-1]


def test_two_unchecked_boxes_still_pass(questionnaire):
    decision = decide(questionnaire, HOT_ANSWERS, LeadFacts(business_email=False, has_phone=False))
    assert decision.stage == "sql"
    assert len(decision.unchecked) == 2


def test_not_now_vetoes_an_sql_candidate(questionnaire):
    values = answers(timeline="not_now")
    decision = decide(questionnaire, values)
    assert decision.sql_candidate and decision.stage == "mql"
    assert "not now" in decision.reasons[-1]


def test_the_checklist_has_spec_groups(questionnaire):
    groups = {item.group for item in decide(questionnaire, HOT_ANSWERS).checklist}
    assert groups == {"FIT", "INTENT", "TIMING", "DATA"}


def test_a_vetoed_candidate_names_its_unchecked_boxes_too(questionnaire):
    from qualify.core.stages import LeadFacts

    decision = decide(questionnaire, answers(timeline="not_now"), LeadFacts(False, False))
    assert decision.stage == "mql"
    assert "not now" in decision.reasons[-1]
    assert "DATA: business email" in decision.reasons[-1]


def test_weak_signals_never_fast_track_a_good_fit_where_one_strong_signal_does(questionnaire):
    now = datetime(2026, 12, 1)
    values = answers(demo="no", project="active", timeline="3_6_months", triggers=[])
    weak = [BehaviourEvent("email_open", now), BehaviourEvent("page_view", now)]
    strong = [BehaviourEvent("pricing_visits", now)]
    weak_score = score_answers(questionnaire, values, weak, now=now)
    strong_score = score_answers(questionnaire, values, strong, now=now)
    assert weak_score.fit >= questionnaire.thresholds.fast_track_fit
    assert weak_score.intent == 20 and weak_score.total < questionnaire.thresholds.sql
    weak_decision = decide_stage(questionnaire, weak_score, GOOD_DATA)
    assert (weak_decision.stage, weak_decision.sql_candidate) == ("mql", False)
    strong_decision = decide_stage(questionnaire, strong_score, GOOD_DATA)
    assert strong_decision.sql_candidate and strong_decision.stage == "sql"
    # The prospect's own wording of the checklist result: no "box(es)".
    assert strong_decision.reasons[-1] == "SQL: checklist passed, every box checked."


def test_the_sql_reason_counts_unchecked_boxes_in_plain_words(questionnaire):
    one = decide(questionnaire, HOT_ANSWERS, LeadFacts(business_email=True, has_phone=False))
    assert one.stage == "sql"
    assert one.reasons[-1] == (
        "SQL: checklist passed with 1 unchecked box: DATA: a second contact channel (phone)."
    )
    two = decide(questionnaire, HOT_ANSWERS, LeadFacts(business_email=False, has_phone=False))
    assert two.reasons[-1].startswith("SQL: checklist passed with 2 unchecked boxes: ")
