"""The prospect's own self-diagnostic: points per answer into named dimensions, score bands
chosen into recommendations. This is what the prospect sees live and in their report.
"""

from __future__ import annotations

from dataclasses import dataclass

from .answers import Answers, is_answered
from .branching import visible_questions
from .questionnaire import Band, Question, Questionnaire
from .scoring import effects_of


@dataclass(frozen=True)
class DimensionResult:
    id: str
    label: str
    percent: int
    band: Band


@dataclass(frozen=True)
class DiagnosticResult:
    percent: int
    band: Band
    dimensions: tuple[DimensionResult, ...]
    answered: int  # questions answered so far
    total_questions: int  # questions shown: a skipped branch is not counted


def _band(bands: list[Band], percent: int) -> Band:
    for band in bands:
        if band.min <= percent <= band.max:
            return band
    return min(bands, key=lambda b: min(abs(b.min - percent), abs(b.max - percent)))


def max_points(questionnaire: Questionnaire, answers: Answers | None = None) -> dict[str, int]:
    """The most points each dimension can get; with ``answers``, from the questions shown
    for them only (a skipped question's points are out of reach, not missed)."""
    questions: list[Question] = (
        questionnaire.questions() if answers is None else visible_questions(questionnaire, answers)
    )
    best: dict[str, int] = {d.id: 0 for d in questionnaire.diagnostic.dimensions}
    for question in questions:
        for dimension, points in _question_max_points(question).items():
            if dimension in best:
                best[dimension] += points
    return best


#: id(question) -> (question, its most points per dimension); questions are frozen, and the
#: entry holds the question so that its id is not reused while the entry lives.
_QUESTION_MAX: dict[int, tuple[Question, dict[str, int]]] = {}
_QUESTION_MAX_SIZE = 4096


def _question_max_points(question: Question) -> dict[str, int]:
    """The most points one question can give each dimension (computed once per question:
    every step page's live diagnostic asks)."""
    entry = _QUESTION_MAX.get(id(question))
    if entry is not None and entry[0] is question:
        return entry[1]
    effects = question.effects()
    dimensions = {d for e in effects for d in e.points}
    most: dict[str, int] = {}
    for dimension in dimensions:
        gains = [e.points.get(dimension, 0) for e in effects]
        if question.type == "multiple":
            most[dimension] = sum(g for g in gains if g > 0)
        else:
            most[dimension] = max(0, *gains)
    if len(_QUESTION_MAX) >= _QUESTION_MAX_SIZE:
        _QUESTION_MAX.clear()
    _QUESTION_MAX[id(question)] = (question, most)
    return most


def diagnose(questionnaire: Questionnaire, answers: Answers) -> DiagnosticResult:
    """The diagnostic for the answers given so far (unanswered questions count nothing,
    questions not shown count neither in the points nor in the maximum)."""
    dimensions = questionnaire.diagnostic.dimensions
    earned = {d.id: 0 for d in dimensions}
    questions = visible_questions(questionnaire, answers)
    for question in questions:
        for effect in effects_of(question, answers.get(question.id)):
            for dimension, points in effect.points.items():
                if dimension in earned:
                    earned[dimension] += points
    ceiling = max_points(questionnaire, answers)
    results = []
    for d in dimensions:
        percent = round(100 * max(0, earned[d.id]) / ceiling[d.id]) if ceiling[d.id] else 0
        percent = min(100, percent)
        results.append(DimensionResult(d.id, d.label, percent, _band(d.bands, percent)))
    overall = round(sum(r.percent for r in results) / len(results)) if results else 0
    return DiagnosticResult(
        percent=overall,
        band=_band(questionnaire.diagnostic.bands, overall),
        dimensions=tuple(results),
        answered=sum(1 for q in questions if is_answered(answers.get(q.id))),
        total_questions=len(questions),
    )
