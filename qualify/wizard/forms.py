"""WTForms classes built from a questionnaire, one per step: validation and conversion only.

Inputs (and so choice labels) are rendered by the Jinja macros in ``templates/wizard/_macros.html`` (WTForms'
widgets are several times slower); the forms here turn posted strings into answer values
(choices, lists, numbers, normalised phone numbers) and say what is wrong with each field.

Question fields are named by question id; contact fields by their name (``email``...) and
stored as ``contact.<name>``. ``action`` and ``form_token`` are reserved for the page itself.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping

import phonenumbers
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from wtforms import (
    BooleanField,
    EmailField,
    Form,
    RadioField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields import FloatField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..core.addresses import AddressError, check_deliverable_address
from ..core.countries import COUNTRY_CODES
from ..core.questionnaire import ContactField, Question, Questionnaire
from ..core.typed_text import multi_line, number_text, one_line

CONTACT_PREFIX = "contact."
PHONE_REGION = "FR"  # region hint for numbers typed without an international prefix
RESERVED_NAMES = frozenset({"action", "form_token"})

#: Contact fields: input type, browser autocomplete token, longest accepted value.
CONTACT_INPUTS: dict[str, tuple[str, str, int]] = {
    "first_name": ("text", "given-name", 100),
    "last_name": ("text", "family-name", 100),
    "email": ("email", "email", 254),
    "company": ("text", "organization", 200),
    "job_title": ("text", "organization-title", 200),
    "phone": ("tel", "tel", 40),
}

# Labels are lazy: forms and field views are built once, and rendered in the page's language.
YES_NO = [("yes", lazy_gettext("Yes")), ("no", lazy_gettext("No"))]


def _strip(value):
    """A one-line answer, trimmed and without control characters (``typed_text``)."""
    return one_line(value)


class NumberField(FloatField):
    """A float with its separators read as the writer meant them (``number_text``: "1 200,5",
    "1,200.5", "1,000"); NaN and infinities ("nan", "inf", "1e999") are not numbers a
    prospect means (and no JSON column takes them)."""

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [number_text(valuelist[0]), *valuelist[1:]]
        super().process_formdata(valuelist)
        if self.data is not None and not math.isfinite(self.data):
            self.data = None
            raise ValueError(self.invalid_value_message)  # set by make_question_field


#: The longest phone number stored, as ``format_phone`` writes it (the leads' column size).
PHONE_LENGTH = 40


class PhoneNumber:
    """Validate a phone number (international format, or national with a region hint), no
    longer than ``PHONE_LENGTH`` once formatted ("+33123456789;ext=1234" grows by 6)."""

    def __init__(self, region: str = PHONE_REGION, message: str | None = None):
        self.region = region
        self.message = message or _("Please enter a valid phone number, e.g. +33 1 23 45 67 89.")

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        try:
            number = phonenumbers.parse(field.data, self.region)
        except phonenumbers.NumberParseException as exc:
            raise ValidationError(self.message) from exc
        if not phonenumbers.is_valid_number(number):
            raise ValidationError(self.message)
        if len(format_phone(field.data, self.region)) > PHONE_LENGTH:
            raise ValidationError(_("A phone number has at most 40 characters."))


class DeliverableEmail:
    """An address the mail path can send to (``check_deliverable_address``): refused here,
    while the prospect can fix it, rather than failed later by the worker. Stricter than
    WTForms' ``Email``, which lets through what SMTP cannot carry (``jörg@...`` needs
    SMTPUTF8, which the mail path does not speak)."""

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        try:
            check_deliverable_address(field.data)
        except AddressError as exc:
            message = self.message or _(
                "Please enter a valid email address, e.g. name@company.com."
            )
            raise ValidationError(str(message)) from exc


def format_phone(value: str, region: str = PHONE_REGION) -> str:
    """A valid phone number in international format; anything else unchanged."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _presence(required: bool, message: str):
    return InputRequired(message=message) if required else Optional()


def _text_presence(required: bool, message: str):
    """For typed text, judged after its filters: '   ' is present input (InputRequired lets
    it through) but strips to '' — no answer. Never for numbers, where 0 is an answer."""
    return DataRequired(message=message) if required else Optional()


def _upper(value):
    return one_line(value).upper() if isinstance(value, str) else value


class OneOfField(StringField):
    """A text answer that must be one of ``allowed``: a dropdown's values, a scale's
    points, ISO country codes. An empty answer is left to the presence validator."""

    def __init__(self, label=None, validators=None, allowed=(), invalid_message="", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.allowed = frozenset(allowed)
        self.invalid_message = invalid_message

    def pre_validate(self, form) -> None:
        if self.data and self.data not in self.allowed:
            raise ValidationError(self.invalid_message)


def make_choice_field(question: Question):
    """The field of a dropdown, scale or country question (one value from a known list)."""
    if question.type == "country":
        return OneOfField(
            question.label,
            filters=[_upper],
            validators=[_presence(question.required, _("Please choose a country."))],
            allowed=COUNTRY_CODES,
            invalid_message=_("Please choose a country from the list."),
        )
    if question.type == "scale":
        scale = question.scale
        assert scale is not None  # the model gives every scale question its bounds
        return OneOfField(
            question.label,
            filters=[_strip],
            validators=[_presence(question.required, _("Please choose a point on the scale."))],
            allowed={str(n) for n in range(scale.min, scale.max + 1)},
            invalid_message=_(
                "Please choose a number from %(min)d to %(max)d.", min=scale.min, max=scale.max
            ),
        )
    return OneOfField(
        question.label,
        filters=[_strip],
        validators=[_presence(question.required, _("Please choose an answer."))],
        allowed={c.value for c in question.choices},
        invalid_message=_("Please choose one of the answers listed."),
    )


def length_message() -> str:
    """The too-long message; WTForms' Length fills in %(max)d and %(length)d."""
    return _("Please shorten this answer to %(max)d characters or fewer (it has %(length)d).")


def make_question_field(question: Question):
    """The unbound WTForms field validating and converting one question's answer."""
    label = question.label
    if question.type in ("dropdown", "scale", "country"):
        return make_choice_field(question)
    if question.type == "single":
        return RadioField(
            label,
            choices=[c.value for c in question.choices],
            validators=[_presence(question.required, _("Please choose an answer."))],
            invalid_choice_message=_("Please choose one of the answers listed."),
        )
    if question.type == "yes_no":
        return RadioField(
            label,
            choices=[value for value, _label in YES_NO],
            validators=[_presence(question.required, _("Please answer yes or no."))],
            invalid_choice_message=_("Please answer yes or no."),
        )
    if question.type == "multiple":
        return SelectMultipleField(
            label,
            choices=[c.value for c in question.choices],
            validators=[_presence(question.required, _("Please tick at least one answer."))],
            invalid_choice_message=_("Please tick only the answers listed."),
        )
    if question.type == "number":
        validators = [_presence(question.required, _("Please enter a number."))]
        if question.min is not None or question.max is not None:
            validators.append(
                NumberRange(min=question.min, max=question.max, message=_range_message(question))
            )
        return NumberField(
            label,
            validators=validators,
            invalid_value_message=_("Please enter a number, e.g. 250."),
        )
    if question.type == "email":
        return EmailField(
            label,
            filters=[_strip],
            validators=[
                _text_presence(question.required, _("Please enter an email address.")),
                Length(max=254, message=_("An email address has at most 254 characters.")),
                DeliverableEmail(),
            ],
        )
    if question.type == "phone":
        return StringField(
            label,
            filters=[_strip],
            validators=[
                _text_presence(question.required, _("Please enter a phone number.")),
                Length(max=40, message=_("A phone number has at most 40 characters.")),
                PhoneNumber(),
            ],
        )
    # text and long_text: capped, so that a pasted essay is refused with a message
    return StringField(
        label,
        filters=[multi_line if question.type == "long_text" else one_line],
        validators=[
            _text_presence(question.required, _("Please fill in this field.")),
            Length(max=question.max_length, message=length_message()),
        ],
    )


def _range_message(question: Question) -> str:
    # bounds as the prospect would type them: 1000, not 1000.0
    low = "" if question.min is None else format(question.min, "g")
    high = "" if question.max is None else format(question.max, "g")
    if low and high:
        return _("Please enter a number between %(min)s and %(max)s.", min=low, max=high)
    if low:
        return _("Please enter a number of at least %(min)s.", min=low)
    return _("Please enter a number of at most %(max)s.", max=high)


def make_contact_field(field: ContactField):
    """The unbound WTForms field for one contact field (email and phone validated)."""
    _type, _autocomplete, max_length = CONTACT_INPUTS[field.name]
    validators = [
        _text_presence(field.required, _("Please fill in your %(field)s.", field=field.label.lower())),
        Length(max=max_length, message=length_message()),
    ]
    if field.name == "email":
        validators.append(DeliverableEmail())
        return EmailField(field.label, filters=[_strip], validators=validators)
    if field.name == "phone":
        validators.append(PhoneNumber())
    return StringField(field.label, filters=[_strip], validators=validators)


class StepForm(Form):
    """Base of every generated step form."""

    class Meta:
        csrf = False  # forged posts are refused by the signed form token, bound to the response


_FORM_CACHE: OrderedDict[tuple, type[StepForm]] = OrderedDict()
_FORM_CACHE_SIZE = 256


def step_form_class(questionnaire: Questionnaire, version_key: str, number: int) -> type[StepForm]:
    """The form class for step ``number`` (1-based; len(steps)+1 is the contact step).

    Cached per questionnaire version and language (``version_key``: the published file's
    content hash and the language: labels and messages are in that language).
    """
    key = (questionnaire.id, version_key, number)
    cached = _FORM_CACHE.get(key)
    if cached is not None:
        _FORM_CACHE.move_to_end(key)
        return cached
    form_class = _build_form_class(questionnaire, number)
    _FORM_CACHE[key] = form_class
    if len(_FORM_CACHE) > _FORM_CACHE_SIZE:
        _FORM_CACHE.popitem(last=False)
    return form_class


def _build_form_class(questionnaire: Questionnaire, number: int) -> type[StepForm]:
    attributes: dict[str, object] = {}
    if number <= len(questionnaire.steps):
        for question in questionnaire.steps[number - 1].questions:
            if question.id in RESERVED_NAMES:
                raise ValueError(f"the question id {question.id!r} is reserved by the wizard")
            attributes[question.id] = make_question_field(question)
    else:
        for field in questionnaire.contact.fields:
            attributes[field.name] = make_contact_field(field)
        attributes["consent"] = BooleanField(
            questionnaire.contact.consent,
            validators=[
                DataRequired(message=_("Please tick this box so we can send your report."))
            ],
        )
    return type(f"Step{number}Form", (StepForm,), attributes)


def is_contact_step(questionnaire: Questionnaire, number: int) -> bool:
    return number == len(questionnaire.steps) + 1


def form_data_from_answers(
    questionnaire: Questionnaire, number: int, answers: Mapping[str, object]
) -> dict[str, object]:
    """Saved answers as the step form's initial data (to prefill a step)."""
    if is_contact_step(questionnaire, number):
        return {f.name: answers.get(CONTACT_PREFIX + f.name) for f in questionnaire.contact.fields}
    return {q.id: answers.get(q.id) for q in questionnaire.steps[number - 1].questions}


def answers_from_form(
    questionnaire: Questionnaire, number: int, form: StepForm, valid_only: bool = True
) -> dict[str, object]:
    """The form's values as answers to store: {question id or contact.<name>: value}.

    With ``valid_only`` (used for Back and the live panel), fields with errors are left out,
    so what was saved before for them is kept.
    """
    answers: dict[str, object] = {}
    if is_contact_step(questionnaire, number):
        for field in questionnaire.contact.fields:
            bound = form[field.name]
            if valid_only and bound.errors:
                continue
            value = bound.data or ""
            if field.name == "phone" and value:
                value = format_phone(value)
            answers[CONTACT_PREFIX + field.name] = value
        return answers
    for question in questionnaire.steps[number - 1].questions:
        bound = form[question.id]
        if valid_only and bound.errors:
            continue
        answers[question.id] = _answer_value(question, bound.data)
    return answers


def _answer_value(question: Question, data):
    if data is None or data == "":
        return None
    if question.type == "number":
        try:
            number = float(data)
        except (TypeError, ValueError):
            # saved under an earlier version of the file, when this was another type of
            # question ("saas"): not a number, so not an answer to this one
            return None
        return int(number) if number.is_integer() else data
    if question.type == "scale":
        # a point of the scale once validated; anything else is kept as typed
        return int(data) if str(data).isdigit() else data
    if question.type == "multiple":
        return list(dict.fromkeys(data))  # a value posted twice (or 5,000 times) is one tick
    if question.type == "phone":
        # a number or a list is an answer saved when this was another type of question
        return format_phone(data) if isinstance(data, str) else None
    return data
