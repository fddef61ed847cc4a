"""The questionnaire model: what a marketer writes in YAML, validated.

Pure: pydantic only. The loader (``qualify.core.loader``) turns a YAML file into these
objects and maps every validation error back to a file, line and hint.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)

Level = Literal["sql", "mql", "none", "disqualify"]
Strength = Literal["strong", "medium", "weak"]
QuestionType = Literal[
    # version 1's types first: error messages list the allowed ones in this order
    "single",
    "multiple",
    "yes_no",
    "number",
    "text",
    "email",
    "phone",
    "dropdown",
    "scale",
    "long_text",
    "country",
]
ContactFieldName = Literal["first_name", "last_name", "email", "company", "phone", "job_title"]
Language = Literal["en", "fr"]
ChecklistGroup = Literal["FIT", "INTENT", "TIMING", "DATA"]

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]

#: Question types whose answer is one value among ``choices``.
CHOICE_TYPES = ("single", "multiple", "dropdown")
#: Question types whose answer can route a lead (a choice value, or a country's zone name).
ROUTING_TYPES = ("single", "dropdown", "country")
#: The scales a ``scale`` question may use (SPEC: 1–5 or 0–10).
SCALE_MINIMUMS = (0, 1)
SCALE_MAXIMUMS = (5, 10)
#: The SQL-ready checklist's stable item ids (texts and checks live in ``stages``).
CHECKLIST_IDS = (
    "fit_company_size",
    "fit_decision_maker",
    "fit_priority_sector",
    "fit_core_zone",
    "intent_strong_or_two_medium",
    "timing_project_or_3_months",
    "timing_no_not_now",
    "data_business_email",
    "data_fit_complete",
    "data_not_duplicate",
    "data_second_channel",
)


#: The validation context key the loader sets: the data was read from a questionnaire file.
FROM_FILE = "from_file"


class RuleError(ValueError):
    """A broken format rule; ``hint`` says what to write instead (the loader shows it)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


def check_hex_color(value: str) -> str:
    if not re.fullmatch(r"#(?:[0-9a-fA-F]{3}){1,2}", value):
        raise RuleError(f"'{value}' is not a hex colour", 'write a colour as "#1a73e8" (in quotes)')
    return value


def check_static_name(value: str) -> str:
    # A logo is served from static/: a URL or '..' would load from elsewhere.
    parts = value.split("/")
    plain = re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-/]*", value) and "" not in parts
    if not plain or ".." in parts or ":" in value:
        raise RuleError(
            f"logo '{value}' is not a plain file name under static/",
            "write a relative name such as 'logos/acme.svg': no URL, no leading '/', no '..'",
        )
    if not value.lower().endswith((".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif")):
        raise RuleError(
            f"logo '{value}' is not an image file", "use a .svg, .png, .jpg, .webp or .gif file"
        )
    return value


_ORIGIN = re.compile(r"https?://(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?")


def check_origin(value: str) -> str:
    if not _ORIGIN.fullmatch(value):
        raise RuleError(
            f"'{value}' is not an origin",
            "write scheme and host only, e.g. 'https://www.example.com' or "
            "'https://example.com:8443': lowercase, no path, no trailing '/'",
        )
    return value


# The validators above give the loader its messages; the patterns let editors check the same
# rules through the JSON Schema (ECMA-262 regexes, no inline flags).
_IMAGE = "[sS][vV][gG]|[pP][nN][gG]|[jJ][pP][eE]?[gG]|[wW][eE][bB][pP]|[gG][iI][fF]"
HexColor = Annotated[
    str,
    AfterValidator(check_hex_color),
    Field(json_schema_extra={"pattern": "^#([0-9a-fA-F]{3}){1,2}$"}),
]
StaticName = Annotated[
    str,
    AfterValidator(check_static_name),
    Field(
        json_schema_extra={
            "pattern": rf"^(?!.*\.\.)(?!.*//)[A-Za-z0-9_][A-Za-z0-9_.\-/]*\.({_IMAGE})$"
        }
    ),
]
Origin = Annotated[
    str,
    AfterValidator(check_origin),
    Field(json_schema_extra={"pattern": f"^{_ORIGIN.pattern}$"}),
]

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


class Scale(Strict):
    """The range of a ``scale`` question (1–5 or 0–10) and the words at its ends."""

    min: int = Field(default=1, json_schema_extra={"enum": list(SCALE_MINIMUMS)})
    max: int = Field(default=5, json_schema_extra={"enum": list(SCALE_MAXIMUMS)})
    min_label: str | None = None
    max_label: str | None = None

    @model_validator(mode="after")
    def _known_scale(self) -> Scale:
        if self.min not in SCALE_MINIMUMS or self.max not in SCALE_MAXIMUMS:
            raise RuleError(
                f"a scale from {self.min} to {self.max} is not offered",
                "write {min: 1, max: 5} or {min: 0, max: 10}",
            )
        return self


class Zone(Effect):
    """Countries (ISO 3166-1 alpha-2) grouped under a zone name, and what the zone feeds."""

    countries: list[CountryCode] = Field(min_length=1)


class Condition(Strict):
    """When a question is shown, from EARLIER answers: ``{question: q, equals: v}``,
    ``{question: q, in: [v, w]}``, or ``all:`` / ``any:`` lists of such conditions."""

    question: Identifier | None = None
    equals: str | int | float | bool | None = None
    in_: list[str | int | float] | None = Field(default=None, alias="in")
    all: list[Condition] | None = None
    any: list[Condition] | None = None

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        json_schema_extra={
            "oneOf": [
                {
                    "required": ["question"],
                    "oneOf": [{"required": ["equals"]}, {"required": ["in"]}],
                    "not": {"anyOf": [{"required": ["all"]}, {"required": ["any"]}]},
                },
                {
                    "oneOf": [{"required": ["all"]}, {"required": ["any"]}],
                    "not": {
                        "anyOf": [
                            {"required": ["question"]},
                            {"required": ["equals"]},
                            {"required": ["in"]},
                        ]
                    },
                },
            ]
        },
    )

    @model_validator(mode="after")
    def _one_shape(self) -> Condition:
        tests = [name for name in ("equals", "in_") if getattr(self, name) is not None]
        lists = [name for name in ("all", "any") if getattr(self, name) is not None]
        if self.question is not None and len(tests) == 1 and not lists:
            return self
        if self.question is None and not tests and len(lists) == 1:
            return self
        raise RuleError(
            "a show_if condition is either a question with equals: or in:, or one all: / any: list",
            "write {question: <earlier id>, in: [a, b]}, {question: <id>, equals: a}, "
            "or {any: [<condition>, <condition>]}",
        )

    def questions_named(self) -> list[str]:
        """Every question id this condition reads, nested ones included."""
        if self.question is not None:
            return [self.question]
        return [q for c in (self.all or self.any or []) for q in c.questions_named()]

    def values(self) -> list[str]:
        """The values a leaf condition compares with, as text."""
        found = [self.equals] if self.in_ is None else self.in_
        return [as_text(v) for v in found]


def as_text(value: Any) -> str:
    """A value as the text answers are compared with (5.0 → "5", True → "yes")."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _only_for(types: tuple[str, ...], absent: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema rule: unless ``type`` is one of ``types``, these keys stay empty."""
    return {
        "if": {"not": {"properties": {"type": {"enum": list(types)}}}},
        "then": {"properties": absent},
    }


#: The shape rules of ``Question._check_shape`` that a JSON Schema can express.
QUESTION_SHAPE_SCHEMA: dict[str, Any] = {
    "allOf": [
        {
            "if": {"properties": {"type": {"enum": list(CHOICE_TYPES)}}, "required": ["type"]},
            "then": {"required": ["choices"], "properties": {"choices": {"minItems": 2}}},
        },
        _only_for((*CHOICE_TYPES, "scale"), {"choices": {"maxItems": 0}}),
        _only_for(("number", "scale"), {"ranges": {"maxItems": 0}}),
        _only_for(("yes_no",), {"if_yes": {"type": "null"}, "if_no": {"type": "null"}}),
        _only_for(("scale",), {"scale": {"type": "null"}}),
        _only_for(("country",), {"zones": {"maxProperties": 0}, "other": {"type": "null"}}),
    ]
}


class Question(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=QUESTION_SHAPE_SCHEMA)

    id: Identifier
    type: QuestionType
    label: str
    help: str | None = None
    required: bool = True
    criterion: Identifier | None = Field(
        default=None, description="The FIT criterion this question's answers feed."
    )
    show_if: Condition | None = Field(
        default=None, description="Show the question only when earlier answers match."
    )
    choices: list[Choice] = []
    ranges: list[Range] = []
    if_yes: Effect | None = None
    if_no: Effect | None = None
    scale: Scale | None = None
    zones: dict[Identifier, Zone] = Field(
        default={}, description="Country questions: zone name → countries and effect."
    )
    other: Effect | None = Field(
        default=None, description="Country questions: the effect of a country in no zone."
    )
    min: float | None = None
    max: float | None = None
    max_length: int = Field(default=200, ge=1, le=5000)
    placeholder: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _type_defaults(cls, data: Any) -> Any:
        # A scale without bounds is 1–5; long text gets room for a paragraph.
        if not isinstance(data, dict):
            return data
        if data.get("type") == "scale" and data.get("scale") is None:
            data = {**data, "scale": {}}
        if data.get("type") == "long_text" and "max_length" not in data:
            data = {**data, "max_length": 1000}
        return data

    @model_validator(mode="after")
    def _check_shape(self) -> Question:
        if self.type in CHOICE_TYPES:
            if len(self.choices) < 2:
                raise ValueError(f"a {self.type} question needs at least two choices")
        elif self.choices and self.type != "scale":
            raise ValueError(
                f"choices are for single, multiple, dropdown or scale questions, not {self.type}"
            )
        values = [c.value for c in self.choices]
        dupes = sorted({v for v in values if values.count(v) > 1})
        if dupes:
            raise ValueError(f"choice values must be unique; repeated: {', '.join(dupes)}")
        if self.ranges and self.type not in ("number", "scale"):
            raise ValueError("ranges are for number and scale questions")
        if (self.if_yes or self.if_no) and self.type != "yes_no":
            raise ValueError("if_yes / if_no are for yes_no questions")
        if self.scale is not None and self.type != "scale":
            raise ValueError("scale: is for scale questions")
        if (self.zones or self.other) and self.type != "country":
            raise ValueError("zones / other are for country questions")
        if self.type == "scale":
            self._check_scale_choices()
        return self

    def _check_scale_choices(self) -> None:
        assert self.scale is not None
        allowed = {str(n) for n in range(self.scale.min, self.scale.max + 1)}
        outside = [c.value for c in self.choices if c.value not in allowed]
        if outside:
            raise RuleError(
                f"choice value '{outside[0]}' is not on the scale "
                f"{self.scale.min}–{self.scale.max}",
                f"a scale choice's value is one of its points: "
                f'"{self.scale.min}" to "{self.scale.max}"',
            )

    def effects(self) -> list[Effect]:
        """Every effect an answer to this question can have."""
        return [
            *self.choices,
            *self.ranges,
            *(e for e in (self.if_yes, self.if_no) if e),
            *self.zones.values(),
            *(e for e in (self.other,) if e),
        ]

    def zone_of(self, country: str) -> str | None:
        """The zone name a country code belongs to, if any."""
        code = country.strip().upper()
        return next((name for name, z in self.zones.items() if code in z.countries), None)

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


class Strengths(Strict):
    """INTENT points per signal strength; a strength left out keeps its default."""

    strong: int = Field(default=60, ge=0, le=100)
    medium: int = Field(default=25, ge=0, le=100)
    weak: int = Field(default=10, ge=0, le=100)

    def __getitem__(self, strength: Strength) -> int:
        return getattr(self, strength)


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
    fields: list[ContactField] = Field(
        min_length=1,
        json_schema_extra={
            "contains": {
                "required": ["name"],
                "properties": {"name": {"const": "email"}, "required": {"const": True}},
            }
        },
    )
    consent: str

    @model_validator(mode="after")
    def _needs_email(self) -> Contact:
        if not any(f.name == "email" and f.required for f in self.fields):
            raise ValueError("the contact step needs a required email field to send the report")
        return self


class Routing(Strict):
    """Which questions give the lead's sector and zone: a single or dropdown question's
    value, or a country question's zone name."""

    sector: Identifier | None = None
    zone: Identifier | None = None


class NextStep(Strict):
    title: str = "Talk to an expert"
    text: str
    url: str | None = None


class HiddenField(Strict):
    """A value the embed URL passes (utm_source, page...), scored like an answer.

    ``values`` maps a value (compared without case) to its effect; ``other`` applies to
    any other non-empty value. Scoring reads it from the answers under ``hidden.<name>``.
    """

    label: str | None = None
    criterion: Identifier | None = Field(
        default=None, description="The FIT criterion this field's values feed."
    )
    values: dict[Annotated[str, Field(min_length=1, max_length=100)], Effect] = {}
    other: Effect | None = None

    def effects(self) -> list[Effect]:
        return [*self.values.values(), *(e for e in (self.other,) if e)]


#: The hidden fields every embed may pass, declared or not.
STANDARD_HIDDEN_FIELDS = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "page",
)


class ChecklistOverride(Strict):
    """Replace or disable one default SQL-ready checklist item (by its id).

    With ``criterion`` the item checks that criterion's FIT level is in ``levels``; with
    ``signals`` it checks that one of these INTENT or TIMING signals was found; with only
    ``item`` it keeps its check and changes its text.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "not": {
                "required": ["criterion", "signals"],
                "properties": {"criterion": {"type": "string"}, "signals": {"minItems": 1}},
            }
        },
    )

    disabled: bool = False
    item: str | None = None
    group: ChecklistGroup | None = None
    criterion: Identifier | None = None
    levels: list[Level] = ["sql"]
    signals: list[Identifier] = []

    @model_validator(mode="after")
    def _one_check(self) -> ChecklistOverride:
        if self.criterion and self.signals:
            raise RuleError(
                "a checklist item checks a criterion or signals, not both",
                "keep criterion: (with levels:) or signals:, and make two items if needed",
            )
        return self


class ReviewWhen(Strict):
    """One condition that holds an SQL for review; give exactly one kind."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "oneOf": [
                {
                    "required": ["criterion"],
                    "oneOf": [{"required": ["value_in"]}, {"required": ["level_in"]}],
                    "not": {
                        "anyOf": [
                            {"required": ["fit_completeness_below"]},
                            {"required": ["total_at_least"]},
                        ]
                    },
                },
                *(
                    {
                        "required": [kind],
                        "not": {
                            "anyOf": [
                                {"required": [other]}
                                for other in (
                                    "criterion",
                                    "value_in",
                                    "level_in",
                                    "fit_completeness_below",
                                    "total_at_least",
                                )
                                if other != kind
                            ]
                        },
                    }
                    for kind in ("fit_completeness_below", "total_at_least")
                ),
            ]
        },
    )

    criterion: Identifier | None = None
    value_in: list[str] | None = Field(
        default=None, description="The answer feeding the criterion is one of these values."
    )
    level_in: list[Level] | None = None
    fit_completeness_below: float | None = Field(default=None, gt=0, le=1)
    total_at_least: float | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _one_kind(self) -> ReviewWhen:
        by_criterion = self.criterion is not None
        kinds = [
            by_criterion,
            self.fit_completeness_below is not None,
            self.total_at_least is not None,
        ]
        tests = [t for t in (self.value_in, self.level_in) if t is not None]
        if sum(kinds) == 1 and (len(tests) == 1) == by_criterion:
            return self
        raise RuleError(
            "a review condition needs exactly one of: criterion with value_in or level_in, "
            "fit_completeness_below, total_at_least",
            'write e.g. {criterion: company_size, value_in: ["1000+"]} or '
            "{fit_completeness_below: 1.0}",
        )


class Review(Strict):
    """Which SQLs wait for a human (``sql_review``): any condition holding is enough."""

    when_any: list[ReviewWhen] = Field(min_length=1)
    reason: str = "high-value or partial lead, validated by Marketing Ops"


def _theme_values_not_null(schema: dict[str, Any]) -> None:
    # Each key may be left out, never written empty (the loader refuses that: see below).
    for value in schema.get("properties", {}).values():
        kinds = [k for k in value.pop("anyOf", []) if k.get("type") != "null"]
        if len(kinds) == 1:
            value.update(kinds[0])
        value.pop("default", None)


class Theme(Strict):
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra=_theme_values_not_null
    )

    primary_color: HexColor | None = None
    accent_color: HexColor | None = None
    logo: StaticName | None = Field(default=None, description="A file name under static/.")

    @model_validator(mode="before")
    @classmethod
    def _no_empty_value(cls, data: Any, info: ValidationInfo) -> Any:
        # In YAML '#' starts a comment: primary_color: #1a73e8 written without quotes reads
        # as an empty value, and the theme silently had no colour. Only a file is checked
        # (the loader says so in the context): a model dumped and validated again has None.
        if isinstance(data, dict) and (info.context or {}).get(FROM_FILE):
            for key in ("primary_color", "accent_color", "logo"):
                if key in data and data[key] is None:
                    example = '"logos/acme.svg"' if key == "logo" else '"#1a73e8"'
                    raise RuleError(
                        f"{key} is empty (a # without quotes starts a comment in YAML)",
                        f"write {key}: {example} (in quotes), or remove the line",
                    )
        return data


# -- translations: every text a prospect reads, per language --


class QuestionText(Strict):
    label: str | None = None
    help: str | None = None
    placeholder: str | None = None
    min_label: str | None = None
    max_label: str | None = None
    choices: dict[str, str] = Field(default={}, description="Choice value → label.")


class StepText(Strict):
    title: str | None = None
    intro: str | None = None


class BandText(Strict):
    title: str | None = None
    text: str | None = None


class DimensionText(Strict):
    label: str | None = None
    bands: list[BandText] = Field(default=[], description="In the order of the dimension's bands.")


class DiagnosticText(Strict):
    title: str | None = None
    dimensions: dict[Identifier, DimensionText] = {}
    bands: list[BandText] = Field(default=[], description="In the order of the overall bands.")


class ContactText(Strict):
    title: str | None = None
    intro: str | None = None
    consent: str | None = None
    fields: dict[ContactFieldName, str] = Field(default={}, description="Field name → label.")


class NextStepText(Strict):
    title: str | None = None
    text: str | None = None
    url: str | None = None


class Translation(Strict):
    """One language's texts; whatever is left out falls back to the questionnaire's own."""

    title: str | None = None
    intro: str | None = None
    steps: list[StepText] = Field(default=[], description="In the order of the steps.")
    questions: dict[Identifier, QuestionText] = {}
    contact: ContactText = ContactText()
    diagnostic: DiagnosticText = DiagnosticText()
    next_step: NextStepText = NextStepText()


class Questionnaire(Strict):
    schema_: str | None = Field(default=None, alias="$schema")
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=60)]
    version: int = Field(ge=1)
    language: Language = "en"
    title: str
    intro: str | None = None
    thresholds: Thresholds = Thresholds()
    weights: Weights = Weights()
    strengths: Strengths = Strengths()
    intent_window_days: int = Field(default=90, ge=1)
    fit_criteria: dict[Identifier, Criterion] = Field(min_length=1)
    intent_signals: dict[Identifier, IntentSignal] = {}
    timing_signals: dict[Identifier, TimingSignal] = {}
    routing: Routing = Routing()
    hidden_fields: dict[Identifier, HiddenField | None] = Field(
        default={},
        description="Values passed by the embed URL (utm_*, page, any declared name); "
        "write 'name:' alone to keep one without scoring it.",
    )
    checklist: dict[str, ChecklistOverride] = Field(
        default={},
        json_schema_extra={"propertyNames": {"enum": list(CHECKLIST_IDS)}},
        description="SQL-ready checklist item id → its replacement, or {disabled: true}.",
    )
    review: Review | None = None
    steps: list[Step] = Field(min_length=1)
    contact: Contact
    diagnostic: Diagnostic
    next_step: NextStep
    translations: dict[Language, Translation] = {}
    theme: Theme = Theme()
    allowed_origins: list[Origin] = Field(
        default=[], description="Origins allowed to embed the wizard (frame-ancestors)."
    )

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

    def all_hidden_fields(self) -> dict[str, HiddenField]:
        """The standard hidden fields and the declared ones (declared settings win)."""
        standard = {name: HiddenField() for name in STANDARD_HIDDEN_FIELDS}
        declared = {name: f or HiddenField() for name, f in self.hidden_fields.items()}
        return {**standard, **declared}

    def languages(self) -> tuple[str, ...]:
        """The questionnaire's own language first, then those it has translations for."""
        others = [lang for lang in self.translations if lang != self.language]
        return (self.language, *others)


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
