"""Template contexts for the prospect's report and the rep's dossier.

Pure: plain values in, plain dicts out, no WeasyPrint and no database. The templates in
``report_templates/`` only lay these values out; every choice (which recommendation, which
three lines say why a lead is SQL, the chart's geometry) is made here, where it is tested.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date

from qualify.core.colours import contrast, ink_on
from qualify.core.diagnostic import DiagnosticResult, diagnose
from qualify.core.questionnaire import Questionnaire, Theme
from qualify.core.scoring import describe_answer, is_answered
from qualify.core.typography import french_spacing

#: Longest prospect-typed text a PDF shows; beyond it the text is cut with an ellipsis.
MAX_FREE_TEXT = 600
#: Longest name, company or job title shown.
MAX_SHORT_TEXT = 120

#: The diagnostic chart's geometry, in SVG user units.
CHART_LABEL_WIDTH = 190
CHART_BAR_WIDTH = 260
CHART_ROW_HEIGHT = 34
CHART_BAR_HEIGHT = 18

#: The report's colours when the questionnaire's theme names none (base.css uses the same).
DEFAULT_PRIMARY = "#102a43"
DEFAULT_SOFT = "#f0f4f8"
#: Body text colour, printed on the soft colour.
INK = "#102a43"
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")

#: Words the prospect's report prints, per questionnaire language.
REPORT_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "report_for": "Personalised report for",
        "prepared_on": "Prepared on",
        "overall": "Overall",
        "your_diagnostic": "Your diagnostic",
        "chart_alt": "Bar chart of your scores, overall and per dimension",
        "score": "Score",
        "dimension": "Dimension",
        "level": "Level",
        "what_answers_say": "What your answers say",
        "question": "Question",
        "your_answer": "Your answer",
        "recommendations": "Our recommendations",
        "next_step": "Your next step",
        "book": "Book your call",
    },
    "fr": {
        "report_for": "Rapport personnalisé pour",
        "prepared_on": "Préparé le",
        "overall": "Global",
        "your_diagnostic": "Votre diagnostic",
        "chart_alt": "Diagramme en barres de vos scores, global et par dimension",
        "score": "Score",
        "dimension": "Dimension",
        "level": "Niveau",
        "what_answers_say": "Ce que disent vos réponses",
        "question": "Question",
        "your_answer": "Votre réponse",
        "recommendations": "Nos recommandations",
        "next_step": "Votre prochaine étape",
        "book": "Réservez votre appel",
    },
}
REPORT_LABELS["fr"] = {key: french_spacing(text) for key, text in REPORT_LABELS["fr"].items()}

#: Labels for the signed links a dossier may carry; other keys are shown as they are.
LINK_LABELS = {
    "lead": "Open the lead",
    "contact": "Log first contact",
    "feedback": "Give feedback",
}

_REASON_RE = re.compile(
    r"^(?P<points>[+-]\d+(?:\.\d+)?) (?P<block>FIT|INTENT|TIMING): (?P<text>.*)$"
)
BLOCKS = ("fit", "intent", "timing")


# -- shared helpers ---------------------------------------------------------------------------


def cap_text(value: Any, limit: int = MAX_FREE_TEXT) -> str:
    """``value`` as text, cut to ``limit`` characters with an ellipsis."""
    text = "" if value is None else str(value).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def read_contact(lead: Any, answers: Mapping[str, Any]) -> dict[str, str]:
    """The prospect's contact details: the lead's fields, else the contact answers."""
    fields = ("first_name", "last_name", "company", "email", "phone", "job_title")
    contact = {}
    for name in fields:
        value = getattr(lead, name, None) or answers.get(f"contact.{name}") or ""
        contact[name] = cap_text(value, MAX_SHORT_TEXT)
    contact["name"] = f"{contact['first_name']} {contact['last_name']}".strip()
    return contact


def list_answers(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    *,
    answered_only: bool,
    language: str = "en",
) -> list[dict[str, str]]:
    """Each question's label and the answer as the prospect saw it, in questionnaire order
    (yes/no and country names in ``language``)."""
    rows = []
    for question in questionnaire.questions():
        answer = answers.get(question.id)
        if answered_only and not is_answered(answer):
            continue
        limit = min(question.max_length, MAX_FREE_TEXT)
        rows.append(
            {
                "id": question.id,
                "question": question.label,
                "answer": cap_text(describe_answer(question, answer, language), limit),
            }
        )
    return rows


def format_points(value: Any) -> str:
    """A score as printed: ``95`` not ``95.0``, ``85.5`` as it is."""
    try:
        return f"{float(value or 0):g}"
    except (TypeError, ValueError):
        return "0"


def format_datetime(value: datetime | None, tz: str | None = None) -> str:
    """A stored naive-UTC time as ``YYYY-MM-DD HH:MM <zone>`` (in ``tz`` when given)."""
    if value is None:
        return "—"
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    zone = ZoneInfo(tz) if tz else UTC
    local = aware.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {tz or 'UTC'}"


# -- the prospect's report --------------------------------------------------------------------


def build_chart(diagnostic: DiagnosticResult, overall_label: str) -> dict[str, Any]:
    """Bars for the diagnostic chart: overall first, then each dimension, with geometry."""
    entries = [(overall_label, diagnostic.percent, diagnostic.band.title, True)]
    entries += [(d.label, d.percent, d.band.title, False) for d in diagnostic.dimensions]
    bars = []
    for index, (label, percent, band, overall) in enumerate(entries):
        y = index * CHART_ROW_HEIGHT
        bars.append(
            {
                "label": label,
                "percent": percent,
                "band": band,
                "overall": overall,
                "y": y,
                "text_y": y + CHART_BAR_HEIGHT - 4,
                "width": round(CHART_BAR_WIDTH * percent / 100, 1),
            }
        )
    return {
        "bars": bars,
        "label_width": CHART_LABEL_WIDTH,
        "bar_width": CHART_BAR_WIDTH,
        "bar_height": CHART_BAR_HEIGHT,
        "width": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 50,
        "height": len(bars) * CHART_ROW_HEIGHT,
        "ticks": [
            {"x": CHART_LABEL_WIDTH + CHART_BAR_WIDTH * p / 100, "percent": p}
            for p in (0, 25, 50, 75, 100)
        ],
    }


def brand_colours(theme: Theme | None) -> dict[str, str]:
    """The report's colours from the questionnaire's theme: ``primary`` (cover stripe, chart,
    next-step box) with ``on_primary`` text readable on it, and ``soft`` (tinted panels),
    kept only when the body text stays readable on it (WCAG AA), else the default."""
    primary = getattr(theme, "primary_color", None) or DEFAULT_PRIMARY
    soft = getattr(theme, "accent_color", None) or DEFAULT_SOFT
    primary = primary if _HEX.fullmatch(primary) else DEFAULT_PRIMARY
    if not _HEX.fullmatch(soft) or contrast(soft, INK) < 4.5:
        soft = DEFAULT_SOFT
    return {"primary": primary, "on_primary": ink_on(primary), "soft": soft}


def format_day(day: date, language: str) -> str:
    """A date as the prospect's language writes it: ``4 December 2026``, ``4 décembre 2026``."""
    try:
        return format_date(day, format="long", locale=language)
    except (ValueError, LookupError):
        return day.isoformat()


def choose_recommendations(diagnostic: DiagnosticResult) -> list[dict[str, Any]]:
    """One recommendation per dimension, from the band its score falls in, weakest first."""
    ranked = sorted(diagnostic.dimensions, key=lambda d: d.percent)
    return [
        {
            "dimension": d.label,
            "percent": d.percent,
            "title": d.band.title,
            "text": d.band.text,
        }
        for d in ranked
    ]


def report_context(
    questionnaire: Questionnaire,
    lead: Any,
    answers: Mapping[str, Any],
    snapshot_details: Mapping[str, Any] | None = None,
    *,
    today: date | None = None,
    logo: str | None = None,
) -> dict[str, Any]:
    """Everything ``report.html`` shows: who, the diagnostic and its chart, what the answers
    say, recommendations by score band and the next step, in the questionnaire's colours.

    ``snapshot_details`` is accepted for symmetry with the dossier; the prospect's report
    shows their own diagnostic, never the lead's FIT/INTENT/TIMING score. ``logo`` is the
    theme's logo as a ``data:`` URI (the renderer fetches nothing else); None for the mark.
    """
    del snapshot_details  # the prospect never sees how they were qualified
    language = questionnaire.language if questionnaire.language in REPORT_LABELS else "en"
    labels = REPORT_LABELS[language]
    diagnostic = diagnose(questionnaire, answers)
    return {
        "language": language,
        "labels": labels,
        "title": questionnaire.title,
        "prospect": read_contact(lead, answers),
        "prepared_on": format_day(today or datetime.now(UTC).date(), language),
        "theme": brand_colours(questionnaire.theme),
        "logo": logo if logo and logo.startswith("data:image/") else None,
        "diagnostic": {
            "title": questionnaire.diagnostic.title,
            "percent": diagnostic.percent,
            "band_title": diagnostic.band.title,
            "band_text": diagnostic.band.text,
            "answered": diagnostic.answered,
            "total_questions": diagnostic.total_questions,
        },
        "chart": build_chart(diagnostic, labels["overall"]),
        "answers": list_answers(questionnaire, answers, answered_only=True, language=language),
        "recommendations": choose_recommendations(diagnostic),
        "next_step": {
            "title": questionnaire.next_step.title,
            "text": questionnaire.next_step.text,
            "url": questionnaire.next_step.url,
        },
    }


# -- the rep's dossier ------------------------------------------------------------------------


def parse_reason(reason: Any, fit_labels: Iterable[str] = ()) -> dict[str, Any]:
    """A stored reason as ``{"block", "points", "text"}``.

    Accepts the structured form as it is, or the string ``str(Reason)`` gives
    ("+25 FIT: company size..."). A zero-point string carries no block, so it is placed by
    its wording: a FIT criterion's label, a veto (TIMING), the INTENT cap or the total.
    """
    if isinstance(reason, Mapping):
        return {
            "block": str(reason.get("block", "other")),
            "points": float(reason.get("points", 0) or 0),
            "text": cap_text(reason.get("text", "")),
        }
    text = str(reason)
    match = _REASON_RE.match(text)
    if match:
        return {
            "block": match["block"].lower(),
            "points": float(match["points"]),
            "text": cap_text(match["text"]),
        }
    return {"block": _guess_block(text, fit_labels), "points": 0.0, "text": cap_text(text)}


def _guess_block(text: str, fit_labels: Iterable[str]) -> str:
    if text.startswith("Total "):
        return "total"
    if text.startswith("INTENT "):
        return "intent"
    if text.startswith("TIMING "):
        return "timing"
    if "veto" in text:
        return "timing"
    if any(text.startswith(label) for label in fit_labels):
        return "fit"
    return "other"


def build_score_table(questionnaire: Questionnaire, details: Mapping[str, Any]) -> dict[str, Any]:
    """The FIT / INTENT / TIMING table: each block's score, weight and reasons, then the total."""
    score = details.get("score") or {}
    fit_labels = [c.label for c in questionnaire.fit_criteria.values()]
    reasons = [parse_reason(r, fit_labels) for r in details.get("reasons") or ()]
    weights = questionnaire.weights.model_dump()
    blocks = []
    for block in BLOCKS:
        blocks.append(
            {
                "name": block.upper(),
                "score": format_points(score.get(block)),
                "weight": weights[block],
                "reasons": [r for r in reasons if r["block"] == block],
            }
        )
    return {
        "blocks": blocks,
        "total": format_points(score.get("total")),
        "total_reasons": [r["text"] for r in reasons if r["block"] == "total"],
        "other_reasons": [r["text"] for r in reasons if r["block"] == "other"],
        "fit_completeness": round(100 * float(score.get("fit_completeness", 0) or 0)),
    }


def summarise_why(details: Mapping[str, Any]) -> list[str]:
    """Why the lead is SQL, in at most three lines: the decision's last three steps."""
    decision = [str(line) for line in details.get("decision") or ()]
    return [cap_text(line, 300) for line in decision[-3:]]


def top_reasons(
    questionnaire: Questionnaire, details: Mapping[str, Any], count: int = 3
) -> list[str]:
    """The ``count`` reasons that earned the most points, for the dossier's first page."""
    fit_labels = [c.label for c in questionnaire.fit_criteria.values()]
    parsed = [parse_reason(r, fit_labels) for r in details.get("reasons") or ()]
    scored = [r for r in parsed if r["block"] in BLOCKS and r["points"] > 0]
    scored.sort(key=lambda r: r["points"], reverse=True)
    return [f"{r['points']:+g} {r['block'].upper()}: {r['text']}" for r in scored[:count]]


def group_checklist(details: Mapping[str, Any]) -> dict[str, Any]:
    """The SQL-ready checklist, grouped (FIT, INTENT, TIMING, DATA), with the unchecked count."""
    items = [
        {
            "group": str(i.get("group", "")),
            "item": str(i.get("item", "")),
            "checked": bool(i.get("checked")),
        }
        for i in details.get("checklist") or ()
    ]
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(item["group"], []).append(item)
    return {
        "groups": [{"name": name, "rows": rows} for name, rows in groups.items()],
        "checked": sum(1 for i in items if i["checked"]),
        "unchecked": [f"{i['group']}: {i['item']}" for i in items if not i["checked"]],
        "total": len(items),
    }


def list_events(events: Iterable[Any], tz: str | None = None) -> list[dict[str, str]]:
    """Stage events as rows: when, from, to, who, why."""
    return [
        {
            "at": format_datetime(getattr(e, "at", None), tz),
            "from_stage": getattr(e, "from_stage", None) or "—",
            "to_stage": getattr(e, "to_stage", "") or "",
            "actor": cap_text(getattr(e, "actor", ""), MAX_SHORT_TEXT),
            "reason": cap_text(getattr(e, "reason", "")),
        }
        for e in events
    ]


def describe_routing(assignment: Any, rep: Any, tz: str | None = None) -> dict[str, Any]:
    """Who the lead was routed to, why, and when first contact is due."""
    if assignment is None:
        return {
            "routed": False,
            "rep_name": "—",
            "rep_email": "",
            "reason": "Not routed yet.",
            "sla_due": "—",
            "assigned_at": "—",
        }
    rep = rep if rep is not None else getattr(assignment, "rep", None)
    return {
        "routed": True,
        "rep_name": cap_text(getattr(rep, "name", "") or "—", MAX_SHORT_TEXT),
        "rep_email": cap_text(getattr(rep, "email", ""), MAX_SHORT_TEXT),
        "reason": cap_text(getattr(assignment, "reason", "")),
        "sla_due": format_datetime(getattr(assignment, "sla_due_at", None), tz),
        "assigned_at": format_datetime(getattr(assignment, "assigned_at", None), tz),
    }


def list_links(links: Mapping[str, str] | None) -> list[dict[str, str]]:
    """The signed links the caller passed, with a readable label each."""
    return [
        {"key": key, "label": LINK_LABELS.get(key, key.replace("_", " ").capitalize()), "url": url}
        for key, url in (links or {}).items()
        if url
    ]


def dossier_context(
    questionnaire: Questionnaire,
    lead: Any,
    answers: Mapping[str, Any],
    snapshot_details: Mapping[str, Any],
    assignment: Any = None,
    rep: Any = None,
    events: Iterable[Any] = (),
    links: Mapping[str, str] | None = None,
    *,
    tz: str | None = None,
) -> dict[str, Any]:
    """Everything ``dossier.html`` shows: a first page a rep acts on in 30 seconds (who, why
    SQL, SLA due time, routing), then every answer, the score table, the checklist, the
    events so far and the links to log contact and feedback.

    ``tz`` names the sales team's time zone for the times shown (stored times are UTC).
    """
    details = snapshot_details or {}
    score = details.get("score") or {}
    return {
        "language": "en",
        "title": questionnaire.title,
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "contact": read_contact(lead, answers),
        "stage": str(details.get("stage") or getattr(lead, "stage", "") or ""),
        "headline": {block: format_points(score.get(block)) for block in ("total", *BLOCKS)},
        "why": summarise_why(details),
        "top_reasons": top_reasons(questionnaire, details),
        "routing": describe_routing(assignment, rep, tz),
        "answers": list_answers(questionnaire, answers, answered_only=False),
        "score_table": build_score_table(questionnaire, details),
        "checklist": group_checklist(details),
        "events": list_events(events, tz),
        "links": list_links(links),
    }
