"""``qualify score``: answers from a JSON file, scored without the app."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from qualify.cli_scoring import score

BUNDLED = Path(__file__).resolve().parent.parent / "questionnaires" / "customer-data-maturity.yaml"


def run(answers: dict):
    return CliRunner().invoke(score, [str(BUNDLED), "-"], input=json.dumps(answers))


def test_an_answer_a_choice_question_does_not_offer_is_named_with_the_choices():
    """A typo ('200-99') scored silently as 'not answered': a marketer trying answers read a
    lower FIT with no hint why. It is scored the same, with a warning naming the choices."""
    result = run({"company_size": "200-99", "triggers": ["hiring", "nope"], "region": "france"})
    assert result.exit_code == 0
    assert "warning: 'company_size' has no answer '200-99'" in result.stderr
    assert "1-49, 50-199, 200-999, 1000+" in result.stderr
    assert "warning: 'triggers' has no answer 'nope'" in result.stderr
    assert "'hiring'" not in result.stderr and "region" not in result.stderr
    assert json.loads(result.stdout)["fit_levels"].get("company_size") is None


def test_answers_the_questionnaire_offers_give_no_warning():
    result = run({"company_size": "200-999", "triggers": ["hiring"], "demo": "yes"})
    assert result.exit_code == 0
    assert result.stderr == ""
    assert json.loads(result.stdout)["fit_levels"]["company_size"] == "sql"
