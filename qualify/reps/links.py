"""Signed, expiring links given to reps (in the dossier email and PDF)."""

from __future__ import annotations

from flask import Flask
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "rep-lead-link"


class LinkError(Exception):
    """A rep link that is forged, mangled or expired."""

    def __init__(self, message: str, expired: bool = False):
        super().__init__(message)
        self.expired = expired


def _serializer(app: Flask) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=SALT)


def sign_lead(app: Flask, lead_id: int) -> str:
    return _serializer(app).dumps({"lead": lead_id})


def read_lead_token(app: Flask, token: str) -> int:
    """The lead id a link names, if its signature holds and it has not expired."""
    max_age = int(app.config["REP_LINK_MAX_AGE_DAYS"]) * 86400
    try:
        payload = _serializer(app).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkError("this link has expired", expired=True) from exc
    except BadSignature as exc:
        raise LinkError("this link is not valid") from exc
    lead = payload.get("lead") if isinstance(payload, dict) else None
    # A lead id is a positive integer the database can hold (JSON's true is no id).
    if type(lead) is not int or not 0 < lead < 2**63:
        raise LinkError("this link is not valid")
    return lead


def rep_links(app: Flask, lead_id: int) -> dict[str, str]:
    """Absolute links to the lead page, its first-contact form and its feedback form."""
    base = app.config["BASE_URL"].rstrip("/")
    page = f"{base}/rep/leads/{sign_lead(app, lead_id)}"
    return {"lead": page, "contact": f"{page}#contact", "feedback": f"{page}#feedback"}
