"""The report and dossier contexts: what the PDFs say, decided without WeasyPrint."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from qualify.core.loader import load_questionnaire
from qualify.core.scoring import score_answers
from qualify.core.stages import LeadFacts, decide_stage
from qualify.reports.context import (
    MAX_FREE_TEXT,
    build_chart,
    cap_text,
    dossier_context,
    format_datetime,
    parse_reason,
    report_context,
    summarise_why,
)

ROOT = Path(__file__).resolve().parents[2]
HOT = {
    "company_size": "200-999",
    "industry": "saas",
    "region": "france",
    "role": "executive",
    "budget": "allocated",
    "maturity": "warehouse",
    "triggers": ["migration"],
    "project": "active",
    "timeline": "under_3_months",
    "demo": "yes",
}
COLD = {"company_size": "1-49", "maturity": "spreadsheets", "project": "none", "budget": "none"}


@dataclass
class FakeLead:
    first_name: str = "Claire"
    last_name: str = "Dupont"
    company: str = "BigCo Industries"
    email: str = "claire@bigco.example"
    phone: str = "+33 1 23 45 67 89"
    job_title: str = "Chief Data Officer"
    stage: str = "routed"


@dataclass
class FakeRep:
    name: str = "Marc Vendeur"
    email: str = "marc@seller.example"


@dataclass
class FakeAssignment:
    sla_due_at: datetime = datetime(2025, 3, 4, 16, 0)
    assigned_at: datetime = datetime(2025, 3, 4, 8, 0)
    reason: str = "sector saas and zone france match; least loaded"


@dataclass
class FakeEvent:
    from_stage: str | None
    to_stage: str
    actor: str = "qualify"
    reason: str = "scored"
    at: datetime = datetime(2025, 3, 4, 8, 0)


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire(ROOT / "questionnaires" / "customer-data-maturity.yaml")


SALES_READY = LeadFacts(has_phone=True)


def make_details(questionnaire, answers, facts: LeadFacts = SALES_READY) -> dict:
    """Snapshot details exactly as the submit service stores them."""
    score = score_answers(questionnaire, answers)
    decision = decide_stage(questionnaire, score, facts)
    return {
        "score": score.as_dict(),
        "reasons": [str(r) for r in score.reasons],
        "checklist": [item.as_dict() for item in decision.checklist],
        "decision": list(decision.reasons),
        "stage": decision.stage,
    }


# -- the prospect's report --


def test_report_names_the_prospect_and_company(questionnaire):
    context = report_context(questionnaire, FakeLead(), HOT, {})
    assert context["prospect"]["name"] == "Claire Dupont"
    assert context["prospect"]["company"] == "BigCo Industries"


def test_report_falls_back_to_contact_answers_when_the_lead_has_no_name(questionnaire):
    lead = FakeLead(first_name="", last_name="", company="")
    answers = {**HOT, "contact.first_name": "Αθηνά", "contact.company": "Ωμέγα ΑΕ"}
    context = report_context(questionnaire, lead, answers, {})
    assert context["prospect"]["name"] == "Αθηνά"
    assert context["prospect"]["company"] == "Ωμέγα ΑΕ"


def test_report_recommendations_follow_the_score_bands(questionnaire):
    hot = report_context(questionnaire, FakeLead(), HOT, {})
    cold = report_context(questionnaire, FakeLead(), COLD, {})
    assert {r["title"] for r in hot["recommendations"]} >= {"Ready to move", "Committed"}
    assert {r["title"] for r in cold["recommendations"]} == {
        "Scattered",
        "Unsponsored",
        "Waiting",
    }
    assert hot["diagnostic"]["band_title"] == "Advanced"
    assert cold["diagnostic"]["band_title"] == "Getting started"


def test_report_recommendations_start_with_the_weakest_dimension(questionnaire):
    context = report_context(questionnaire, FakeLead(), HOT, {})
    percents = [r["percent"] for r in context["recommendations"]]
    assert percents == sorted(percents)


def test_report_says_what_each_answer_means_in_the_prospects_words(questionnaire):
    context = report_context(questionnaire, FakeLead(), HOT, {})
    rows = {row["id"]: row for row in context["answers"]}
    assert rows["company_size"]["answer"] == "200–999"
    assert rows["demo"]["answer"] == "Yes"
    assert rows["role"]["question"] == "What best describes your role?"


def test_report_leaves_out_unanswered_questions(questionnaire):
    context = report_context(questionnaire, FakeLead(), COLD, {})
    assert {row["id"] for row in context["answers"]} == set(COLD)


def test_report_next_step_carries_the_booking_url(questionnaire):
    context = report_context(questionnaire, FakeLead(), HOT, {})
    assert context["next_step"]["url"] == questionnaire.next_step.url


def test_chart_has_overall_first_then_every_dimension(questionnaire):
    context = report_context(questionnaire, FakeLead(), HOT, {})
    bars = context["chart"]["bars"]
    assert bars[0]["overall"] and bars[0]["percent"] == context["diagnostic"]["percent"]
    assert [b["label"] for b in bars[1:]] == [d.label for d in questionnaire.diagnostic.dimensions]


def test_chart_bar_length_is_proportional_to_the_score(questionnaire):
    from qualify.core.diagnostic import diagnose

    chart = build_chart(diagnose(questionnaire, HOT), "Overall")
    for bar in chart["bars"]:
        assert bar["width"] == pytest.approx(chart["bar_width"] * bar["percent"] / 100, abs=0.1)


# -- the rep's dossier --


def dossier(questionnaire, answers=HOT, **overrides):
    arguments = {
        "assignment": FakeAssignment(),
        "rep": FakeRep(),
        "events": [FakeEvent(None, "lead"), FakeEvent("lead", "sql")],
        "links": {"lead": "https://qualify.example/leads/7?sig=abc"},
        **overrides,
    }
    return dossier_context(
        questionnaire, FakeLead(), answers, make_details(questionnaire, answers), **arguments
    )


def test_dossier_says_why_sql_in_three_lines(questionnaire):
    context = dossier(questionnaire)
    assert len(context["why"]) == 3
    assert context["why"][-1].startswith("SQL: checklist passed")


def test_dossier_first_page_has_the_sla_due_time_and_the_rep(questionnaire):
    context = dossier(questionnaire)
    assert context["routing"]["sla_due"] == "2025-03-04 16:00 UTC"
    assert context["routing"]["rep_name"] == "Marc Vendeur"
    assert "least loaded" in context["routing"]["reason"]


def test_dossier_shows_times_in_the_sales_teams_zone(questionnaire):
    context = dossier_context(
        questionnaire,
        FakeLead(),
        HOT,
        make_details(questionnaire, HOT),
        FakeAssignment(),
        FakeRep(),
        tz="Europe/Paris",
    )
    assert context["routing"]["sla_due"] == "2025-03-04 17:00 Europe/Paris"


def test_dossier_without_an_assignment_says_not_routed(questionnaire):
    context = dossier(questionnaire, assignment=None, rep=None)
    assert context["routing"]["routed"] is False
    assert context["routing"]["sla_due"] == "—"


def test_dossier_lists_every_question_even_unanswered(questionnaire):
    context = dossier(questionnaire, answers=COLD)
    assert len(context["answers"]) == len(questionnaire.questions())
    assert {row["answer"] for row in context["answers"] if row["id"] == "demo"} == {"—"}


def test_dossier_score_table_puts_each_point_under_its_block(questionnaire):
    table = dossier(questionnaire)["score_table"]
    blocks = {b["name"]: b for b in table["blocks"]}
    assert [b["name"] for b in table["blocks"]] == ["FIT", "INTENT", "TIMING"]
    assert any("demo or contact request" in r["text"] for r in blocks["INTENT"]["reasons"])
    assert any(r["points"] == 50 for r in blocks["TIMING"]["reasons"])
    assert sum(r["points"] for r in blocks["FIT"]["reasons"]) == pytest.approx(
        float(blocks["FIT"]["score"]), abs=0.2
    )
    assert table["total_reasons"][0].startswith("Total")
    assert table["other_reasons"] == []


def test_zero_point_reasons_are_placed_by_their_wording(questionnaire):
    labels = [c.label for c in questionnaire.fit_criteria.values()]
    assert parse_reason("Budget: not answered", labels)["block"] == "fit"
    assert parse_reason('"not now" answered (x): veto, back to nurturing', labels)["block"] == (
        "timing"
    )
    assert parse_reason("+25 FIT: Company size 200–999: the exact ICP range", labels) == {
        "block": "fit",
        "points": 25.0,
        "text": "Company size 200–999: the exact ICP range",
    }


def test_structured_reasons_are_taken_as_they_are():
    reason = {"block": "intent", "points": 0, "text": "INTENT capped at 100"}
    assert parse_reason(reason) == {"block": "intent", "points": 0.0, "text": reason["text"]}


def test_dossier_checklist_keeps_groups_and_counts_unchecked(questionnaire):
    facts = LeadFacts(has_phone=False, business_email=False)
    answers = {**HOT, "region": "europe"}
    details = make_details(questionnaire, answers, facts)
    context = dossier_context(questionnaire, FakeLead(), answers, details)
    checklist = context["checklist"]
    assert [g["name"] for g in checklist["groups"]] == ["FIT", "INTENT", "TIMING", "DATA"]
    assert set(checklist["unchecked"]) == {
        "FIT: core zone",
        "DATA: business email (not free webmail or disposable)",
        "DATA: a second contact channel (phone)",
    }
    assert checklist["checked"] + len(checklist["unchecked"]) == checklist["total"]


def test_dossier_lists_events_and_labelled_links(questionnaire):
    context = dossier(questionnaire, links={"lead": "https://x/1", "feedback": "https://x/2"})
    assert [(e["from_stage"], e["to_stage"]) for e in context["events"]] == [
        ("—", "lead"),
        ("lead", "sql"),
    ]
    assert [link["label"] for link in context["links"]] == ["Open the lead", "Give feedback"]


def test_why_keeps_the_last_three_decision_steps():
    details = {"decision": ["a", "b", "c", "d"]}
    assert summarise_why(details) == ["b", "c", "d"]


# -- limits and boundaries --


def test_free_text_is_capped():
    capped = cap_text("x" * 5000)
    assert len(capped) == MAX_FREE_TEXT and capped.endswith("…")


def test_prospect_text_is_kept_verbatim_for_the_template_to_escape(questionnaire):
    lead = FakeLead(company="ACME <script>alert(1)</script>")
    assert report_context(questionnaire, lead, HOT, {})["prospect"]["company"] == (
        "ACME <script>alert(1)</script>"
    )


def test_format_datetime_reads_stored_times_as_utc():
    assert format_datetime(datetime(2025, 1, 1, 9, 30)) == "2025-01-01 09:30 UTC"
    assert format_datetime(None) == "—"


def test_importing_the_reports_package_does_not_load_weasyprint():
    code = (
        "import sys, qualify.reports, qualify.reports.context; print('weasyprint' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "False"


# -- branding --


def test_report_colours_come_from_the_questionnaire_theme():
    from qualify.core.questionnaire import Theme
    from qualify.reports.context import DEFAULT_PRIMARY, DEFAULT_SOFT, brand_colours

    assert brand_colours(Theme()) == {
        "primary": DEFAULT_PRIMARY,
        "on_primary": "#ffffff",
        "soft": DEFAULT_SOFT,
    }
    teal = brand_colours(Theme(primary_color="#0f766e", accent_color="#ccfbf1"))
    assert teal == {"primary": "#0f766e", "on_primary": "#ffffff", "soft": "#ccfbf1"}


def test_report_colours_keep_every_text_readable():
    from qualify.core.questionnaire import Theme
    from qualify.reports.context import DEFAULT_SOFT, brand_colours

    light = brand_colours(Theme(primary_color="#ffe066"))
    assert light["on_primary"] == "#1d2433"  # dark text on a light primary
    # a dark accent would hide the body text printed on it: the default tint is kept
    assert brand_colours(Theme(accent_color="#3a0ca3"))["soft"] == DEFAULT_SOFT


def test_report_context_carries_the_theme_and_a_localised_date(questionnaire):
    from datetime import date

    context = report_context(questionnaire, FakeLead(), HOT, {}, today=date(2026, 12, 4))
    assert context["theme"]["primary"] == "#102a43" and context["logo"] is None
    assert context["prepared_on"] == "December 4, 2026"


def test_a_french_report_says_oui_non_and_french_country_names():
    french = load_questionnaire(ROOT / "questionnaires" / "paie-rh-pme.yaml")
    answers = {"pays": "DE", "echange": "yes"}
    rows = {r["id"]: r["answer"] for r in report_context(french, FakeLead(), answers)["answers"]}
    assert (rows["pays"], rows["echange"]) == ("Allemagne", "Oui")
    no = report_context(french, FakeLead(), {"echange": "no"})["answers"]
    assert [r["answer"] for r in no] == ["Non"]


def test_an_english_report_says_yes(questionnaire):
    rows = {r["id"]: r["answer"] for r in report_context(questionnaire, FakeLead(), HOT)["answers"]}
    assert rows["demo"] == "Yes"
