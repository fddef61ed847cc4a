"""French pages, messages and emails keep "?", ":", ";", "!" on the line of the word before
them: the space there is a no-break one, in the questionnaire's texts (the YAML) as in the
wizard's own words (the .po catalogue) and the email subjects. On a 360 px phone a plain space
let "Quel logiciel de paie utilisez-vous" end one line and "?" start the next."""

from __future__ import annotations

import email
import re
from email import policy
from html import unescape
from pathlib import Path
from types import SimpleNamespace

from babel.messages.pofile import read_po
from test_wizard import post_step, start, step_url

from qualify.core.loader import load_questionnaire
from qualify.core.translations import localise
from qualify.core.typography import french_spacing
from qualify.delivery.mailer import compose_report

ROOT = Path(__file__).resolve().parent.parent
PAIE = "paie-rh-pme"
CATALOG = ROOT / "qualify" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
# A breakable space (or none) before the marks French spaces: what must not be shown.
BREAKABLE_BEFORE_MARK = re.compile(r"\w[ \t\n]+[?:;!»]")


def visible_text(html: str) -> str:
    """The page's text as read: no tags, no scripts or styles, entities decoded."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def breaks_in(html: str) -> list[str]:
    return BREAKABLE_BEFORE_MARK.findall(visible_text(html))


def test_the_french_wizard_pages_never_break_before_a_question_mark_or_colon(client):
    intro = client.get(f"/q/{PAIE}?lang=fr")
    assert "croissance\u202f?" in unescape(intro.text)
    token = start(client, qid=PAIE, lang="fr")
    first = client.get(step_url(token, 1, PAIE))
    # An empty step: the error summary and messages are French words from the catalogue.
    errors = post_step(client, token, 1, {}, qid=PAIE)
    assert errors.status_code == 422
    pages = {"intro": intro.text, "step 1": first.text, "errors": errors.text}
    assert {name: breaks_in(page) for name, page in pages.items()} == {name: [] for name in pages}
    assert "Terminer plus tard\u202f? Recevez un lien par e-mail" in unescape(first.text)


def test_the_english_wizard_pages_get_no_french_spaces(client):
    token = start(client, qid=PAIE, lang="en")
    page = unescape(client.get(step_url(token, 1, PAIE)).text)
    assert "How many people work at your company?" in page
    assert "\u202f?" not in page and "\u00a0:" not in page


def test_every_french_message_of_the_catalogue_is_typeset():
    with CATALOG.open("rb") as file:
        catalog = read_po(file)
    wrong = {
        message.id: message.string
        for message in catalog
        if message.id and french_spacing(message.string) != message.string
    }
    assert wrong == {}, "a space before ? : ; ! must be a no-break one (see core/typography.py)"


def test_the_french_report_email_subject_keeps_its_no_break_spaces(app):
    title = localise(load_questionnaire(ROOT / "questionnaires" / "paie-rh-pme.yaml"), "fr").title
    lead = SimpleNamespace(
        first_name="Claire", last_name="Martin", name="Claire Martin", company="BigCo",
        email="c@b.example", phone="", language="fr",
    )  # fmt: skip
    delivery = SimpleNamespace(
        id=7, kind="report", recipient="c@b.example", message_id="<t.report@q.example>"
    )
    with app.app_context():
        message = compose_report(delivery, lead, b"%PDF-1.7", title=title)
        parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Subject"] == (
        "Votre rapport\u00a0: Votre paie et vos RH sont-elles prêtes pour la croissance\u202f?"
    )


def test_the_intro_announces_the_steps_the_progress_counts(client):
    """Read in the wizard: the intro said "5 courtes étapes" and step 1 "Étape 1 sur 5",
    then a prospect with a project met "Étape 5 sur 6" (the calendar step)."""
    intro = unescape(client.get(f"/q/{PAIE}?lang=fr").text)
    assert "10 questions · 6 courtes étapes" in intro
    token = start(client, qid=PAIE, lang="fr")
    assert "Étape 1 sur 6" in unescape(client.get(step_url(token, 1, PAIE)).text)
