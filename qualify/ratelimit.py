"""Rate limits on the wizard's posts (Start, steps, live panel), per client address.

The client address is the socket's peer, unless ``PROXY_HOPS`` says how many trusted
proxies stand in front: then werkzeug's ProxyFix takes it from that many entries of
X-Forwarded-For, counted from the right (the entries our own proxy appended). With the
default 0 the header is never read, so a client cannot buy a new budget by sending one.

Limits come from the config (``RATE_LIMIT_START``, ``RATE_LIMIT_STEPS``, ``RATE_LIMIT_LIVE``,
read per request) and are counted by Flask-Limiter: in memory by default, in Redis when
``RATE_LIMIT_STORAGE_URL`` or ``QUEUE_URL`` is a ``redis://`` URL (shared by all workers).
Over a limit the prospect gets a friendly page that carries the answers they just posted
back to the same step, so nothing they typed is lost.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

#: Rate-limited endpoints (POST only) and the config key holding each one's limits.
LIMITED_ENDPOINTS: dict[str, str] = {
    "wizard.start": "RATE_LIMIT_START",
    "wizard.post_step": "RATE_LIMIT_STEPS",
    "wizard.live_panel": "RATE_LIMIT_LIVE",
}


def storage_url(config) -> str:
    """Where the counters live: the configured URL, else Redis with the queue, else memory."""
    if config.get("RATE_LIMIT_STORAGE_URL"):
        return config["RATE_LIMIT_STORAGE_URL"]
    queue_url = str(config.get("QUEUE_URL") or "")
    if queue_url.startswith(("redis://", "rediss://")):
        return queue_url
    return "memory://"


def init_app(app: Flask) -> Limiter:
    """Trust ``PROXY_HOPS`` proxies for the client address and limit the wizard's posts.

    Call after the wizard's blueprint is registered: its views are wrapped here.
    """
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops < 0:
        raise ValueError(f"PROXY_HOPS must be 0 or more, not {hops}")
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops)
    limiter = Limiter(
        get_remote_address,
        storage_uri=storage_url(app.config),
        strategy="fixed-window",
        headers_enabled=True,  # Retry-After on a 429
        swallow_errors=not app.testing,  # a Redis outage must not take the wizard down
        enabled=bool(app.config.get("RATE_LIMIT_ENABLED", True)),
        key_prefix="qualify",
    )
    limiter.init_app(app)
    for endpoint, key in LIMITED_ENDPOINTS.items():
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(_limit_from_config(key), methods=["POST"])(
            view
        )
    app.register_error_handler(RateLimitExceeded, show_too_many_requests)
    app.extensions["qualify.limiter"] = limiter
    return limiter


def _limit_from_config(key: str):
    def limit() -> str:
        return current_app.config[key]

    limit.__name__ = f"limit_{key.lower()}"
    return limit


def show_too_many_requests(_exc: RateLimitExceeded):
    """A friendly 429: wait a moment, then post the same answers again with one click."""
    from .i18n import localised_questionnaire, use_language
    from .questionnaires import registry

    limiter: Limiter = current_app.extensions["qualify.limiter"]
    current = limiter.current_limit
    retry_after = max(1, int(current.reset_at - time.time())) if current else 60
    headers = {"Retry-After": str(retry_after), "Cache-Control": "no-store"}
    if request.endpoint == "wizard.live_panel":  # htmx keeps the panel as it was
        return "", 429, headers
    questionnaire_id = (request.view_args or {}).get("questionnaire_id", "")
    published = registry().get(questionnaire_id) if questionnaire_id else None
    questionnaire = None
    if published is not None:
        language = page_language(published.questionnaire)
        use_language(language)
        questionnaire = localised_questionnaire(
            published.questionnaire, published.content_hash, language
        )
    page = render_template(
        "wizard/too_many.html",
        questionnaire=questionnaire,
        retry_after=retry_after,
        action=request.path,
        fields=[(name, value) for name, values in request.form.lists() for value in values],
    )
    return page, 429, headers


def page_language(questionnaire) -> str:
    """The 429 page's language: the response's (a step), the intro's ``lang`` (Start), else
    the browser's."""
    from sqlalchemy import select

    from .core.translations import pick_language
    from .db import get_db
    from .models import Response

    requested = request.form.get("lang")
    token = (request.view_args or {}).get("token")
    if token:
        query = select(Response.language).where(Response.token == token)
        requested = get_db(current_app).session.scalar(query) or requested
    return pick_language(questionnaire, requested, request.headers.get("Accept-Language"))
