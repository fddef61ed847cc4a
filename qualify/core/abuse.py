"""Telling a bot's submission from a prospect's: pure rules, no framework.

A suspicious submission is never dropped: the service stores it as a ``quarantined`` lead
with these reasons, for Marketing Ops to release or leave.
"""

from __future__ import annotations

from collections.abc import Iterable


def honeypot_reason(value: str | None) -> str | None:
    """Why a filled honeypot field is suspicious, or None when it was left empty."""
    if value is None or not value.strip():
        return None
    return "the hidden field that humans leave empty was filled in"


def too_fast_reason(elapsed_seconds: float, min_seconds: float) -> str | None:
    """Why a response completed in ``elapsed_seconds`` is suspicious, or None.

    ``min_seconds`` of 0 (or less) turns the check off.
    """
    if min_seconds <= 0 or elapsed_seconds >= min_seconds:
        return None
    return f"completed in {elapsed_seconds:.1f} s, faster than the {min_seconds:g} s minimum"


def suspicion_reasons(
    flags: Iterable[str], elapsed_seconds: float, min_seconds: float
) -> tuple[str, ...]:
    """Every reason to quarantine a submission: the flags raised while it was filled in
    (honeypot...) and its completion time; empty when it looks human."""
    reasons = [flag for flag in flags if flag]
    fast = too_fast_reason(elapsed_seconds, min_seconds)
    if fast:
        reasons.append(fast)
    return tuple(dict.fromkeys(reasons))  # each reason once, in order
