"""What a careless user or an attacker types into the wizard and the rep pages: each value
gets a page that says what is wrong (or is cleaned and kept), never a 500, on SQLite and on
PostgreSQL alike."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from test_wizard import form_token
from werkzeug.datastructures import MultiDict

from factories import HOT_ANSWERS, contact
from qualify.db import get_db
from qualify.models import Lead, Response, StageEvent
from qualify.questionnaires import registry
from qualify.reps.links import sign_lead
from qualify.services import Settings
from qualify.services.responses import save_answers, start_response, submit_response
from qualify.services.routing import load_reps

QID = "open-check"
BUNDLED = Path(__file__).resolve().parent.parent / "questionnaires" / "customer-data-maturity.yaml"

# A number without bounds (nothing but the parser between "nan" and the database), one-line
# and multi-line text, a phone question, and every contact field.
OPEN_CHECK = """\
id: open-check
version: 1
title: "Open check"
thresholds: {mql: 20, sql: 40}
fit_criteria:
  company_size: {label: "Company size", weight: 100}
steps:
  - title: "About you"
    questions:
      - id: employees
        type: number
        label: "How many employees?"
        criterion: company_size
        ranges:
          - {min: 1, max: 199, fit: none, points: {size: 0}}
          - {min: 200, fit: sql, points: {size: 2}}
      - id: team_name
        type: text
        label: "Your team's name"
        required: false
      - id: notes
        type: long_text
        label: "Anything else?"
        required: false
        max_length: 500
      - id: direct_line
        type: phone
        label: "Your direct line"
        required: false
contact:
  fields:
    - {name: first_name, label: "First name"}
    - {name: last_name, label: "Last name"}
    - {name: email, label: "Work email"}
    - {name: company, label: "Company"}
    - {name: phone, label: "Phone", required: false}
  consent: "I agree that my answers are stored to send me my report."
diagnostic:
  dimensions:
    - id: size
      label: "Size"
      bands:
        - {min: 0, max: 100, title: "Any size", text: "Every size is welcome."}
  bands:
    - {min: 0, max: 100, title: "Checked", text: "Thanks for checking."}
next_step:
  text: "Talk to us."
"""

CONTACT = {
    "first_name": "Claire",
    "last_name": "Dupont",
    "email": "claire.dupont@bigco.example",
    "company": "BigCo",
    "phone": "",
    "consent": "y",
}


@pytest.fixture
def app_config(app_config, tmp_path):
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / f"{QID}.yaml").write_text(OPEN_CHECK)
    shutil.copy(BUNDLED, folder / BUNDLED.name)  # for the rep pages' routed lead
    return {**app_config, "QUESTIONNAIRES_DIR": str(folder)}


def start(client) -> str:
    reply = client.post(f"/q/{QID}/start")
    assert reply.status_code == 303
    return re.fullmatch(rf"/q/{QID}/r/([^/]+)/1", reply.location).group(1)


def post(client, token: str, number: int, data: dict):
    page = client.get(f"/q/{QID}/r/{token}/{number}")
    assert page.status_code == 200, page.location
    signed = form_token(page.text)
    return client.post(f"/q/{QID}/r/{token}/{number}", data={**data, "form_token": signed})


def saved(app, token: str) -> dict:
    with app.app_context():
        session = get_db(app).session
        return session.scalar(select(Response).where(Response.token == token)).answer_map()


def only_lead(app) -> Lead:
    with app.app_context():
        return get_db(app).session.scalars(select(Lead)).one()


@pytest.mark.parametrize("typed", ["nan", "NaN", "inf", "-Infinity", "1e999", "-1e999"])
def test_a_number_that_is_not_finite_is_refused_with_the_number_message(app, client, typed):
    token = start(client)
    reply = post(client, token, 1, {"employees": typed})
    assert reply.status_code == 422
    assert "Please enter a number, e.g. 250." in reply.text
    assert f'value="{typed}"' in reply.text  # what was typed stays in the box
    assert saved(app, token).get("employees") is None
    # and the live panel, which reads the same form, answers too
    signed = form_token(reply.text)
    live = client.post(f"/q/{QID}/r/{token}/live", data={"employees": typed, "form_token": signed})
    assert live.status_code == 200


def test_control_characters_are_removed_from_what_the_prospect_types(app, client):
    token = start(client)
    reply = post(
        client,
        token,
        1,
        {
            "employees": "250",
            "team_name": "Data\x00 team\r\nBcc: x@attacker.example",
            "notes": "line one\r\nline two\x00\x1b[31m\ttabbed",
        },
    )
    assert reply.status_code == 303
    answers = saved(app, token)
    assert answers["team_name"] == "Data team  Bcc: x@attacker.example"
    assert answers["notes"] == "line one\nline two[31m\ttabbed"
    reply = post(
        client,
        token,
        2,
        {**CONTACT, "first_name": "Cla\x00ire", "company": "Big\x00Co\r\nX-Evil: 1"},
    )
    assert reply.status_code == 303 and reply.location.endswith("/result")
    lead = only_lead(app)
    assert (lead.first_name, lead.company) == ("Claire", "BigCo  X-Evil: 1")


def test_a_phone_number_too_long_once_formatted_is_refused_not_truncated_by_the_database(
    app, client
):
    """``+33123456789;ext=12345678901234567890`` has 37 characters and is valid, but the
    international format adds " ext. ": 43, over the leads' 40-character column."""
    token = start(client)
    assert post(client, token, 1, {"employees": "250"}).status_code == 303
    reply = post(client, token, 2, {**CONTACT, "phone": "+33123456789;ext=12345678901234567890"})
    assert reply.status_code == 422
    assert "A phone number has at most 40 characters." in reply.text
    short = post(client, token, 2, {**CONTACT, "phone": "+33123456789;ext=12"})
    assert short.status_code == 303
    assert only_lead(app).phone == "+33 1 23 45 67 89 ext. 12"


def test_a_reps_note_with_control_characters_is_recorded_clean(app, client, session, published):
    load_reps(session, app.config["REPS_FILE"])
    q = published.questionnaire
    response = start_response(session, q.id, q.version)
    save_answers(session, response.token, {**HOT_ANSWERS, **contact()})
    lead_id = submit_response(session, response.token, published, Settings()).lead_id
    token = sign_lead(app, lead_id)
    reply = client.post(
        f"/rep/leads/{token}/contact", data={"note": "Called\x00 twice\r\nno answer"}
    )
    assert reply.status_code == 303
    session.expire_all()
    reasons = [e.reason for e in session.scalars(select(StageEvent).order_by(StageEvent.id))]
    assert reasons[-1] == "First contact logged within the SLA: Called twice\nno answer"


@pytest.mark.parametrize(
    "path",
    [
        "/q/../etc/passwd",
        "/q/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2fpyproject.toml",
        f"/q/{QID}/r/token/1.5",
        "/nothing-here",
    ],
)
def test_an_address_that_leads_nowhere_gets_a_page_in_the_visitors_language(client, path):
    page = client.get(path, headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert page.status_code == 404
    assert '<h1 id="step-title">Page introuvable</h1>' in page.text
    assert "Cette adresse ne mène à aucune page." in page.text
    assert "/static/wizard.css" in page.text  # the wizard's look, not Werkzeug's bare page


def test_a_method_a_page_does_not_take_gets_a_page_and_the_allowed_methods(client):
    page = client.get(f"/q/{QID}/start")  # a bookmarked or crawled Start
    assert page.status_code == 405
    assert "POST" in page.headers["Allow"]
    assert "use its buttons to continue" in page.text


def test_a_post_too_large_to_read_is_refused_with_a_page_before_it_is_read(app, client):
    token = start(client)
    reply = client.post(
        f"/q/{QID}/r/{token}/1", data={"notes": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)}
    )
    assert reply.status_code == 413
    assert "shorten your answers" in reply.text
    assert saved(app, token) == {}


@pytest.mark.parametrize("token", ["%00", "ab%00cd", "%C3%A9t%C3%A9", "a%20b", "x" * 101])
def test_a_response_token_no_response_can_have_gets_the_not_found_page(client, token):
    """Tokens are URL-safe base64: a NUL in one was a 500 on PostgreSQL (it refuses NUL in
    a parameter); anything else is the friendly 'not found', for every response route."""
    for method, path in [
        ("get", f"/q/{QID}/r/{token}/1"),
        ("get", f"/q/{QID}/r/{token}/result"),
        ("post", f"/q/{QID}/r/{token}/1"),
        ("post", f"/q/{QID}/r/{token}/live"),
        ("post", f"/q/{QID}/r/{token}/fields"),
    ]:
        page = getattr(client, method)(path)
        assert page.status_code == 404, (method, path)
        assert "We couldn't find this questionnaire" in page.text


def test_a_ticked_answer_posted_many_times_is_stored_once(app, client):
    token = client.post("/q/customer-data-maturity/start").location.split("/")[-2]
    for number, answers in [
        (1, {"company_size": "200-999", "industry": "saas", "region": "france"}),
        (2, {"role": "executive", "budget": "allocated"}),
    ]:
        page = client.get(f"/q/customer-data-maturity/r/{token}/{number}")
        signed = form_token(page.text)
        reply = client.post(
            f"/q/customer-data-maturity/r/{token}/{number}", data={**answers, "form_token": signed}
        )
        assert reply.status_code == 303
    page = client.get(f"/q/customer-data-maturity/r/{token}/3")
    signed = form_token(page.text)
    body = [("maturity", "crm"), ("form_token", signed)]
    body += [("triggers", "hiring"), ("triggers", "migration")] * 2000
    reply = client.post(f"/q/customer-data-maturity/r/{token}/3", data=MultiDict(body))
    assert reply.status_code == 303
    assert saved(app, token)["triggers"] == ["hiring", "migration"]


def test_a_question_changed_type_while_a_prospect_is_half_way_keeps_the_step_working(app, client):
    """A marketer edits the live file: a text question becomes a number question, then a
    phone question. A prospect who had answered it opens the step again: it was a 500
    (float('Data team'), then phonenumbers.parse(12))."""
    token = start(client)
    assert post(client, token, 1, {"employees": "250", "team_name": "Data team"}).status_code == 303
    path = app.config["QUESTIONNAIRES_DIR"] + f"/{QID}.yaml"
    edited = OPEN_CHECK.replace(
        """      - id: team_name
        type: text""",
        """      - id: team_name
        type: number""",
    )
    with open(path, "w") as file:
        file.write(edited)
    registry(app).reload_seconds = 0
    assert registry(app).get(QID).questionnaire.question("team_name").type == "number"
    page = client.get(f"/q/{QID}/r/{token}/1")
    assert page.status_code == 200
    assert 'value="Data team"' in page.text  # shown as it was typed, to be corrected
    reply = post(client, token, 1, {"employees": "250", "team_name": "Data team"})
    assert reply.status_code == 422
    assert "Please enter a number, e.g. 250." in reply.text
    reply = post(client, token, 1, {"employees": "250", "team_name": "12"})
    assert reply.status_code == 303
    assert saved(app, token)["team_name"] == 12
    # and then into a phone question: the saved 12 is a number, not a phone number
    with open(path, "w") as file:
        file.write(
            edited.replace(
                'type: number\n        label: "Your team\'s name"',
                'type: phone\n        label: "Your team\'s name"',
            )
        )
    assert registry(app).get(QID).questionnaire.question("team_name").type == "phone"
    page = client.get(f"/q/{QID}/r/{token}/1")
    assert page.status_code == 200
    assert post(client, token, 1, {"employees": "250", "team_name": ""}).status_code == 303


@pytest.mark.parametrize(
    ("typed", "stored"), [("1,000", 1000), ("1.000", 1000), ("1 200,5", 1200.5), ("2,5", 2.5)]
)
def test_a_number_typed_with_separators_is_stored_as_meant(app, client, typed, stored):
    """'1,000 employees' was stored as 1: the decimal comma was read blindly."""
    token = start(client)
    assert post(client, token, 1, {"employees": typed}).status_code == 303
    assert saved(app, token)["employees"] == stored


def test_a_required_text_question_answered_with_only_spaces_is_refused(app, client):
    """Spaces alone strip to '': no answer to a required text question (InputRequired saw
    '   ' as input and let an empty answer through)."""
    path = app.config["QUESTIONNAIRES_DIR"] + f"/{QID}.yaml"
    required = OPEN_CHECK.replace(
        """        label: "Your team's name"
        required: false""",
        """        label: "Your team's name\"""",
    )
    assert required != OPEN_CHECK
    with open(path, "w") as file:
        file.write(required)
    registry(app).reload_seconds = 0
    assert registry(app).get(QID).questionnaire.question("team_name").required
    token = start(client)
    reply = post(client, token, 1, {"employees": "250", "team_name": " \t  "})
    assert reply.status_code == 422
    assert "Please fill in this field." in reply.text
    assert "team_name" not in saved(app, token)
    assert post(client, token, 1, {"employees": "250", "team_name": " Data "}).status_code == 303
    assert saved(app, token)["team_name"] == "Data"
