"""Email address facts the checklist needs: normalisation and business vs free webmail."""

from __future__ import annotations

from .addresses import AddressError, check_deliverable_address

#: Free webmail and disposable providers: an address there is not a business email.
NON_BUSINESS_DOMAINS = frozenset(
    ["gmail.com", "googlemail.com", "yahoo.com", "yahoo.fr", "yahoo.co.uk", "ymail.com", "hotmail.com", "hotmail.fr", "hotmail.co.uk", "outlook.com", "outlook.fr", "live.com", "live.fr", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "gmx.com", "gmx.de", "gmx.fr", "gmx.net", "web.de", "mail.com", "mail.ru", "yandex.com", "yandex.ru", "protonmail.com", "proton.me", "pm.me", "tutanota.com", "zoho.com", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "laposte.net", "bbox.fr", "neuf.fr", "libero.it", "qq.com", "163.com", "126.com", "naver.com", "mailinator.com", "guerrillamail.com", "10minutemail.com", "tempmail.com", "temp-mail.org", "yopmail.com", "yopmail.fr", "trashmail.com", "sharklasers.com", "getnada.com", "dispostable.com", "maildrop.cc"]
)


def normalise_domain(domain: str) -> str:
    """A domain as mail routes it: trimmed, lower-cased, an internationalised one in punycode
    (``Bücher.example`` and ``xn--bcher-kva.example`` are one domain, one mailbox's)."""
    text = domain.strip().lower()
    if text.isascii():
        return text
    try:
        return check_deliverable_address(f"x@{text}").rpartition("@")[2]
    except AddressError:
        return text


def normalise_email(email: str) -> str:
    """The form used to recognise the same person: trimmed and lower-cased, the domain as
    mail routes it (``normalise_domain``)."""
    local, at, domain = email.strip().lower().rpartition("@")
    return f"{local}{at}{normalise_domain(domain)}" if at else domain


def email_domain(email: str) -> str:
    return normalise_email(email).rpartition("@")[2]


def is_business_email(email: str) -> bool:
    domain = email_domain(email)
    return bool(domain) and domain not in NON_BUSINESS_DOMAINS
