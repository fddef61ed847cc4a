"""The wizard's later pages speak the prospect's language too (issue 4 item 6): the
"finish later" box, the link-sent and expired-link pages, the rate-limit page, their error
messages, and the resume email (its questionnaire title included)."""

from __future__ import annotations

import os
from html import unescape

import pytest
from test_resume import body_of, outbox_messages
from test_wizard import post_step, start, step_url

from qualify import create_app
from qualify.db import get_db

PAIE = "paie-rh-pme"  # a French questionnaire with an English translation
CDM = "customer-data-maturity"  # an English questionnaire with no French translation
FIRST_STEP = {"effectif": "50-249", "secteur": "manufacturing", "pays": "FR"}


def test_the_finish_later_box_and_the_honeypot_speak_french(client):
    token = start(client, qid=PAIE, lang="fr")
    page = unescape(client.get(step_url(token, 1, PAIE)).text)
    assert "Terminer plus tard\u202f? Recevez un lien par e-mail" in page
    assert "M'envoyer un lien par e-mail" in page
    assert "Votre adresse e-mail" in page and "Laissez ce champ vide" in page
    assert "Finish later" not in page and "Leave this field empty" not in page


def test_the_link_sent_page_speaks_french_and_escapes_the_address(app, client):
    token = start(client, qid=PAIE, lang="fr")
    reply = post_step(
        client,
        token,
        1,
        {**FIRST_STEP, "resume_email": "claire@bigco.example", "resume_consent": "y"},
        action="later",
        qid=PAIE,
    )
    assert reply.status_code == 200
    assert "Votre lien est en route" in reply.text
    assert "Nous envoyons à claire@bigco.example un lien" in reply.text
    assert "Ou continuer maintenant" in reply.text
    [message] = outbox_messages(app)
    assert message["Subject"].startswith("Votre lien pour terminer")


def test_the_resume_box_errors_speak_french(client):
    token = start(client, qid=PAIE, lang="fr")
    reply = post_step(
        client, token, 1, {**FIRST_STEP, "resume_email": "claire@bigco.example"}, "later", PAIE
    )
    assert reply.status_code == 422
    assert "Veuillez cocher la case pour que nous puissions vous envoyer le lien" in reply.text
    no_email = post_step(client, token, 1, {**FIRST_STEP, "resume_consent": "y"}, "later", PAIE)
    assert "Veuillez saisir votre adresse e-mail" in no_email.text


def test_the_resume_email_carries_the_title_the_prospect_read(app, client):
    token = start(client, qid=PAIE, lang="en")
    data = {**FIRST_STEP, "resume_email": "claire@bigco.example", "resume_consent": "y"}
    assert post_step(client, token, 1, data, action="later", qid=PAIE).status_code == 200
    [message] = outbox_messages(app)
    assert message["Subject"].startswith("Your link to finish")
    english_title = app.extensions["qualify.questionnaires"].get(PAIE).questionnaire
    english_title = english_title.translations["en"].title
    assert english_title and english_title in message["Subject"]
    assert "Votre paie" not in message["Subject"] and "Votre paie" not in body_of(message)


def test_an_expired_link_page_speaks_the_browsers_language(client):
    page = client.get(f"/q/{PAIE}/resume/x.forged.sig", headers={"Accept-Language": "fr-FR,fr"})
    assert page.status_code == 410
    assert "Ce lien a expiré" in page.text and "Recommencer" in page.text
    assert "valables 30 jours" in page.text
    # a questionnaire with no French translation stays in its one language, words included
    english = client.get(f"/q/{CDM}/resume/x.forged.sig", headers={"Accept-Language": "fr"})
    assert '<html lang="en">' in english.text and "This link has expired" in english.text
    french = client.get(f"/q/{PAIE}/resume/x.forged.sig?lang=fr")
    assert '<html lang="fr">' in french.text and "Lien expiré" in french.text
    english = client.get(f"/q/{PAIE}/resume/x.forged.sig?lang=en")
    assert '<html lang="en">' in english.text and "This link has expired" in english.text


@pytest.fixture
def limited_app(app_config, tmp_path):
    os.environ["QUALIFY_INSTANCE_PATH"] = str(tmp_path / "instance")
    try:
        app = create_app({**app_config, "RATE_LIMIT_STEPS": "1 per minute"})
    finally:
        os.environ.pop("QUALIFY_INSTANCE_PATH", None)
    yield app
    get_db(app).engine.dispose()


def test_the_rate_limit_page_speaks_the_responses_language(limited_app):
    client = limited_app.test_client()
    # Accept-Language says English: the response's language (French) wins
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    token = start(client, qid=PAIE, lang="fr")
    assert post_step(client, token, 1, FIRST_STEP, qid=PAIE).status_code == 303
    refused = post_step(client, token, 1, FIRST_STEP, qid=PAIE)
    assert refused.status_code == 429
    assert '<html lang="fr">' in refused.text
    text = unescape(refused.text)
    assert "Un instant, s'il vous plaît" in text
    assert "Veuillez patienter environ" in text and "Continuer" in text
    assert "Just a moment" not in refused.text
