"""The marketer's preview (issue 3 item 5): the whole questionnaire as the prospect sees it,
beside the qualification its answers would get; off unless configured; nothing saved."""

from __future__ import annotations

import os
import shutil
from html import escape, unescape
from pathlib import Path

import pytest
from markupsafe import escape as markup_escape
from sqlalchemy import func, select

from factories import HOT_ANSWERS, POOR_FIT_ANSWERS
from qualify import create_app
from qualify.cli_scoring import qualify_answers
from qualify.core.loader import load_questionnaire
from qualify.core.translations import localise
from qualify.db import get_db
from qualify.models import Response

ROOT = Path(__file__).resolve().parent.parent
QID = "customer-data-maturity"
PAIE = "paie-rh-pme"
HOT_CONTACT = {"contact.email": "claire@bigco.example", "contact.phone": "+33 1 23 45 67 89"}
# The French questionnaire, a hot lead that runs payroll on spreadsheets (logiciel_actuel hidden).
PAIE_ANSWERS = {
    "effectif": "50-249",
    "secteur": "manufacturing",
    "pays": "FR",
    "fonction": "dirigeant",
    "gestion_paie": "tableur",
    "digitalisation": "8",
    "projet": "actif",
    "echeance": "moins_3_mois",
    "echange": "yes",
}


def make_app(tmp_path, sqlite_template, **config):
    folder = tmp_path / "questionnaires"
    shutil.copytree(ROOT / "questionnaires", folder)
    database = tmp_path / "qualify.db"
    shutil.copy(sqlite_template, database)
    os.environ["QUALIFY_INSTANCE_PATH"] = str(tmp_path / "instance")
    try:
        return create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "DATABASE_URL": f"sqlite:///{database}",
                "QUEUE_URL": "immediate",
                "QUESTIONNAIRES_DIR": str(folder),
                "QUESTIONNAIRES_RELOAD_SECONDS": 0,
                **config,
            }
        )
    finally:
        os.environ.pop("QUALIFY_INSTANCE_PATH", None)


@pytest.fixture
def preview_app(tmp_path, sqlite_template):
    app = make_app(tmp_path, sqlite_template, PREVIEW_ENABLED=True)
    yield app
    get_db(app).engine.dispose()


@pytest.fixture
def client(preview_app):
    return preview_app.test_client()


def as_form(answers: dict) -> dict:
    return {
        key: [str(v) for v in value] if isinstance(value, list) else str(value)
        for key, value in answers.items()
    }


def test_the_preview_is_a_404_unless_enabled(tmp_path, sqlite_template):
    app = make_app(tmp_path, sqlite_template)
    assert app.config["PREVIEW_ENABLED"] is False
    client = app.test_client()
    assert client.get(f"/preview/{QID}").status_code == 404
    assert client.post(f"/preview/{QID}/score", data=as_form(HOT_ANSWERS)).status_code == 404
    assert client.post(f"/preview/{QID}", data=as_form(HOT_ANSWERS)).status_code == 404
    get_db(app).engine.dispose()


def test_the_preview_is_on_in_debug_mode(tmp_path, sqlite_template):
    app = make_app(tmp_path, sqlite_template, DEBUG=True)
    assert app.test_client().get(f"/preview/{QID}").status_code == 200
    get_db(app).engine.dispose()


def test_an_unknown_questionnaire_is_a_404(client):
    assert client.get("/preview/no-such-thing").status_code == 404


def test_every_step_and_question_is_shown_on_one_page_with_the_wizards_inputs(client):
    questionnaire = load_questionnaire(ROOT / "questionnaires" / f"{QID}.yaml")
    page = client.get(f"/preview/{QID}")
    assert page.status_code == 200
    text = unescape(page.text)
    for step in questionnaire.steps:
        assert step.title in text
        for question in step.questions:
            assert question.label in text, question.id
            for choice in question.choices:
                # the wizard's radio macro: same names, ids and values as in a step
                assert f'name="{question.id}"' in page.text
                assert f'value="{choice.value}"' in page.text
                assert choice.label in text
    assert 'name="contact.email"' in page.text and 'name="contact.phone"' in page.text
    assert 'name="hidden.utm_campaign"' in page.text


def test_the_preview_speaks_the_language_asked_for(client):
    english = localise(load_questionnaire(ROOT / "questionnaires" / f"{PAIE}.yaml"), "en")
    page = client.get(f"/preview/{PAIE}?lang=en")
    assert '<html lang="en">' in page.text
    assert all(escape(q.label) in page.text for q in english.questions())
    french = client.get(f"/preview/{PAIE}?lang=fr")
    assert '<html lang="fr">' in french.text
    assert escape("Combien de salariés compte votre entreprise\u202f?") in french.text
    assert "Choisir…" in french.text  # the wizard's own words, in French too
    # each page links to the other language
    assert f'href="/preview/{PAIE}?lang=en"' in french.text
    assert f'href="/preview/{PAIE}?lang=fr"' in page.text


def test_hot_answers_make_an_sql_with_every_reason_in_the_panel(client):
    answers = {**HOT_ANSWERS, **HOT_CONTACT}
    panel = client.post(f"/preview/{QID}/score", data=as_form(answers))
    assert panel.status_code == 200
    assert 'data-stage="sql"' in panel.text
    expected = qualify_answers(load_questionnaire(ROOT / "questionnaires" / f"{QID}.yaml"), answers)
    text = unescape(panel.text)
    assert expected["reasons"] and all(reason in text for reason in expected["reasons"])
    for block in ("fit", "intent", "timing", "total"):
        assert f"{expected[block]:g}" in text
    assert text.count('class="checked"') == len(expected["checklist"])
    assert "<html" not in panel.text  # a fragment for htmx, not a page


def test_without_phone_nor_business_email_the_data_boxes_are_unchecked(client):
    panel = client.post(
        f"/preview/{QID}/score", data=as_form({**HOT_ANSWERS, "contact.email": "x@gmail.com"})
    )
    assert 'class="unchecked" data-item="data_business_email"' in panel.text
    assert 'class="unchecked" data-item="data_second_channel"' in panel.text


def test_a_poor_fit_stays_a_lead(client):
    panel = client.post(f"/preview/{QID}/score", data=as_form(POOR_FIT_ANSWERS))
    assert 'data-stage="lead"' in panel.text
    assert "Not yet MQL" in unescape(panel.text)


def test_the_score_button_works_without_javascript_and_keeps_the_answers(client):
    page = client.post(f"/preview/{QID}", data=as_form({**HOT_ANSWERS, **HOT_CONTACT}))
    assert page.status_code == 200 and "<html" in page.text
    assert 'data-stage="sql"' in page.text
    assert f'value="{HOT_ANSWERS["role"]}" checked' in page.text
    assert 'value="claire@bigco.example"' in page.text
    form = page.text.split('<form class="step preview-form"', 1)[1].split(">", 1)[0]
    assert f'action="/preview/{QID}"' in form and 'method="post"' in form
    assert f'hx-post="/preview/{QID}/score"' in form and 'hx-trigger="change"' in form


def test_a_question_hidden_by_show_if_is_greyed_and_ignored_by_scoring(client):
    without = client.post(f"/preview/{PAIE}/score", data=as_form(PAIE_ANSWERS))
    # an answer to logiciel_actuel, not asked with payroll on spreadsheets: ignored
    hidden = client.post(
        f"/preview/{PAIE}/score", data=as_form({**PAIE_ANSWERS, "logiciel_actuel": "maison"})
    )
    assert 'id="visibility-logiciel_actuel"' in hidden.text
    assert 'class="visibility is-hidden" id="visibility-logiciel_actuel" hx-swap-oob="true"' in (
        hidden.text
    )
    assert hidden.text == without.text
    shown = client.post(
        f"/preview/{PAIE}/score",
        data=as_form({**PAIE_ANSWERS, "gestion_paie": "logiciel", "logiciel_actuel": "maison"}),
    )
    assert 'class="visibility is-shown" id="visibility-logiciel_actuel"' in shown.text
    assert "une reprise difficile" in unescape(shown.text)  # now it counts
    assert shown.text != without.text


def test_a_hidden_field_feeds_the_qualification(client):
    plain = client.post(f"/preview/{PAIE}/score", data=as_form(PAIE_ANSWERS))
    fed = client.post(
        f"/preview/{PAIE}/score",
        data=as_form({**PAIE_ANSWERS, "hidden.utm_campaign": "webinaire-paie"}),
    )
    assert "webinar" not in unescape(plain.text).lower()
    assert "webinar" in unescape(fed.text).lower()


HOSTILE = '"><script>alert(1)</script>'


def test_hostile_input_is_escaped(client):
    data = as_form(
        {
            **HOT_ANSWERS,
            "role": HOSTILE,
            "contact.email": HOSTILE,
            "contact.phone": HOSTILE,
            "hidden.utm_campaign": HOSTILE,
            "lang": HOSTILE,
        }
    )
    for url in (f"/preview/{QID}", f"/preview/{QID}/score"):
        reply = client.post(url, data=data)
        assert reply.status_code == 200
        assert "<script>alert" not in reply.text
    page = client.post(f"/preview/{QID}", data=data)
    assert str(markup_escape(HOSTILE)) in page.text  # kept in the inputs, escaped
    assert client.get(f"/preview/{QID}?utm_campaign={HOSTILE}").status_code == 200


def test_nothing_is_saved(client, preview_app):
    client.post(f"/preview/{QID}", data=as_form({**HOT_ANSWERS, **HOT_CONTACT}))
    client.post(f"/preview/{QID}/score", data=as_form({**HOT_ANSWERS, **HOT_CONTACT}))
    with preview_app.app_context():
        assert get_db(preview_app).session.scalar(select(func.count(Response.id))) == 0
    assert not list(Path(preview_app.config["OUTBOX_DIR"]).glob("*.eml"))


def test_the_preview_refuses_framing_and_is_not_cached(client):
    page = client.get(f"/preview/{QID}")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "script-src" not in page.headers["Content-Security-Policy"] or (
        "'unsafe-inline'" not in page.headers["Content-Security-Policy"]
    )
    assert page.headers["Cache-Control"] == "no-store"
    assert "<script>" not in page.text  # no inline script (CSP)


def test_a_changed_questionnaire_file_shows_on_the_next_request(client, preview_app):
    path = Path(preview_app.config["QUESTIONNAIRES_DIR"]) / f"{QID}.yaml"
    questionnaire = load_questionnaire(path)
    old = questionnaire.steps[0].questions[0].label
    assert old in unescape(client.get(f"/preview/{QID}").text)
    path.write_text(path.read_text().replace(old, "How big is your company today?", 1))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    text = unescape(client.get(f"/preview/{QID}").text)
    assert "How big is your company today?" in text and old not in text


def touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_a_broken_edit_shows_its_mistakes_above_the_last_version_that_loaded(client, preview_app):
    path = Path(preview_app.config["QUESTIONNAIRES_DIR"]) / f"{PAIE}.yaml"
    good = path.read_text()
    assert client.get(f"/preview/{PAIE}").status_code == 200  # the good version is loaded
    broken = good.replace("timing: [timeline_3m]", "timing: [timeline_3_months]", 1).replace(
        'label: "Quelle est votre fonction ?"', 'labl: "Quelle est votre fonction ?"', 1
    )
    path.write_text(broken)
    touch_later(path)
    page = client.get(f"/preview/{PAIE}")
    text = unescape(page.text)
    assert page.status_code == 200
    assert "The file's last edit does not load: 2 mistakes to fix" in text
    lines = broken.splitlines()
    signal = 1 + next(n for n, t in enumerate(lines) if "timeline_3_months" in t)
    key = 1 + next(n for n, t in enumerate(lines) if "labl:" in t)
    assert f"{path}:{key}:" in text and "unknown key 'labl'" in text
    assert "Hint: did you mean 'label'?" in text
    assert f"{path}:{signal}:" in text and "Hint: did you mean 'timeline_3m'?" in text
    # The last good version is still shown, and still served to prospects.
    assert "Quelle est votre fonction\u202f?" in text
    assert client.get(f"/q/{PAIE}").status_code == 200
    # Fixed: the mistakes are gone.
    path.write_text(good)
    touch_later(path)
    assert "does not load" not in client.get(f"/preview/{PAIE}").text


def test_a_new_file_that_does_not_load_shows_its_mistakes_not_a_404(client, preview_app):
    folder = Path(preview_app.config["QUESTIONNAIRES_DIR"])
    text = (folder / f"{PAIE}.yaml").read_text().replace("id: paie-rh-pme", "id: paie-v2", 1)
    (folder / "paie-v2.yaml").write_text(text.replace("version: 1\n", "version: 1\nversion: 2\n"))
    page = client.get("/preview/paie-v2")
    assert page.status_code == 200
    assert "1 mistake to fix" in page.text
    assert "duplicate key &#39;version&#39; (first on line 6)" in page.text
    assert client.get("/preview/no-such-questionnaire").status_code == 404


def test_the_preview_of_a_translation_lists_the_texts_it_leaves_untranslated(client, preview_app):
    assert "not translated into en" not in client.get(f"/preview/{PAIE}?lang=en").text
    path = Path(preview_app.config["QUESTIONNAIRES_DIR"]) / f"{PAIE}.yaml"
    path.write_text(
        path.read_text().replace('      pays:\n        label: "In which country is your head office?"\n', "", 1)
    )
    touch_later(path)
    page = unescape(client.get(f"/preview/{PAIE}?lang=en").text)
    assert "1 text not translated into en: prospects read them in fr" in page
    assert "<code>translations.en.questions.pays.label</code>" in page
    assert "Dans quel pays se trouve votre siège ?" in page  # shown in French, as prospects see it
    assert "not translated" not in client.get(f"/preview/{PAIE}").text  # the own language
