"""Signed, expiring links that bring a prospect back to their partial response.

The response token in the URL already identifies the response; the signature adds an expiry
(``PARTIAL_RESPONSE_DAYS``, the time partial responses are kept) and keeps the link's form
ours. Used by the wizard (to open a link) and by the worker (to write one into the email).
"""

from __future__ import annotations

from flask import Flask
from itsdangerous import BadData, URLSafeTimedSerializer

SALT = "wizard-resume"


def _serializer(app: Flask) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=SALT)


def link_days(app: Flask) -> int:
    return int(app.config.get("PARTIAL_RESPONSE_DAYS", 30))


def resume_url(app: Flask, questionnaire_id: str, response_token: str) -> str:
    """The absolute link to finish the response later (``BASE_URL`` + the resume route)."""
    signed = _serializer(app).dumps(response_token)
    return f"{app.config['BASE_URL'].rstrip('/')}/q/{questionnaire_id}/resume/{signed}"


def read_resume_token(app: Flask, signed: str) -> str | None:
    """The response token a resume link carries, or None if forged, altered or expired."""
    try:
        token = _serializer(app).loads(signed, max_age=link_days(app) * 24 * 3600)
    except BadData:
        return None
    return token if isinstance(token, str) else None
