"""`qualify test`: fixture cases beside the questionnaires, with a readable diff on failure."""

from __future__ import annotations

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
