"""Fixture cases for a questionnaire: answers with the expected stage, checklist result and
routed rep, kept beside the questionnaire as ``<name>.cases.yaml`` and run by ``qualify test``.

Pure: the cases are parsed with the questionnaire loader's safe YAML parser (same refusals,
same file:line errors) and run through the scoring engine and the routing choice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from .answers import hidden_key
from .countries import is_country_code
from .emails import is_business_email
from .loader import (
    Finding,
    LoadError,
    QuestionnaireError,
    SourceMap,
    describe_validation_error,
    drop_misspelled_missing,
    locate_finding,
    parse_yaml,
    possible_answers,
    read_source,
    suggest_name,
)
from .questionnaire import CHOICE_TYPES, Identifier, Questionnaire, Strict, as_text
from .routing import NoRepError, RepSlot, choose_rep
from .scoring import routing_values, score_answers
from .stages import LeadFacts, checklist_rules, decide_stage

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


#: The stages the stage decision gives, so the ones a case can expect.
CASE_STAGES = ("lead", "mql", "sql_review", "sql", "disqualified")


def load_cases(path: str | Path) -> CaseFile:
    """Parse a cases file; every mistake is reported with its line like a questionnaire's."""
    return load_cases_located(path)[0]


def load_cases_located(path: str | Path) -> tuple[CaseFile, SourceMap]:
    """The cases and where each value sits in the file (for lines in messages)."""
    file = str(path)
    data, source, errors = parse_yaml(read_source(Path(path)), file)
    cases = None
    try:
        cases = CaseFile.model_validate(data)
    except ValidationError as exc:
        # Described like a questionnaire's mistakes (nearest key, what was found...).
        for error in drop_misspelled_missing(exc.errors(), CaseFile):
            finding = describe_validation_error(error, CaseFile)
            if finding.hint is None:
                finding = replace(finding, hint=CASES_HINT)
            errors.append(locate_finding(finding, source, file))
    if errors:
        raise QuestionnaireError(sorted(errors, key=lambda e: (e.line or 0, e.column or 0)))
    assert cases is not None
    return cases, source


def case_line(source: SourceMap, index: int) -> int:
    """The line a case starts on."""
    return source.locate(("cases", index))[0]


def check_cases(
    questionnaire: Questionnaire, cases: CaseFile, source: SourceMap, file: str
) -> list[LoadError]:
    """Cases must speak the questionnaire's language: its question ids, the answers its
    questions offer, its hidden fields and a stage the decision can give. A typo there
    would otherwise be ignored silently and the case pass or fail for the wrong reason."""
    findings = []
    for i, case in enumerate(cases.cases):
        findings += check_case_answers(questionnaire, ("cases", i), case)
        hidden = questionnaire.all_hidden_fields()
        findings += [
            Finding(
                ("cases", i, "hidden", name),
                f"case '{case.name}' passes hidden field '{name}', which the questionnaire "
                "does not declare",
                suggest_name(name, hidden, f"use one of: {', '.join(hidden)}"),
                at_key=True,
            )
            for name in case.hidden
            if name not in hidden
        ]
        boxes = {rule.id: rule.item for rule in checklist_rules(questionnaire)}
        findings += [
            Finding(
                ("cases", i, "expect", "unchecked", j),
                f"case '{case.name}' expects box '{name}' unchecked, which the checklist "
                "does not have",
                suggest_name(
                    name,
                    [*boxes, *boxes.values()],
                    f"name a box by its id or its text: {', '.join(boxes)}",
                ),
            )
            for j, name in enumerate(case.expect.unchecked or [])
            if name not in boxes and name not in boxes.values()
        ]
        if case.expect.stage not in CASE_STAGES:
            findings.append(
                Finding(
                    ("cases", i, "expect", "stage"),
                    f"case '{case.name}' expects stage '{case.expect.stage}', which the stage "
                    "decision never gives",
                    suggest_name(
                        case.expect.stage, CASE_STAGES, f"write one of: {', '.join(CASE_STAGES)}"
                    ),
                )
            )
    return [locate_finding(finding, source, file) for finding in findings]


def check_case_answers(questionnaire: Questionnaire, path: tuple, case: Case) -> list[Finding]:
    ids = [q.id for q in questionnaire.questions()]
    findings = []
    for question_id, answer in case.answers.items():
        where = (*path, "answers", question_id)
        question = questionnaire.question(question_id)
        if question is None:
            findings.append(
                Finding(
                    where,
                    f"case '{case.name}' answers question '{question_id}', which the "
                    "questionnaire does not have",
                    suggest_name(question_id, ids, f"use a question id: {', '.join(ids)}"),
                    at_key=True,
                )
            )
            continue
        if question.type in CHOICE_TYPES:
            offered = [c.value for c in question.choices]
            given = answer if isinstance(answer, list) else [answer]
            findings += [
                Finding(
                    where,
                    f"case '{case.name}' answers '{question_id}' with '{value}', which is not "
                    "one of its choices",
                    suggest_name(str(value), offered, f"write one of: {', '.join(offered)}"),
                )
                for value in given
                if str(value) not in offered
            ]
        elif question.type == "country" and not is_country_code(str(answer).upper()):
            findings.append(
                Finding(
                    where,
                    f"case '{case.name}' answers '{question_id}' with '{answer}', which is not "
                    "an ISO 3166-1 country code",
                    "write the two-letter ISO code, e.g. FR, DE, GB (not UK), US",
                )
            )
        elif question.type in ("scale", "yes_no"):
            possible = possible_answers(question)
            value = as_text(answer) if isinstance(answer, bool | int | float) else str(answer)
            if possible is not None and value not in possible.named:
                findings.append(
                    Finding(
                        where,
                        f"case '{case.name}' answers '{question_id}' with '{answer}', which "
                        f"is not one of its answers",
                        possible.otherwise
                        + (' (in quotes: "yes", "no")' if question.type == "yes_no" else ""),
                    )
                )
        elif question.type == "number" and not is_number(answer):
            findings.append(
                Finding(
                    where,
                    f"case '{case.name}' answers '{question_id}' with '{answer}', which is "
                    "not a number",
                    "write a number without quotes, e.g. 250",
                )
            )
    return findings


def is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


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
