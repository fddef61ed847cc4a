"""Framing policy and security headers (issue 4, items 1 and 3): each test states one rule
and fails if the protection is removed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from qualify import create_app
from qualify.embed.framing import OriginError, check_origins, frame_ancestors
from qualify.questionnaires import QuestionnaireRegistry

QID = "customer-data-maturity"
BUNDLED = Path(__file__).resolve().parent.parent / "questionnaires" / f"{QID}.yaml"
LANDING = "https://www.acme.example"
EVERY_QUESTIONNAIRE = "https://corporate.acme.example"


def with_origins(*origins: str) -> str:
    """The bundled questionnaire with ``allowed_origins`` set."""
    listed = ", ".join(f'"{o}"' for o in origins)
    return BUNDLED.read_text() + f"\nallowed_origins: [{listed}]\n"


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / BUNDLED.name).write_text(with_origins(LANDING))
    return folder


@pytest.fixture
def app_config(app_config, folder):
    return {
        **app_config,
        "QUESTIONNAIRES_DIR": str(folder),
        "QUESTIONNAIRES_RELOAD_SECONDS": 0,  # see every edit at once
        "EMBED_ALLOWED_ORIGINS": [EVERY_QUESTIONNAIRE],
    }


def ancestors(reply) -> list[str]:
    """The sources of the reply's frame-ancestors directive."""
    policy = reply.headers["Content-Security-Policy"]
    [directive] = [d.strip() for d in policy.split(";") if d.strip().startswith("frame-ancestors")]
    return directive.split()[1:]


def start(client) -> str:
    reply = client.post(f"/q/{QID}/start")
    assert reply.status_code == 303
    return re.search(r"/r/([^/]+)/1$", reply.location).group(1)


def wizard_urls(client) -> list[str]:
    token = start(client)
    return [f"/q/{QID}", f"/q/{QID}/r/{token}/1", f"/q/{QID}/r/{token}/result"]


# -- who may frame the wizard --


def test_wizard_pages_may_be_framed_only_by_self_and_the_allowed_origins(client):
    for url in wizard_urls(client):
        reply = client.get(url)
        assert ancestors(reply) == ["'self'", EVERY_QUESTIONNAIRE, LANDING], url


def test_a_refused_step_post_and_the_live_panel_carry_the_same_policy(client):
    token = start(client)
    refused = client.post(f"/q/{QID}/r/{token}/1", data={"form_token": "forged"})
    assert refused.status_code == 400
    assert ancestors(refused) == ["'self'", EVERY_QUESTIONNAIRE, LANDING]
    panel = client.post(f"/q/{QID}/r/{token}/live", data={})
    assert ancestors(panel) == ["'self'", EVERY_QUESTIONNAIRE, LANDING]


def test_an_origin_added_to_the_yaml_frames_the_wizard_without_a_restart(client, folder):
    assert "https://new.example" not in ancestors(client.get(f"/q/{QID}"))
    (folder / BUNDLED.name).write_text(with_origins(LANDING, "https://new.example"))
    assert "https://new.example" in ancestors(client.get(f"/q/{QID}"))


def test_an_origin_removed_from_the_yaml_may_no_longer_frame_it(client, folder):
    (folder / BUNDLED.name).write_text(with_origins("https://other.example"))
    assert LANDING not in ancestors(client.get(f"/q/{QID}"))


def test_an_unknown_questionnaire_may_be_framed_by_self_and_the_configured_default_only(client):
    assert ancestors(client.get("/q/no-such-questionnaire")) == ["'self'", EVERY_QUESTIONNAIRE]


def test_a_questionnaire_without_allowed_origins_may_be_framed_by_self_only(
    app_config, tmp_path, monkeypatch
):
    folder = tmp_path / "plain"
    folder.mkdir()
    shutil.copy(BUNDLED, folder / BUNDLED.name)
    monkeypatch.setenv("QUALIFY_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({**app_config, "QUESTIONNAIRES_DIR": str(folder), "EMBED_ALLOWED_ORIGINS": []})
    assert ancestors(app.test_client().get(f"/q/{QID}")) == ["'self'"]


@pytest.mark.parametrize(
    "url",
    ["/no-such-page", "/rep/leads/forged-token", "/static/wizard.css", "/static/embed.js"],
)
def test_every_other_page_refuses_framing(client, url):
    with client.get(url) as reply:
        assert ancestors(reply) == ["'none'"], url


def test_a_bad_configured_origin_stops_the_app_at_start_up(app_config, tmp_path, monkeypatch):
    monkeypatch.setenv("QUALIFY_INSTANCE_PATH", str(tmp_path / "instance"))
    with pytest.raises(OriginError, match="EMBED_ALLOWED_ORIGINS"):
        create_app({**app_config, "EMBED_ALLOWED_ORIGINS": ["https://ok.example; script-src *"]})


def test_frame_ancestors_leaves_out_anything_that_is_not_a_plain_origin():
    policy = frame_ancestors(
        ["https://a.example", "https://b.example; script-src *", "*", "https://a.example"],
        ["https://*.acme.example:8443"],
    )
    assert policy == "frame-ancestors 'self' https://*.acme.example:8443 https://a.example"
    assert check_origins(["http://localhost:5000"]) == ["http://localhost:5000"]


# -- security headers everywhere --


def test_every_page_sends_nosniff_a_referrer_policy_a_permissions_policy_and_coop(client):
    for url in [*wizard_urls(client), "/no-such-page", "/rep/leads/forged-token"]:
        headers = client.get(url).headers
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert "camera=()" in headers["Permissions-Policy"], url
        assert "geolocation=()" in headers["Permissions-Policy"], url
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin", url
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy, url
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, url


def test_the_429_page_may_be_framed_where_the_wizard_is_and_sends_the_security_headers(app, client):
    """It is shown inside the landing page's iframe: refusing framing would blank the wizard."""
    app.config["RATE_LIMIT_START"] = "1 per minute"
    assert client.post(f"/q/{QID}/start").status_code == 303
    refused = client.post(f"/q/{QID}/start")
    assert refused.status_code == 429
    assert ancestors(refused) == ["'self'", EVERY_QUESTIONNAIRE, LANDING]
    assert refused.headers["X-Content-Type-Options"] == "nosniff"
    assert refused.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(
    ("endpoint", "url", "framing"),
    [
        ("reps.show_lead", "/rep/leads/some-token", ["'none'"]),
        ("wizard.show_intro", f"/q/{QID}", ["'self'", EVERY_QUESTIONNAIRE, LANDING]),
    ],
)
def test_a_server_error_page_sends_the_security_headers_and_its_pages_framing_policy(
    app, client, endpoint, url, framing
):
    def broken(**_args):
        raise RuntimeError("a bug")

    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: a 500 page, not a raise
    app.view_functions[endpoint] = broken
    reply = client.get(url)
    assert reply.status_code == 500
    assert ancestors(reply) == framing
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "default-src 'self'" in reply.headers["Content-Security-Policy"]


# -- the embed kit's files and the wizard's side of it --


def test_the_embed_scripts_are_served_as_javascript(client):
    for name in ("embed.js", "wizard-frame.js"):
        with client.get(f"/static/{name}") as reply:
            assert reply.status_code == 200
            assert reply.mimetype in ("text/javascript", "application/javascript")


def test_wizard_pages_load_the_frame_script_and_say_which_step_they_show(client):
    intro, step, _result = (client.get(url).text for url in wizard_urls(client))
    assert "/static/wizard-frame.js" in step and "/static/wizard-frame.js" in intro
    assert 'data-qualify-page="step" data-qualify-step="1" data-qualify-total="' in step


def test_the_parent_accepts_messages_only_from_the_qualify_origin_and_its_own_iframe(client):
    """The checks the browser tests exercise, kept in the script (a cheap tripwire)."""
    with client.get("/static/embed.js") as reply:
        script = reply.get_data(as_text=True)
    assert "event.origin !== options.origin || event.source !== frame.contentWindow" in script
    assert "isFinite(height)" in script and "options.maxHeight" in script


def test_the_embed_demo_is_not_served_unless_enabled(client):
    assert client.get("/embed/demo").status_code == 404


def test_the_embed_demo_shows_both_modes_without_inline_scripts(app_config, tmp_path, monkeypatch):
    monkeypatch.setenv("QUALIFY_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({**app_config, "EMBED_DEMO": True})
    page = app.test_client().get("/embed/demo")
    assert page.status_code == 200
    html = page.text
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert html.count('src="/static/embed.js"') == 2
    assert 'data-mode="popup"' in html and f'data-questionnaire="{QID}"' in html
    assert ancestors(page) == ["'none'"]


# -- the registry looks at the folder at most once per interval --


def test_the_registry_looks_for_changed_files_at_most_once_per_interval(folder, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("qualify.questionnaires.time.monotonic", lambda: clock[0])
    registry = QuestionnaireRegistry(folder, reload_seconds=1.0)
    assert registry.get(QID).questionnaire.allowed_origins == [LANDING]
    (folder / BUNDLED.name).write_text(with_origins("https://later.example"))
    clock[0] += 0.5
    assert registry.get(QID).questionnaire.allowed_origins == [LANDING]  # not looked yet
    clock[0] += 0.6
    assert registry.get(QID).questionnaire.allowed_origins == ["https://later.example"]
