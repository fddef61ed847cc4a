"""`qualify test`: fixture cases beside the questionnaires, with a readable diff on failure."""

from __future__ import annotations

import re
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
    line = 1 + next(
        n for n, text in enumerate(cases.splitlines()) if "with no project is a plain lead" in text
    )
    assert (
        "FAIL A small public-sector team with no project is a plain lead "
        f"({tmp_path / 'customer-data-maturity.cases.yaml'}:{line})" in result.output
    )
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


def test_a_questionnaire_that_does_not_load_shows_its_mistakes(tmp_path):
    for name in ("paie-rh-pme.yaml", "paie-rh-pme.cases.yaml"):
        shutil.copy(QUESTIONNAIRES / name, tmp_path)
    source = (tmp_path / "paie-rh-pme.yaml").read_text()
    (tmp_path / "paie-rh-pme.yaml").write_text(
        source.replace("timing: [timeline_3m]", "timing: [timeline_3_months]")
    )
    result = run(tmp_path)
    assert result.exit_code == 1
    assert "no valid questionnaire 'paie-rh-pme' beside it" in result.output
    line = 1 + source.splitlines().index(
        next(t for t in source.splitlines() if "timing: [timeline_3m]" in t)
    )
    assert f"paie-rh-pme.yaml:{line}:" in result.output
    assert "unknown TIMING signal 'timeline_3_months'" in result.output
    assert "hint: did you mean 'timeline_3m'?" in result.output


def test_a_case_naming_what_the_questionnaire_lacks_is_refused_with_its_line(tmp_path):
    write_example_with_cases(
        tmp_path,
        "  - name: typos\n"
        "    answers: {company_size: 200-999, industri: saas, country: XX, role: executiv}\n"
        "    hidden: {utm_campain: spring}\n"
        "    expect: {stage: sql-review, unchecked: [fit_core_zon]}\n",
    )
    result = run(tmp_path)
    assert result.exit_code == 1
    assert "PASS" not in result.output and "FAIL" not in result.output  # not run on typos
    cases = tmp_path / "format-example.cases.yaml"
    expected = [
        (4, "answers question 'industri', which the questionnaire does not have",
         "did you mean 'industry'?"),
        (4, "answers 'country' with 'XX', which is not an ISO 3166-1 country code",
         "write the two-letter ISO code"),
        (4, "answers 'role' with 'executiv', which is not one of its choices",
         "did you mean 'executive'?"),
        (5, "passes hidden field 'utm_campain', which the questionnaire does not declare",
         "did you mean 'utm_campaign'?"),
        (6, "expects stage 'sql-review', which the stage decision never gives",
         "did you mean 'sql_review'?"),
        (6, "expects box 'fit_core_zon' unchecked, which the checklist does not have",
         "did you mean 'fit_core_zone'?"),
    ]  # fmt: skip
    for line, message, hint in expected:
        assert re.search(
            rf"{re.escape(str(cases))}:{line}:\d+: case 'typos' {re.escape(message)}\n"
            rf"    hint: {re.escape(hint)}",
            result.output,
        ), result.output


def test_a_case_answering_a_scale_or_yes_no_with_what_it_cannot_give_is_refused(tmp_path):
    answers = "    answers: {company_size: 200-999, maturity: huit, demo: oui}"
    write_example_with_cases(
        tmp_path, f"  - name: words\n{answers}\n    expect: {{stage: sql}}\n"
    )
    result = run(tmp_path)
    assert result.exit_code == 1
    cases = tmp_path / "format-example.cases.yaml"
    assert (
        f"{cases}:4:{answers.index('huit') + 1}: case 'words' answers 'maturity' with 'huit', "
        "which is not one of its answers\n    hint: write one of: 1, 2, 3, 4, 5\n"
    ) in result.output
    assert (
        f"{cases}:4:{answers.index('oui') + 1}: case 'words' answers 'demo' with 'oui', "
        'which is not one of its answers\n    hint: write one of: yes, no (in quotes: "yes", "no")\n'
    ) in result.output


def test_a_misspelt_key_in_a_cases_file_gets_the_nearest_valid_one(tmp_path):
    write_example_with_cases(
        tmp_path,
        "  - name: typos\n"
        "    answer: {company_size: 200-999}\n"
        "    expect: {stage: sql, routed: someone@example.com}\n",
    )
    result = run(tmp_path)
    assert result.exit_code == 1
    cases = tmp_path / "format-example.cases.yaml"
    assert f"{cases}:4:5: unknown key 'answer' in cases[0]\n    hint: did you mean 'answers'?\n" in (
        result.output
    )
    assert (
        f"{cases}:5:26: unknown key 'routed' in cases[0].expect\n"
        "    hint: did you mean 'routed_to'?\n"
    ) in result.output
    assert "missing required key" not in result.output  # the misspelling says it once
    assert result.output.index(f"{cases}:4:5:") < result.output.index(f"{cases}:5:26:")
