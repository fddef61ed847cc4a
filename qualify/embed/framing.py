"""Who may frame the wizard: the ``frame-ancestors`` part of its Content-Security-Policy.

Plain Python (no Flask): the wizard's views call it on every response with the
questionnaire's ``allowed_origins``, read at request time, so a YAML change takes effect
without a deploy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Scheme and host (optionally "*." and a port): nothing that could end the directive.
_ORIGIN = re.compile(r"https?://(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?")

#: The policy of every page that is not the wizard (console, login, rep pages).
NO_FRAMING = "frame-ancestors 'none'"


class OriginError(ValueError):
    """A configured embedding origin is not a plain origin."""


def check_origins(values: Iterable[str], where: str = "EMBED_ALLOWED_ORIGINS") -> list[str]:
    """The origins, or OriginError naming the first one that is not ``scheme://host[:port]``."""
    origins = list(values)
    for value in origins:
        if not isinstance(value, str) or not _ORIGIN.fullmatch(value):
            raise OriginError(
                f"{where}: {value!r} is not an origin (write e.g. 'https://www.example.com', "
                "lowercase, no path, no trailing '/')"
            )
    return origins


def frame_ancestors(allowed_origins: Iterable[str] | None, default_origins: Iterable[str]) -> str:
    """``frame-ancestors`` for a wizard page: the app itself, the origins configured for every
    questionnaire, and the questionnaire's own; an origin that is not plain is left out."""
    sources = ["'self'"]
    for origin in [*default_origins, *(allowed_origins or ())]:
        if isinstance(origin, str) and _ORIGIN.fullmatch(origin) and origin not in sources:
            sources.append(origin)
    return "frame-ancestors " + " ".join(sources)
