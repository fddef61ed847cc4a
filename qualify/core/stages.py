"""The stage decision and the SQL-ready checklist (SPEC.md: "Stage decision, in order").

Pure: the facts that need the database (blacklist, duplicates) are looked up by the service
and passed in as ``LeadFacts``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .questionnaire import Questionnaire
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
)
#: Stages in which a lead is still open: a new response from the same person merges into it.
OPEN_STAGES = ("lead", "mql", "sql_review", "sql", "routed", "contacted")

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

    def as_dict(self) -> dict:
        return {"group": self.group, "item": self.item, "checked": self.checked}


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

#: SPEC.md's default SQL-ready checklist: (group, item, check).
DEFAULT_CHECKLIST: tuple[tuple[str, str, _Check], ...] = (
    ("FIT", "company size at ICP level", lambda q, s, f: s.fit_levels.get("company_size") == "sql"),
    ("FIT", "decision-maker identified", lambda q, s, f: s.fit_levels.get("role") == "sql"),
    ("FIT", "priority sector", lambda q, s, f: s.fit_levels.get("industry") == "sql"),
    ("FIT", "core zone", lambda q, s, f: s.fit_levels.get("geography") == "sql"),
    (
        "INTENT",
        "one strong signal, or two medium",
        lambda q, s, f: (c := _strength_counts(q, s))["strong"] >= 1 or c["medium"] >= 2,
    ),
    (
        "TIMING",
        "active project or timeline under 3 months",
        lambda q, s, f: bool({"active_project", "timeline_3m"} & set(s.timing_signals)),
    ),
    ("TIMING", 'no "not now" in the last 6 months', lambda q, s, f: not s.veto),
    ("DATA", "business email (not free webmail or disposable)", lambda q, s, f: f.business_email),
    ("DATA", "FIT fields at least 60% complete", lambda q, s, f: s.fit_completeness >= 0.6),
    ("DATA", "not a duplicate of an open lead", lambda q, s, f: not f.duplicate_of_open_lead),
    ("DATA", "a second contact channel (phone)", lambda q, s, f: f.has_phone),
)


def run_checklist(
    questionnaire: Questionnaire, score: Score, facts: LeadFacts
) -> tuple[ChecklistItem, ...]:
    """The SQL-ready checklist, every box checked or not."""
    return tuple(
        ChecklistItem(group, item, bool(check(questionnaire, score, facts)))
        for group, item, check in DEFAULT_CHECKLIST
    )


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
    if score.veto:
        reasons.append('Stays MQL (nurture): the prospect answered "not now" (TIMING veto).')
        return Decision("mql", True, checklist, tuple(reasons))
    if len(unchecked) > MAX_UNCHECKED:
        missing = "; ".join(f"{i.group}: {i.item}" for i in unchecked)
        reasons.append(
            f"Stays MQL (nurture): {len(unchecked)} checklist boxes unchecked "
            f"(at most {MAX_UNCHECKED}): {missing}."
        )
        return Decision("mql", True, checklist, tuple(reasons))
    reasons.append(
        f"SQL: checklist passed with {len(unchecked)} unchecked box(es)"
        + (": " + "; ".join(f"{i.group}: {i.item}" for i in unchecked) if unchecked else "")
        + "."
    )
    return Decision("sql", True, checklist, tuple(reasons))
