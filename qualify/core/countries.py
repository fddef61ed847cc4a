"""ISO 3166-1 alpha-2 country codes and their names, for country questions.

Pure: the data comes from ``pycountry`` (plain files, no service).
"""

from __future__ import annotations

import gettext
import unicodedata
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
    """(code, name) pairs sorted by name as a reader alphabetises them, for a country select:
    accents do not count ("États-Unis" among the E, not after "Zimbabwe")."""
    return sorted(
        ((code, country_name(code, language)) for code in COUNTRY_CODES),
        key=lambda pair: (alphabetical_key(pair[1]), pair[1]),
    )


def alphabetical_key(name: str) -> str:
    """``name`` without its accents, case folded: "É" and "Å" file under "e" and "a"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@cache
def _translator(language: str):
    if language == "en":
        return str
    translation = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )
    return translation.gettext
