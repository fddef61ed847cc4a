"""The stage decision and the SQL-ready checklist (SPEC.md: "Stage decision, in order").

Pure: the facts that need the database (blacklist, duplicates) are looked up by the service
and passed in as ``LeadFacts``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .questionnaire import ChecklistOverride, Questionnaire, ReviewWhen
from .scoring import Score

STAGES = (
    "lead",
    "mql",
    "sql_review",
    "sql",
    "routed",
    "contacted",
    "accepted",
    "rejected",
    "disqualified",
    "quarantined",
)
#: Stages in which a lead is still open: a new response from the same person merges into it.
#: Not ``quarantined``: a bot using someone's address must not swallow their real responses.
OPEN_STAGES = ("lead", "mql", "sql_review", "sql", "routed", "contacted")
#: A suspicious submission (honeypot, too fast) waits here for review: never scored into a
#: stage, routed or emailed until ``qualify quarantine release`` re-qualifies it.
QUARANTINED = "quarantined"

#: More unchecked boxes than this and an SQL candidate stays MQL (nurture).
MAX_UNCHECKED = 2


@dataclass(frozen=True)
class LeadFacts:
    """What the scoring engine cannot know from the answers alone."""

    business_email: bool = True
    has_phone: bool = False
    duplicate_of_open_lead: bool = False
    blacklisted: str | None = None  # why, when the lead is on a blacklist


@dataclass(frozen=True)
class ChecklistItem:
    group: str
    item: str
    checked: bool
    id: str = ""  # stable id a questionnaire's checklist: overrides name

    def as_dict(self) -> dict:
        return {"id": self.id, "group": self.group, "item": self.item, "checked": self.checked}


@dataclass(frozen=True)
class Decision:
    stage: str
    sql_candidate: bool
    checklist: tuple[ChecklistItem, ...]
    reasons: tuple[str, ...]

    @property
    def unchecked(self) -> tuple[ChecklistItem, ...]:
        return tuple(item for item in self.checklist if not item.checked)


def _strength_counts(questionnaire: Questionnaire, score: Score) -> dict[str, int]:
    catalogue = questionnaire.all_intent_signals()
    counts = {"strong": 0, "medium": 0, "weak": 0}
    for signal in score.intent_signals:
        if signal in catalogue:
            counts[catalogue[signal].strength] += 1
    return counts


_Check = Callable[[Questionnaire, Score, LeadFacts], bool]


@dataclass(frozen=True)
class ChecklistRule:
    """One checklist box: its stable id, group, text and check."""

    id: str
    group: str
    item: str
    check: _Check


#: SPEC.md's default SQL-ready checklist; ids are what ``checklist:`` overrides name.
DEFAULT_CHECKLIST: tuple[ChecklistRule, ...] = (
    ChecklistRule(
        "fit_company_size",
        "FIT",
        "company size at ICP level",
        lambda q, s, f: s.fit_levels.get("company_size") == "sql",
    ),
    ChecklistRule(
        "fit_decision_maker",
        "FIT",
        "decision-maker identified",
        lambda q, s, f: s.fit_levels.get("role") == "sql",
    ),
    ChecklistRule(
        "fit_priority_sector",
        "FIT",
        "priority sector",
        lambda q, s, f: s.fit_levels.get("industry") == "sql",
    ),
    ChecklistRule(
        "fit_core_zone", "FIT", "core zone", lambda q, s, f: s.fit_levels.get("geography") == "sql"
    ),
    ChecklistRule(
        "intent_strong_or_two_medium",
        "INTENT",
        "one strong signal, or two medium",
        lambda q, s, f: (c := _strength_counts(q, s))["strong"] >= 1 or c["medium"] >= 2,
    ),
    ChecklistRule(
        "timing_project_or_3_months",
        "TIMING",
        "active project or timeline under 3 months",
        lambda q, s, f: bool({"active_project", "timeline_3m"} & set(s.timing_signals)),
    ),
    ChecklistRule(
        "timing_no_not_now",
        "TIMING",
        'no "not now" in the last 6 months',
        lambda q, s, f: not s.veto,
    ),
    ChecklistRule(
        "data_business_email",
        "DATA",
        "business email (not free webmail or disposable)",
        lambda q, s, f: f.business_email,
    ),
    ChecklistRule(
        "data_fit_complete",
        "DATA",
        "FIT fields at least 60% complete",
        lambda q, s, f: s.fit_completeness >= 0.6,
    ),
    ChecklistRule(
        "data_not_duplicate",
        "DATA",
        "not a duplicate of an open lead",
        lambda q, s, f: not f.duplicate_of_open_lead,
    ),
    ChecklistRule(
        "data_second_channel",
        "DATA",
        "a second contact channel (phone)",
        lambda q, s, f: f.has_phone,
    ),
)


def checklist_rules(questionnaire: Questionnaire) -> list[ChecklistRule]:
    """The default checklist with the questionnaire's overrides applied, in default order."""
    rules = []
    for rule in DEFAULT_CHECKLIST:
        override = questionnaire.checklist.get(rule.id)
        if override is None:
            rules.append(rule)
        elif not override.disabled:
            rules.append(apply_override(rule, override))
    return rules


def apply_override(rule: ChecklistRule, override: ChecklistOverride) -> ChecklistRule:
    """A checklist rule replaced by a questionnaire's override (text, group, check)."""
    check = rule.check
    if override.criterion is not None:
        criterion, levels = override.criterion, set(override.levels)
        check = lambda q, s, f: s.fit_levels.get(criterion) in levels  # noqa: E731
    elif override.signals:
        signals = set(override.signals)
        check = lambda q, s, f: bool(  # noqa: E731
            signals & {*s.intent_signals, *s.timing_signals}
        )
    return ChecklistRule(rule.id, override.group or rule.group, override.item or rule.item, check)


def run_checklist(
    questionnaire: Questionnaire, score: Score, facts: LeadFacts
) -> tuple[ChecklistItem, ...]:
    """The SQL-ready checklist, every box checked or not."""
    return tuple(
        ChecklistItem(rule.group, rule.item, bool(rule.check(questionnaire, score, facts)), rule.id)
        for rule in checklist_rules(questionnaire)
    )


def review_reason(questionnaire: Questionnaire, score: Score) -> str | None:
    """Why the questionnaire's review rule holds this SQL for a human, or None."""
    review = questionnaire.review
    if review is None:
        return None
    held = [
        why for when in review.when_any if (why := describe_review_hit(questionnaire, when, score))
    ]
    return f"{review.reason}: {'; '.join(held)}" if held else None


def describe_review_hit(questionnaire: Questionnaire, when: ReviewWhen, score: Score) -> str | None:
    """The condition in words if it holds for the score, else None."""
    if when.fit_completeness_below is not None:
        if score.fit_completeness < when.fit_completeness_below:
            return (
                f"FIT data {score.fit_completeness:.0%} complete, "
                f"below {when.fit_completeness_below:.0%}"
            )
        return None
    if when.total_at_least is not None:
        if score.total >= when.total_at_least:
            return f"total {score.total:g} ≥ {when.total_at_least:g}"
        return None
    criterion = questionnaire.fit_criteria.get(when.criterion or "")
    label = criterion.label if criterion else when.criterion
    if when.value_in is not None:
        hit = set(score.fit_values.get(when.criterion or "", ())) & set(when.value_in)
        return f"{label} {', '.join(sorted(hit))}" if hit else None
    level = score.fit_levels.get(when.criterion or "")
    return f"{label} at level {level}" if level in (when.level_in or []) else None


def decide_stage(questionnaire: Questionnaire, score: Score, facts: LeadFacts) -> Decision:
    """SPEC.md's stage decision, in order, with the reason for each step taken.

    Step 2 (merging a response into the same person's open lead) happens before scoring, in
    the service that stores the response; this function decides the merged lead's stage.
    """
    t = questionnaire.thresholds
    checklist = run_checklist(questionnaire, score, facts)

    if facts.blacklisted:
        return Decision("disqualified", False, checklist, (f"Disqualified: {facts.blacklisted}.",))
    if score.disqualified_by:
        return Decision(
            "disqualified", False, checklist, (f"Disqualified by FIT: {score.disqualified_by}.",)
        )
    if score.fit_completeness < 0.6:
        return Decision(
            "lead",
            False,
            checklist,
            (
                f"Not yet MQL: FIT data {score.fit_completeness:.0%} complete, below 60% "
                "(waits for enrichment).",
            ),
        )
    if score.total < t.mql:
        return Decision(
            "lead",
            False,
            checklist,
            (f"Not yet MQL: total {score.total:g} is below the MQL threshold {t.mql}.",),
        )

    reasons = [f"MQL: total {score.total:g} ≥ MQL threshold {t.mql}, FIT data complete enough."]
    strong = _strength_counts(questionnaire, score)["strong"]
    if score.total >= t.sql:
        reasons.append(f"SQL candidate: total {score.total:g} ≥ SQL threshold {t.sql}.")
    elif strong and score.fit >= t.fast_track_fit:
        reasons.append(
            f"SQL candidate by fast track: a strong INTENT signal and FIT {score.fit:g} "
            f"≥ {t.fast_track_fit}."
        )
    else:
        reasons.append(
            f"Not an SQL candidate: total {score.total:g} < {t.sql}"
            + (
                f" and FIT {score.fit:g} < fast-track {t.fast_track_fit}."
                if strong
                else " and no strong INTENT signal."
            )
        )
        return Decision("mql", False, checklist, tuple(reasons))

    unchecked = [item for item in checklist if not item.checked]
    missing = "; ".join(f"{i.group}: {i.item}" for i in unchecked)
    if score.veto:
        reasons.append(
            'Stays MQL (nurture): the prospect answered "not now" (TIMING veto)'
            + (f"; unchecked boxes: {missing}." if unchecked else ".")
        )
        return Decision("mql", True, checklist, tuple(reasons))
    if len(unchecked) > MAX_UNCHECKED:
        reasons.append(
            f"Stays MQL (nurture): {len(unchecked)} checklist boxes unchecked "
            f"(at most {MAX_UNCHECKED}): {missing}."
        )
        return Decision("mql", True, checklist, tuple(reasons))
    if not unchecked:
        reasons.append("SQL: checklist passed, every box checked.")
    else:
        boxes = "1 unchecked box" if len(unchecked) == 1 else f"{len(unchecked)} unchecked boxes"
        reasons.append(f"SQL: checklist passed with {boxes}: {missing}.")
    held = review_reason(questionnaire, score)
    if held:
        reasons.append(f"Held for review by Marketing Ops: {held}.")
        return Decision("sql_review", True, checklist, tuple(reasons))
    return Decision("sql", True, checklist, tuple(reasons))
