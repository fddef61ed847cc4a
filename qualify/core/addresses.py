"""Email addresses the mail path can send to, normalised with email-validator (a pure
library: no DNS lookup here, ``check_deliverability=False``).

The wizard calls ``check_deliverable_address`` on the form, so an address the worker could
not send to is refused while the prospect is still there; the mailer calls it again on every
recipient before sending.
"""

from __future__ import annotations

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

#: Longest address SMTP carries (RFC 5321's path limit, less the angle brackets).
MAX_ADDRESS_LENGTH = 254


class AddressError(ValueError):
    """An address the mail path cannot send to; the message says why, for the form."""


def check_deliverable_address(raw: str) -> str:
    """``raw`` as the mail path sends it, or ``AddressError``.

    Trimmed; the domain lower-cased and, when internationalised, in punycode
    (``Claire@Bücher.example`` → ``Claire@xn--bcher-kva.example``), as it goes in the SMTP
    envelope and the To header. Refused: anything email-validator refuses (no domain dot,
    quoted local parts, IP literals, reserved domains such as ``.localhost`` or ``.test``),
    a non-ASCII local part (it needs SMTPUTF8, which the mail path does not speak), line
    breaks or other control characters, and a display name (``Claire <c@x.example>``).
    """
    if not isinstance(raw, str):
        raise AddressError("an email address is text")
    text = raw.strip()
    if not text:
        raise AddressError("an email address is required")
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise AddressError("an email address cannot contain a line break or control character")
    try:
        valid = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise AddressError(str(exc)) from exc
    address = valid.ascii_email
    if not address or len(address) > MAX_ADDRESS_LENGTH:
        raise AddressError("this email address is too long to be sent to")
    return address


def is_reserved_domain(address: str) -> bool:
    """Whether ``address``'s domain is a special-use name (``localhost``, ``test``...): not
    for prospects, but fine for the app's own configured addresses in development."""
    domain = address.rpartition("@")[2].strip().lower().rstrip(".")
    return any(domain == name or domain.endswith("." + name) for name in SPECIAL_USE_DOMAIN_NAMES)
