"""Accessibility in a real browser (issue 4 item 5): axe-core on every step of the French
questionnaire in both its languages (and on its errors, result and the marketers' preview),
focus moved to the error summary after a failed submit and to the heading of each new step
(static/wizard-focus.js), focus kept on the answer when htmx re-renders the fields, reduced
motion respected; and the preview's panel updated live by htmx.

Reuses the Chromium and axe-core set-up of test_browser_embed.py; the wizard is opened as a
top-level page here (the framed walk is there).
"""

from __future__ import annotations

import os
import shutil
import threading
import time

import pytest
from test_browser_embed import (  # noqa: F401  (pytest fixtures, imported to be used here)
    ALLOW_THIRD_PARTY,
    ROOT,
    axe_violations,
    open_context,
    playwright_driver,
)

from qualify import create_app
from qualify.db import get_db, upgrade_database
from qualify.services.routing import load_reps

QID = "paie-rh-pme"
# One answer per question, step by step: selects by value, radios by value.
STEPS = [
    {"effectif": "50-249", "secteur": "manufacturing", "pays": "FR"},
    {"fonction": "dirigeant", "gestion_paie": "logiciel", "logiciel_actuel": "sage"},
    {"digitalisation": "8", "projet": "actif"},
    {"echeance": "moins_3_mois"},
    {"echange": "yes"},
]
CONTACT = {
    "first_name": "Claire",
    "last_name": "Dupont",
    "email": "claire.dupont@industrie.example",
    "company": "Industrie SA",
    "phone": "+33 1 23 45 67 89",
}


@pytest.fixture(scope="module")
def server(app_and_server):
    return app_and_server[1]


@pytest.fixture(scope="module")
def app_and_server(tmp_path_factory):
    """A real qualify server with both bundled questionnaires and the preview on."""
    from werkzeug.serving import make_server

    base = tmp_path_factory.mktemp("qualify-a11y")
    shutil.copytree(ROOT / "questionnaires", base / "questionnaires")
    database = f"sqlite:///{base / 'qualify.db'}"
    upgrade_database(database)
    os.environ["QUALIFY_INSTANCE_PATH"] = str(base / "instance")
    try:
        app = create_app(
            {
                "SECRET_KEY": "browser-a11y",
                "DATABASE_URL": database,
                "QUEUE_URL": "immediate",
                "OUTBOX_DIR": str(base / "outbox"),
                "QUESTIONNAIRES_DIR": str(base / "questionnaires"),
                "REPS_FILE": str(ROOT / "qualify" / "sample" / "reps.yaml"),
                "WIZARD_MIN_SECONDS": 0,
                "PREVIEW_ENABLED": True,
            }
        )
    finally:
        os.environ.pop("QUALIFY_INSTANCE_PATH", None)
    with app.app_context():
        load_reps(get_db(app).session, app.config["REPS_FILE"])
    http = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield app, f"http://127.0.0.1:{http.server_address[1]}"
    http.shutdown()
    http.server_close()
    get_db(app).engine.dispose()


@pytest.fixture(scope="module")
def context(playwright_driver, tmp_path_factory):  # noqa: F811
    context = open_context(playwright_driver, tmp_path_factory.mktemp("profile"), ALLOW_THIRD_PARTY)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


# -- helpers --

FOCUSED = """() => {
  const e = document.activeElement;
  const firstInvalid = document.querySelector('[aria-invalid="true"]');
  return {
    tag: e ? e.tagName : null,
    id: e ? e.id : null,
    summary: !!(e && e.classList.contains("error-summary")),
    firstInvalid: !!(e && e === firstInvalid),
    heading: !!(e && e === document.querySelector("main h1")),
  };
}"""


def focused(page) -> dict:
    """What has focus, once the deferred focus script has run (polled from here: the page's
    CSP forbids the eval that wait_for_function's polling needs)."""
    deadline = time.monotonic() + 5
    while True:
        where = page.evaluate(FOCUSED)
        if where["tag"] not in (None, "BODY") or time.monotonic() > deadline:
            return where
        page.wait_for_timeout(50)


def answer(page, values: dict) -> None:
    for name, value in values.items():
        field = page.locator(f'[name="{name}"]').first
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            box = page.locator(f'input[name="{name}"][value="{value}"]')
            box.focus()
            page.keyboard.press("Space")  # keyboard only
            assert box.is_checked()
        page.wait_for_load_state("networkidle")  # htmx: the panel, or the re-rendered fields


def press_next(page) -> None:
    page.locator('button[name="action"][value="next"]').click()
    page.wait_for_load_state()


# -- the tests --


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_step_passes_axe_and_focus_goes_to_the_errors_then_to_each_new_heading(
    page, server, language
):
    problems: dict[str, list[str]] = {}
    page.goto(f"{server}/q/{QID}?lang={language}")
    assert page.locator("html").get_attribute("lang") == language
    problems["intro"] = axe_violations(page)
    page.locator("form button[type=submit]").click()

    for number, values in enumerate(STEPS, 1):
        page.wait_for_selector(f'main[data-qualify-step="{number}"]')
        where = focused(page)
        assert where["heading"], f"step {number}: focus on {where}, not the step heading"
        problems[f"step {number}"] = axe_violations(page)
        if number in (1, 2):
            # Next with nothing answered: focus on the error summary (or the first invalid field)
            press_next(page)
            page.wait_for_selector(".error-summary")
            where = focused(page)
            assert where["summary"] or where["firstInvalid"], f"step {number} errors: {where}"
            assert page.locator(".error-summary").get_attribute("role") == "alert"
            invalid = page.locator('[aria-invalid="true"]').first
            described = invalid.get_attribute("aria-describedby") or invalid.evaluate(
                "e => e.closest('fieldset') && e.closest('fieldset').getAttribute('aria-describedby')"
            )
            assert described and page.locator(f"#{described.split()[-1]}").count() == 1
            problems[f"step {number} with errors"] = axe_violations(page)
        answer(page, values)
        if number == 2:
            # choosing "logiciel" re-rendered the fields (htmx): focus stayed on the answers
            assert page.evaluate("document.activeElement.name") in (
                "gestion_paie",
                "logiciel_actuel",
            )
        press_next(page)

    page.wait_for_selector(f'main[data-qualify-step="{len(STEPS) + 1}"]')
    assert focused(page)["heading"]
    problems["contact"] = axe_violations(page)
    press_next(page)
    page.wait_for_selector(".error-summary")
    where = focused(page)
    assert where["summary"] or where["firstInvalid"], f"contact errors: {where}"
    problems["contact with errors"] = axe_violations(page)
    for name, value in CONTACT.items():
        page.locator(f"#{name}").fill(value)
    page.locator("#consent").focus()
    page.keyboard.press("Space")
    press_next(page)

    page.wait_for_selector('main[data-qualify-page="result"]')
    assert focused(page)["heading"]
    problems["result"] = axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}, f"axe-core ({language})"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_wizards_other_pages_pass_axe(page, app_and_server, language):
    """Beyond the steps: the finish-later box (open, refused, sent), the expired-form page,
    the rate-limit page, the expired-link page and the not-found page."""
    app, server = app_and_server
    problems: dict[str, list[str]] = {}
    page.goto(f"{server}/q/{QID}?lang={language}")
    page.locator("form button[type=submit]").click()
    page.wait_for_selector('main[data-qualify-step="1"]')
    step_1 = page.url
    page.locator("details.resume summary").click()
    problems["finish-later box"] = axe_violations(page)
    page.locator('button[name="action"][value="later"]').click()  # no address, no consent
    page.wait_for_selector("#resume-error")
    assert focused(page)["id"] in ("resume_email", "resume-error") or focused(page)["summary"]
    problems["finish-later refused"] = axe_violations(page)
    page.locator("#resume_email").fill("claire.dupont@industrie.example")
    page.locator("#resume_consent").focus()
    page.keyboard.press("Space")
    page.locator('button[name="action"][value="later"]').click()
    page.wait_for_selector("main h1")
    assert "claire.dupont@industrie.example" in page.locator("main").inner_text()
    problems["link sent"] = axe_violations(page)

    saved = dict(app.config)
    try:
        app.config["WIZARD_FORM_MAX_AGE"] = -1  # every form token has expired
        page.goto(step_1)
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            press_next(page)
        assert posted.value.status == 400
        assert page.locator('main[data-qualify-step="1"] .notice[role="alert"]').count() == 1
        problems["expired form"] = axe_violations(page)
        app.config["WIZARD_FORM_MAX_AGE"] = saved.get("WIZARD_FORM_MAX_AGE", 24 * 3600)
        app.config["RATE_LIMIT_STEPS"] = "1 per hour"
        app.extensions["qualify.limiter"].reset()
        page.goto(step_1)
        press_next(page)
        page.goto(step_1)
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            press_next(page)
        assert posted.value.status == 429
        assert page.locator('.notice[role="alert"]').count() == 1
        assert page.evaluate("document.documentElement.lang") == language
        problems["too many requests"] = axe_violations(page)
    finally:
        app.config.clear()
        app.config.update(saved)
        app.extensions["qualify.limiter"].reset()

    assert page.goto(f"{server}/q/{QID}/resume/forged.link.sig?lang={language}").status == 410
    assert page.evaluate("document.documentElement.lang") == language
    problems["expired link"] = axe_violations(page)
    assert page.goto(f"{server}/q/{QID}/r/no-such-response/1?lang={language}").status == 404
    problems["not found"] = axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}, f"axe-core ({language})"


def test_a_step_is_answered_with_tab_arrow_keys_space_and_enter_only(page, server):
    """Keyboard only (WCAG 2.1.1): Tab to Start, then in step 1 Tab from the heading into each
    question, pick with the arrow keys or Space, and reach Next."""
    page.goto(f"{server}/q/customer-data-maturity")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    page.keyboard.press("Enter")
    page.wait_for_selector('main[data-qualify-step="1"]')
    assert focused(page)["heading"]
    answered: list[str] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        active = page.evaluate(
            "(({name, type, value}) => ({name, type, value}))(document.activeElement)"
        )
        if active["type"] == "radio" and active["name"] not in answered:
            page.keyboard.press("ArrowDown")  # moves to, and checks, the next choice
            page.wait_for_load_state("networkidle")
            answered.append(active["name"])
        elif active["type"] == "submit" and active["value"] == "next":
            break
    assert answered == ["company_size", "industry", "region"]
    page.keyboard.press("Enter")
    page.wait_for_selector('main[data-qualify-step="2"]')


def test_the_intro_page_does_not_move_focus(page, server):
    page.goto(f"{server}/q/{QID}")
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement === document.body")


def test_reduced_motion_turns_transitions_off(page, server):
    page.goto(f"{server}/q/{QID}")
    button = page.locator("form button[type=submit]")
    assert button.evaluate("e => getComputedStyle(e).transitionDuration") != "0s"
    page.emulate_media(reduced_motion="reduce")
    assert button.evaluate("e => getComputedStyle(e).transitionDuration") == "0s"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_preview_passes_axe_and_its_panel_follows_each_answer(page, server, language):
    page.goto(f"{server}/preview/{QID}?lang={language}")
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []
    stage = page.locator("#qualification .stage")
    assert stage.get_attribute("data-stage") == "lead"
    note = page.locator("#visibility-logiciel_actuel")
    assert "is-hidden" in note.get_attribute("class")
    for values in STEPS:
        answer(page, values)
    page.locator("#contact-email").fill("claire.dupont@industrie.example")
    page.locator("#contact-phone").fill("+33 1 23 45 67 89")
    page.locator("#contact-phone").blur()  # change
    page.wait_for_selector('#qualification .stage[data-stage="sql"]')
    assert "is-shown" in page.locator("#visibility-logiciel_actuel").get_attribute("class")
    panel = page.locator("#qualification").inner_text()
    assert page.locator("#qualification .checklist .unchecked").count() == 0, panel
    assert axe_violations(page) == []
    # a competitor: disqualified at the next change, without pressing Score
    page.locator("#secteur").select_option("payroll_vendor")
    page.wait_for_selector('#qualification .stage[data-stage="disqualified"]')


def test_the_preview_of_a_file_that_does_not_load_passes_axe(page, app_and_server):
    app, server = app_and_server
    from pathlib import Path

    folder = Path(app.config["QUESTIONNAIRES_DIR"])
    text = (folder / f"{QID}.yaml").read_text(encoding="utf-8")
    broken = text.replace(f"id: {QID}", "id: paie-casse", 1).replace(
        "timing: [timeline_3m]", "timing: [timeline_3_months]", 1
    )
    (folder / "paie-casse.yaml").write_text(broken, encoding="utf-8")
    try:
        time.sleep(1.1)  # the registry looks at the folder at most once a second
        page.goto(f"{server}/preview/paie-casse")
        assert "1 mistake to fix" in page.locator(".preview-mistakes h2").inner_text()
        assert axe_violations(page) == []
    finally:
        (folder / "paie-casse.yaml").unlink()


def test_the_focused_step_heading_draws_no_ring_but_a_tabbed_answer_does(page, server):
    page.goto(f"{server}/q/customer-data-maturity")
    page.locator("form button[type=submit]").click()
    page.wait_for_selector('main[data-qualify-step="1"]')
    assert focused(page)["heading"]
    heading = page.locator("main h1")
    assert heading.evaluate("e => getComputedStyle(e).outlineStyle") == "none"
    page.keyboard.press("Tab")  # from the heading into the first question
    option = page.locator(".option:has(input:focus-visible)")
    assert option.count() == 1
    assert option.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"


def test_the_wizards_diagnostic_panel_follows_each_answer_without_a_page_load(page, server):
    page.goto(f"{server}/q/customer-data-maturity")
    page.locator("form button[type=submit]").click()
    page.wait_for_selector('main[data-qualify-step="1"]')
    url = page.url
    page.evaluate("window.qualifyTestMarker = 'same page'")  # lost on any page load
    meta = page.locator(".panel .meta, aside .meta").last
    assert "0 of 10 questions answered" in meta.inner_text()
    for count, (name, value) in enumerate(
        [("company_size", "200-999"), ("industry", "saas"), ("region", "france")], 1
    ):
        box = page.locator(f'input[name="{name}"][value="{value}"]')
        box.focus()
        page.keyboard.press("Space")
        page.wait_for_load_state("networkidle")
        deadline = time.monotonic() + 5
        while f"{count} of 10" not in meta.inner_text() and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        assert f"{count} of 10 questions answered" in meta.inner_text()
    assert page.evaluate("window.qualifyTestMarker") == "same page" and page.url == url
    page.locator('button[name="action"][value="next"]').click()
    page.wait_for_selector('main[data-qualify-step="2"]')
    organisation = page.locator('[data-dimension="organisation"]').first
    assert organisation.inner_text() == "0%"
    box = page.locator('input[name="budget"][value="allocated"]')
    box.focus()
    page.keyboard.press("Space")
    page.wait_for_load_state("networkidle")
    deadline = time.monotonic() + 5
    while organisation.inner_text() == "0%" and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert organisation.inner_text() == "50%"  # allocated: 3 of the 6 points (role unanswered)


def test_a_0_to_10_scale_wraps_into_equal_cells_on_a_phone(page, server):
    """At 360 px the eleven points wrap; each keeps the same width (as flex items, the last
    row's lone "10" stretched across the whole card)."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{server}/preview/{QID}")
    labels = page.locator('.scale-point label[for^="digitalisation"]')
    assert labels.count() == 11
    boxes = [labels.nth(i).bounding_box() for i in range(11)]
    rows = {round(box["y"]) for box in boxes}
    assert len(rows) > 1  # it does wrap on a phone
    widths = [box["width"] for box in boxes]
    assert max(widths) - min(widths) < 1, widths
