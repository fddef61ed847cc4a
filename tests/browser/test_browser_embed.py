"""The embedded wizard in a real browser (issue 4, items 1, 3 and 8).

Debian's Chromium (/usr/bin/chromium) driven by Playwright: a landing page on one origin
(http://127.0.0.1:A) embeds the wizard served by a real qualify server on another
(http://localhost:B), with third-party cookies blocked; a prospect completes it with clicks
and keystrokes up to the thank-you page and the emails in the outbox.

Third-party cookies are blocked through the profile's preferences
(``profile.cookie_controls_mode = 1``): checked here on Chromium 156, the switch
``--test-third-party-cookie-phaseout`` does not override a profile that allows them, while the
preference does, both ways (``test_a_cookie_set_by_the_frame_is_not_stored`` and its control).

axe-core comes from the PyPI package ``axe-playwright-python`` (test extra), which ships
axe.min.js (MPL-2.0) inside the wheel: nothing is fetched at test time, pip keeps it updated,
and no 500 kB minified file is vendored into this repository.

Skipped with a visible reason where Chromium or Playwright is missing; with
QUALIFY_REQUIRE_BROWSER=1 (CI) they fail instead. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import email
import functools
import http.server
import json
import os
import re
import threading
import time
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import select

from factories import HOT_ANSWERS
from qualify import create_app
from qualify.db import get_db, upgrade_database
from qualify.models import Response
from qualify.services.routing import load_reps

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("QUALIFY_CHROMIUM", "/usr/bin/chromium"))
REQUIRE_BROWSER = os.environ.get("QUALIFY_REQUIRE_BROWSER") == "1"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
QID = "customer-data-maturity"
PAIE = "paie-rh-pme"  # French, translated into English
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# cookie_controls_mode: 0 allow all, 1 block third-party cookies.
BLOCK_THIRD_PARTY = {"profile": {"cookie_controls_mode": 1, "block_third_party_cookies": True}}
ALLOW_THIRD_PARTY = {"profile": {"cookie_controls_mode": 0, "block_third_party_cookies": False}}
CONTACT = {
    "first_name": "Claire",
    "last_name": "Dupont",
    "email": "claire.dupont@bigco.example",
    "company": "BigCo Industries",
    "job_title": "Chief Data Officer",
    "phone": "+33 1 23 45 67 89",
}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def _unavailable() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def playwright_driver():
    reason = _unavailable()
    if reason:
        if REQUIRE_BROWSER:
            pytest.fail(f"browser tests required (QUALIFY_REQUIRE_BROWSER=1): {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


def open_context(driver, folder: Path, preferences: dict):
    """A Chromium profile with the given preferences (how cookie blocking is set)."""
    (folder / "Default").mkdir(parents=True)
    (folder / "Default" / "Preferences").write_text(json.dumps(preferences))
    context = driver.chromium.launch_persistent_context(
        str(folder),
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        viewport=DESKTOP,
    )
    context.set_default_timeout(15_000)
    return context


# -- servers: qualify on localhost:B, landing pages on 127.0.0.1:A and a foreign 127.0.0.1:C --


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_folder(folder: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The landing site (A), a foreign site (C) and a site not allowed to embed (D)."""
    folders = {name: tmp_path_factory.mktemp(name) for name in ("landing", "foreign", "denied")}
    servers = {name: serve_folder(folder) for name, folder in folders.items()}
    yield {name: (folders[name], port) for name, (_server, port) in servers.items()}
    for server, _port in servers.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def qualify_server(tmp_path_factory, sites):
    """A real qualify server (werkzeug, threaded) on localhost, immediate queue, outbox in tmp,
    its questionnaire allowing the landing site's origin only."""
    from werkzeug.serving import make_server

    base = tmp_path_factory.mktemp("qualify")
    (base / "questionnaires").mkdir()
    landing_origin = f"http://127.0.0.1:{sites['landing'][1]}"
    bundled = (ROOT / "questionnaires" / f"{QID}.yaml").read_text()
    (base / "questionnaires" / f"{QID}.yaml").write_text(
        bundled + f'\nallowed_origins: ["{landing_origin}"]\n'
    )
    french = (ROOT / "questionnaires" / f"{PAIE}.yaml").read_text()
    (base / "questionnaires" / f"{PAIE}.yaml").write_text(
        french + f'\nallowed_origins: ["{landing_origin}"]\n'
    )
    database = f"sqlite:///{base / 'qualify.db'}"
    upgrade_database(database)
    os.environ["QUALIFY_INSTANCE_PATH"] = str(base / "instance")
    try:
        app = create_app(
            {
                "SECRET_KEY": "browser-test",
                "DATABASE_URL": database,
                "QUEUE_URL": "immediate",
                "OUTBOX_DIR": str(base / "outbox"),
                "QUESTIONNAIRES_DIR": str(base / "questionnaires"),
                "REPS_FILE": str(ROOT / "qualify" / "sample" / "reps.yaml"),
                "EMBED_ALLOWED_ORIGINS": [],
                "WIZARD_MIN_SECONDS": 0,  # a scripted walk is faster than a human's 8 s
            }
        )
    finally:
        os.environ.pop("QUALIFY_INSTANCE_PATH", None)
    with app.app_context():
        load_reps(get_db(app).session, app.config["REPS_FILE"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    port = server.server_address[1]
    app.config["BASE_URL"] = f"http://localhost:{port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://localhost:{port}"
    server.shutdown()
    server.server_close()
    get_db(app).engine.dispose()


LANDING_JS = """
window.qualifyEvents = [];
["qualify:started", "qualify:step", "qualify:completed"].forEach(function (name) {
  document.addEventListener(name, function (event) {
    window.qualifyEvents.push({ name: name, detail: event.detail });
  });
});
"""


def landing_page(qualify_url: str, *, mode: str = "inline", foreign: str | None = None) -> str:
    popup = ' data-mode="popup" data-button="Take the test"' if mode == "popup" else ""
    foreign_frame = f'<iframe src="{foreign}" title="Another widget"></iframe>' if foreign else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme landing page</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="landing.js"></script></head>
<body><main><h1>Is your customer data ready?</h1><p>Take our self-diagnostic.</p>
<script src="{qualify_url}/static/embed.js" data-questionnaire="{QID}"
        data-title="Customer-data maturity"{popup} async></script>
{foreign_frame}
</main></body></html>"""


FOREIGN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>x</title>
<script src="forge.js"></script></head><body>another widget</body></html>"""
# A frame from another origin posting what qualify's frame would post: to be ignored.
FOREIGN_JS = """
window.addEventListener("load", function () {
  parent.postMessage({ source: "qualify", type: "height", height: 3333 }, "*");
  parent.postMessage({ source: "qualify", type: "step", step: 1, total: 5 }, "*");
  parent.postMessage({ source: "qualify", type: "completed" }, "*");
  document.body.setAttribute("data-posted", "yes");
});
"""


@pytest.fixture(scope="module")
def pages(sites, qualify_server):
    """Write the landing pages; return their URLs."""
    _app, qualify_url = qualify_server
    (landing, port_a), (foreign, port_c), (denied, port_d) = (
        sites["landing"],
        sites["foreign"],
        sites["denied"],
    )
    foreign_url = f"http://127.0.0.1:{port_c}/forge.html"
    (foreign / "forge.html").write_text(FOREIGN_PAGE)
    (foreign / "forge.js").write_text(FOREIGN_JS)
    for folder in (landing, denied):
        (folder / "landing.js").write_text(LANDING_JS)
        (folder / "index.html").write_text(landing_page(qualify_url))
    (landing / "popup.html").write_text(landing_page(qualify_url, mode="popup"))
    paie = f'data-questionnaire="{PAIE}"'
    french_page = landing_page(qualify_url).replace('<html lang="en">', '<html lang="fr">')
    (landing / "fr.html").write_text(french_page.replace(f'data-questionnaire="{QID}"', paie))
    (landing / "fr-tag.html").write_text(
        french_page.replace(f'data-questionnaire="{QID}"', paie + ' data-lang="fr"')
    )
    (landing / "fr-popup.html").write_text(
        landing_page(qualify_url, mode="popup")
        .replace('<html lang="en">', '<html lang="fr">')
        .replace(f'data-questionnaire="{QID}"', paie)
        .replace(' data-button="Take the test"', "")
    )
    (landing / "foreign.html").write_text(landing_page(qualify_url, foreign=foreign_url))
    once = landing_page(qualify_url)
    tag = once[once.index('<script src="http://localhost') : once.index("</script>\n\n") + 9]
    (landing / "two.html").write_text(once.replace(tag, tag + "\n<p>And again:</p>\n" + tag))
    (landing / "plain.html").write_text(
        f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme</title></head>
<body><main><h1>Is your customer data ready?</h1>
<iframe src="{qualify_url}/q/{QID}?utm_source=plain-iframe" title="Customer-data maturity"
        width="100%" height="900"></iframe></main></body></html>"""
    )
    return {
        "plain": f"http://127.0.0.1:{port_a}/plain.html",
        "inline": f"http://127.0.0.1:{port_a}/index.html",
        "two": f"http://127.0.0.1:{port_a}/two.html",
        "foreign_url": foreign_url,
        "popup": f"http://127.0.0.1:{port_a}/popup.html",
        "fr": f"http://127.0.0.1:{port_a}/fr.html",
        "fr-tag": f"http://127.0.0.1:{port_a}/fr-tag.html",
        "fr-popup": f"http://127.0.0.1:{port_a}/fr-popup.html",
        "foreign": f"http://127.0.0.1:{port_a}/foreign.html",
        "denied": f"http://127.0.0.1:{port_d}/index.html",
        "qualify": qualify_url,
    }


@pytest.fixture(scope="module")
def context(playwright_driver, tmp_path_factory):
    context = open_context(playwright_driver, tmp_path_factory.mktemp("profile"), BLOCK_THIRD_PARTY)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


# -- helpers --


def qualify_frame(page):
    """The qualify iframe's element and its frame, once its page has loaded."""
    element = page.wait_for_selector("iframe[data-qualify-frame]", state="attached")
    frame = element.content_frame()
    frame.wait_for_load_state()
    return element, frame


def iframe_height(element) -> int:
    return round(element.evaluate("e => e.getBoundingClientRect().height"))


def content_height(frame) -> int:
    return frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")


def wait_fitted(page, element, frame) -> int:
    """Wait until the iframe's height is its content's height (auto-resize); return it."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        wanted = min(20000, max(200, content_height(frame)))
        if abs(iframe_height(element) - wanted) <= 1:
            page.wait_for_timeout(50)
            if abs(iframe_height(element) - min(20000, max(200, content_height(frame)))) <= 1:
                return iframe_height(element)
        page.wait_for_timeout(50)
    pytest.fail(f"iframe height {iframe_height(element)} never matched its content {wanted}")


def axe_violations(frame) -> list[str]:
    """Serious or critical axe-core violations on the frame's page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(frame)
    found = results.response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def whole_page(page, size: dict, path: Path) -> None:
    """A screenshot of the whole landing page: the viewport made as tall as the page
    (Chromium's full-page capture leaves a cross-site iframe partly blank)."""
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


def screenshots(page, element, frame, name: str) -> None:
    """Desktop and 360 px phone screenshots; on the phone nothing scrolls sideways."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    whole_page(page, DESKTOP, ARTIFACTS / f"desktop-{name}.png")
    page.set_viewport_size(PHONE)
    wait_fitted(page, element, frame)
    whole_page(page, PHONE, ARTIFACTS / f"phone-{name}.png")
    overflow = frame.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name}: the wizard scrolls sideways on a 360 px phone"
    page.set_viewport_size(DESKTOP)
    wait_fitted(page, element, frame)


def heading(frame) -> str:
    return frame.locator("h1").inner_text()


# -- the tests --


def test_a_prospect_completes_the_embedded_wizard_cross_site_with_cookies_blocked(
    page, pages, qualify_server, context
):
    app, _qualify_url = qualify_server
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(pages["inline"] + "?utm_source=newsletter&utm_campaign=spring&email=x%40y.example")
    element, frame = qualify_frame(page)
    assert frame.url.startswith(pages["qualify"] + f"/q/{QID}?")
    heights = [wait_fitted(page, element, frame)]
    problems = {"intro": axe_violations(frame)}
    screenshots(page, element, frame, "0-intro")

    frame.get_by_role("button", name="Start").click()
    questionnaire = app.extensions["qualify.questionnaires"].get(QID).questionnaire
    for number, step in enumerate(questionnaire.steps, 1):
        frame.wait_for_selector(f'main[data-qualify-step="{number}"]')
        heights.append(wait_fitted(page, element, frame))
        problems[f"step {number}"] = axe_violations(frame)
        screenshots(page, element, frame, f"{number}-{step.title.lower().replace(' ', '-')}")
        if number == 1:
            # Next with nothing answered: the errors are shown, announced and accessible.
            frame.get_by_role("button", name="Next").click()
            frame.wait_for_selector(".error-summary")
            heights.append(wait_fitted(page, element, frame))
            problems["step 1 with errors"] = axe_violations(frame)
            screenshots(page, element, frame, "1-errors")
        for question in step.questions:
            values = HOT_ANSWERS[question.id]
            for value in values if isinstance(values, list) else [values]:
                box = frame.locator(f'input[name="{question.id}"][value="{value}"]')
                frame.locator(f'label[for="{box.get_attribute("id")}"]').click()
        frame.get_by_role("button", name="Next").click()

    contact_number = len(questionnaire.steps) + 1
    frame.wait_for_selector(f'main[data-qualify-step="{contact_number}"]')
    heights.append(wait_fitted(page, element, frame))
    problems["contact"] = axe_violations(frame)
    screenshots(page, element, frame, f"{contact_number}-contact")
    frame.locator("#consent").focus()
    page.keyboard.press("Space")  # keyboard only from here on
    for name, value in CONTACT.items():
        frame.locator(f"#{name}").click()
        page.keyboard.type(value)
    page.keyboard.press("Enter")  # Enter in a text field: the first button, "Get my report"

    frame.wait_for_selector('main[data-qualify-page="result"]')
    assert "Advanced" in frame.locator("main").inner_text()
    heights.append(wait_fitted(page, element, frame))
    problems["result"] = axe_violations(frame)
    screenshots(page, element, frame, "9-result")

    assert {k: v for k, v in problems.items() if v} == {}, "axe-core: serious or critical"
    assert len(set(heights)) >= 3, f"the iframe did not follow its content: {heights}"

    # The events the landing page received: in order, and with no personal data.
    events = page.evaluate("window.qualifyEvents")
    names = [e["name"] for e in events]
    total = len(questionnaire.steps) + 1
    assert names[0] == "qualify:started" and names[-1] == "qualify:completed"
    assert names.count("qualify:started") == 1 and names.count("qualify:completed") == 1
    steps = [e["detail"]["step"] for e in events if e["name"] == "qualify:step"]
    assert steps == [1, 1, *range(2, total + 1)]  # step 1 twice: shown, then with its errors
    assert all(e["detail"].get("total", total) == total for e in events)
    for event in events:
        assert set(event["detail"]) <= {"questionnaire", "step", "total"}
        assert not any(v in json.dumps(event) for v in CONTACT.values())

    # Hidden fields: the page's UTM parameters and address (without its query string).
    with app.app_context():
        response = get_db(app).session.scalar(select(Response))
        assert response.status == "submitted"
        assert response.hidden == {
            "utm_source": "newsletter",
            "utm_campaign": "spring",
            "page": pages["inline"],
        }

    # Scripts, styles and fonts are served by qualify itself (no CDN): every request the
    # landing page and the wizard made went to one of the two origins.
    origins = {re.match(r"https?://[^/]+", url).group(0) for url in fetched}
    assert origins == {re.match(r"https?://[^/]+", pages["inline"]).group(0), pages["qualify"]}
    # and the pages' Content-Security-Policy refused nothing (no inline script or style, no
    # outside font or script left for the browser to block)
    assert [text for text in console if "Content Security Policy" in text] == []

    # Cookies were blocked and none was needed: the browser holds none for qualify.
    assert [c for c in context.cookies() if c["domain"] == "localhost"] == []

    messages = wait_for_emails(Path(app.config["OUTBOX_DIR"]), 2)
    recipients = sorted(m["To"].addresses[0].addr_spec for m in messages)
    assert recipients == ["camille.martin@acme-data.example", "claire.dupont@bigco.example"]


def wait_for_emails(folder: Path, count: int, seconds: float = 30) -> list:
    deadline = time.monotonic() + seconds
    files: list[Path] = []
    while time.monotonic() < deadline:
        files = sorted(folder.glob("*.eml"))
        if len(files) >= count:
            break
        time.sleep(0.2)
    return [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]


def test_a_cookie_set_by_the_frame_is_not_stored(page, pages):
    page.goto(pages["inline"])
    _element, frame = qualify_frame(page)
    frame.evaluate("document.cookie = 'probe=1; SameSite=None; Secure; path=/'")
    assert frame.evaluate("document.cookie") == ""
    assert [c["name"] for c in page.context.cookies()] == []


def test_control_the_same_cookie_is_stored_when_third_party_cookies_are_allowed(
    playwright_driver, pages, tmp_path
):
    """Without this, the test above could pass because the probe itself is broken."""
    context = open_context(playwright_driver, tmp_path / "profile", ALLOW_THIRD_PARTY)
    try:
        page = context.new_page()
        page.goto(pages["inline"])
        _element, frame = qualify_frame(page)
        frame.evaluate("document.cookie = 'probe=1; SameSite=None; Secure; path=/'")
        assert [c["name"] for c in context.cookies()] == ["probe"]
    finally:
        context.close()


def test_messages_from_a_foreign_frame_or_the_page_itself_are_ignored(page, pages):
    page.goto(pages["foreign"])
    element, frame = qualify_frame(page)
    fitted = wait_fitted(page, element, frame)
    page.frame(url=re.compile(r"/forge\.html$")).wait_for_selector("body[data-posted]")
    # The page itself forges the same messages.
    page.evaluate(
        "window.postMessage({source: 'qualify', type: 'height', height: 4444}, '*');"
        "window.postMessage({source: 'qualify', type: 'completed'}, '*');"
    )
    page.wait_for_timeout(300)
    assert iframe_height(element) == fitted
    assert page.evaluate("window.qualifyEvents") == []


def test_the_iframe_follows_its_content_when_a_box_opens_without_a_page_load(page, pages):
    """Opening "Finish later?" (a <details>) loads nothing: the frame's ResizeObserver must
    tell the page its new height, or the box is cut off."""
    page.goto(pages["inline"])
    element, frame = qualify_frame(page)
    frame.get_by_role("button", name="Start").click()
    frame.wait_for_selector('main[data-qualify-step="1"]')
    closed = wait_fitted(page, element, frame)
    frame.locator("details.resume summary").click()
    frame.wait_for_selector("details.resume[open]")
    opened = wait_fitted(page, element, frame)
    assert opened > closed + 50, (closed, opened)
    assert frame.locator('input[name="resume_email"]').is_visible()


def test_a_plain_iframe_snippet_works_cross_site_without_the_script(page, pages, qualify_server):
    app, _qualify_url = qualify_server
    page.goto(pages["plain"])
    assert page.locator("script[src$='embed.js']").count() == 0
    frame = page.wait_for_selector("iframe[src*='/q/']").content_frame()
    frame.wait_for_load_state()
    frame.get_by_role("button", name="Start").click()
    frame.wait_for_selector('main[data-qualify-step="1"]')
    token = re.search(r"/r/([^/]+)/1$", frame.url).group(1)
    with app.app_context():
        response = get_db(app).session.scalar(select(Response).where(Response.token == token))
        assert response.hidden == {"utm_source": "plain-iframe"}


def test_the_demo_landing_page_shows_both_modes_working(page, qualify_server):
    app, qualify_url = qualify_server
    app.config["EMBED_DEMO"] = True
    try:
        page.goto(f"{qualify_url}/embed/demo?questionnaire={QID}")
        element, frame = qualify_frame(page)  # the inline one: the popup's loads on its click
        wait_fitted(page, element, frame)
        frame.get_by_role("button", name="Start").click()
        frame.wait_for_selector('main[data-qualify-step="1"]')
        page.wait_for_selector("#event-log li")
        page.get_by_role("button", name="Take the 3-minute test").click()
        dialog = page.get_by_role("dialog")
        dialog.wait_for()
        popup = dialog.locator("iframe").element_handle().content_frame()
        popup.wait_for_load_state()
        assert popup.get_by_role("button", name="Start").is_visible()
    finally:
        app.config["EMBED_DEMO"] = False


def test_the_frame_navigated_to_another_origin_is_no_longer_listened_to(page, pages):
    """Same iframe (same event.source), another origin: e.g. a link in the wizard that opened
    another site inside the frame. Only the qualify origin may resize it or emit events."""
    page.goto(pages["inline"])
    element, frame = qualify_frame(page)
    fitted = wait_fitted(page, element, frame)
    frame.evaluate(f"location.href = {json.dumps(pages['foreign_url'])}")
    frame.wait_for_url(re.compile(r"/forge\.html$"))
    frame.wait_for_selector("body[data-posted]")  # it posted height, step and completed
    page.wait_for_timeout(300)
    assert iframe_height(element) == fitted
    assert page.evaluate("window.qualifyEvents") == []


def test_two_embeds_on_one_page_each_listen_to_their_own_frame_only(page, pages):
    """Same origin (qualify), another frame: a message from the second embed's frame must not
    resize the first one."""
    page.goto(pages["two"])
    page.wait_for_function("document.querySelectorAll('iframe[data-qualify-frame]').length === 2")
    first, second = page.query_selector_all("iframe[data-qualify-frame]")
    first_frame, second_frame = first.content_frame(), second.content_frame()
    for element, frame in ((first, first_frame), (second, second_frame)):
        frame.wait_for_load_state()
        wait_fitted(page, element, frame)
    fitted = iframe_height(first)
    second_frame.evaluate(
        "parent.postMessage({source: 'qualify', type: 'height', height: 4321}, '*')"
    )
    page.wait_for_function(
        "() => document.querySelectorAll('iframe[data-qualify-frame]')[1].style.height === '4321px'"
    )
    page.wait_for_timeout(300)
    assert iframe_height(first) == fitted


def test_heights_from_the_qualify_frame_are_bounded_and_must_be_finite_numbers(page, pages):
    page.goto(pages["inline"])
    element, frame = qualify_frame(page)
    fitted = wait_fitted(page, element, frame)
    post = "h => parent.postMessage({source: 'qualify', type: 'height', height: h}, '*')"
    for bad in ("Infinity", "NaN", "'900'", "null", "-Infinity"):
        frame.evaluate(
            f"parent.postMessage({{source: 'qualify', type: 'height', height: {bad}}}, '*')"
        )
    page.wait_for_timeout(300)
    assert iframe_height(element) == fitted
    frame.evaluate(post, 10**9)
    page.wait_for_function(
        "() => document.querySelector('iframe[data-qualify-frame]').style.height === '20000px'"
    )
    frame.evaluate(post, 3)
    page.wait_for_function(
        "() => document.querySelector('iframe[data-qualify-frame]').style.height === '200px'"
    )


def test_step_events_need_a_step_within_its_total(page, pages):
    page.goto(pages["inline"])
    _element, frame = qualify_frame(page)
    post = "m => parent.postMessage(Object.assign({source: 'qualify', type: 'step'}, m), '*')"
    for bad in (
        {"step": 0, "total": 5},
        {"step": 6, "total": 5},
        {"step": "x", "total": 5},
        {"step": 1, "total": 10**6},
    ):
        frame.evaluate(post, bad)
    frame.evaluate(post, {"step": 2, "total": 5})  # a good one, to know the others arrived first
    page.wait_for_function("window.qualifyEvents.length >= 2")
    page.wait_for_timeout(200)
    events = page.evaluate("window.qualifyEvents")
    assert [(e["name"], e["detail"].get("step")) for e in events] == [
        ("qualify:started", None),
        ("qualify:step", 2),
    ]


def test_the_wizard_frame_cannot_navigate_the_landing_page_even_on_a_click(page, pages):
    """The iframe's sandbox leaves out allow-top-navigation: a wizard page (or anything it
    loads) can't send the prospect away from the landing page, even with a user gesture."""
    page.goto(pages["inline"])
    _element, frame = qualify_frame(page)
    frame.evaluate(
        "url => document.body.addEventListener('click', () => {"
        " try { top.location.href = url; } catch (e) { document.body.dataset.refused = 'yes'; }"
        " document.body.dataset.clicked = 'yes'; })",
        pages["foreign_url"],
    )
    frame.locator("h1").click()  # a real click: the frame has a user activation
    frame.wait_for_selector("body[data-clicked]")
    page.wait_for_timeout(500)
    assert page.url == pages["inline"]
    assert frame.locator("body[data-refused]").count() == 1


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_the_iframe_resizes_without_animation_when_reduced_motion_is_asked(page, pages, motion):
    page.emulate_media(reduced_motion=motion)
    page.goto(pages["inline"])
    element, _frame = qualify_frame(page)
    duration = element.evaluate("e => getComputedStyle(e).transitionDuration")
    assert (duration == "0s") == (motion == "reduce"), duration


def test_a_site_not_in_allowed_origins_cannot_frame_the_wizard(page, pages):
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(pages["denied"])
    element = page.wait_for_selector("iframe[data-qualify-frame]", state="attached")
    page.wait_for_timeout(1000)
    frame = element.content_frame()
    assert frame.locator("button").count() == 0  # no Start button: the wizard did not load
    assert any("frame-ancestors" in text for text in refused), refused
    assert page.evaluate("window.qualifyEvents") == []


def test_the_popup_mode_opens_the_wizard_in_a_panel_and_gives_focus_back(page, pages):
    page.goto(pages["popup"])
    button = page.get_by_role("button", name="Take the test")
    assert page.locator("iframe").count() == 0  # nothing loads before the click
    button.click()
    dialog = page.get_by_role("dialog", name="Customer-data maturity")
    dialog.wait_for()
    _element, frame = qualify_frame(page)
    frame.get_by_role("button", name="Start").click()
    frame.wait_for_selector('main[data-qualify-step="1"]')
    page.wait_for_function("window.qualifyEvents.length >= 2")
    assert [e["name"] for e in page.evaluate("window.qualifyEvents")][:2] == [
        "qualify:started",
        "qualify:step",
    ]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "desktop-popup.png"))
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(ARTIFACTS / "phone-popup.png"))
    page.set_viewport_size(DESKTOP)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.textContent") == "Take the test"
    button.click()  # opening again shows the same wizard, where the prospect left it
    assert qualify_frame(page)[1].locator('main[data-qualify-step="1"]').count() == 1


def test_artifacts_folder_is_ignored_by_git():
    assert "test-artifacts/" in (ROOT / ".gitignore").read_text().split()


def test_the_embed_asks_for_the_language_its_tag_or_page_url_names(page, pages):
    """A marketer's data-lang (else the landing page's ?lang=) picks the wizard's language;
    with neither, the prospect's browser does (this one asks for English)."""
    french_title = "Votre paie et vos RH sont-elles prêtes pour la croissance\u202f?"
    page.goto(pages["fr-tag"])
    _element, frame = qualify_frame(page)
    assert frame.evaluate("document.documentElement.lang") == "fr"
    assert heading(frame) == french_title
    page.goto(pages["fr"] + "?lang=fr&utm_source=x")
    element, frame = qualify_frame(page)
    assert "lang=fr" in element.get_attribute("src")
    assert heading(frame) == french_title
    page.goto(pages["fr"])
    element, frame = qualify_frame(page)
    assert "lang=" not in element.get_attribute("src")
    assert heading(frame) == "Are your payroll and HR ready to grow?"


def test_the_popup_on_a_french_page_labels_its_buttons_in_french(page, pages):
    page.goto(pages["fr-popup"])
    opener = page.wait_for_selector("button.qualify-open")
    assert opener.inner_text() == "Ouvrir le questionnaire"
    opener.click()
    assert page.wait_for_selector("button.qualify-close").get_attribute("aria-label") == "Fermer"
