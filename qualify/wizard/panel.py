"""The live diagnostic panel, rendered once per distinct diagnostic and language.

The panel is on every step page and every live update, yet a questionnaire gives only a few
hundred distinct diagnostics: rendering its template each time was a third of a step page.
"""

from __future__ import annotations

from collections import OrderedDict

from flask import current_app, render_template
from markupsafe import Markup

from ..core.diagnostic import DiagnosticResult

PANEL_CACHE_SIZE = 2048


def panel_html(diagnostic: DiagnosticResult, language: str) -> Markup:
    """The panel's HTML for ``diagnostic`` in the page's ``language`` (the response's: the
    view has set the wizard's words to it)."""
    key = (
        language,
        diagnostic.percent,
        diagnostic.band.title,
        tuple((d.id, d.label, d.percent) for d in diagnostic.dimensions),
        diagnostic.answered,
        diagnostic.total_questions,
    )
    cache: OrderedDict = current_app.extensions.setdefault("qualify.panel_cache", OrderedDict())
    html = cache.get(key)
    if html is None:
        html = cache[key] = Markup(
            render_template("wizard/_panel_body.html", diagnostic=diagnostic)
        )
        if len(cache) > PANEL_CACHE_SIZE:
            cache.popitem(last=False)
    return html
