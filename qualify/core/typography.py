"""French typography for the texts a prospect reads.

French puts a space before ``: ; ? ! %`` and ``»`` and after ``«``; written as a plain space,
it lets a browser or the PDF renderer break the line there, and a lone ``?`` or ``:`` then
starts the next line ("Quel logiciel de paie utilisez-vous" / "?" on a 360 px phone). The
space must not break: a narrow no-break space (U+202F) before ``; ? ! %`` and inside the
guillemets, a no-break space (U+00A0) before ``:``, as the Imprimerie nationale's rules ask.

Only a space that is already there is replaced: a marketer's ``https://…?utm=`` or ``10:30``
is left alone. Pure and idempotent.
"""

from __future__ import annotations

import re

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

# Any run of ordinary or no-break spaces (not a line break) before the mark, or after «.
# A % followed by "(" or a letter is a format placeholder (%(days)s, %d), not a percent sign.
_BEFORE_TIGHT = re.compile(r"[ \u00a0\u202f\u2009]+(?=[;?!»]|%(?![(a-zA-Z%]))")
_BEFORE_COLON = re.compile(r"[ \u00a0\u202f\u2009]+(?=:)")
_AFTER_OPENING = re.compile(r"(?<=«)[ \u00a0\u202f\u2009]+")


def french_spacing(text: str) -> str:
    """``text`` with the spaces before ``: ; ? ! % »`` and after ``«`` made unbreakable."""
    if not text or not any(mark in text for mark in ":;?!%«»"):
        return text
    text = _BEFORE_TIGHT.sub(NARROW_NBSP, text)
    text = _BEFORE_COLON.sub(NBSP, text)
    return _AFTER_OPENING.sub(NARROW_NBSP, text)


def has_typography(language: str | None) -> bool:
    """Whether texts in ``language`` get typeset (French only, for now)."""
    return bool(language) and language.lower().startswith("fr")


def typeset(text: str, language: str | None) -> str:
    """``text`` with the typography of ``language``."""
    if has_typography(language) and isinstance(text, str):
        return french_spacing(text)
    return text
