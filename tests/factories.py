"""Small factories for answers and contacts, shared by the tests."""

from __future__ import annotations

HOT_ANSWERS = {
    "company_size": "200-999",
    "industry": "saas",
    "region": "france",
    "role": "executive",
    "budget": "allocated",
    "maturity": "warehouse",
    "triggers": ["migration"],
    "project": "active",
    "timeline": "under_3_months",
    "demo": "yes",
}

POOR_FIT_ANSWERS = {
    "company_size": "1-49",
    "industry": "public",
    "region": "north_america",
    "role": "contributor",
    "budget": "none",
    "maturity": "spreadsheets",
    "triggers": ["none"],
    "project": "none",
    "timeline": "6_12_months",
    "demo": "no",
}


def answers(base: dict = HOT_ANSWERS, **overrides) -> dict:
    return {**base, **overrides}


def contact(**overrides) -> dict:
    """Contact fields keyed as the wizard stores them (``contact.<field>``)."""
    values = {
        "first_name": "Claire",
        "last_name": "Dupont",
        "email": "claire.dupont@bigco.example",
        "company": "BigCo Industries",
        "job_title": "Chief Data Officer",
        "phone": "+33 1 23 45 67 89",
        **overrides,
    }
    return {f"contact.{key}": value for key, value in values.items()}
