"""Per-questionnaire checklist overrides (by stable item id) and the review rule that holds
some SQLs for a human as ``sql_review``."""

from __future__ import annotations

import pytest
from test_format_example import EXAMPLE, HOT, load_text

from qualify.core.questionnaire import CHECKLIST_IDS
from qualify.core.scoring import score_answers
from qualify.core.stages import DEFAULT_CHECKLIST, LeadFacts, decide_stage


@pytest.fixture
def full(tmp_path):
    """The full-format example, loaded."""
    return load_text(tmp_path, EXAMPLE)


GOOD_DATA = LeadFacts(business_email=True, has_phone=False)


def decide(questionnaire, values, facts=GOOD_DATA):
    return decide_stage(questionnaire, score_answers(questionnaire, values), facts)


def test_every_default_item_has_a_stable_id():
    assert tuple(rule.id for rule in DEFAULT_CHECKLIST) == CHECKLIST_IDS


def test_the_default_checklist_keeps_its_ids_and_texts(questionnaire):
    checklist = decide(questionnaire, {}).checklist
    assert checklist[0].as_dict() == {
        "id": "fit_company_size",
        "group": "FIT",
        "item": "company size at ICP level",
        "checked": False,
    }
    assert len(checklist) == 11


def test_a_disabled_item_is_gone(full):
    ids = [item.id for item in decide(full, HOT).checklist]
    assert "data_second_channel" not in ids
    assert len(ids) == 10


def test_a_replaced_item_has_its_new_text_and_check(full):
    europe = decide(full, {**HOT, "country": "DE"})
    zone = next(item for item in europe.checklist if item.id == "fit_core_zone")
    assert (zone.item, zone.checked) == ("France or Europe", True)
    elsewhere = decide(full, {**HOT, "country": "US"})
    assert [i.id for i in elsewhere.unchecked] == ["fit_core_zone"]


def test_an_sql_the_review_rule_does_not_catch_is_sql(full):
    decision = decide(full, HOT)
    assert decision.stage == "sql"


def test_a_large_company_waits_for_review_with_the_reason(full):
    decision = decide(full, {**HOT, "company_size": "1000+"})
    assert decision.stage == "sql_review"
    assert decision.sql_candidate
    assert decision.reasons[-1] == (
        "Held for review by Marketing Ops: high-value or partial lead, validated by "
        "Marketing Ops: Company size 1000+."
    )


def test_partial_fit_data_waits_for_review(full):
    decision = decide(full, {k: v for k, v in HOT.items() if k != "maturity"})
    assert decision.stage == "sql_review"
    assert "FIT data 80% complete, below 100%" in decision.reasons[-1]


def test_review_never_holds_a_lead_that_is_not_sql(full):
    decision = decide(full, {**HOT, "company_size": "1000+", "country": "US", "demo": "no"})
    assert decision.stage == "mql"


def test_a_level_or_total_rule_holds_too(full):
    rule = full.review.model_validate(
        {"when_any": [{"criterion": "role", "level_in": ["sql"]}], "reason": "VIP"}
    )
    by_level = full.model_copy(update={"review": rule})
    assert (
        decide(by_level, HOT).reasons[-1]
        == "Held for review by Marketing Ops: VIP: Contact role at level sql."
    )
    rule = full.review.model_validate({"when_any": [{"total_at_least": 90}]})
    assert decide(full.model_copy(update={"review": rule}), HOT).stage == "sql"
