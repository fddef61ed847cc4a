"""Use cases: each takes a database session and plain values, does one transaction, and only
then hands work to the queue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..core.emails import normalise_domain


@dataclass(frozen=True)
class Settings:
    """The slice of the app's configuration the services need, as plain values."""

    blacklist_domains: frozenset[str] = frozenset()
    blacklist_companies: frozenset[str] = frozenset()
    fallback_owner: str = "sales-manager@qualify.localhost"
    sla_business_hours: float = 8
    business_timezone: str = "Europe/Paris"
    business_hours: tuple[int, int] = (9, 18)
    business_country: str = ""  # ISO code whose public holidays are not business days
    mail_domain: str = "qualify.localhost"
    # A submission sooner than this after Start is quarantined (0: no minimum).
    min_seconds_to_submit: float = 0.0

    @classmethod
    def from_config(cls, config: Mapping) -> Settings:
        sender = str(config.get("MAIL_DEFAULT_SENDER") or "")
        domain = sender.rpartition("@")[2].strip("> ") or "qualify.localhost"
        return cls(
            blacklist_domains=frozenset(normalise_domain(d) for d in config["BLACKLIST_DOMAINS"]),
            blacklist_companies=frozenset(c.strip().lower() for c in config["BLACKLIST_COMPANIES"]),
            fallback_owner=config["FALLBACK_OWNER"],
            sla_business_hours=float(config["SLA_BUSINESS_HOURS"]),
            business_timezone=config["BUSINESS_TIMEZONE"],
            business_hours=tuple(config["BUSINESS_HOURS"]),
            business_country=str(config.get("BUSINESS_COUNTRY") or "").strip().upper(),
            mail_domain=domain,
            min_seconds_to_submit=float(config.get("WIZARD_MIN_SECONDS") or 0),
        )
