"""ISO 3166-1 alpha-2 country codes and their names, for country questions.

Pure: the data comes from ``pycountry`` (plain files, no service).
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

#: Every ISO 3166-1 alpha-2 code (249).
COUNTRY_CODES: frozenset[str] = frozenset(c.alpha_2 for c in pycountry.countries)


def is_country_code(code: str) -> bool:
    return code in COUNTRY_CODES


def country_name(code: str, language: str = "en") -> str:
    """The country's common name in ``language`` (English if no translation), or the code."""
    country = pycountry.countries.get(alpha_2=code.strip().upper())
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return _translator(language)(name)


def country_options(language: str = "en") -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name, for a country select."""
    return sorted(
        ((code, country_name(code, language)) for code in COUNTRY_CODES),
        key=lambda pair: pair[1].casefold(),
    )


@cache
def _translator(language: str):
    if language == "en":
        return str
    translation = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )
    return translation.gettext
