"""Rep pages behind a signed link: read the lead, log first contact, give feedback."""

from __future__ import annotations

import phonenumbers
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from wtforms import Form, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..core.typed_text import multi_line
from ..db import get_db
from ..models import Lead
from ..questionnaires import registry
from ..reports.context import format_datetime, list_answers
from ..services.feedback import (
    REJECTION_REASONS,
    FeedbackError,
    record_feedback,
    record_first_contact,
)
from .links import LinkError, read_lead_token

bp = Blueprint("reps", __name__, url_prefix="/rep", template_folder="templates")


def tel_uri(phone: str) -> str:
    """A ``tel:`` link a phone can dial (RFC 3966: '+33-1-23-45-67-89', no spaces): the
    stored number is formatted for reading ('+33 1 23 45 67 89')."""
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(phone, None), phonenumbers.PhoneNumberFormat.RFC3966
        )
    except phonenumbers.NumberParseException:
        return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")


class ContactForm(Form):
    note = TextAreaField("Note (optional)", [Length(max=1000)], filters=[multi_line])


class FeedbackForm(Form):
    outcome = RadioField(
        "Outcome",
        [InputRequired("Choose an outcome.")],
        choices=[
            SelectChoice("confirmed", "Confirmed: a real opportunity"),
            SelectChoice("rejected", "Rejected (say why)"),
            SelectChoice("nurture", "Not ready: back to nurture"),
        ],
    )
    reason = SelectField(
        "Rejection reason",
        choices=[SelectChoice("", "—")]
        + [SelectChoice(k, v) for k, v in REJECTION_REASONS.items()],
        default="",
    )
    note = TextAreaField("Note", [Length(max=1000)], filters=[multi_line])


@bp.errorhandler(LinkError)
def show_link_error(exc: LinkError):
    return render_template("reps/link_error.html", message=str(exc), expired=exc.expired), 403


def load_lead(token: str) -> Lead:
    lead = get_db(current_app).session.get(Lead, read_lead_token(current_app, token))
    if lead is None:
        raise LinkError("this lead no longer exists")
    return lead


def actor_for(lead: Lead) -> str:
    """Who acts through a rep link: the assigned rep (the link is theirs)."""
    assignment = lead.assignment
    return f"{assignment.rep.email} (rep link)" if assignment else "rep link"


def render_lead(
    lead: Lead, token: str, contact_form=None, feedback_form=None, error=None, status=200
):
    published = registry().get(lead.questionnaire_id)
    snapshot = lead.latest_snapshot
    answers = {}
    for response in lead.responses:
        answers.update(response.answer_map())
    rows = list_answers(published.questionnaire, answers, answered_only=False) if published else []
    return (
        render_template(
            "reps/lead.html",
            lead=lead,
            token=token,
            snapshot=snapshot,
            details=snapshot.details if snapshot else {},
            answers=rows,
            contact_form=contact_form or ContactForm(),
            feedback_form=feedback_form or FeedbackForm(),
            error=error,
            tel_uri=tel_uri,
            # the sales team's clock, as in the dossier and its email
            local_time=lambda value: format_datetime(
                value, current_app.config["BUSINESS_TIMEZONE"]
            ),
        ),
        status,
    )


@bp.get("/leads/<token>")
def show_lead(token: str):
    return render_lead(load_lead(token), token)


@bp.post("/leads/<token>/contact")
def log_contact(token: str):
    lead = load_lead(token)
    form = ContactForm(request.form)
    if not form.validate():
        return render_lead(lead, token, contact_form=form, status=400)
    session = get_db(current_app).session
    try:
        record_first_contact(session, lead.id, actor_for(lead), form.note.data or "")
    except FeedbackError as exc:
        session.rollback()
        return render_lead(lead, token, contact_form=form, error=str(exc), status=409)
    return redirect(url_for("reps.show_lead", token=token, _anchor="feedback"), 303)


@bp.post("/leads/<token>/feedback")
def give_feedback(token: str):
    lead = load_lead(token)
    form = FeedbackForm(request.form)
    if not form.validate():
        return render_lead(lead, token, feedback_form=form, status=400)
    session = get_db(current_app).session
    try:
        record_feedback(
            session,
            lead.id,
            form.outcome.data,
            actor_for(lead),
            form.reason.data or "",
            form.note.data or "",
        )
    except FeedbackError as exc:
        session.rollback()
        return render_lead(lead, token, feedback_form=form, error=str(exc), status=400)
    return redirect(url_for("reps.show_lead", token=token), 303)
