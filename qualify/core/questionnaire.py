"""The questionnaire model: what a marketer writes in YAML, validated.

Pure: pydantic only. The loader (``qualify.core.loader``) turns a YAML file into these
objects and maps every validation error back to a file, line and hint.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Level = Literal["sql", "mql", "none", "disqualify"]
Strength = Literal["strong", "medium", "weak"]
QuestionType = Literal["single", "multiple", "yes_no", "number", "text", "email", "phone"]
ContactFieldName = Literal["first_name", "last_name", "email", "company", "phone", "job_title"]

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]

#: Share of a FIT criterion's weight earned by each level (SPEC: the qualification model).
LEVEL_SHARE: dict[str, float] = {"sql": 1.0, "mql": 0.5, "none": 0.0, "disqualify": 0.0}

#: The FIT criteria SPEC.md names; a questionnaire may declare any subset and add its own.
STANDARD_CRITERIA = ("company_size", "role", "industry", "geography", "maturity", "budget")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Effect(Strict):
    """What one answer feeds: a FIT level, INTENT and TIMING signals, diagnostic points."""

    fit: Level | None = None
    reason: str | None = Field(
        default=None, description="Plain words for the FIT level, shown in the dossier."
    )
    intent: list[Identifier] = []
    timing: list[Identifier] = []
    points: dict[Identifier, int] = {}


class Choice(Effect):
    value: Annotated[str, Field(min_length=1, max_length=60)]
    label: str


class Range(Effect):
    """A number range (bounds included) mapped to an effect, e.g. employees 200–999 → sql."""

    min: float | None = None
    max: float | None = None
    label: str | None = None

    def contains(self, number: float) -> bool:
        return (self.min is None or number >= self.min) and (self.max is None or number <= self.max)


class Question(Strict):
    id: Identifier
    type: QuestionType
    label: str
    help: str | None = None
    required: bool = True
    criterion: Identifier | None = Field(
        default=None, description="The FIT criterion this question's answers feed."
    )
    choices: list[Choice] = []
    ranges: list[Range] = []
    if_yes: Effect | None = None
    if_no: Effect | None = None
    min: float | None = None
    max: float | None = None
    max_length: int = Field(default=200, ge=1, le=2000)
    placeholder: str | None = None

    @model_validator(mode="after")
    def _check_shape(self) -> Question:
        if self.type in ("single", "multiple"):
            if len(self.choices) < 2:
                raise ValueError(f"a {self.type} question needs at least two choices")
            values = [c.value for c in self.choices]
            dupes = sorted({v for v in values if values.count(v) > 1})
            if dupes:
                raise ValueError(f"choice values must be unique; repeated: {', '.join(dupes)}")
        elif self.choices:
            raise ValueError(f"choices are for single or multiple questions, not {self.type}")
        if self.ranges and self.type != "number":
            raise ValueError("ranges are for number questions")
        if (self.if_yes or self.if_no) and self.type != "yes_no":
            raise ValueError("if_yes / if_no are for yes_no questions")
        return self

    def effects(self) -> list[Effect]:
        """Every effect an answer to this question can have."""
        return [*self.choices, *self.ranges, *(e for e in (self.if_yes, self.if_no) if e)]

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


class Step(Strict):
    title: str
    intro: str | None = None
    questions: list[Question] = Field(min_length=1)


class Thresholds(Strict):
    mql: int = Field(default=40, ge=0, le=100)
    sql: int = Field(default=70, ge=0, le=100)
    fast_track_fit: int = Field(default=60, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.sql < self.mql:
            raise ValueError(f"the sql threshold ({self.sql}) is below the mql one ({self.mql})")
        return self


class Weights(Strict):
    fit: int = Field(default=50, ge=0)
    intent: int = Field(default=30, ge=0)
    timing: int = Field(default=20, ge=0)

    @model_validator(mode="after")
    def _sum_100(self) -> Weights:
        if self.fit + self.intent + self.timing != 100:
            raise ValueError(
                f"block weights must add up to 100 (here {self.fit + self.intent + self.timing})"
            )
        return self


class Criterion(Strict):
    label: str
    weight: int = Field(gt=0)


class IntentSignal(Strict):
    label: str
    strength: Strength


class TimingSignal(Strict):
    label: str
    points: int = Field(default=0, ge=0, le=100)
    veto: bool = False


class Band(Strict):
    """A score band (percent, bounds included) and the recommendation shown for it."""

    min: int = Field(ge=0, le=100)
    max: int = Field(ge=0, le=100)
    title: str
    text: str


class Dimension(Strict):
    id: Identifier
    label: str
    bands: list[Band] = Field(min_length=1)


class Diagnostic(Strict):
    """The prospect's own self-diagnostic: points per answer into named dimensions."""

    title: str = "Your diagnostic"
    dimensions: list[Dimension] = Field(min_length=1)
    bands: list[Band] = Field(min_length=1, description="Overall score bands.")


class ContactField(Strict):
    name: ContactFieldName
    label: str
    required: bool = True


class Contact(Strict):
    title: str = "Where should we send your report?"
    intro: str | None = None
    fields: list[ContactField] = Field(min_length=1)
    consent: str

    @model_validator(mode="after")
    def _needs_email(self) -> Contact:
        if not any(f.name == "email" and f.required for f in self.fields):
            raise ValueError("the contact step needs a required email field to send the report")
        return self


class Routing(Strict):
    """Which questions give the lead's sector and zone (their choice values)."""

    sector: Identifier | None = None
    zone: Identifier | None = None


class NextStep(Strict):
    title: str = "Talk to an expert"
    text: str
    url: str | None = None


class Questionnaire(Strict):
    schema_: str | None = Field(default=None, alias="$schema")
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=60)]
    version: int = Field(ge=1)
    language: Literal["en", "fr"] = "en"
    title: str
    intro: str | None = None
    thresholds: Thresholds = Thresholds()
    weights: Weights = Weights()
    strengths: dict[Strength, int] = {"strong": 60, "medium": 25, "weak": 10}
    intent_window_days: int = Field(default=90, ge=1)
    fit_criteria: dict[Identifier, Criterion] = Field(min_length=1)
    intent_signals: dict[Identifier, IntentSignal] = {}
    timing_signals: dict[Identifier, TimingSignal] = {}
    routing: Routing = Routing()
    steps: list[Step] = Field(min_length=1)
    contact: Contact
    diagnostic: Diagnostic
    next_step: NextStep

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    # -- lookups used by the scoring engine, the wizard and the reports --

    def questions(self) -> list[Question]:
        return [q for step in self.steps for q in step.questions]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions() if q.id == question_id), None)

    def all_intent_signals(self) -> dict[str, IntentSignal]:
        return {**DEFAULT_INTENT_SIGNALS, **self.intent_signals}

    def all_timing_signals(self) -> dict[str, TimingSignal]:
        return {**DEFAULT_TIMING_SIGNALS, **self.timing_signals}


#: SPEC.md's INTENT signals, available to every questionnaire without declaring them.
DEFAULT_INTENT_SIGNALS: dict[str, IntentSignal] = {
    "demo_request": IntentSignal(label="demo or contact request", strength="strong"),
    "pricing_visits": IntentSignal(label="pricing page visited 2+ times", strength="strong"),
    "asset_downloads": IntentSignal(label="2+ asset downloads", strength="medium"),
    "email_opens": IntentSignal(label="repeated email opens (3+)", strength="medium"),
    "webinar": IntentSignal(label="webinar attended", strength="medium"),
    "email_open": IntentSignal(label="single email open", strength="weak"),
    "page_view": IntentSignal(label="single page view", strength="weak"),
}

#: SPEC.md's TIMING signals; ``not_now`` is the veto.
DEFAULT_TIMING_SIGNALS: dict[str, TimingSignal] = {
    "active_project": TimingSignal(label="active project with a deadline", points=50),
    "timeline_3m": TimingSignal(label="purchase timeline under 3 months", points=50),
    "trigger_event": TimingSignal(
        label="recent trigger event (hiring, fundraising, migration)", points=30
    ),
    "not_now": TimingSignal(label='"not now" answered', veto=True),
}
