"""The resume-link email: sent to a prospect who asked to finish a questionnaire later.

No lead exists yet and nothing is attached: the delivery points at the partial response
(``Delivery.response_id``), and the email carries a signed link that expires when partial
responses are purged (``PARTIAL_RESPONSE_DAYS``).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_mail import Message
from sqlalchemy.orm import Session

from ..core.translations import localise
from ..core.typography import french_spacing
from ..models import Delivery, Response
from ..questionnaires import registry
from .mailer import QualifyMessage, check_recipient, clean_header_text, render_email, team_name

#: The words of the email, per response language.
RESUME_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "subject": "Your link to finish “{title}”",
        "greeting": "Hello",
        "intro": "Here is your link to pick up where you left off in",
        "button": "Finish my questionnaire",
        "expiry": "Your answers so far are saved. The link works for {days} days.",
        "signature": "The {team} team",
    },
    "fr": {
        "subject": "Votre lien pour terminer « {title} »",
        "greeting": "Bonjour",
        "intro": "Voici votre lien pour reprendre là où vous vous êtes arrêté dans",
        "button": "Terminer mon questionnaire",
        "expiry": "Vos réponses sont enregistrées. Le lien reste valable {days} jours.",
        "signature": "L'équipe {team}",
    },
}
RESUME_TEXT["fr"] = {key: french_spacing(text) for key, text in RESUME_TEXT["fr"].items()}


def build_resume_message(app: Flask, session: Session, delivery: Delivery) -> Message:
    """The resume email for ``delivery``; ``DeliveryError`` when there is nothing to resume."""
    from ..wizard.resume_links import link_days, resume_url
    from .documents import DeliveryError

    response = session.get(Response, delivery.response_id) if delivery.response_id else None
    if response is None:
        raise DeliveryError(f"response {delivery.response_id} no longer exists (purged)")
    if response.status != "in_progress":
        raise DeliveryError(f"response {response.id} was submitted meanwhile: no link needed")
    published = registry(app).get(response.questionnaire_id)
    if published is None:
        raise DeliveryError(f"questionnaire {response.questionnaire_id!r} is not published")
    return compose_resume(
        delivery,
        # the title as the prospect read it (an English response to a French questionnaire)
        title=localise(published.questionnaire, response.language).title,
        url=resume_url(app, response.questionnaire_id, response.token),
        days=link_days(app),
        language=response.language,
        sender=app.config.get("MAIL_DEFAULT_SENDER"),
    )


def compose_resume(
    delivery: Any, *, title: str, url: str, days: int, language: str = "en", sender=None
) -> Message:
    """The email itself: the link, how long it works, in the prospect's language."""
    words = {
        key: text.format(days=days, title=clean_header_text(title), team=team_name(sender))
        for key, text in RESUME_TEXT.get(language, RESUME_TEXT["en"]).items()
    }
    text, html = render_email("resume_email", words=words, title=title, url=url)
    message = QualifyMessage(
        subject=clean_header_text(words["subject"], 200),
        recipients=[check_recipient(delivery.recipient)],
        body=text,
        html=html,
        sender=sender,
    )
    message.msgId = delivery.message_id  # stable: a copy re-sent after a crash is merged
    return message
