"""The prospect's wizard: an intro page, one page per step, a contact step, a result page.

State lives server-side under the response token carried in the URL (no cookies: the wizard
runs in cross-site iframes). Each view parses the request, calls a service, renders.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask import Response as HttpResponse

from ..core.answers import Answers
from ..core.diagnostic import diagnose
from ..core.questionnaire import Questionnaire
from ..core.translations import pick_language
from ..db import get_db
from ..delivery import enqueue_delivery
from ..embed.framing import frame_ancestors
from ..i18n import localised_questionnaire, use_language
from ..questionnaires import Published, registry
from ..services import Settings
from ..services.responses import (
    ResponseClosedError,
    ResponseState,
    UnknownResponseError,
    read_response,
    save_answers,
    start_response,
    submit_response,
)
from .fields import FieldView, describe_consent, describe_contact_fields, describe_questions
from .forms import (
    CONTACT_PREFIX,
    StepForm,
    answers_from_form,
    form_data_from_answers,
    is_contact_step,
    step_form_class,
)
from .honeypot import note_honeypot
from .panel import panel_html
from .prerender import PageValues, can_fill, step_page
from .steps import (
    answers_to_clear,
    contact_step,
    counted_steps,
    first_shown_from,
    hidden_on_submit,
    next_step,
    previous_step,
    progress,
    questions_on_page,
)
from .theme import theme_css
from .tokens import read_form_token, sign_form_token

bp = Blueprint("wizard", __name__, template_folder="templates", url_prefix="/q")

#: The longest value kept for a hidden field (the landing page's URL may be longer).
HIDDEN_FIELD_LENGTH = 200
PAGE_URL_LENGTH = 1000

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
    language = choose_language(published.questionnaire, request.args)
    questionnaire = localised(published, language)
    return render_template(
        "wizard/intro.html",
        questionnaire=questionnaire,
        hidden=read_hidden_fields(published.questionnaire, request.args),
        language=language,
        step_count=len(counted_steps(questionnaire, {})),
    )


@bp.post("/<questionnaire_id>/start")
def start(questionnaire_id: str):
    """Create a response in the prospect's language, with the landing page's hidden fields,
    and go to its first step."""
    questionnaire = load_published(questionnaire_id).questionnaire
    response = start_response(
        db_session(),
        questionnaire.id,
        questionnaire.version,
        read_hidden_fields(questionnaire, request.form),
        language=choose_language(questionnaire, request.form),
    )
    note_honeypot(db_session(), response, request.form)
    return redirect_to("wizard.show_step", questionnaire.id, response.token, number=1)


@bp.get("/<questionnaire_id>/theme.css")
def show_theme(questionnaire_id: str):
    """The questionnaire's colours as CSS custom properties (no inline style: CSP)."""
    questionnaire = load_published(questionnaire_id).questionnaire
    return HttpResponse(theme_css(questionnaire.theme), mimetype="text/css")


@bp.get("/<questionnaire_id>/r/<token>/<int:number>")
def show_step(questionnaire_id: str, token: str, number: int):
    """A step, prefilled from the saved answers."""
    published, response = load_response(questionnaire_id, token)
    detour = redirect_if_elsewhere(published, response, number)
    if detour:
        return detour
    questionnaire = localised(published, response.language)
    data = form_data_from_answers(questionnaire, number, response.answer_map())
    return render_step(
        published, response, number, form_for(published, response, number, data=data)
    )


@bp.post("/<questionnaire_id>/r/<token>/<int:number>")
def post_step(questionnaire_id: str, token: str, number: int):
    """Validate and save a step, then go on (or back); the contact step submits the response."""
    published, response = load_response(questionnaire_id, token)
    detour = redirect_if_elsewhere(published, response, number)
    if detour:
        return detour
    questionnaire = localised(published, response.language)
    form = form_for(published, response, number, formdata=request.form)
    note_honeypot(db_session(), response, request.form)
    if read_form_token(request.form.get("form_token"), token) != number:
        return render_step(published, response, number, form, expired=True), 400
    form.validate()
    saved = response.answer_map()
    hidden = ignore_hidden_questions(questionnaire, number, form, saved)
    if request.form.get("action") == "later":  # "Email me a link" (save and resume)
        from .resume import save_for_later  # the resume routes import this module

        return save_for_later(published, response, number, form, questionnaire)
    if request.form.get("action") == "back":
        answers = answers_to_save(questionnaire, number, form, saved, hidden, valid_only=True)
        save_answers(get_db(current_app).engine, token, answers)
        back = previous_step(questionnaire, {**saved, **answers}, number)
        return redirect_to("wizard.show_step", questionnaire.id, token, number=back)
    if any(bound.errors for bound in form):
        return render_step(published, response, number, form), 422
    answers = answers_to_save(questionnaire, number, form, saved, hidden, valid_only=False)
    on_contact_step = is_contact_step(questionnaire, number)
    save_answers(
        get_db(current_app).engine,
        token,
        answers,
        step=number,
        consent=True if on_contact_step else None,
    )
    if not on_contact_step:
        forward = next_step(questionnaire, {**saved, **answers}, number)
        return redirect_to("wizard.show_step", questionnaire.id, token, number=forward)
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
    questionnaire = localised(published, response.language)
    answers = response.answer_map()
    number = read_form_token(request.form.get("form_token"), token)
    if response.status == "in_progress" and number and 1 <= number <= contact_step(questionnaire):
        form = form_for(published, response, number, formdata=request.form)
        form.validate()
        answers.update(answers_from_form(questionnaire, number, form))
    return panel_html(diagnose(questionnaire, answers), response.language)


@bp.post("/<questionnaire_id>/r/<token>/fields")
def live_fields(questionnaire_id: str, token: str):
    """The step's fields re-rendered for the values being entered, so that a question
    whose condition reads an answer on the same page appears or goes as it changes; the
    diagnostic panel comes along out of band. Posted by htmx on every change; saves nothing.
    """
    published, response = load_response(questionnaire_id, token)
    questionnaire = localised(published, response.language)
    number = read_form_token(request.form.get("form_token"), token)
    in_range = number is not None and 1 <= number < contact_step(questionnaire)
    if response.status != "in_progress" or not in_range:
        return "", 204  # nothing to re-render: the next full page will be right
    form = form_for(published, response, number, formdata=request.form)
    form.validate()
    answers = {**response.answer_map(), **answers_from_form(questionnaire, number, form)}
    for bound in form:
        bound.errors = []  # errors show on submit, not while the prospect is typing
    return render_template(
        "wizard/_live_fields.html",
        questionnaire=questionnaire,
        contact=False,
        form=form,
        fields=describe_page(questionnaire, number, form, answers, response.language),
        diagnostic=diagnose(questionnaire, answers),
    )


@bp.get("/<questionnaire_id>/r/<token>/result")
def show_result(questionnaire_id: str, token: str):
    """The prospect's diagnostic, recommendations, and where their report is going."""
    published, response = load_response(questionnaire_id, token)
    if response.status != "submitted":
        questionnaire = localised(published, response.language)
        return redirect_to(
            "wizard.show_step",
            questionnaire_id,
            token,
            number=furthest_step(questionnaire, response),
        )
    answers = response.answer_map()
    questionnaire = localised(published, response.language)
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


def load_response(questionnaire_id: str, token: str) -> tuple[Published, ResponseState]:
    """The questionnaire and the response as the pages read it, or a friendly 404 if either
    is unknown."""
    published = load_published(questionnaire_id)
    # A pooled connection, not the request's ORM session: most pages only read.
    with get_db(current_app).engine.connect() as connection:
        response = read_response(connection, token)
    if response.questionnaire_id != questionnaire_id:
        raise WizardNotFoundError(token)
    return published, response


def localised(published: Published, language: str) -> Questionnaire:
    """The questionnaire in ``language``, and the wizard's own words in it too."""
    use_language(language)
    return localised_questionnaire(published.questionnaire, published.content_hash, language)


def choose_language(questionnaire: Questionnaire, values: Mapping[str, str]) -> str:
    """The prospect's language: ``lang`` from the embed URL (or the intro's form), else the
    browser's, else the questionnaire's own."""
    return pick_language(questionnaire, values.get("lang"), request.headers.get("Accept-Language"))


def read_hidden_fields(questionnaire: Questionnaire, values: Mapping[str, str]) -> dict[str, str]:
    """The landing page's values for the questionnaire's hidden fields (utm_*, page and every
    declared name), trimmed and length-capped; empty ones left out."""
    hidden = {}
    for name in questionnaire.all_hidden_fields():
        longest = PAGE_URL_LENGTH if name == "page" else HIDDEN_FIELD_LENGTH
        value = (values.get(name) or "").strip()[:longest]
        if value:
            hidden[name] = value
    return hidden


def form_for(published: Published, response: ResponseState, number: int, **values) -> StepForm:
    """Step ``number``'s form in the response's language, bound to ``values``."""
    language = response.language
    questionnaire = localised(published, language)
    form_class = step_form_class(questionnaire, f"{published.content_hash}:{language}", number)
    return form_class(**values)


def ignore_hidden_questions(
    questionnaire: Questionnaire, number: int, form: StepForm, saved: Answers
) -> set[str]:
    """The step's questions hidden for the submitted values (their condition, maybe on this
    same page, does not hold): their errors are dropped, since they are not asked."""
    if is_contact_step(questionnaire, number):
        return set()
    current = {**saved, **answers_from_form(questionnaire, number, form)}
    hidden = hidden_on_submit(questionnaire, number, current)
    for question_id in hidden:
        form[question_id].errors = []
    return hidden


def answers_to_save(
    questionnaire: Questionnaire,
    number: int,
    form: StepForm,
    saved: Answers,
    hidden: set[str],
    valid_only: bool,
) -> dict[str, object]:
    """The step's answers to store: hidden questions' answers removed, and so are those of
    later questions a changed answer now hides."""
    answers = answers_from_form(questionnaire, number, form, valid_only=valid_only)
    answers.update({question_id: None for question_id in hidden})
    answers.update(answers_to_clear(questionnaire, {**saved, **answers}))
    return answers


def furthest_step(questionnaire: Questionnaire, response: ResponseState) -> int:
    """The furthest step the prospect may open: the first shown one after the last step
    completed."""
    last = min(response.step, contact_step(questionnaire) - 1)
    return next_step(questionnaire, response.answer_map(), last)


def redirect_if_elsewhere(published: Published, response: ResponseState, number: int):
    """A redirect when the step can't be shown: submitted → result; not reached yet → the
    furthest step reached; hidden by an answer (show_if) → the next shown step; None when
    the step is fine."""
    if response.status != "in_progress":
        return redirect_to("wizard.show_result", response.questionnaire_id, response.token)
    questionnaire = localised(published, response.language)
    furthest = furthest_step(questionnaire, response)
    target = number
    if number < 1 or number > furthest:
        target = furthest
    target = first_shown_from(questionnaire, response.answer_map(), target)
    if target == number:
        return None
    return redirect_to("wizard.show_step", response.questionnaire_id, response.token, number=target)


def redirect_to(endpoint: str, questionnaire_id: str, token: str, **values):
    return redirect(
        url_for(endpoint, questionnaire_id=questionnaire_id, token=token, **values), 303
    )


def describe_page(
    questionnaire: Questionnaire, number: int, form: StepForm, answers: Answers, language: str
) -> list[FieldView]:
    """The fields to render on step ``number``: the contact fields, or the questions shown
    (or that may be shown once this page is answered)."""
    if is_contact_step(questionnaire, number):
        return describe_contact_fields(questionnaire, form)
    questions = questions_on_page(questionnaire, number, answers)
    return describe_questions(questions, form, language)


def reveals_on_page(questionnaire: Questionnaire, number: int) -> bool:
    """Whether a question of this step has a condition on another question of the step
    (the page then re-renders its fields as answers change)."""
    if is_contact_step(questionnaire, number):
        return False
    ids = {q.id for q in questionnaire.steps[number - 1].questions}
    return any(
        q.show_if is not None and ids & set(q.show_if.questions_named())
        for q in questionnaire.steps[number - 1].questions
    )


def render_step(
    published: Published,
    response: ResponseState,
    number: int,
    form: StepForm,
    expired: bool = False,
    **extra: object,
) -> str:
    """The step page: its shown fields with the form's values and errors, the progress over
    the steps that will be shown, and the live diagnostic of the saved answers.

    Filled into the page pre-rendered for this step and these questions (``prerender``),
    unless it shows errors or notices: then rendered in full.
    """
    language = response.language
    questionnaire = localised(published, language)
    contact = is_contact_step(questionnaire, number)
    saved = response.answer_map()
    answers = {**saved, **answers_from_form(questionnaire, number, form)}
    position, total = progress(questionnaire, answers, number)
    fields = describe_page(questionnaire, number, form, answers, language)
    if contact:
        fields.append(describe_consent(questionnaire, form))
    previous = previous_step(questionnaire, answers, number) if number > 1 else None
    values = PageValues(
        response.token,
        position,
        total,
        sign_form_token(response.token, number),
        panel_html(diagnose(questionnaire, saved), language),
    )

    def render(values: PageValues, views: list, **more: object) -> str:
        return render_template(
            "wizard/step.html",
            questionnaire=questionnaire,
            token=values.token,
            number=number,
            position=values.position,
            total=values.total,
            title=questionnaire.contact.title if contact else questionnaire.steps[number - 1].title,
            intro=questionnaire.contact.intro if contact else questionnaire.steps[number - 1].intro,
            contact=contact,
            form=form,
            fields=views[:-1] if contact else views,
            consent=views[-1] if contact else None,
            reveals=reveals_on_page(questionnaire, number),
            previous=previous,
            form_token=values.form_token,
            panel_html=values.panel,
            **more,
        )

    if expired or extra or not can_fill(response.token, fields):
        return render(values, fields, expired=expired, **extra)
    key = (
        questionnaire.id,
        published.content_hash,
        language,
        number,
        tuple(view.field.name for view in fields),
        previous is not None,
        request.script_root,
        current_app.config["PARTIAL_RESPONSE_DAYS"],
    )
    return step_page(current_app, key, fields, render).fill(values, fields)
