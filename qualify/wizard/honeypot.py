"""The honeypot field: a text input humans never see nor fill (``_honeypot.html``).

A filled one is remembered on the response, silently: the response goes on as usual and is
quarantined when it is submitted (``qualify.services.quarantine``).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from ..core.abuse import honeypot_reason
from ..models import Response
from ..services.quarantine import flag_response
from ..services.responses import ResponseState, get_response

#: The trap's name: nothing a browser's autofill or a password manager would recognise.
HONEYPOT_FIELD = "hp_check"


def note_honeypot(
    session: Session, response: Response | ResponseState, form: Mapping[str, str]
) -> bool:
    """Flag ``response`` (and commit) when the posted form's honeypot is filled in."""
    reason = honeypot_reason(form.get(HONEYPOT_FIELD))
    if reason is None or response.status != "in_progress":
        return False
    if not isinstance(response, Response):  # a page's snapshot: flag the stored response
        response = get_response(session, response.token)
    flag_response(session, response, reason)
    session.commit()
    return True
