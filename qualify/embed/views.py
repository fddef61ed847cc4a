"""``GET /embed/demo``: a landing page embedding a questionnaire inline and as a popup.

Served when the app runs in debug mode or with ``EMBED_DEMO = True``; a 404 otherwise.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from ..questionnaires import registry

bp = Blueprint("embed", __name__, template_folder="templates", url_prefix="/embed")


@bp.get("/demo")
def show_demo():
    """Both embed modes of one questionnaire (``?questionnaire=<id>``, else the first)."""
    if not (current_app.debug or current_app.config["EMBED_DEMO"]):
        abort(404)
    published = sorted(registry().all(), key=lambda p: p.questionnaire.id)
    wanted = request.args.get("questionnaire")
    chosen = next((p for p in published if p.questionnaire.id == wanted), None)
    if chosen is None and published:
        chosen = published[0]
    if chosen is None:
        abort(404)
    return render_template("embed/demo.html", questionnaire=chosen.questionnaire)
