"""What the input macros need to render each field of a step (WTForms validates, Jinja
renders: see ``templates/wizard/_macros.html``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ..core.countries import country_options
from ..core.questionnaire import Question, Questionnaire
from .forms import CONTACT_INPUTS, YES_NO, StepForm


@dataclass
class FieldView:
    """One field to render: its bound WTForms field and how to show it."""

    field: object
    # "choice" (radios), "multiple" (checkboxes), "select", "scale" (radios of numbers),
    # "textarea" or "input"
    kind: str
    label: str
    required: bool
    help: str | None = None
    choices: list[tuple[str, str]] = field(default_factory=list)
    input_type: str = "text"
    autocomplete: str | None = None
    inputmode: str | None = None
    placeholder: str | None = None
    max_length: int | None = None
    min_label: str | None = None
    max_label: str | None = None

    # What the prospect entered, as the macros show it (a pre-rendered page fills the same
    # in: qualify.wizard.prerender).

    def on_values(self) -> list:
        """The values shown ticked or selected."""
        if self.kind == "multiple":
            return self.field.data or []
        if self.kind == "choice":
            return [self.field.data]
        if self.kind == "consent":
            return ["y"] if self.field.data else []
        return [self.field._value()]  # scale, select: compared as the text shown

    def checked(self, value) -> str:
        """`` checked`` on the radio or checkbox of ``value`` when it is ticked."""
        return " checked" if value in self.on_values() else ""

    def selected(self, value) -> str:
        """`` selected`` on the option of ``value`` when it is the one chosen."""
        return " selected" if value in self.on_values() else ""

    def value_text(self) -> str:
        """A text input's value (escaped by the template)."""
        return self.field._value()


def describe_consent(questionnaire: Questionnaire, form: StepForm) -> FieldView:
    """The contact step's consent box."""
    return FieldView(form.consent, "consent", questionnaire.contact.consent, True)


def describe_contact_fields(questionnaire: Questionnaire, form: StepForm) -> list[FieldView]:
    """The contact step's fields, with their input types and autocomplete tokens."""
    views = []
    for contact_field in questionnaire.contact.fields:
        input_type, autocomplete, max_length = CONTACT_INPUTS[contact_field.name]
        views.append(
            FieldView(
                form[contact_field.name],
                "input",
                contact_field.label,
                contact_field.required,
                input_type=input_type,
                autocomplete=autocomplete,
                max_length=max_length,
            )
        )
    return views


def describe_questions(questions: list[Question], form: StepForm, language: str) -> list[FieldView]:
    """The given questions' fields in order (the questions shown on the page)."""
    return [describe_question(q, form[q.id], language) for q in questions]


def describe_question(question: Question, bound, language: str = "en") -> FieldView:
    """How to render one question's field, by its type."""
    view = FieldView(bound, "input", question.label, question.required, help=question.help)
    view.placeholder = question.placeholder
    kind = question.type
    if kind in ("single", "yes_no"):
        view.kind = "choice"
        view.choices = (
            YES_NO if kind == "yes_no" else [(c.value, c.label) for c in question.choices]
        )
    elif kind == "multiple":
        view.kind = "multiple"
        view.choices = [(c.value, c.label) for c in question.choices]
    elif kind == "dropdown":
        view.kind = "select"
        view.choices = [(c.value, c.label) for c in question.choices]
    elif kind == "country":
        # Names in the prospect's language, sorted for them; the ISO code is the value.
        view.kind, view.autocomplete = "select", "country"
        view.choices = country_choices(language)
    elif kind == "scale":
        describe_scale(question, view)
    elif kind in ("text", "long_text"):
        view.kind = "textarea" if kind == "long_text" else "input"
        view.max_length = question.max_length
    elif kind == "number":
        view.input_type, view.inputmode = "text", "decimal"
    elif kind == "email":
        view.input_type, view.autocomplete = "email", "email"
    elif kind == "phone":
        view.input_type, view.autocomplete = "tel", "tel"
    return view


@cache
def country_choices(language: str) -> list[tuple[str, str]]:
    """Every country as (ISO code, name in ``language``), sorted by name; built once."""
    return country_options(language)


def describe_scale(question: Question, view: FieldView) -> None:
    """A scale: one radio per point, the words at its ends beside the first and last."""
    scale = question.scale
    assert scale is not None  # the model gives every scale question its bounds
    view.kind = "scale"
    view.choices = [(str(n), str(n)) for n in range(scale.min, scale.max + 1)]
    view.min_label, view.max_label = scale.min_label, scale.max_label
