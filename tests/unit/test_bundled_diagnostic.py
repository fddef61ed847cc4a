"""The bundled questionnaire's diagnostic tells each prospect what their answers say: the band
a dimension lands in describes the answer given, not a neighbouring one."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualify.core.diagnostic import diagnose
from qualify.core.loader import load_questionnaire

BUNDLED = Path(__file__).resolve().parents[2] / "questionnaires" / "customer-data-maturity.yaml"


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire(BUNDLED)


def band_of(questionnaire, dimension: str, answers: dict) -> str:
    result = diagnose(questionnaire, answers)
    return next(d.band.title for d in result.dimensions if d.id == dimension)


@pytest.mark.parametrize(
    "maturity, band",
    [
        ("spreadsheets", "Scattered"),
        ("crm", "Connected"),
        ("warehouse", "Connected"),  # "partly connected" is not "a governed customer view"
        ("unified", "Unified"),
    ],
)
def test_data_foundations_band_matches_how_customer_data_is_brought_together(
    questionnaire, maturity, band
):
    assert band_of(questionnaire, "data", {"maturity": maturity}) == band


@pytest.mark.parametrize("triggers", [[], ["none"], ["hiring"], ["migration"]])
def test_an_active_project_due_within_3_months_is_ready_to_move(questionnaire, triggers):
    answers = {"project": "active", "timeline": "under_3_months", "triggers": triggers}
    assert band_of(questionnaire, "momentum", answers) == "Ready to move"


@pytest.mark.parametrize(
    "project, timeline, band",
    [
        ("none", "not_now", "Waiting"),
        ("none", "6_12_months", "Waiting"),
        ("exploring", "3_6_months", "Warming up"),
        ("active", "6_12_months", "Warming up"),
    ],
)
def test_momentum_without_a_near_deadline_is_waiting_or_warming_up(
    questionnaire, project, timeline, band
):
    answers = {"project": project, "timeline": timeline, "triggers": ["none"]}
    assert band_of(questionnaire, "momentum", answers) == band
