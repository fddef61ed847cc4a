"""``show_if``: which questions a prospect is shown, given their earlier answers.

A hidden question's answer is ignored everywhere (scoring, diagnostic, routing), so a
skipped branch never counts against the prospect.
"""

from __future__ import annotations

from collections.abc import Mapping

from .answers import Answer, Answers, answer_values
from .questionnaire import Condition, Question, Questionnaire

#: The last (questionnaire, answers, questions shown): a step page asks the same several
#: times (progress, Back, the furthest step, the diagnostic). One tuple, swapped whole.
_last_visible: tuple[Questionnaire, dict, list[Question]] | None = None


def _typed(answers: Answers) -> dict:
    """The answers with each value's type: 1 == 1.0 == True, yet a condition reads True as
    "yes" and 1 as "1", so equal answers of another type are other answers. A copy, so an
    answers dict changed in place later is not taken for the one remembered."""
    return {
        k: (type(v), tuple((type(x), x) for x in v)) if isinstance(v, list) else (type(v), v)
        for k, v in answers.items()
    }


def visible_questions(questionnaire: Questionnaire, answers: Answers) -> list[Question]:
    """The questions shown for these answers, in order (a new list each call).

    Conditions read only the answers of questions shown before, so a question that depends
    on a hidden one is hidden too.
    """
    global _last_visible
    last = _last_visible
    typed = _typed(answers)
    if last is not None and last[0] is questionnaire and last[1] == typed:
        return list(last[2])
    shown = _visible_questions(questionnaire, answers)
    _last_visible = (questionnaire, typed, shown)
    return list(shown)


def _visible_questions(questionnaire: Questionnaire, answers: Answers) -> list[Question]:
    shown: list[Question] = []
    seen: dict[str, tuple[Question, Answer]] = {}
    for question in questionnaire.questions():
        if question.show_if is None or condition_holds(question.show_if, seen):
            shown.append(question)
            seen[question.id] = (question, answers.get(question.id))
    return shown


def is_shown(questionnaire: Questionnaire, question_id: str, answers: Answers) -> bool:
    """Whether the question is shown for these answers."""
    return any(q.id == question_id for q in visible_questions(questionnaire, answers))


def visible_answers(questionnaire: Questionnaire, answers: Answers) -> dict[str, Answer]:
    """The answers without those to hidden questions (hidden fields are kept)."""
    shown = {q.id for q in visible_questions(questionnaire, answers)}
    asked = {q.id for q in questionnaire.questions()}
    return {k: v for k, v in answers.items() if k in shown or k not in asked}


def condition_holds(condition: Condition, seen: Mapping[str, tuple[Question, Answer]]) -> bool:
    """Whether a condition holds for the answers of the questions ``seen`` (shown) so far."""
    if condition.all is not None:
        return all(condition_holds(c, seen) for c in condition.all)
    if condition.any is not None:
        return any(condition_holds(c, seen) for c in condition.any)
    if condition.question not in seen:
        return False  # unknown, later or hidden: nothing to compare with
    question, answer = seen[condition.question]
    return bool(set(answer_values(question, answer)) & set(condition.values()))
