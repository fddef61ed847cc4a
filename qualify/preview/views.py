"""``/preview/<questionnaire_id>``: every step of a questionnaire on one page, rendered with
the wizard's input macros in the chosen language (``?lang=``), beside the qualification its
answers would get. Each change posts the form (htmx) to ``/preview/<id>/score``, which
returns the panel; the Score button posts the whole page without JavaScript.

On when ``PREVIEW_ENABLED`` is set or the app runs in debug mode; a 404 otherwise. Nothing
is stored: answers live in the posted form only. The page keeps the default security
headers (it refuses framing). The registry reloads a questionnaire file that changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask import Blueprint, abort, current_app, render_template, request

from ..cli_scoring import qualify_answers
from ..core.answers import hidden_key
from ..core.branching import visible_answers, visible_questions
from ..core.questionnaire import Condition, Question, Questionnaire, Step
from ..core.translations import pick_language, untranslated
from ..i18n import localised_questionnaire, use_language
from ..questionnaires import Published, registry
from ..wizard.fields import FieldView, describe_question
from ..wizard.forms import CONTACT_PREFIX, answers_from_form, step_form_class

bp = Blueprint("preview", __name__, template_folder="templates", url_prefix="/preview")

#: The contact inputs that change the qualification (DATA boxes: business email, phone),
#: with the longest value kept.
CONTACT_INPUTS = {"email": 254, "phone": 40}
HIDDEN_FIELD_LENGTH = 1000


@dataclass
class PreviewQuestion:
    question: Question
    view: FieldView
    shown: bool  # its show_if holds for the answers given (always, without show_if)


@dataclass
class PreviewStep:
    number: int
    step: Step
    questions: list[PreviewQuestion] = field(default_factory=list)


@dataclass
class Preview:
    """What the page shows: the questionnaire in its language, its steps and questions,
    the extra inputs' values, and the qualification of the answers given."""

    questionnaire: Questionnaire
    language: str
    languages: tuple[str, ...]  # the questionnaire's own first, then its translations
    steps: list[PreviewStep]
    contact: dict[str, str]
    hidden: dict[str, str]
    hidden_labels: dict[str, str]
    qualification: dict
    #: The texts this language's translation leaves in the questionnaire's own language.
    untranslated: list[str] = field(default_factory=list)


@bp.before_request
def refuse_unless_enabled():
    if not (current_app.debug or current_app.config["PREVIEW_ENABLED"]):
        abort(404)


@bp.after_request
def keep_out_of_caches(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<questionnaire_id>")
def show_preview(questionnaire_id: str):
    """The questionnaire with no answer yet (hidden fields may come in the query string).
    If its file's last edit does not load, its mistakes come first (or alone)."""
    return render_page(questionnaire_id, request.args, posted=False)


@bp.post("/<questionnaire_id>")
def score_page(questionnaire_id: str):
    """The Score button without JavaScript: the page again, answers kept, panel updated."""
    return render_page(questionnaire_id, request.form, posted=True)


def render_page(questionnaire_id: str, values: Mapping[str, str], posted: bool):
    mistakes = [e for exc in registry().errors_for(questionnaire_id) for e in exc.errors]
    published = registry().get(questionnaire_id)
    if published is None:
        if not mistakes:
            abort(404)
        return render_template("preview/broken.html", questionnaire_id=questionnaire_id,
                               mistakes=mistakes)  # fmt: skip
    preview = build_preview(published, values, posted=posted)
    return render_template(
        "preview/page.html", preview=preview, mistakes=mistakes, **page_values(preview)
    )


@bp.post("/<questionnaire_id>/score")
def score_panel(questionnaire_id: str):
    """The qualification panel for the posted answers (htmx, on each change), with each
    conditional question's shown/hidden note swapped out of band."""
    preview = build_preview(load_published(questionnaire_id), request.form, posted=True)
    return render_template("preview/_score.html", preview=preview, **page_values(preview))


def load_published(questionnaire_id: str) -> Published:
    published = registry().get(questionnaire_id)
    if published is None:
        abort(404)
    return published


def page_values(preview: Preview) -> dict:
    return {"questionnaire": preview.questionnaire, "result": preview.qualification}


def build_preview(published: Published, values: Mapping[str, str], posted: bool) -> Preview:
    """Read the answers from ``values`` through the wizard's step forms (validation and
    conversion as in the wizard), drop those to questions hidden by show_if, and qualify
    what is left exactly as a submitted response would be (its contact email and phone
    included, for the DATA boxes)."""
    original = published.questionnaire
    language = pick_language(original, values.get("lang"), request.headers.get("Accept-Language"))
    use_language(language)
    questionnaire = localised_questionnaire(original, published.content_hash, language)
    answers: dict[str, object] = {}
    forms = []
    for number in range(1, len(questionnaire.steps) + 1):
        form_class = step_form_class(questionnaire, f"{published.content_hash}:{language}", number)
        form = form_class(formdata=values if posted else None)
        if posted:
            form.validate()
            for bound in form:
                if not has_input(bound):
                    bound.errors = []  # not answered yet: no "required" message in a preview
            answers.update(answers_from_form(questionnaire, number, form))
        forms.append(form)

    contact = {
        name: read_value(values, CONTACT_PREFIX + name, longest)
        for name, longest in CONTACT_INPUTS.items()
    }
    hidden_fields = original.all_hidden_fields()
    hidden = {
        name: read_value(values, hidden_key(name), HIDDEN_FIELD_LENGTH) for name in hidden_fields
    }
    answers.update({CONTACT_PREFIX + name: value for name, value in contact.items() if value})
    answers.update({hidden_key(name): value for name, value in hidden.items() if value})
    answers = {key: value for key, value in answers.items() if value is not None}

    shown = {q.id for q in visible_questions(original, answers)}
    steps = []
    for number, (step, form) in enumerate(zip(questionnaire.steps, forms, strict=True), 1):
        page = PreviewStep(number, step)
        for question in step.questions:
            bound = form[question.id]
            if question.id not in shown:
                bound.errors = []  # not asked: never wrong
            view = describe_question(question, bound, language)
            page.questions.append(PreviewQuestion(question, view, question.id in shown))
        steps.append(page)
    return Preview(
        questionnaire=questionnaire,
        language=language,
        languages=original.languages(),
        steps=steps,
        contact=contact,
        hidden=hidden,
        hidden_labels={name: f.label or name for name, f in hidden_fields.items()},
        qualification=qualify_answers(original, visible_answers(original, answers)),
        untranslated=untranslated(original, language),
    )


def has_input(bound) -> bool:
    """Whether the prospect typed or chose something for this field."""
    return any(str(value).strip() for value in (bound.raw_data or []))


def read_value(values: Mapping[str, str], name: str, longest: int) -> str:
    return (values.get(name) or "").strip()[:longest]


def describe_condition(condition: Condition, questionnaire: Questionnaire) -> str:
    """A show_if condition in words: "Company size is 200-999 or 1000+"."""
    if condition.all is not None:
        return " and ".join(f"({describe_condition(c, questionnaire)})" for c in condition.all)
    if condition.any is not None:
        return " or ".join(f"({describe_condition(c, questionnaire)})" for c in condition.any)
    question = questionnaire.question(condition.question or "")
    if question is None:
        return f"“{condition.question}” is {' or '.join(condition.values())}"
    words = []
    for value in condition.values():
        choice = question.choice(value) if question.choices else None
        words.append(f"“{choice.label}”" if choice else value)
    return f"“{question.label}” is {' or '.join(words)}"


@bp.app_template_filter("preview_condition")
def preview_condition(question: Question, questionnaire: Questionnaire) -> str:
    return describe_condition(question.show_if, questionnaire) if question.show_if else ""
