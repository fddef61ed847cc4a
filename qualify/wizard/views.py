"""The prospect's wizard: an intro page, one page per step, a contact step, a result page.

State lives server-side under the response token carried in the URL (no cookies: the wizard
runs in cross-site iframes). Each view parses the request, calls a service, renders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from ..core.diagnostic import diagnose
from ..db import get_db
from ..delivery import enqueue_delivery
from ..embed.framing import frame_ancestors
from ..models import Response
from ..questionnaires import Published, registry
from ..services import Settings
from ..services.responses import (
    ResponseClosedError,
    UnknownResponseError,
    get_response,
    save_answers,
    start_response,
    submit_response,
)
from .forms import (
    CONTACT_INPUTS,
    CONTACT_PREFIX,
    YES_NO,
    StepForm,
    answers_from_form,
    form_data_from_answers,
    is_contact_step,
    step_form_class,
)
from .tokens import read_form_token, sign_form_token

bp = Blueprint("wizard", __name__, template_folder="templates", url_prefix="/q")

#: Hidden fields taken from the landing page's query string, with their longest length.
HIDDEN_FIELDS: dict[str, int] = {
    "utm_source": 200,
    "utm_medium": 200,
    "utm_campaign": 200,
    "utm_term": 200,
    "utm_content": 200,
    "page": 1000,
}

# Wizard pages are embedded on landing pages: framing is allowed to the questionnaire's
# allowed origins (see set_wizard_headers); every other page refuses it (qualify.web).
WIZARD_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; object-src 'none'; "
)


class WizardNotFoundError(Exception):
    """No such questionnaire, or no such response for it."""


@bp.after_request
def set_wizard_headers(response):
    """Allow framing by the questionnaire's allowed origins (read now, from the registry), and
    keep steps out of caches (browser Back re-reads the saved state)."""
    published = g.get("wizard_published")
    if published is None and request.view_args and "questionnaire_id" in request.view_args:
        published = registry().get(request.view_args["questionnaire_id"])
    allowed = getattr(published.questionnaire, "allowed_origins", None) if published else None
    response.headers["Content-Security-Policy"] = WIZARD_CSP + frame_ancestors(
        allowed, current_app.config["EMBED_ALLOWED_ORIGINS"]
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(WizardNotFoundError)
@bp.errorhandler(UnknownResponseError)
def show_not_found(_exc):
    return render_template("wizard/not_found.html"), 404


@bp.errorhandler(ResponseClosedError)
def show_result_instead(_exc):
    """A submitted response can't change: any post to it (double click, refresh) shows the result."""
    args = request.view_args or {}
    return redirect_to("wizard.show_result", args["questionnaire_id"], args["token"])


# -- routes --


@bp.get("/<questionnaire_id>")
def show_intro(questionnaire_id: str):
    """The intro page: title, intro and a Start button carrying the landing page's hidden fields."""
    published = load_published(questionnaire_id)
    return render_template(
        "wizard/intro.html",
        questionnaire=published.questionnaire,
        hidden=read_hidden_fields(request.args),
    )


@bp.post("/<questionnaire_id>/start")
def start(questionnaire_id: str):
    """Create a response and go to its first step."""
    questionnaire = load_published(questionnaire_id).questionnaire
    response = start_response(
        db_session(), questionnaire.id, questionnaire.version, read_hidden_fields(request.form)
    )
    return redirect_to("wizard.show_step", questionnaire.id, response.token, number=1)


@bp.get("/<questionnaire_id>/r/<token>/<int:number>")
def show_step(questionnaire_id: str, token: str, number: int):
    """A step, prefilled from the saved answers."""
    published, response = load_response(questionnaire_id, token)
    detour = redirect_if_elsewhere(published, response, number)
    if detour:
        return detour
    form_class = step_form_class(published.questionnaire, published.content_hash, number)
    data = form_data_from_answers(published.questionnaire, number, response.answer_map())
    return render_step(published, response, number, form_class(data=data))


@bp.post("/<questionnaire_id>/r/<token>/<int:number>")
def post_step(questionnaire_id: str, token: str, number: int):
    """Validate and save a step, then go on (or back); the contact step submits the response."""
    published, response = load_response(questionnaire_id, token)
    detour = redirect_if_elsewhere(published, response, number)
    if detour:
        return detour
    questionnaire = published.questionnaire
    form = step_form_class(questionnaire, published.content_hash, number)(formdata=request.form)
    if read_form_token(request.form.get("form_token"), token) != number:
        return render_step(published, response, number, form, expired=True), 400
    valid = form.validate()
    if request.form.get("action") == "back":
        save_answers(db_session(), token, answers_from_form(questionnaire, number, form))
        return redirect_to("wizard.show_step", questionnaire.id, token, number=max(1, number - 1))
    if not valid:
        return render_step(published, response, number, form), 422
    answers = answers_from_form(questionnaire, number, form, valid_only=False)
    contact_step = is_contact_step(questionnaire, number)
    save_answers(db_session(), token, answers, step=number, consent=True if contact_step else None)
    if not contact_step:
        return redirect_to("wizard.show_step", questionnaire.id, token, number=number + 1)
    submit_response(
        db_session(),
        token,
        published,
        Settings.from_config(current_app.config),
        enqueue_delivery(current_app),
    )
    return redirect_to("wizard.show_result", questionnaire.id, token)


@bp.post("/<questionnaire_id>/r/<token>/live")
def live_panel(questionnaire_id: str, token: str):
    """The diagnostic panel for the saved answers merged with the current form's valid values.

    Posted by htmx on every change; saves nothing.
    """
    published, response = load_response(questionnaire_id, token)
    questionnaire = published.questionnaire
    answers = response.answer_map()
    number = read_form_token(request.form.get("form_token"), token)
    if response.status == "in_progress" and number and 1 <= number <= total_steps(published):
        form = step_form_class(questionnaire, published.content_hash, number)(formdata=request.form)
        form.validate()
        answers.update(answers_from_form(questionnaire, number, form))
    return render_template(
        "wizard/_panel_body.html",
        questionnaire=questionnaire,
        diagnostic=diagnose(questionnaire, answers),
    )


@bp.get("/<questionnaire_id>/r/<token>/result")
def show_result(questionnaire_id: str, token: str):
    """The prospect's diagnostic, recommendations, and where their report is going."""
    published, response = load_response(questionnaire_id, token)
    if response.status != "submitted":
        return redirect_to(
            "wizard.show_step", questionnaire_id, token, number=furthest_step(published, response)
        )
    answers = response.answer_map()
    questionnaire = published.questionnaire
    return render_template(
        "wizard/result.html",
        questionnaire=questionnaire,
        diagnostic=diagnose(questionnaire, answers),
        email=answers.get(CONTACT_PREFIX + "email", ""),
    )


# -- helpers --


def db_session():
    return get_db(current_app).session


def load_published(questionnaire_id: str) -> Published:
    published = registry().get(questionnaire_id)
    if published is None:
        raise WizardNotFoundError(questionnaire_id)
    g.wizard_published = published  # for set_wizard_headers' frame-ancestors
    return published


def load_response(questionnaire_id: str, token: str) -> tuple[Published, Response]:
    """The questionnaire and the response, or a friendly 404 if either is unknown."""
    published = load_published(questionnaire_id)
    response = get_response(db_session(), token)
    if response.questionnaire_id != questionnaire_id:
        raise WizardNotFoundError(token)
    return published, response


def read_hidden_fields(values: Mapping[str, str]) -> dict[str, str]:
    """The landing page's UTM parameters and URL, trimmed and length-capped."""
    hidden = {}
    for name, longest in HIDDEN_FIELDS.items():
        value = (values.get(name) or "").strip()[:longest]
        if value:
            hidden[name] = value
    return hidden


def total_steps(published: Published) -> int:
    """Question steps plus the contact step."""
    return len(published.questionnaire.steps) + 1


def furthest_step(published: Published, response: Response) -> int:
    """The furthest step the prospect may open: the one after the last step completed."""
    return min(response.step + 1, total_steps(published))


def redirect_if_elsewhere(published: Published, response: Response, number: int):
    """A redirect when the step can't be shown: submitted → result; not reached yet → the
    furthest step reached; None when the step is fine."""
    if response.status != "in_progress":
        return redirect_to("wizard.show_result", response.questionnaire_id, response.token)
    if number < 1 or number > furthest_step(published, response):
        return redirect_to(
            "wizard.show_step",
            response.questionnaire_id,
            response.token,
            number=furthest_step(published, response),
        )
    return None


def redirect_to(endpoint: str, questionnaire_id: str, token: str, **values):
    return redirect(
        url_for(endpoint, questionnaire_id=questionnaire_id, token=token, **values), 303
    )


@dataclass
class FieldView:
    """What the input macros need to render one field (WTForms validates, Jinja renders)."""

    field: object
    kind: str  # "choice" (radio), "multiple" (checkboxes) or "input"
    label: str
    required: bool
    help: str | None = None
    choices: list[tuple[str, str]] = field(default_factory=list)
    input_type: str = "text"
    autocomplete: str | None = None
    inputmode: str | None = None
    placeholder: str | None = None


def describe_fields(published: Published, number: int, form: StepForm) -> list[FieldView]:
    """The step's fields in order, with what the template needs to render each."""
    questionnaire = published.questionnaire
    if is_contact_step(questionnaire, number):
        views = []
        for contact_field in questionnaire.contact.fields:
            input_type, autocomplete, _ = CONTACT_INPUTS[contact_field.name]
            views.append(
                FieldView(
                    form[contact_field.name],
                    "input",
                    contact_field.label,
                    contact_field.required,
                    input_type=input_type,
                    autocomplete=autocomplete,
                )
            )
        return views
    return [describe_question(q, form[q.id]) for q in questionnaire.steps[number - 1].questions]


def describe_question(question, bound) -> FieldView:
    view = FieldView(bound, "input", question.label, question.required, help=question.help)
    view.placeholder = question.placeholder
    if question.type in ("single", "yes_no"):
        view.kind = "choice"
        view.choices = (
            YES_NO if question.type == "yes_no" else [(c.value, c.label) for c in question.choices]
        )
    elif question.type == "multiple":
        view.kind = "multiple"
        view.choices = [(c.value, c.label) for c in question.choices]
    elif question.type == "number":
        view.input_type, view.inputmode = "text", "decimal"
    elif question.type == "email":
        view.input_type, view.autocomplete = "email", "email"
    elif question.type == "phone":
        view.input_type, view.autocomplete = "tel", "tel"
    return view


def render_step(
    published: Published, response: Response, number: int, form: StepForm, expired: bool = False
) -> str:
    questionnaire = published.questionnaire
    contact = is_contact_step(questionnaire, number)
    step = None if contact else questionnaire.steps[number - 1]
    return render_template(
        "wizard/step.html",
        questionnaire=questionnaire,
        token=response.token,
        number=number,
        total=total_steps(published),
        title=questionnaire.contact.title if contact else step.title,
        intro=questionnaire.contact.intro if contact else step.intro,
        contact=contact,
        form=form,
        fields=describe_fields(published, number, form),
        form_token=sign_form_token(response.token, number),
        expired=expired,
        diagnostic=diagnose(questionnaire, response.answer_map()),
    )
