"""Save and resume in the wizard: "Email me a link" on a question step, and the link itself.

The contact step (where the email is asked) comes last, so waiting for it would make the
offer useless: any question step offers a small "Finish later?" box instead, where the
prospect types their email and ticks their consent. The answers valid so far are saved
(like Back), the link is emailed through the deliveries table, and the address prefills
the contact step. The link opens the furthest step reached, until it expires.
"""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from wtforms import BooleanField, EmailField, Form
from wtforms.validators import DataRequired, InputRequired, Length

from ..delivery import enqueue_delivery
from ..services import Settings
from ..services.responses import get_response, save_answers
from ..services.resume import TooManyResumeLinksError, request_resume_link
from .forms import DeliverableEmail, answers_from_form, is_contact_step
from .resume_links import link_days, read_resume_token
from .views import (
    bp,
    choose_language,
    db_session,
    load_published,
    localised,
    redirect_to,
    render_step,
)


class ResumeForm(Form):
    """The "Finish later?" box: an email address and the prospect's consent."""

    class Meta:
        csrf = False  # the step's signed form token already guards the post

    resume_email = EmailField(
        lazy_gettext("Your email"),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[
            InputRequired(
                message=lazy_gettext("Please enter your email so we can send you the link.")
            ),
            Length(max=254, message=lazy_gettext("An email address has at most 254 characters.")),
            DeliverableEmail(
                lazy_gettext("Please enter a valid email address, e.g. name@company.com.")
            ),
        ],
    )
    resume_consent = BooleanField(
        lazy_gettext("Email me a link"),
        validators=[
            DataRequired(message=lazy_gettext("Please tick the box so we may email you the link."))
        ],
    )


def save_for_later(published, response, number: int, form, questionnaire=None):
    """Save the step's valid answers, then email a resume link if the box is filled in
    properly; else the step again with the box open and what is wrong."""
    questionnaire = questionnaire or published.questionnaire
    form.validate()
    token = response.token
    if not is_contact_step(questionnaire, number):
        save_answers(db_session(), token, answers_from_form(questionnaire, number, form))
    box = ResumeForm(formdata=request.form)
    errors = [] if box.validate() else [e for f in box for e in f.errors][:1]
    if not errors:
        settings = Settings.from_config(current_app.config)
        try:
            delivery_id = request_resume_link(
                db_session(), token, box.resume_email.data, settings.mail_domain
            )
        except TooManyResumeLinksError:
            errors = [
                _("We have already emailed you links for this questionnaire: please use one.")
            ]
    if errors:
        for bound in form:
            bound.errors = []  # the step itself is not being submitted
        response = get_response(db_session(), token)
        page = render_step(
            published,
            response,
            number,
            form,
            resume_errors=errors,
            resume_email=request.form.get("resume_email", ""),
        )
        return page, 422
    enqueue_delivery(current_app)(delivery_id)
    return render_template(
        "wizard/resume_sent.html",
        questionnaire=questionnaire,
        email=box.resume_email.data,
        days=link_days(current_app),
        token=token,
        number=number,
    )


@bp.get("/<questionnaire_id>/resume/<signed>")
def resume(questionnaire_id: str, signed: str):
    """A resume link: back to the furthest step reached (or the result, once submitted)."""
    published = load_published(questionnaire_id)
    token = read_resume_token(current_app, signed)
    if token is None:
        # No response to read the language from: the link's ?lang, else the browser's.
        language = choose_language(published.questionnaire, request.args)
        page = render_template(
            "wizard/resume_expired.html",
            questionnaire=localised(published, language),
            days=link_days(current_app),
        )
        return page, 410
    response = get_response(db_session(), token)  # a purged one: the friendly 404
    if response.status != "in_progress":
        return redirect_to("wizard.show_result", questionnaire_id, token)
    # show_step sends a step not reached yet on to the furthest one reached
    return redirect_to("wizard.show_step", questionnaire_id, token, number=response.step + 1)
