"""`qualify test`: fixture cases beside the questionnaires, with a readable diff on failure."""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

from click.testing import CliRunner

from qualify.cli import main

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = ROOT / "questionnaires"


def run(*args):
    return CliRunner().invoke(main, ["test", *map(str, args)])


def test_the_bundled_questionnaires_pass_their_cases():
    result = run(QUESTIONNAIRES)
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output
    assert "PASS A competitor is disqualified" in result.output


def test_a_changed_expected_stage_fails_with_the_difference_and_the_reasons(tmp_path):
    shutil.copy(QUESTIONNAIRES / "customer-data-maturity.yaml", tmp_path)
    cases = (QUESTIONNAIRES / "customer-data-maturity.cases.yaml").read_text()
    cases = cases.replace("expect: {stage: lead}", "expect: {stage: sql}", 1)
    (tmp_path / "customer-data-maturity.cases.yaml").write_text(cases)
    result = run(tmp_path)
    assert result.exit_code == 1
    assert "FAIL A small public-sector team with no project is a plain lead" in result.output
    assert "stage: expected 'sql', got 'lead'" in result.output
    assert "below the MQL threshold" in result.output  # the reasons are shown


def test_a_wrong_routing_expectation_names_the_rep_actually_chosen(tmp_path):
    shutil.copy(QUESTIONNAIRES / "customer-data-maturity.yaml", tmp_path)
    cases = (QUESTIONNAIRES / "customer-data-maturity.cases.yaml").read_text()
    cases = cases.replace("routed_to: hugo.bernard@", "routed_to: sarah.klein@", 1)
    (tmp_path / "customer-data-maturity.cases.yaml").write_text(cases)
    result = run(tmp_path)
    assert result.exit_code == 1
    assert "expected 'sarah.klein@acme-data.example', got 'hugo.bernard@acme-data.example'" in result.output


def test_a_mistake_in_a_cases_file_is_reported_with_its_line(tmp_path):
    shutil.copy(QUESTIONNAIRES / "customer-data-maturity.yaml", tmp_path)
    (tmp_path / "bad.cases.yaml").write_text(
        "questionnaire: customer-data-maturity\ncases:\n  - name: x\n    answers: {}\n    expct: {stage: sql}\n"
    )
    result = run(tmp_path)
    assert result.exit_code == 1
    assert "bad.cases.yaml:5" in result.output


def write_example_with_cases(tmp_path, cases: str) -> None:
    """The full-format example questionnaire and a cases file for it, in tmp_path."""
    # The example lives with the unit tests; run_path works whichever tests are collected.
    example = runpy.run_path(str(ROOT / "tests" / "unit" / "test_format_example.py"))["EXAMPLE"]
    (tmp_path / "format-example.yaml").write_text(example)
    (tmp_path / "format-example.cases.yaml").write_text(
        "questionnaire: format-example\ncases:\n" + cases
    )


HOT_CASE_ANSWERS = (
    "{company_size: 200-999, industry: saas, country: FR, role: executive, tools: crm, "
    "project: active, maturity: 5, demo: 'yes'}"
)


def test_a_case_can_pass_hidden_fields_and_name_boxes_by_id(tmp_path):
    write_example_with_cases(
        tmp_path,
        "  - name: a partner's lead needs no industry answer\n"
        "    answers: {company_size: 200-999, country: DE, role: executive, tools: crm,\n"
        "              project: active, maturity: 5, demo: 'yes'}\n"
        "    hidden: {partner: retail-club, utm_campaign: enterprise-2026}\n"
        "    expect: {stage: sql, unchecked: []}\n"
        "  - name: a large company waits for review\n"
        f"    answers: {HOT_CASE_ANSWERS.replace('200-999', '1000+')}\n"
        "    expect: {stage: sql_review, unchecked: [fit_company_size]}\n",
    )
    result = run(tmp_path)
    assert result.exit_code == 0, result.output
    assert "2 passed, 0 failed" in result.output


def test_a_case_routes_by_the_zone_of_a_country_answer(tmp_path):
    write_example_with_cases(
        tmp_path,
        "  - name: France goes to the French SaaS rep\n"
        f"    answers: {HOT_CASE_ANSWERS}\n"
        "    expect: {stage: sql, routed_to: camille.martin@acme-data.example}\n"
        "  - name: Spain goes to the Europe rep\n"
        f"    answers: {HOT_CASE_ANSWERS.replace('FR', 'ES')}\n"
        "    expect: {stage: sql, routed_to: sarah.klein@acme-data.example}\n",
    )
    result = run(tmp_path)
    assert result.exit_code == 0, result.output
    assert "2 passed, 0 failed" in result.output
