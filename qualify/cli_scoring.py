"""``qualify score``: score a file of answers against a questionnaire, without the app."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .core.emails import is_business_email
from .core.loader import QuestionnaireError, load_questionnaire
from .core.questionnaire import CHOICE_TYPES
from .core.scoring import score_answers
from .core.stages import LeadFacts, decide_stage


def qualify_answers(questionnaire, answers: dict) -> dict:
    """The qualification of ``answers`` as a JSON-ready dict (what ``qualify score`` prints)."""
    email = str(answers.get("contact.email") or answers.get("email") or "")
    phone = str(answers.get("contact.phone") or answers.get("phone") or "")
    facts = LeadFacts(
        business_email=is_business_email(email) if email else False,
        has_phone=bool(phone.strip()),
    )
    result = score_answers(questionnaire, answers)
    decision = decide_stage(questionnaire, result, facts)
    return {
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        **result.as_dict(),
        "stage": decision.stage,
        "sql_candidate": decision.sql_candidate,
        "checklist": [item.as_dict() for item in decision.checklist],
        "reasons": [str(r) for r in result.reasons] + list(decision.reasons),
    }


def unoffered_answers(questionnaire, answers: dict) -> list[str]:
    """Answers to a choice question that are none of its choices: scored as not answered, so
    named, with the choices, rather than silently lowering the score (a typo, '200-99')."""
    lines = []
    for question_id, answer in answers.items():
        question = questionnaire.question(question_id) if isinstance(question_id, str) else None
        if question is None or question.type not in CHOICE_TYPES:
            continue
        offered = [choice.value for choice in question.choices]
        for value in answer if isinstance(answer, list) else [answer]:
            if str(value) not in offered:
                lines.append(
                    f"'{question_id}' has no answer '{value}' (scored as not answered); "
                    f"write one of: {', '.join(offered)}"
                )
    return lines


@click.command()
@click.argument("questionnaire_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("answers_file", type=click.File("r", encoding="utf-8"))
def score(questionnaire_file: Path, answers_file) -> None:
    """Score ANSWERS_FILE (JSON: {"question_id": value or [values]}) and print the result.

    Contact fields may be given as "contact.email" / "contact.phone" to check the DATA boxes
    of the SQL-ready checklist. Use - to read the answers from standard input.
    """
    try:
        questionnaire = load_questionnaire(questionnaire_file)
    except QuestionnaireError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    try:
        answers = json.load(answers_file)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not valid JSON: {exc}", param_hint="ANSWERS_FILE") from exc
    if not isinstance(answers, dict):
        raise click.BadParameter('expected a JSON object {"question_id": value}', param_hint="ANSWERS_FILE")
    unknown = sorted(k for k in answers if not k.startswith("contact.") and k not in ("email", "phone")
                     and questionnaire.question(k) is None)
    if unknown:
        click.echo(f"warning: no such question in {questionnaire.id}: {', '.join(unknown)}", err=True)
    for line in unoffered_answers(questionnaire, answers):
        click.echo(f"warning: {line}", err=True)
    click.echo(json.dumps(qualify_answers(questionnaire, answers), indent=2, ensure_ascii=False))
