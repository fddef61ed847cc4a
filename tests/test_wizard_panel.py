"""The live diagnostic panel is rendered once per distinct diagnostic and language
(qualify.wizard.panel): what a page shows is always the panel of its own answers, in its
own language, never one cached for other answers or another language."""

from __future__ import annotations

import re

from flask import render_template
from test_wizard import form_token, start, step_url

from qualify.core.diagnostic import diagnose
from qualify.core.translations import localise
from qualify.db import get_db
from qualify.i18n import use_language
from qualify.questionnaires import registry
from qualify.services.responses import save_answers

QID = "paie-rh-pme"  # French, translated into English
PANEL = re.compile(r'<div id="diagnostic-panel"[^>]*>(.*?)</div>\s*</aside>', re.S)


def shown_panel(html: str) -> str:
    match = PANEL.search(html)
    assert match, "no diagnostic panel on the page"
    return match.group(1)


def fresh_panel(app, published, answers: dict, language: str) -> str:
    """The panel rendered from its template, with nothing cached."""
    with app.test_request_context():
        use_language(language)
        questionnaire = localise(published.questionnaire, language)
        return render_template(
            "wizard/_panel_body.html", diagnostic=diagnose(questionnaire, answers)
        )


def test_each_page_shows_the_panel_of_its_own_answers_and_language(app, client):
    published = registry(app).get(QID)
    first = published.questionnaire.steps[0].questions[0]
    cases = [
        ("fr", {}),
        ("fr", {first.id: first.choices[0].value}),
        ("fr", {first.id: first.choices[-1].value}),
        ("en", {first.id: first.choices[-1].value}),
        ("en", {}),
    ]
    seen = {}
    for language, answers in cases:
        token = start(client, QID, lang=language)
        with app.app_context():
            save_answers(get_db(app).session, token, answers, step=1)
        page = client.get(step_url(token, 1, QID))
        assert page.status_code == 200
        panel = shown_panel(page.text)
        assert panel.strip() == fresh_panel(app, published, answers, language).strip(), (
            language,
            answers,
        )
        seen[language, tuple(answers.items())] = panel
    # the same diagnostic in two languages: two panels, neither served for the other
    top = ((first.id, first.choices[-1].value),)
    assert seen["fr", top] != seen["en", top]
    assert seen["fr", ()] != seen["fr", top]


def test_the_live_update_gives_the_panel_of_the_answers_being_typed(app, client):
    published = registry(app).get(QID)
    first = published.questionnaire.steps[0].questions[0]
    token = start(client, QID, lang="en")
    page = client.get(step_url(token, 1, QID))
    signed = form_token(page.text)
    for choice in (first.choices[0], first.choices[-1], first.choices[0]):
        reply = client.post(
            f"/q/{QID}/r/{token}/live",
            data={"form_token": signed, first.id: choice.value},
        )
        assert reply.status_code == 200
        expected = fresh_panel(app, published, {first.id: choice.value}, "en")
        assert reply.text.strip() == expected.strip()
