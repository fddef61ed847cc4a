"""FIT + INTENT + TIMING scoring, exactly as SPEC.md's qualification model says.

Pure: takes a questionnaire and plain answers, returns frozen values. Every point carries a
reason in plain words, so that a dossier can always say why a lead is where it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .questionnaire import LEVEL_SHARE, Effect, Question, Questionnaire

Answer = str | int | float | bool | list[str] | None
Answers = Mapping[str, Answer]

_LEVEL_RANK = {"none": 0, "mql": 1, "sql": 2}


@dataclass(frozen=True)
class Reason:
    """One line of explanation: which block, how many points, and why."""

    block: str  # "fit", "intent", "timing", "total" or "stage"
    points: float
    text: str

    def as_dict(self) -> dict:
        return {"block": self.block, "points": self.points, "text": self.text}

    def __str__(self) -> str:
        if self.block in ("fit", "intent", "timing") and self.points:
            return f"{self.points:+g} {self.block.upper()}: {self.text}"
        return self.text


@dataclass(frozen=True)
class BehaviourEvent:
    """An INTENT signal observed outside the questionnaire (page views, downloads...)."""

    signal: str
    occurred_at: datetime


@dataclass(frozen=True)
class Score:
    fit: float
    intent: float
    timing: float
    total: float
    fit_completeness: float  # 0..1
    fit_levels: Mapping[str, str]  # criterion -> level, answered criteria only
    intent_signals: tuple[str, ...]
    timing_signals: tuple[str, ...]
    veto: bool
    disqualified_by: str | None
    reasons: tuple[Reason, ...] = field(default=())

    def as_dict(self) -> dict:
        return {
            "fit": self.fit,
            "intent": self.intent,
            "timing": self.timing,
            "total": self.total,
            "fit_completeness": self.fit_completeness,
            "fit_levels": dict(self.fit_levels),
            "intent_signals": list(self.intent_signals),
            "timing_signals": list(self.timing_signals),
            "veto": self.veto,
            "disqualified_by": self.disqualified_by,
        }


def effects_of(question: Question, answer: Answer) -> list[Effect]:
    """The effects an answer triggers: the chosen choices, the matching range, yes or no."""
    if answer is None or answer == "" or answer == []:
        return []
    if question.type == "single":
        choice = question.choice(str(answer))
        return [choice] if choice else []
    if question.type == "multiple":
        values = answer if isinstance(answer, list) else [answer]
        return [c for c in question.choices if c.value in {str(v) for v in values}]
    if question.type == "yes_no":
        effect = question.if_yes if is_yes(answer) else question.if_no
        return [effect] if effect else []
    if question.type == "number":
        try:
            number = float(answer)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return []
        return [r for r in question.ranges if r.contains(number)][:1]
    return []


def is_yes(answer: Answer) -> bool:
    if isinstance(answer, bool):
        return answer
    return str(answer).strip().lower() in ("yes", "y", "true", "1", "oui")


def is_answered(answer: Answer) -> bool:
    return answer not in (None, "", [])


def describe_answer(question: Question, answer: Answer) -> str:
    """The answer as the prospect saw it (choice labels, yes/no)."""
    if not is_answered(answer):
        return "—"
    if question.type in ("single", "multiple"):
        values = answer if isinstance(answer, list) else [answer]
        labels = [c.label for c in question.choices if c.value in {str(v) for v in values}]
        return ", ".join(labels) or str(answer)
    if question.type == "yes_no":
        return "Yes" if is_yes(answer) else "No"
    if isinstance(answer, float) and answer.is_integer():
        return str(int(answer))
    return str(answer)


def _fit_level(effects: list[Effect]) -> tuple[str, Effect] | None:
    """A criterion's level from the effects of one answer: disqualify wins, else the best."""
    levelled = [e for e in effects if e.fit]
    if not levelled:
        return None
    for effect in levelled:
        if effect.fit == "disqualify":
            return "disqualify", effect
    best = max(levelled, key=lambda e: _LEVEL_RANK[e.fit or "none"])
    return best.fit or "none", best


def score_answers(
    questionnaire: Questionnaire,
    answers: Answers,
    events: Iterable[BehaviourEvent] = (),
    now: datetime | None = None,
) -> Score:
    """Score a response's answers (and recent behaviour events) on FIT, INTENT and TIMING."""
    reasons: list[Reason] = []
    criteria = questionnaire.fit_criteria
    total_weight = sum(c.weight for c in criteria.values())

    # FIT: one level per criterion; a criterion fed by several questions keeps its best level.
    levels: dict[str, tuple[str, Effect, Question]] = {}
    intent_found: dict[str, str] = {}  # signal -> where it came from
    timing_found: dict[str, str] = {}
    for question in questionnaire.questions():
        answer = answers.get(question.id)
        effects = effects_of(question, answer)
        if question.criterion and question.criterion in criteria:
            found = _fit_level(effects)
            if found:
                level, effect = found
                previous = levels.get(question.criterion)
                if (
                    previous is None
                    or level == "disqualify"
                    or (
                        previous[0] != "disqualify"
                        and _LEVEL_RANK[level] > _LEVEL_RANK[previous[0]]
                    )
                ):
                    levels[question.criterion] = (level, effect, question)
        for effect in effects:
            for signal in effect.intent:
                intent_found.setdefault(signal, f'answer to "{question.label}"')
            for signal in effect.timing:
                timing_found.setdefault(signal, f'answer to "{question.label}"')

    fit_points = 0.0
    disqualified_by = None
    for name, criterion in criteria.items():
        if name not in levels:
            reasons.append(Reason("fit", 0, f"{criterion.label}: not answered"))
            continue
        level, effect, question = levels[name]
        points = LEVEL_SHARE[level] * criterion.weight * 100 / total_weight
        fit_points += points
        answer_text = describe_answer(question, answers.get(question.id))
        why = effect.reason or _default_level_reason(level)
        reasons.append(Reason("fit", round(points, 1), f"{criterion.label} {answer_text}: {why}"))
        if level == "disqualify" and disqualified_by is None:
            disqualified_by = f"{criterion.label} {answer_text}: {why}"
    fit_completeness = len(levels) / len(criteria) if criteria else 0.0

    # INTENT: each signal counted once, points by strength, capped at 100; old events ignored.
    now = now or datetime.now()
    window_start = now - timedelta(days=questionnaire.intent_window_days)
    for event in events:
        if event.occurred_at >= window_start:
            intent_found.setdefault(event.signal, f"behaviour on {event.occurred_at:%Y-%m-%d}")
    intent_catalogue = questionnaire.all_intent_signals()
    intent_points = 0.0
    intent_signals = []
    for signal, origin in intent_found.items():
        definition = intent_catalogue.get(signal)
        if definition is None:
            continue
        points = questionnaire.strengths[definition.strength]
        intent_points += points
        intent_signals.append(signal)
        reasons.append(
            Reason("intent", points, f"{definition.label} ({definition.strength}, {origin})")
        )
    if intent_points > 100:
        reasons.append(Reason("intent", 0, f"INTENT capped at 100 (signals added to {intent_points:g})"))
    intent = min(100.0, intent_points)

    # TIMING: points per signal, capped at 100; "not now" is a veto.
    timing_catalogue = questionnaire.all_timing_signals()
    timing_points = 0.0
    timing_signals = []
    veto = False
    for signal, origin in timing_found.items():
        definition = timing_catalogue.get(signal)
        if definition is None:
            continue
        timing_signals.append(signal)
        if definition.veto:
            veto = True
            reasons.append(
                Reason("timing", 0, f"{definition.label} ({origin}): veto, back to nurturing")
            )
            continue
        timing_points += definition.points
        reasons.append(Reason("timing", definition.points, f"{definition.label} ({origin})"))
    timing = min(100.0, timing_points)

    w = questionnaire.weights
    fit = round(fit_points, 1)
    total = round((fit * w.fit + intent * w.intent + timing * w.timing) / 100, 1)
    reasons.append(
        Reason(
            "total",
            total,
            f"Total {total:g} = FIT {fit:g} × {w.fit}% + INTENT {intent:g} × {w.intent}% "
            f"+ TIMING {timing:g} × {w.timing}%",
        )
    )
    return Score(
        fit=fit,
        intent=intent,
        timing=timing,
        total=total,
        fit_completeness=round(fit_completeness, 3),
        fit_levels={name: levels[name][0] for name in criteria if name in levels},
        intent_signals=tuple(intent_signals),
        timing_signals=tuple(timing_signals),
        veto=veto,
        disqualified_by=disqualified_by,
        reasons=tuple(reasons),
    )


def _default_level_reason(level: str) -> str:
    return {
        "sql": "matches the ideal customer profile exactly",
        "mql": "within target",
        "none": "outside the target",
        "disqualify": "hard no, the lead is disqualified",
    }[level]
