"""Signed form tokens: each step's form carries one, bound to the response token and the step.

The wizard runs in cross-site iframes where cookies are blocked, so forged posts are refused
by a signature over (response token, step) instead of a session-bound CSRF token.
"""

from __future__ import annotations

from functools import lru_cache

from flask import current_app
from itsdangerous import BadData, TimestampSigner

SALT = "wizard-form"
DEFAULT_MAX_AGE = 24 * 3600  # seconds; WIZARD_FORM_MAX_AGE in the config overrides it


def _signer() -> TimestampSigner:
    return _signer_for(current_app.config["SECRET_KEY"])


@lru_cache(maxsize=8)
def _signer_for(secret_key: str) -> TimestampSigner:
    # Built once per key (every step page signs a token); a signer keeps no state. The
    # payload is plain text: a JSON serializer took five times as long to sign.
    return TimestampSigner(secret_key, salt=SALT)


def sign_form_token(response_token: str, step: int) -> str:
    """The form token for ``step`` of the response ``response_token``."""
    return _signer().sign(f"{response_token}:{step}").decode("ascii")


def read_form_token(signed: str | None, response_token: str) -> int | None:
    """The step a form token was issued for, or None if it is missing, forged, expired or
    issued for another response."""
    if not signed:
        return None
    max_age = current_app.config.get("WIZARD_FORM_MAX_AGE", DEFAULT_MAX_AGE)
    try:
        payload = _signer().unsign(signed, max_age=max_age).decode("ascii")
    except (BadData, UnicodeError):
        return None
    token, _, step = payload.rpartition(":")
    if token != response_token or not (step.isascii() and step.isdigit()) or len(step) > 4:
        return None
    return int(step)
