"""Signed form tokens: each step's form carries one, bound to the response token and the step.

The wizard runs in cross-site iframes where cookies are blocked, so forged posts are refused
by a signature over (response token, step) instead of a session-bound CSRF token.
"""

from __future__ import annotations

from functools import lru_cache

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

SALT = "wizard-form"
DEFAULT_MAX_AGE = 24 * 3600  # seconds; WIZARD_FORM_MAX_AGE in the config overrides it


def _serializer() -> URLSafeTimedSerializer:
    return _serializer_for(current_app.config["SECRET_KEY"])


@lru_cache(maxsize=8)
def _serializer_for(secret_key: str) -> URLSafeTimedSerializer:
    # Built once per key (every step page signs a token); a serializer keeps no state.
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def sign_form_token(response_token: str, step: int) -> str:
    """The form token for ``step`` of the response ``response_token``."""
    return _serializer().dumps([response_token, step])


def read_form_token(signed: str | None, response_token: str) -> int | None:
    """The step a form token was issued for, or None if it is missing, forged, expired or
    issued for another response."""
    if not signed:
        return None
    max_age = current_app.config.get("WIZARD_FORM_MAX_AGE", DEFAULT_MAX_AGE)
    try:
        payload = _serializer().loads(signed, max_age=max_age)
    except BadData:
        return None
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or payload[0] != response_token
        or not isinstance(payload[1], int)
    ):
        return None
    return payload[1]
