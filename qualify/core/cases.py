"""Fixture cases for a questionnaire: answers with the expected stage, checklist result and
routed rep, kept beside the questionnaire as ``<name>.cases.yaml`` and run by ``qualify test``.

Pure: the cases are parsed with the questionnaire loader's safe YAML parser (same refusals,
same file:line errors) and run through the scoring engine and the routing choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from .answers import hidden_key
from .emails import is_business_email
from .loader import Finding, QuestionnaireError, locate_finding, parse_yaml, read_source
from .questionnaire import Identifier, Questionnaire, Strict
from .routing import NoRepError, RepSlot, choose_rep
from .scoring import routing_values, score_answers
from .stages import LeadFacts, decide_stage

#: Clean contact data a case gets unless it says otherwise (so DATA boxes are checked).
DEFAULT_CONTACT = {"email": "prospect@company.example", "phone": "+33 1 00 00 00 00"}


CASES_HINT = (
    "a cases file is 'questionnaire: <id>' and 'cases:', each case with name, answers, "
    "optional hidden and contact, and expect: {stage, unchecked, routed_to}"
)


class Expectation(Strict):
    stage: str
    unchecked: list[str] | None = Field(
        default=None,
        description="Checklist items expected unchecked (item texts or ids), all others checked.",
    )
    routed_to: str | None = Field(default=None, description="The rep's email (SQL cases).")


class Case(Strict):
    name: str
    answers: dict[Identifier, Any]
    hidden: dict[Identifier, str] = Field(
        default={}, description="Hidden fields the embed URL passes (utm_campaign, page...)."
    )
    contact: dict[str, str] = {}
    expect: Expectation

    def all_answers(self) -> dict[str, Any]:
        """The answers with the hidden fields under their ``hidden.<name>`` keys."""
        return {**self.answers, **{hidden_key(k): v for k, v in self.hidden.items()}}


class CaseFile(Strict):
    questionnaire: str
    cases: list[Case] = Field(min_length=1)


@dataclass(frozen=True)
class Difference:
    what: str
    expected: object
    actual: object

    def __str__(self) -> str:
        return f"{self.what}: expected {self.expected!r}, got {self.actual!r}"


@dataclass(frozen=True)
class CaseResult:
    case: Case
    differences: tuple[Difference, ...]
    reasons: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.differences


def load_cases(path: str | Path) -> CaseFile:
    """Parse a cases file; every mistake is reported with its line like a questionnaire's."""
    file = str(path)
    data, source, errors = parse_yaml(read_source(Path(path)), file)
    cases = None
    try:
        cases = CaseFile.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            path = tuple(error["loc"])
            where = ".".join(str(p) for p in path) or "the file"
            finding = Finding(path, f"{where}: {error['msg']}", CASES_HINT)
            errors.append(locate_finding(finding, source, file))
    if errors:
        raise QuestionnaireError(errors)
    return cases


def run_case(
    questionnaire: Questionnaire, case: Case, reps: list[tuple[str, RepSlot]]
) -> CaseResult:
    """Score a case's answers and compare stage, unchecked boxes and routed rep."""
    contact = {**DEFAULT_CONTACT, **case.contact}
    facts = LeadFacts(
        business_email=is_business_email(contact.get("email", "")),
        has_phone=bool(contact.get("phone", "").strip()),
    )
    score = score_answers(questionnaire, case.all_answers())
    decision = decide_stage(questionnaire, score, facts)
    differences = []
    expect = case.expect
    if decision.stage != expect.stage:
        differences.append(Difference("stage", expect.stage, decision.stage))
    if expect.unchecked is not None:
        # A case may name a box by its text or its id; the diff shows the texts.
        by_id = {item.id: item.item for item in decision.checklist}
        expected = sorted(by_id.get(name, name) for name in expect.unchecked)
        actual = sorted(item.item for item in decision.unchecked)
        if actual != expected:
            differences.append(Difference("unchecked", expected, actual))
    if expect.routed_to is not None:
        routed = _route(questionnaire, case, reps) if decision.stage == "sql" else None
        if routed != expect.routed_to:
            differences.append(Difference("routed_to", expect.routed_to, routed))
    reasons = tuple(str(r) for r in score.reasons) + decision.reasons
    return CaseResult(case, tuple(differences), reasons)


def _route(questionnaire: Questionnaire, case: Case, reps: list[tuple[str, RepSlot]]) -> str | None:
    sector, zone = routing_values(questionnaire, case.all_answers())
    try:
        choice = choose_rep([slot for _, slot in reps], sector, zone)
    except NoRepError:
        return None
    return next(email for email, slot in reps if slot.id == choice.rep_id)


def rep_slots_from_yaml(data: dict) -> list[tuple[str, RepSlot]]:
    """Reps from a reps file's data, all with an empty workload, keyed by email."""
    reps = []
    for index, entry in enumerate(data.get("reps", []), 1):
        reps.append(
            (
                str(entry["email"]).lower(),
                RepSlot(
                    id=index,
                    name=str(entry.get("name", entry["email"])),
                    sectors=tuple(str(s) for s in entry.get("sectors", ["*"])),
                    zones=tuple(str(z) for z in entry.get("zones", ["*"])),
                    capacity=int(entry.get("capacity", 20)),
                    open_leads=0,
                    away=bool(entry.get("away", False)),
                    is_fallback=bool(entry.get("fallback", False)),
                ),
            )
        )
    return reps
