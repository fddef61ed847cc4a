"""Which steps and questions the prospect meets, given their answers (``show_if``).

Step numbers are the questionnaire's (1-based, the contact step last) so that URLs stay
stable; a step whose questions are all hidden is skipped going forward and back, and the
progress counts only the steps that will be shown. No Flask here: plain functions of the
questionnaire and the answers.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from ..core.answers import Answer, Answers, is_answered
from ..core.branching import condition_holds, visible_questions
from ..core.questionnaire import Condition, Question, Questionnaire


def contact_step(questionnaire: Questionnaire) -> int:
    """The contact step's number: after every question step."""
    return len(questionnaire.steps) + 1


def shown_steps(questionnaire: Questionnaire, answers: Answers) -> list[int]:
    """The numbers of the steps shown for these answers: question steps with at least one
    question shown, then the contact step (always shown)."""
    visible = {q.id for q in visible_questions(questionnaire, answers)}
    numbers = [
        number
        for number, step in enumerate(questionnaire.steps, 1)
        if any(q.id in visible for q in step.questions)
    ]
    return [*numbers, contact_step(questionnaire)]


def next_step(questionnaire: Questionnaire, answers: Answers, number: int) -> int:
    """The first shown step after ``number`` (the contact step at the end)."""
    return next(n for n in shown_steps(questionnaire, answers) if n > number)


def previous_step(questionnaire: Questionnaire, answers: Answers, number: int) -> int:
    """The last shown step before ``number``; step 1 when there is none."""
    earlier = [n for n in shown_steps(questionnaire, answers) if n < number]
    return earlier[-1] if earlier else 1


def first_shown_from(questionnaire: Questionnaire, answers: Answers, number: int) -> int:
    """``number`` if that step is shown, else the next shown one."""
    return next(n for n in shown_steps(questionnaire, answers) if n >= number)


def counted_steps(questionnaire: Questionnaire, answers: Answers) -> list[int]:
    """The steps a prospect is told about: the shown ones, and those hidden only until a
    question still to be asked is answered (an answer may show them). Counting these from
    the start, the total can only shrink as the prospect answers: counted as hidden, the
    intro promised 5 steps and "Step 1 of 5" became "Step 5 of 6" once a project was named.
    """
    shown = shown_steps(questionnaire, answers)
    awaited = {
        q.id
        for q in visible_questions(questionnaire, answers)
        if not is_answered(answers.get(q.id))
    }
    pending = [
        number
        for number, step in enumerate(questionnaire.steps, 1)
        if number not in shown
        and any(q.show_if and awaited & set(q.show_if.questions_named()) for q in step.questions)
    ]
    return sorted([*shown, *pending])


def progress(questionnaire: Questionnaire, answers: Answers, number: int) -> tuple[int, int]:
    """("Step n of N"): the step's position among the shown steps, and how many steps the
    prospect may still meet (``counted_steps``)."""
    shown = shown_steps(questionnaire, answers)
    position = sum(1 for n in shown if n < number) + 1
    return position, max(len(counted_steps(questionnaire, answers)), position)


def questions_on_page(
    questionnaire: Questionnaire, number: int, answers: Answers
) -> list[Question]:
    """The questions of step ``number`` to render.

    A condition on an earlier step's answer is decided now. A condition on a question of
    this same page that has no value yet may still come true while the prospect fills the
    page in: that question is shown (without JavaScript nothing would reveal it later), and
    only required on submit if its condition holds then (see ``hidden_on_submit``).
    """
    seen: dict[str, tuple[Question, Answer]] = {}
    pending: set[str] = set()
    page: list[Question] = []
    for step_number, step in enumerate(questionnaire.steps[:number], 1):
        for question in step.questions:
            on_page = step_number == number
            if not may_show(question.show_if, seen, pending if on_page else set()):
                continue
            if on_page:
                page.append(question)
            if on_page and not is_answered(answers.get(question.id)):
                pending.add(question.id)
            else:
                seen[question.id] = (question, answers.get(question.id))
    return page


def may_show(
    condition: Condition | None,
    seen: Mapping[str, tuple[Question, Answer]],
    pending: Collection[str],
) -> bool:
    """Whether a condition holds, or may still hold once the ``pending`` questions (on the
    same page, not answered yet) are answered."""
    if condition is None:
        return True
    if condition.all is not None:
        return all(may_show(c, seen, pending) for c in condition.all)
    if condition.any is not None:
        return any(may_show(c, seen, pending) for c in condition.any)
    if condition.question in pending:
        return True
    return condition_holds(condition, seen)


def hidden_on_submit(questionnaire: Questionnaire, number: int, answers: Answers) -> set[str]:
    """The ids of step ``number``'s questions that are hidden for the submitted answers:
    not required, and their answers not stored."""
    visible = {q.id for q in visible_questions(questionnaire, answers)}
    return {q.id for q in questionnaire.steps[number - 1].questions if q.id not in visible}


def answers_to_clear(questionnaire: Questionnaire, answers: Answers) -> dict[str, None]:
    """Stored answers of questions now hidden (an earlier answer changed): to remove, so
    that neither the report nor anything else shows an answer to a question not shown."""
    visible = {q.id for q in visible_questions(questionnaire, answers)}
    return {
        q.id: None
        for q in questionnaire.questions()
        if q.id not in visible and is_answered(answers.get(q.id))
    }
