"""The prospect's wizard, through the Flask test client: each test states one rule."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from factories import HOT_ANSWERS, contact
from qualify.core.diagnostic import diagnose
from qualify.db import get_db
from qualify.models import Lead, Response
from qualify.questionnaires import registry
from qualify.services.routing import load_reps

QID = "customer-data-maturity"
BUNDLED = Path(__file__).resolve().parent.parent / "questionnaires" / f"{QID}.yaml"
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')

# A second questionnaire with the free-input types the bundled one does not use.
TEAM_CHECK = """\
id: team-check
version: 1
title: "Team check"
thresholds: {mql: 20, sql: 40}
fit_criteria:
  company_size: {label: "Company size", weight: 100}
steps:
  - title: "About your team"
    questions:
      - id: employees
        type: number
        label: "How many employees?"
        criterion: company_size
        min: 1
        max: 100000
        ranges:
          - {min: 1, max: 199, fit: none, reason: "below the ICP range", points: {size: 0}}
          - {min: 200, max: 999, fit: sql, reason: "the exact ICP range", points: {size: 2}}
          - {min: 1000, fit: mql, reason: "enterprise", points: {size: 1}}
      - id: team_name
        type: text
        label: "Your team's name"
        max_length: 20
        required: false
      - id: manager_email
        type: email
        label: "Your manager's email"
        required: false
      - id: direct_line
        type: phone
        label: "Your direct line"
        required: false
contact:
  fields:
    - {name: email, label: "Work email"}
    - {name: company, label: "Company", required: false}
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


@pytest.fixture
def app_config(app_config, tmp_path):
    """The bundled questionnaire plus ``team-check``, served from a temporary folder."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    shutil.copy(BUNDLED, folder / BUNDLED.name)
    (folder / "team-check.yaml").write_text(TEAM_CHECK)
    return {**app_config, "QUESTIONNAIRES_DIR": str(folder)}


@pytest.fixture
def questionnaire(app):
    return registry(app).get(QID).questionnaire


# -- helpers --


def form_token(html: str) -> str:
    """The signed form token of a rendered step."""
    match = FORM_TOKEN.search(html)
    assert match, "no form token on the page"
    return match.group(1)


def step_url(token: str, number: int | str, qid: str = QID) -> str:
    return f"/q/{qid}/r/{token}/{number}"


def start(client, qid: str = QID, **hidden) -> str:
    """Press Start; return the new response's token."""
    reply = client.post(f"/q/{qid}/start", data=hidden)
    assert reply.status_code == 303
    match = re.fullmatch(rf"/q/{qid}/r/([^/]+)/1", reply.location)
    assert match, reply.location
    return match.group(1)


def post_step(client, token, number, data, action="next", qid=QID, token_override=None):
    """GET the step (for its form token), then POST ``data`` to it."""
    page = client.get(step_url(token, number, qid))
    assert page.status_code == 200, page.location
    signed = token_override if token_override is not None else form_token(page.text)
    return client.post(
        step_url(token, number, qid), data={**data, "form_token": signed, "action": action}
    )


def step_answers(questionnaire, number: int, answers: dict) -> dict:
    return {
        q.id: answers[q.id] for q in questionnaire.steps[number - 1].questions if q.id in answers
    }


def contact_form(consent: bool = True, **overrides) -> dict:
    """The contact step's form data (fields named without the ``contact.`` prefix)."""
    data = {key.removeprefix("contact."): value for key, value in contact(**overrides).items()}
    return {**data, "consent": "y"} if consent else data


def walk(client, questionnaire, answers=HOT_ANSWERS, **contact_overrides):
    """Complete every step and the contact step; return the token and the last reply."""
    token = start(client)
    for number in range(1, len(questionnaire.steps) + 1):
        reply = post_step(client, token, number, step_answers(questionnaire, number, answers))
        assert reply.status_code == 303, reply.text
    reply = post_step(
        client, token, len(questionnaire.steps) + 1, contact_form(**contact_overrides)
    )
    return token, reply


def stored(app, token: str) -> Response:
    with app.app_context():
        return get_db(app).session.scalar(select(Response).where(Response.token == token))


def saved_answers(app, token: str) -> dict:
    with app.app_context():
        response = get_db(app).session.scalar(select(Response).where(Response.token == token))
        return response.answer_map()


def count_leads(app) -> int:
    with app.app_context():
        return get_db(app).session.scalar(select(func.count(Lead.id)))


def is_checked(html: str, name: str, value: str) -> bool:
    pattern = rf'name="{re.escape(name)}"\s+id="[^"]+" value="{re.escape(value)}" checked'
    return re.search(pattern, html) is not None


def input_value(html: str, name: str) -> str | None:
    match = re.search(rf'name="{re.escape(name)}" id="[^"]+"\s+value="([^"]*)"', html)
    return unescape(match.group(1)) if match else None


# -- the pages --


def test_the_intro_shows_the_title_and_a_start_button_carrying_the_landing_page_fields(client):
    page = client.get(
        f"/q/{QID}?utm_source=linkedin&utm_campaign=q3&page=https://acme.example/lp&x=1"
    )
    assert page.status_code == 200
    assert "How mature is your customer data?" in page.text
    assert f'action="/q/{QID}/start"' in page.text
    assert '<input type="hidden" name="utm_source" value="linkedin">' in page.text
    assert '<input type="hidden" name="page" value="https://acme.example/lp">' in page.text
    assert 'name="x"' not in page.text


def test_each_step_renders_its_questions_then_the_contact_fields(client, questionnaire):
    token = start(client)
    for number, step in enumerate(questionnaire.steps, start=1):
        page = client.get(step_url(token, number))
        assert page.status_code == 200
        assert f"Step {number} of {len(questionnaire.steps) + 1}" in page.text
        assert (
            f'<progress id="progress" max="{len(questionnaire.steps) + 1}" value="{number}">'
            in page.text
        )
        for question in step.questions:
            assert unescape(page.text).count(question.label) == 1
            assert f'name="{question.id}"' in page.text
        post_step(client, token, number, step_answers(questionnaire, number, HOT_ANSWERS))
    page = client.get(step_url(token, len(questionnaire.steps) + 1))
    assert 'autocomplete="email"' in page.text and 'autocomplete="given-name"' in page.text
    assert 'name="consent"' in page.text
    assert '<html lang="en">' in page.text


def test_a_full_walk_ends_on_the_result_page_with_one_routed_lead(app, client, questionnaire):
    with app.app_context():
        load_reps(get_db(app).session, app.config["REPS_FILE"])
    token, reply = walk(client, questionnaire)
    assert reply.status_code == 303 and reply.location == step_url(token, "result")
    result = client.get(reply.location)
    assert result.status_code == 200
    assert (
        "Your report is on its way to <strong>claire.dupont@bigco.example</strong>" in result.text
    )
    diagnostic = diagnose(questionnaire, HOT_ANSWERS)
    assert f"{diagnostic.percent}%" in result.text and diagnostic.band.text in result.text
    for dimension in diagnostic.dimensions:
        assert dimension.label in result.text and dimension.band.text in result.text
    assert count_leads(app) == 1
    response = stored(app, token)
    assert response.status == "submitted" and response.consent
    with app.app_context():
        assert get_db(app).session.get(Lead, response.lead_id).stage == "routed"
    assert saved_answers(app, token)["triggers"] == ["migration"]
    outbox = Path(app.config["OUTBOX_DIR"]).glob("*.eml")
    assert sorted(path.name.rsplit("-", 1)[1] for path in outbox) == ["dossier.eml", "report.eml"]


# -- validation --


def test_a_missing_required_choice_re_renders_the_step_with_the_other_answers_kept(client):
    token = start(client)
    reply = post_step(client, token, 1, {"company_size": "200-999", "region": "france"})
    assert reply.status_code == 422
    assert is_checked(reply.text, "company_size", "200-999")
    assert is_checked(reply.text, "region", "france")
    assert 'id="industry-error"' in reply.text and "Please choose an answer." in reply.text
    assert 'class="error-summary"' in reply.text and 'href="#industry-0"' in reply.text
    assert 'aria-describedby="industry-error"' in reply.text


def test_a_bad_email_is_refused_with_the_other_contact_fields_kept(client, questionnaire):
    token = start(client)
    for number in range(1, len(questionnaire.steps) + 1):
        post_step(client, token, number, step_answers(questionnaire, number, HOT_ANSWERS))
    reply = post_step(
        client, token, len(questionnaire.steps) + 1, contact_form(email="claire@@nowhere")
    )
    assert reply.status_code == 422
    assert "Please enter a valid email address" in reply.text
    assert input_value(reply.text, "company") == "BigCo Industries"
    assert input_value(reply.text, "email") == "claire@@nowhere"
    assert stored(client.application, token).status == "in_progress"


@pytest.mark.parametrize(
    "address",
    [
        "jörg@bigco.example",  # a non-ASCII local part needs SMTPUTF8: the mail path can't
        "claire@bigco.test",  # a reserved domain
        '"claire dupont"@bigco.example',  # a quoted local part
    ],
)
def test_an_address_the_mail_path_cannot_send_to_is_refused_at_the_form(
    app, client, questionnaire, address
):
    token = start(client)
    for number in range(1, len(questionnaire.steps) + 1):
        post_step(client, token, number, step_answers(questionnaire, number, HOT_ANSWERS))
    reply = post_step(client, token, len(questionnaire.steps) + 1, contact_form(email=address))
    assert reply.status_code == 422
    assert "Please enter a valid email address" in reply.text
    assert input_value(reply.text, "email") == address
    assert stored(app, token).status == "in_progress" and count_leads(app) == 0


def test_an_internationalised_domain_is_accepted_at_the_form(app, client, questionnaire):
    token, reply = walk(client, questionnaire, email="claire@bücher.example")
    assert reply.status_code in (200, 303), reply.text
    assert stored(app, token).status == "submitted"


def test_consent_is_required_to_submit(app, client, questionnaire):
    token = start(client)
    for number in range(1, len(questionnaire.steps) + 1):
        post_step(client, token, number, step_answers(questionnaire, number, HOT_ANSWERS))
    reply = post_step(client, token, len(questionnaire.steps) + 1, contact_form(consent=False))
    assert reply.status_code == 422 and "Please tick this box" in reply.text
    assert count_leads(app) == 0


def test_letters_in_a_number_field_are_refused_with_the_text_kept(client):
    token = start(client, "team-check")
    data = {"employees": "abc", "team_name": "Growth"}
    reply = post_step(client, token, 1, data, qid="team-check")
    assert reply.status_code == 422
    assert "Please enter a number" in reply.text
    assert input_value(reply.text, "employees") == "abc"
    assert input_value(reply.text, "team_name") == "Growth"


def test_free_inputs_are_checked_for_range_length_email_and_phone(client):
    token = start(client, "team-check")
    data = {
        "employees": "0",
        "team_name": "x" * 21,
        "manager_email": "not-an-email",
        "direct_line": "12",
    }
    reply = post_step(client, token, 1, data, qid="team-check")
    assert reply.status_code == 422
    assert "between 1 and 100000" in reply.text
    assert "20 characters or fewer (it has 21)" in reply.text
    assert "valid email address" in reply.text
    assert "valid phone number" in reply.text


def test_valid_free_inputs_are_stored_converted(app, client):
    token = start(client, "team-check")
    data = {
        "employees": "1 200",
        "team_name": "  Growth  ",
        "manager_email": "boss@acme.example",
        "direct_line": "01 23 45 67 89",
    }
    assert post_step(client, token, 1, data, qid="team-check").status_code == 303
    assert saved_answers(app, token) == {
        "employees": 1200,
        "team_name": "Growth",
        "manager_email": "boss@acme.example",
        "direct_line": "+33 1 23 45 67 89",
    }


# -- navigation --


def test_back_goes_to_the_previous_step_with_answers_kept(app, client, questionnaire):
    token = start(client)
    post_step(client, token, 1, step_answers(questionnaire, 1, HOT_ANSWERS))
    reply = post_step(client, token, 2, {"role": "director"}, action="back")  # budget missing
    assert reply.status_code == 303 and reply.location == step_url(token, 1)
    page = client.get(step_url(token, 1))
    assert is_checked(page.text, "company_size", "200-999")
    assert is_checked(page.text, "industry", "saas")
    page = client.get(step_url(token, 2))
    assert is_checked(page.text, "role", "director")
    assert "error-summary" not in page.text
    assert saved_answers(app, token)["role"] == "director"


def test_a_step_not_reached_yet_redirects_to_the_furthest_step(client, questionnaire):
    token = start(client)
    post_step(client, token, 1, step_answers(questionnaire, 1, HOT_ANSWERS))
    reply = client.get(step_url(token, 4))
    assert reply.status_code == 303 and reply.location == step_url(token, 2)
    reply = client.post(step_url(token, 4), data=step_answers(questionnaire, 4, HOT_ANSWERS))
    assert reply.status_code == 303 and reply.location == step_url(token, 2)


def test_after_submission_every_step_shows_the_result(client, questionnaire):
    token, _ = walk(client, questionnaire)
    for number in (1, len(questionnaire.steps) + 1):
        reply = client.get(step_url(token, number))
        assert reply.status_code == 303 and reply.location == step_url(token, "result")


def test_posting_the_last_step_twice_creates_one_lead(app, client, questionnaire):
    token = start(client)
    for number in range(1, len(questionnaire.steps) + 1):
        post_step(client, token, number, step_answers(questionnaire, number, HOT_ANSWERS))
    last = step_url(token, len(questionnaire.steps) + 1)
    signed = form_token(client.get(last).text)
    data = {**contact_form(), "form_token": signed, "action": "next"}
    first = client.post(last, data=data)
    second = client.post(last, data=data)  # a double click, or a refresh of the POST
    assert first.location == second.location == step_url(token, "result")
    assert client.get(second.location).status_code == 200
    assert count_leads(app) == 1


def test_unknown_questionnaires_and_tokens_get_a_friendly_404(client):
    token = start(client)
    for url in ("/q/nope", step_url("no-such-token", 1), step_url(token, 1, "team-check")):
        reply = client.get(url)
        assert reply.status_code == 404
        assert "We couldn't find this questionnaire" in reply.text


# -- forged posts and cookies --


def test_a_forged_form_token_is_refused_with_the_answers_kept(app, client, questionnaire):
    token = start(client)
    data = step_answers(questionnaire, 1, HOT_ANSWERS)
    reply = post_step(client, token, 1, data, token_override="forged")
    assert reply.status_code == 400
    assert "Your answers are still here" in reply.text
    assert is_checked(reply.text, "industry", "saas")
    assert saved_answers(app, token) == {}
    other = start(client)  # a valid token, but for another response
    borrowed = form_token(client.get(step_url(other, 1)).text)
    assert post_step(client, token, 1, data, token_override=borrowed).status_code == 400
    assert saved_answers(app, token) == {}
    resent = post_step(client, token, 1, data, token_override=form_token(reply.text))
    assert resent.status_code == 303  # the re-rendered page carries a fresh, valid token


def test_an_expired_form_token_is_refused_with_the_answers_kept(app, client, questionnaire):
    app.config["WIZARD_FORM_MAX_AGE"] = -1
    token = start(client)
    reply = post_step(client, token, 1, step_answers(questionnaire, 1, HOT_ANSWERS))
    assert reply.status_code == 400
    assert is_checked(reply.text, "region", "france")
    assert saved_answers(app, token) == {}


def test_no_wizard_page_sets_a_cookie(client, questionnaire):
    replies = [client.get(f"/q/{QID}"), client.post(f"/q/{QID}/start")]
    token = replies[-1].location.split("/")[4]
    for number in range(1, len(questionnaire.steps) + 1):
        replies.append(client.get(step_url(token, number)))
        replies.append(
            post_step(client, token, number, step_answers(questionnaire, number, HOT_ANSWERS))
        )
    replies.append(post_step(client, token, len(questionnaire.steps) + 1, contact_form()))
    replies.append(client.get(step_url(token, "result")))
    replies.append(client.post(step_url(token, "live"), data={}))
    for reply in replies:
        assert "Set-Cookie" not in reply.headers, reply.request.path


def test_no_code_can_keep_state_in_a_cookie_session(app):
    """The wizard must work where cookies are blocked: Flask's session refuses writes."""
    from flask import session

    with app.test_request_context(f"/q/{QID}"):
        app.preprocess_request()
        with pytest.raises(RuntimeError, match="session is unavailable"):
            session["step"] = 1


def test_hostile_input_is_escaped_on_the_page(client, questionnaire):
    token = start(client)
    for number in range(1, len(questionnaire.steps) + 1):
        post_step(client, token, number, step_answers(questionnaire, number, HOT_ANSWERS))
    hostile = "<script>alert(1)</script>"
    number = len(questionnaire.steps) + 1
    reply = post_step(
        client, token, number, contact_form(company=hostile, first_name=hostile, email="bad")
    )
    assert reply.status_code == 422
    assert hostile not in reply.text
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in reply.text


# -- live diagnostic --


def test_the_live_panel_shows_the_current_answers_without_saving_them(app, client, questionnaire):
    token = start(client)
    for number in (1, 2):
        post_step(client, token, number, step_answers(questionnaire, number, HOT_ANSWERS))
    signed = form_token(client.get(step_url(token, 3)).text)
    before = client.post(step_url(token, "live"), data={"form_token": signed})
    after = client.post(step_url(token, "live"), data={"form_token": signed, "maturity": "unified"})
    assert before.status_code == after.status_code == 200
    assert 'data-dimension="data">0%' in before.text
    assert 'data-dimension="data">100%' in after.text
    assert 'data-dimension="organisation">100%' in after.text  # executive + allocated, saved
    assert "<html" not in after.text  # a fragment, not a page
    assert "maturity" not in saved_answers(app, token)


def test_the_live_panel_ignores_values_under_a_forged_form_token(client):
    token = start(client)
    reply = client.post(
        step_url(token, "live"), data={"form_token": "forged", "company_size": "200-999"}
    )
    assert reply.status_code == 200 and "0 of 10 questions answered" in reply.text


# -- landing-page fields and framing --


def test_hidden_landing_page_fields_are_stored_on_the_response_length_capped(app, client):
    token = start(
        client,
        utm_source="linkedin",
        utm_medium="paid",
        utm_campaign="x" * 500,
        page="https://acme.example/lp",
        other="dropped",
    )
    assert stored(app, token).hidden == {
        "utm_source": "linkedin",
        "utm_medium": "paid",
        "utm_campaign": "x" * 200,
        "page": "https://acme.example/lp",
    }


def test_pages_carry_no_inline_script_or_style_and_their_assets_are_served(client):
    token = start(client)
    page = client.get(step_url(token, 1)).text
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
    assert " style=" not in page and "<style" not in page
    assert '"includeIndicatorStyles": false' in page
    for asset in ("/static/wizard.css", "/static/vendor/htmx.min.js"):
        assert asset in page
        with client.get(asset) as reply:  # a file response: close it
            assert reply.status_code == 200


def test_wizard_pages_may_be_framed_by_allowed_origins_and_other_pages_may_not(client):
    """Wizard pages name who may frame them (tests/test_framing.py has the origins)."""
    token = start(client)
    for url in (f"/q/{QID}", step_url(token, 1), "/q/nope"):
        policy = client.get(url).headers["Content-Security-Policy"]
        assert "frame-ancestors 'self'" in policy and "script-src 'self'" in policy
        assert "*" not in policy
    assert (
        "frame-ancestors 'none'" in client.get("/no-such-page").headers["Content-Security-Policy"]
    )


def test_the_browsers_favicon_request_gets_an_empty_answer_not_an_error(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response.data) == (204, b"")
    assert "max-age" in response.headers["Cache-Control"]


@pytest.mark.parametrize("field", ["company", "first_name", "email"])
def test_a_required_contact_field_of_only_spaces_is_refused_like_an_empty_one(
    app, client, questionnaire, field
):
    """'   ' was present input, so InputRequired let it through, then the strip filter stored
    '' — a routed SQL with no company. Spaces alone are no answer: the step asks again."""
    token, reply = walk(client, questionnaire, **{field: "   "})
    assert reply.status_code == 422
    label = next(f.label for f in questionnaire.contact.fields if f.name == field)
    assert f"Please fill in your {label.lower()}." in unescape(reply.text)
    assert count_leads(app) == 0
    assert stored(app, token).status != "submitted"
