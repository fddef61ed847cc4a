"""The wizard serves the whole v2 format: new input types, show_if branching, hidden fields,
the prospect's language, the theme, and the French questionnaire end to end."""

from __future__ import annotations

import email
import io
import re
import shutil
from email import policy
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from walk import complete, flask_sender

from qualify.db import get_db
from qualify.models import Lead, Response, ScoreSnapshot
from qualify.questionnaires import registry
from qualify.services.routing import load_reps
from qualify.wizard.theme import ink_on

ROOT = Path(__file__).resolve().parent.parent
FRENCH = "paie-rh-pme"
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')

# Every v2 input type, a same-page condition, a step that a low rating hides entirely, a
# hidden field feeding FIT, a French translation and a theme.
V2_CHECK = """\
id: v2-check
version: 1
title: "V2 check"
thresholds: {mql: 20, sql: 95}
weights: {fit: 100, intent: 0, timing: 0}
fit_criteria:
  company_size: {label: "Company size", weight: 40}
  geography: {label: "Geography", weight: 20}
  tooling: {label: "Tooling", weight: 20}
  channel: {label: "Channel", weight: 20}
hidden_fields:
  partner:
    criterion: channel
    values:
      acme-partners: {fit: sql, reason: "a certified partner"}
steps:
  - title: "Your company"
    questions:
      - id: size
        type: dropdown
        label: "Company size"
        criterion: company_size
        choices:
          - {value: small, label: "Small", fit: none}
          - {value: mid, label: "Mid-sized", fit: sql}
          - {value: large, label: "Large", fit: mql}
      - id: country
        type: country
        label: "Country"
        criterion: geography
        zones:
          france: {countries: [FR], fit: sql}
          europe: {countries: [BE, DE], fit: mql}
        other: {fit: none}
      - id: has_tool
        type: yes_no
        label: "Do you use a tool?"
      - id: tool
        type: dropdown
        label: "Which tool?"
        criterion: tooling
        show_if: {question: has_tool, equals: "yes"}
        choices:
          - {value: sage, label: "Sage", fit: sql}
          - {value: other, label: "Another", fit: mql}
  - title: "Your rating"
    questions:
      - id: rating
        type: scale
        label: "How happy are you?"
        scale: {min: 1, max: 5, min_label: "Not at all", max_label: "Very"}
        ranges:
          - {min: 1, max: 3, points: {d: 0}}
          - {min: 4, max: 5, points: {d: 2}}
  - title: "Your project"
    questions:
      - id: deadline
        type: single
        label: "When?"
        show_if: {question: rating, in: [4, 5]}
        choices:
          - {value: soon, label: "Soon", points: {d: 1}}
          - {value: later, label: "Later"}
  - title: "Notes"
    questions:
      - id: notes
        type: long_text
        label: "Anything else?"
        required: false
        max_length: 50
contact:
  fields:
    - {name: email, label: "Work email"}
    - {name: company, label: "Company", required: false}
  consent: "I agree that my answers are stored to send me my report."
diagnostic:
  dimensions:
    - id: d
      label: "Drive"
      bands:
        - {min: 0, max: 100, title: "Any", text: "Every drive counts."}
  bands:
    - {min: 0, max: 100, title: "Checked", text: "Thanks for checking."}
next_step:
  text: "Talk to us."
translations:
  fr:
    title: "Vérification V2"
    steps: [{title: "Votre entreprise"}]
    questions:
      size: {label: "Taille de l'entreprise", choices: {small: "Petite", mid: "Moyenne", large: "Grande"}}
theme:
  primary_color: "#0f766e"
  accent_color: "#ccfbf1"
  logo: "logos/v2.svg"
"""

CONTACT = {
    "first_name": "Claire",
    "last_name": "Dupont",
    "email": "claire.dupont@bigco.example",
    "company": "BigCo Industries",
    "job_title": "DAF",
    "phone": "+33 1 23 45 67 89",
}

FRENCH_HOT = {
    "effectif": "50-249",
    "secteur": "manufacturing",
    "pays": "FR",
    "fonction": "dirigeant",
    "gestion_paie": "logiciel",
    "logiciel_actuel": "sage",
    "digitalisation": "8",
    "projet": "actif",
    "echeance": "moins_3_mois",
    "echange": "yes",
}


@pytest.fixture
def app_config(app_config, tmp_path):
    """Both bundled questionnaires plus ``v2-check``, served from a temporary folder."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    for name in ("customer-data-maturity.yaml", f"{FRENCH}.yaml"):
        shutil.copy(ROOT / "questionnaires" / name, folder / name)
    (folder / "v2-check.yaml").write_text(V2_CHECK)
    return {**app_config, "QUESTIONNAIRES_DIR": str(folder)}


# -- helpers --


def start(client, qid: str = "v2-check", **fields) -> str:
    reply = client.post(f"/q/{qid}/start", data=fields)
    assert reply.status_code == 303
    return re.fullmatch(rf"/q/{qid}/r/([^/]+)/1", reply.location).group(1)


def url(token: str, number, qid: str = "v2-check") -> str:
    return f"/q/{qid}/r/{token}/{number}"


def post(client, token, number, data, action="next", qid="v2-check", headers=None):
    """GET the step for its form token, then POST ``data``."""
    page = client.get(url(token, number, qid), headers=headers)
    assert page.status_code == 200, page.location
    signed = FORM_TOKEN.search(page.text).group(1)
    return client.post(
        url(token, number, qid),
        data={**data, "form_token": signed, "action": action},
        headers=headers,
    )


def saved(app, token: str) -> dict:
    with app.app_context():
        session = get_db(app).session
        return session.scalar(select(Response).where(Response.token == token)).answer_map()


def latest_snapshot(session) -> ScoreSnapshot:
    return session.scalar(select(ScoreSnapshot).order_by(ScoreSnapshot.id.desc()).limit(1))


def pdf_text(message) -> str:
    [pdf] = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    reader = PdfReader(io.BytesIO(pdf.get_content()))
    return "\n".join(page.extract_text() for page in reader.pages)


def outbox(app) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))
    ]


STEP_1 = {"size": "mid", "country": "FR", "has_tool": "yes", "tool": "sage"}


# -- the new input types --


def test_a_dropdown_a_country_list_a_scale_and_a_long_text_render_as_their_inputs(client):
    token = start(client)
    first = client.get(url(token, 1)).text
    assert re.search(r'<select name="size" id="size"', first)
    assert '<option value="mid">Mid-sized</option>' in first
    assert '<select name="country" id="country" autocomplete="country"' in first
    assert '<option value="FR">France</option>' in first
    # sizes, every country, tools, and a "Choose…" first option in each of the three lists
    assert first.count("<option value=") == 3 + 249 + 2 + 3
    post(client, token, 1, STEP_1)
    second = client.get(url(token, 2)).text
    assert '<fieldset class="field scale"' in second and "<legend" in second
    for point in range(1, 6):
        assert f'type="radio" name="rating" id="rating-{point - 1}" value="{point}"' in second
    assert "Not at all" in second and "Very" in second
    post(client, token, 2, {"rating": "2"})
    notes = client.get(url(token, 4)).text
    assert re.search(r'<textarea name="notes" id="notes" rows="5" maxlength="50"', notes)


def test_bad_values_re_render_the_step_with_the_other_answers_kept(client):
    token = start(client)
    reply = post(client, token, 1, {"size": "huge", "country": "XX", "has_tool": "yes"})
    assert reply.status_code == 422
    assert "Please choose one of the answers listed." in reply.text
    assert "Please choose a country from the list." in reply.text
    assert "Please choose an answer." in reply.text  # tool: asked, since has_tool is yes
    assert re.search(r'name="has_tool"\s+id="[^"]+" value="yes" checked', reply.text)
    post(client, token, 1, STEP_1)
    reply = post(client, token, 2, {"rating": "9"})
    assert reply.status_code == 422 and "Please choose a number from 1 to 5." in reply.text


def test_a_long_answer_over_its_cap_is_refused_with_a_clear_message_and_kept(client):
    token = start(client)
    post(client, token, 1, STEP_1)
    post(client, token, 2, {"rating": "2"})
    reply = post(client, token, 4, {"notes": "x" * 51})
    assert reply.status_code == 422
    assert "Please shorten this answer to 50 characters or fewer (it has 51)." in reply.text
    assert ">" + "x" * 51 + "</textarea>" in reply.text


def test_valid_values_are_stored_converted(app, client):
    token = start(client)
    post(client, token, 1, {**STEP_1, "country": "be"})
    post(client, token, 2, {"rating": "4"})
    answers = saved(app, token)
    assert answers["country"] == "BE" and answers["size"] == "mid" and answers["rating"] == 4


def test_hostile_text_in_a_long_answer_is_escaped_on_the_step_and_the_result(client):
    hostile = "<script>alert(1)</script>"
    token = start(client)
    post(client, token, 1, STEP_1)
    post(client, token, 2, {"rating": "2"})
    refused = post(client, token, 4, {"notes": hostile + "x" * 30})
    assert refused.status_code == 422 and hostile not in refused.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in refused.text
    assert post(client, token, 4, {"notes": hostile}).status_code == 303
    reply = post(client, token, 5, {"email": "claire@bigco.example", "consent": "y"})
    result = client.get(reply.location)
    assert result.status_code == 200 and hostile not in result.text


# -- show_if branching --


def test_a_question_conditioned_on_the_same_page_is_shown_and_required_only_when_it_holds(
    app, client
):
    token = start(client)
    assert 'name="tool"' in client.get(url(token, 1)).text  # no JavaScript needed to answer it
    missing = post(client, token, 1, {"size": "mid", "country": "FR", "has_tool": "yes"})
    assert missing.status_code == 422 and "Please choose an answer." in missing.text
    reply = post(client, token, 1, {"size": "mid", "country": "FR", "has_tool": "no"})
    assert reply.status_code == 303 and reply.location == url(token, 2)
    assert 'name="tool"' not in client.get(url(token, 1)).text  # has_tool is now "no"


def test_an_answer_to_a_hidden_question_is_not_stored(app, client):
    token = start(client)
    post(client, token, 1, {"size": "mid", "country": "FR", "has_tool": "no", "tool": "sage"})
    assert "tool" not in saved(app, token)


def test_changing_an_earlier_answer_clears_the_answer_it_now_hides(app, client):
    token = start(client)
    post(client, token, 1, STEP_1)
    post(client, token, 2, {"rating": "5"})
    post(client, token, 3, {"deadline": "soon"})
    assert saved(app, token)["deadline"] == "soon"
    post(client, token, 2, {"rating": "2"})
    assert "deadline" not in saved(app, token)


def test_the_live_fields_follow_the_answers_being_given(client):
    token = start(client)
    signed = FORM_TOKEN.search(client.get(url(token, 1)).text).group(1)
    page = client.get(url(token, 1)).text
    assert 'hx-post="/q/v2-check/r/' + token + '/fields"' in page
    shown = client.post(url(token, "fields"), data={"form_token": signed, "has_tool": "yes"})
    hidden = client.post(url(token, "fields"), data={"form_token": signed, "has_tool": "no"})
    assert 'name="tool"' in shown.text and 'name="tool"' not in hidden.text
    assert 'hx-swap-oob="innerHTML"' in hidden.text and "<html" not in hidden.text
    assert "field-error" not in shown.text  # no errors while the prospect is answering


def test_a_step_whose_questions_are_all_hidden_is_skipped_both_ways(client):
    token = start(client)
    post(client, token, 1, STEP_1)
    # 3 is shown if rating is high: counted until rating is answered (the total only shrinks)
    assert "Step 2 of 5" in client.get(url(token, 2)).text
    forward = post(client, token, 2, {"rating": "2"})
    assert forward.location == url(token, 4)
    assert client.get(url(token, 3)).location == url(token, 4)
    assert "Step 3 of 4" in client.get(url(token, 4)).text
    back = post(client, token, 4, {}, action="back")
    assert back.location == url(token, 2)
    shown = post(client, token, 2, {"rating": "5"})
    assert shown.location == url(token, 3)
    assert "Step 3 of 5" in client.get(url(token, 3)).text


@pytest.mark.parametrize("branch", ["logiciel", "tableur"])
def test_a_skipped_branch_does_not_lower_the_lead_score(app, client, session, branch):
    """With payroll on spreadsheets, "which payroll software?" is never asked: FIT and its
    completeness are those of a prospect who answered it at the best level."""
    load_reps(session, app.config["REPS_FILE"])
    questionnaire = registry(app).get(FRENCH).questionnaire
    answers = {**FRENCH_HOT, "gestion_paie": branch}
    complete(flask_sender(client), questionnaire, answers, CONTACT)
    snapshot = latest_snapshot(session)
    assert (snapshot.fit, snapshot.fit_completeness, snapshot.stage) == (100.0, 1.0, "sql")
    skipped = snapshot.details["score"]["skipped_criteria"]
    assert skipped == ([] if branch == "logiciel" else ["payroll_tool"])


# -- hidden fields --


def test_the_intro_carries_every_declared_hidden_field_length_capped(client):
    page = client.get("/q/v2-check?partner=acme-partners&utm_campaign=" + "c" * 300 + "&x=1")
    assert 'name="partner" value="acme-partners"' in page.text
    assert 'name="utm_campaign" value="' + "c" * 200 + '"' in page.text
    assert 'name="x"' not in page.text


def test_a_hidden_field_from_the_url_reaches_the_answers_and_feeds_fit(app, client, session):
    questionnaire = registry(app).get("v2-check").questionnaire
    answers = {**STEP_1, "rating": "2"}
    complete(flask_sender(client), questionnaire, answers, {"email": "a@bigco.example"})
    without = latest_snapshot(session)
    complete(
        flask_sender(client),
        questionnaire,
        answers,
        {"email": "b@other.example"},
        partner="acme-partners",
    )
    with_partner = latest_snapshot(session)
    response = session.scalar(select(Response).where(Response.lead_id == with_partner.lead_id))
    assert response.answer_map()["hidden.partner"] == "acme-partners"
    assert response.hidden == {"partner": "acme-partners"}  # kept for analytics too
    assert with_partner.details["score"]["fit_levels"]["channel"] == "sql"
    assert with_partner.fit == without.fit + 20


# -- language --


def test_lang_in_the_url_wins_over_the_browser(client):
    page = client.get(f"/q/{FRENCH}?lang=fr", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="fr">' in page.text
    assert "Votre paie et vos RH" in page.text and ">Commencer</button>" in page.text
    english = client.get(f"/q/{FRENCH}", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in english.text
    assert "Are your payroll and HR ready to grow?" in english.text
    assert ">Start</button>" in english.text


def test_a_french_browser_gets_the_french_texts_and_ui(client):
    page = client.get("/q/v2-check", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in page.text
    assert "Vérification V2" in page.text and ">Commencer</button>" in page.text
    assert 'name="lang" value="fr"' in page.text


def test_the_steps_speak_the_language_chosen_at_the_start(app, client):
    token = start(client, lang="fr")
    english_browser = {"Accept-Language": "en"}
    page = client.get(url(token, 1), headers=english_browser).text
    assert '<html lang="fr">' in page
    assert "Étape 1 sur 5" in page and ">Suivant</button>" in page
    assert "Taille de l&#39;entreprise" in page and '<option value="mid">Moyenne</option>' in page
    assert '<option value="DE">Allemagne</option>' in page  # country names in French
    refused = post(client, token, 1, {"country": "FR"}, headers=english_browser)
    assert "Veuillez choisir une réponse." in refused.text
    assert "Veuillez vérifier ces réponses" in refused.text
    with app.app_context():
        response = get_db(app).session.scalar(select(Response).where(Response.token == token))
        assert response.language == "fr"


def test_the_french_questionnaire_completes_to_a_french_report_and_the_rep_dossier(
    app, client, session
):
    load_reps(session, app.config["REPS_FILE"])
    questionnaire = registry(app).get(FRENCH).questionnaire
    result = complete(flask_sender(client), questionnaire, FRENCH_HOT, CONTACT)
    assert '<html lang="fr">' in result.text
    assert "Votre diagnostic paie et RH" in result.text
    assert "Votre rapport est en route vers" in result.text
    assert re.search(r"\d+\u00a0%", unescape(result.text))  # "85 %": French percentages

    lead = session.scalar(select(Lead))
    assert (lead.stage, lead.language, lead.sector, lead.zone) == (
        "routed",
        "fr",
        "manufacturing",
        "france",
    )
    messages = {m["To"].addresses[0].addr_spec: m for m in outbox(app)}
    assert set(messages) == {"claire.dupont@bigco.example", "hugo.bernard@acme-data.example"}
    report = messages["claire.dupont@bigco.example"]
    assert report["Subject"].startswith("Votre rapport")
    assert "Bonjour" in report.get_body(("plain",)).get_content()
    # The PDF itself, read back: French texts of the questionnaire and of the report.
    text = " ".join(pdf_text(report).split())
    for french in (
        "Rapport personnalisé pour",
        "Votre diagnostic paie et RH",
        "Ce que disent vos réponses",
        "Combien de salariés compte votre entreprise ?",
        "50 à 249",
        "Nos recommandations",
        "Réserver 30 minutes avec un expert paie",
    ):
        assert french in text, french
    for english in ("Personalised report for", "Our recommendations", "Your answer", "Yes"):
        assert english not in text, english


# -- theme --


def test_the_theme_stylesheet_carries_the_colours_and_pages_link_it(client):
    css = client.get(f"/q/{FRENCH}/theme.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert "--accent: #0f766e;" in css.text and "--accent-soft: #ccfbf1;" in css.text
    page = client.get("/q/v2-check").text
    assert '<link rel="stylesheet" href="/q/v2-check/theme.css">' in page
    assert '<img class="logo" src="/static/logos/v2.svg" alt="">' in page
    assert " style=" not in page
    plain = client.get("/q/customer-data-maturity").text
    assert "theme.css" not in plain and 'class="logo"' not in plain


def test_text_on_a_light_primary_colour_turns_dark_to_stay_readable():
    assert ink_on("#0f766e") == "#ffffff"
    assert ink_on("#fde68a") == "#1d2433"


def test_an_english_reader_of_the_french_questionnaire_gets_an_english_report(app, client, session):
    load_reps(session, app.config["REPS_FILE"])
    questionnaire = registry(app).get(FRENCH).questionnaire
    complete(flask_sender(client), questionnaire, FRENCH_HOT, CONTACT, lang="en")
    assert session.scalar(select(Lead)).language == "en"
    english_title = questionnaire.translations["en"].title
    report = {m["To"].addresses[0].addr_spec: m for m in outbox(app)}["claire.dupont@bigco.example"]
    assert report["Subject"] == f"Your report: {english_title}"
    [pdf] = [p for p in report.iter_attachments()]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert "Claire Dupont" in text and english_title.split()[0] in text


def test_an_sql_the_review_rule_holds_waits_for_marketing_ops_unrouted(app, client, session):
    """paie-rh-pme's review rule: companies of 1,000 or more wait for a human (sql_review):
    no rep, no dossier; the prospect still gets the report."""
    load_reps(session, app.config["REPS_FILE"])
    questionnaire = registry(app).get(FRENCH).questionnaire
    complete(flask_sender(client), questionnaire, {**FRENCH_HOT, "effectif": "1000+"}, CONTACT)
    lead = session.scalar(select(Lead))
    assert lead.stage == "sql_review"
    decision = latest_snapshot(session).details["decision"]
    assert any(r.startswith("Held for review by Marketing Ops: grande entreprise") for r in decision)
    assert [m["To"].addresses[0].addr_spec for m in outbox(app)] == ["claire.dupont@bigco.example"]
