"""FIT + INTENT + TIMING scoring, exactly as SPEC.md's qualification model says.

Pure: takes a questionnaire and plain answers, returns frozen values. Every point carries a
reason in plain words, so that a dossier can always say why a lead is where it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .answers import (
    Answer,
    Answers,
    answer_values,
    hidden_key,
    is_answered,
    is_yes,
)
from .branching import visible_questions
from .countries import country_name
from .questionnaire import LEVEL_SHARE, Effect, HiddenField, Question, Questionnaire

__all__ = [
    "Answer",
    "Answers",
    "BehaviourEvent",
    "Reason",
    "Score",
    "describe_answer",
    "effects_of",
    "hidden_effects",
    "is_answered",
    "is_yes",
    "routing_value",
    "routing_values",
    "score_answers",
]

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
    # criterion -> the answer values that set its level (what a review rule compares)
    fit_values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # criteria fed only by questions the prospect was not shown: left out of FIT
    skipped_criteria: tuple[str, ...] = ()

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
            "fit_values": {name: list(values) for name, values in self.fit_values.items()},
            "skipped_criteria": list(self.skipped_criteria),
        }


def effects_of(question: Question, answer: Answer) -> list[Effect]:
    """The effects an answer triggers: the chosen choices, the matching range, yes or no,
    the scale point's choice (else its range), the country's zone (else ``other``)."""
    if not is_answered(answer):
        return []
    if question.type in ("single", "dropdown"):
        choice = question.choice(str(answer))
        return [choice] if choice else []
    if question.type == "multiple":
        values = answer if isinstance(answer, list) else [answer]
        return [c for c in question.choices if c.value in {str(v) for v in values}]
    if question.type == "yes_no":
        effect = question.if_yes if is_yes(answer) else question.if_no
        return [effect] if effect else []
    if question.type == "scale":
        choice = question.choice(answer_values(question, answer)[0])
        return [choice] if choice else _range_effects(question, answer)
    if question.type == "number":
        return _range_effects(question, answer)
    if question.type == "country":
        zone = question.zone_of(str(answer))
        effect = question.zones[zone] if zone else question.other
        return [effect] if effect else []
    return []


def _range_effects(question: Question, answer: Answer) -> list[Effect]:
    try:
        number = float(answer)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return []
    return [r for r in question.ranges if r.contains(number)][:1]


def hidden_effects(hidden: HiddenField, value: Answer) -> list[Effect]:
    """The effect of a hidden field's value: its mapping (compared without case), else
    ``other`` for any non-empty value."""
    if not is_answered(value):
        return []
    wanted = str(value).strip().casefold()
    effect = next((e for v, e in hidden.values.items() if v.casefold() == wanted), hidden.other)
    return [effect] if effect else []


def routing_value(question: Question, answer: Answer) -> str | None:
    """What an answer routes by: a single or dropdown question's (valid) value, a country
    question's zone name; None for anything else or an unmapped country."""
    if not is_answered(answer):
        return None
    if question.type == "country":
        return question.zone_of(str(answer))
    if question.type in ("single", "dropdown") and question.choice(str(answer)):
        return str(answer)
    return None


def routing_values(questionnaire: Questionnaire, answers: Answers) -> tuple[str | None, str | None]:
    """The lead's (sector, zone) from the routing questions, if they were shown."""
    shown = {q.id: q for q in visible_questions(questionnaire, answers)}
    found = []
    for question_id in (questionnaire.routing.sector, questionnaire.routing.zone):
        question = shown.get(question_id or "")
        found.append(routing_value(question, answers.get(question.id)) if question else None)
    return found[0], found[1]


#: How a yes/no answer reads, per language (English for any other).
YES_NO_WORDS = {"en": ("Yes", "No"), "fr": ("Oui", "Non")}


def describe_answer(question: Question, answer: Answer, language: str = "en") -> str:
    """The answer as the prospect saw it (choice labels, yes/no, country names), with the
    words of ``language`` (choice labels come from the questionnaire as given)."""
    if not is_answered(answer):
        return "—"
    if question.type in ("single", "multiple", "dropdown"):
        values = answer if isinstance(answer, list) else [answer]
        labels = [c.label for c in question.choices if c.value in {str(v) for v in values}]
        return ", ".join(labels) or str(answer)
    if question.type == "yes_no":
        yes, no = YES_NO_WORDS.get(language, YES_NO_WORDS["en"])
        return yes if is_yes(answer) else no
    if question.type == "country":
        return country_name(str(answer), language)
    if question.type == "scale" and question.scale is not None:
        return f"{answer_values(question, answer)[0]} / {question.scale.max}"
    if isinstance(answer, float) and answer.is_integer():
        return str(int(answer))
    return str(answer)


#: A "not now" vetoes for this long after it was answered (SPEC: "in the last 6 months").
VETO_DAYS = 183


def vetoing_answers(questionnaire: Questionnaire, answers: Answers) -> set[str]:
    """The questions whose answer carries a TIMING veto ("not now")."""
    vetoes = {name for name, signal in questionnaire.all_timing_signals().items() if signal.veto}
    return {
        question.id
        for question in questionnaire.questions()
        if any(
            signal in vetoes
            for effect in effects_of(question, answers.get(question.id))
            for signal in effect.timing
        )
    }


@dataclass(frozen=True)
class Source:
    """Where effects come from: a shown question's answer, or a hidden field's value."""

    criterion: str | None
    effects: list[Effect]
    origin: str  # for INTENT/TIMING reasons: 'answer to "..."', 'hidden field ...'
    answer_text: str  # for FIT reasons
    values: tuple[str, ...]


def collect_sources(
    questionnaire: Questionnaire, shown: Sequence[Question], answers: Answers
) -> list[Source]:
    """The effects of the shown questions' answers, then of the hidden fields' values."""
    sources = []
    for question in shown:
        answer = answers.get(question.id)
        sources.append(
            Source(
                question.criterion,
                effects_of(question, answer),
                f'answer to "{question.label}"',
                describe_answer(question, answer),
                answer_values(question, answer),
            )
        )
    for name, hidden in questionnaire.all_hidden_fields().items():
        value = answers.get(hidden_key(name))
        effects = hidden_effects(hidden, value)
        if effects:
            text = str(value).strip()
            sources.append(
                Source(hidden.criterion, effects, f"hidden field {name} = {text}", text, (text,))
            )
    return sources


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


def _better(level: str, previous: str | None) -> bool:
    """Whether ``level`` replaces ``previous``: disqualify always, else a higher rank."""
    if previous is None or level == "disqualify":
        return True
    return previous != "disqualify" and _LEVEL_RANK[level] > _LEVEL_RANK[previous]


def skipped_criteria(questionnaire: Questionnaire, shown: Sequence[Question]) -> list[str]:
    """FIT criteria fed only by questions not shown: they never count against the prospect."""
    shown_ids = {q.id for q in shown}
    by_hidden_field = {f.criterion for f in questionnaire.all_hidden_fields().values()}
    feeders: dict[str, list[bool]] = {}
    for question in questionnaire.questions():
        if question.criterion:
            feeders.setdefault(question.criterion, []).append(question.id in shown_ids)
    return [
        name
        for name in questionnaire.fit_criteria
        if feeders.get(name) and not any(feeders[name]) and name not in by_hidden_field
    ]


@dataclass(frozen=True)
class FitResult:
    points: float
    completeness: float
    levels: dict[str, str]
    values: dict[str, tuple[str, ...]]
    skipped: tuple[str, ...]
    disqualified_by: str | None
    reasons: list[Reason]


def score_fit(
    questionnaire: Questionnaire, sources: Sequence[Source], skipped: Sequence[str]
) -> FitResult:
    """FIT over the criteria counted (skipped ones are out of both denominators)."""
    criteria = {n: c for n, c in questionnaire.fit_criteria.items() if n not in skipped}
    total_weight = sum(c.weight for c in criteria.values())
    # A criterion fed by several sources keeps its best level (disqualify wins).
    found: dict[str, tuple[str, Effect, Source]] = {}
    for source in sources:
        level = _fit_level(source.effects) if source.criterion in criteria else None
        if level and _better(level[0], found.get(source.criterion, (None,))[0]):
            found[source.criterion] = (*level, source)  # type: ignore[index]
    reasons, points, disqualified_by = [], 0.0, None
    for name, criterion in questionnaire.fit_criteria.items():
        if name in skipped:
            reasons.append(Reason("fit", 0, f"{criterion.label}: question not shown, not counted"))
            continue
        if name not in found:
            reasons.append(Reason("fit", 0, f"{criterion.label}: not answered"))
            continue
        level, effect, source = found[name]
        gained = LEVEL_SHARE[level] * criterion.weight * 100 / total_weight
        points += gained
        why = effect.reason or _default_level_reason(level)
        text = f"{criterion.label} {source.answer_text}: {why}"
        reasons.append(Reason("fit", round(gained, 1), text))
        if level == "disqualify" and disqualified_by is None:
            disqualified_by = text
    return FitResult(
        points=points,
        # Nothing left to ask is complete: a skipped branch never holds a lead back.
        completeness=len(found) / len(criteria) if criteria else 1.0,
        levels={name: found[name][0] for name in criteria if name in found},
        values={name: found[name][2].values for name in criteria if name in found},
        skipped=tuple(skipped),
        disqualified_by=disqualified_by,
        reasons=reasons,
    )


def score_intent(
    questionnaire: Questionnaire,
    sources: Sequence[Source],
    events: Iterable[BehaviourEvent],
    now: datetime,
) -> tuple[float, list[str], list[Reason]]:
    """INTENT: each signal counted once, points by strength, capped at 100; old events
    ignored."""
    found: dict[str, str] = {}  # signal -> where it came from
    for source in sources:
        for effect in source.effects:
            for signal in effect.intent:
                found.setdefault(signal, source.origin)
    window_start = now - timedelta(days=questionnaire.intent_window_days)
    for event in events:
        if window_start <= event.occurred_at <= now:  # an event dated ahead is not behaviour yet
            found.setdefault(event.signal, f"behaviour on {event.occurred_at:%Y-%m-%d}")
    catalogue = questionnaire.all_intent_signals()
    points, signals, reasons = 0.0, [], []
    for signal, origin in found.items():
        definition = catalogue.get(signal)
        if definition is None:
            continue
        gained = questionnaire.strengths[definition.strength]
        points += gained
        signals.append(signal)
        reasons.append(
            Reason("intent", gained, f"{definition.label} ({definition.strength}, {origin})")
        )
    if points > 100:
        reasons.append(Reason("intent", 0, f"INTENT capped at 100 (signals added to {points:g})"))
    return min(100.0, points), signals, reasons


def score_timing(
    questionnaire: Questionnaire, sources: Sequence[Source]
) -> tuple[float, list[str], bool, list[Reason]]:
    """TIMING: points per signal, capped at 100; "not now" is a veto."""
    found: dict[str, str] = {}
    for source in sources:
        for effect in source.effects:
            for signal in effect.timing:
                found.setdefault(signal, source.origin)
    catalogue = questionnaire.all_timing_signals()
    points, signals, veto, reasons = 0.0, [], False, []
    for signal, origin in found.items():
        definition = catalogue.get(signal)
        if definition is None:
            continue
        signals.append(signal)
        if definition.veto:
            veto = True
            reasons.append(
                Reason("timing", 0, f"{definition.label} ({origin}): veto, back to nurturing")
            )
            continue
        points += definition.points
        reasons.append(Reason("timing", definition.points, f"{definition.label} ({origin})"))
    if points > 100:
        reasons.append(Reason("timing", 0, f"TIMING capped at 100 (signals added to {points:g})"))
    return min(100.0, points), signals, veto, reasons


def score_answers(
    questionnaire: Questionnaire,
    answers: Answers,
    events: Iterable[BehaviourEvent] = (),
    now: datetime | None = None,
) -> Score:
    """Score a response's answers, hidden fields (``hidden.<name>`` keys) and recent
    behaviour events on FIT, INTENT and TIMING. Answers to questions the prospect was not
    shown (``show_if``) are ignored."""
    shown = visible_questions(questionnaire, answers)
    sources = collect_sources(questionnaire, shown, answers)
    fit_result = score_fit(questionnaire, sources, skipped_criteria(questionnaire, shown))
    intent, intent_signals, intent_reasons = score_intent(
        questionnaire, sources, events, now or datetime.now()
    )
    timing, timing_signals, veto, timing_reasons = score_timing(questionnaire, sources)

    w = questionnaire.weights
    fit = round(fit_result.points, 1)
    # Rounded once, from the unrounded FIT: a rounded FIT could lift a total over a threshold.
    total = round((fit_result.points * w.fit + intent * w.intent + timing * w.timing) / 100, 1)
    total_reason = Reason(
        "total",
        total,
        f"Total {total:g} = FIT {fit:g} × {w.fit}% + INTENT {intent:g} × {w.intent}% "
        f"+ TIMING {timing:g} × {w.timing}%",
    )
    return Score(
        fit=fit,
        intent=intent,
        timing=timing,
        total=total,
        fit_completeness=round(fit_result.completeness, 3),
        fit_levels=fit_result.levels,
        intent_signals=tuple(intent_signals),
        timing_signals=tuple(timing_signals),
        veto=veto,
        disqualified_by=fit_result.disqualified_by,
        reasons=(*fit_result.reasons, *intent_reasons, *timing_reasons, total_reason),
        fit_values=fit_result.values,
        skipped_criteria=fit_result.skipped,
    )


def _default_level_reason(level: str) -> str:
    return {
        "sql": "matches the ideal customer profile exactly",
        "mql": "within target",
        "none": "outside the target",
        "disqualify": "hard no, the lead is disqualified",
    }[level]
