"""Answers as the wizard stores them, and the few ways the core reads them.

An answer is keyed by question id; a hidden field's value by ``hidden.<name>``.
"""

from __future__ import annotations

from collections.abc import Mapping

from .questionnaire import Question, as_text

Answer = str | int | float | bool | list[str] | None
Answers = Mapping[str, Answer]

#: Prefix of the answers-dict keys holding hidden fields (``hidden.utm_campaign``).
HIDDEN_PREFIX = "hidden."


def hidden_key(name: str) -> str:
    """The answers-dict key of a hidden field."""
    return f"{HIDDEN_PREFIX}{name}"


def is_answered(answer: Answer) -> bool:
    return answer not in (None, "", [])


def is_yes(answer: Answer) -> bool:
    if isinstance(answer, bool):
        return answer
    return str(answer).strip().lower() in ("yes", "y", "true", "1", "oui")


def answer_values(question: Question, answer: Answer) -> tuple[str, ...]:
    """The answer as text values to compare with: each ticked choice, "yes"/"no",
    a number without a useless ".0", a country's code and its zone name."""
    if not is_answered(answer):
        return ()
    if question.type == "yes_no":
        return ("yes" if is_yes(answer) else "no",)
    if question.type == "country":
        code = str(answer).strip().upper()
        zone = question.zone_of(code)
        return (code, zone) if zone else (code,)
    values = answer if isinstance(answer, list) else [answer]
    return tuple(as_text(v) for v in values)
