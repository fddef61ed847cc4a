"""The web edge: blueprints, static files, security headers and error pages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, render_template, send_from_directory
from flask.sessions import SessionInterface
from werkzeug.exceptions import HTTPException

from .embed.framing import NO_FRAMING


class CookielessSessions(SessionInterface):
    """No cookie session: the wizard keeps its state under the response token (it must work
    in a cross-site iframe where cookies are blocked) and rep links are signed URLs. Flask's
    ``session`` is then a ``NullSession``, which refuses writes, and no request pays for
    opening a signed cookie."""

    def open_session(self, app, request):
        return None  # Flask gives the request a NullSession

    def save_session(self, app, session, response) -> None:
        return None


def init_app(app: Flask) -> None:
    from . import ratelimit
    from .embed import bp as embed_bp
    from .embed.framing import check_origins
    from .preview import bp as preview_bp
    from .reps import bp as reps_bp
    from .services.routing import check_business_calendar
    from .wizard import bp as wizard_bp

    app.session_interface = CookielessSessions()
    check_origins(app.config["EMBED_ALLOWED_ORIGINS"])  # refuse a bad origin at start-up
    config = app.config
    check_business_calendar(
        config["BUSINESS_COUNTRY"], config["BUSINESS_HOURS"], config["BUSINESS_TIMEZONE"]
    )
    app.register_blueprint(wizard_bp)
    app.register_blueprint(reps_bp)
    app.register_blueprint(embed_bp)
    app.register_blueprint(preview_bp)
    ratelimit.init_app(app)  # wraps the wizard's post views: after their registration

    @app.get("/static/<path:filename>")
    def static(filename: str):
        """A file of the static folder; a link in it leading outside is not served
        (``send_from_directory`` refuses ``..`` but follows links)."""
        folder = Path(app.config["STATIC_DIR"]).resolve()
        if not (folder / filename).resolve().is_relative_to(folder):
            abort(404)
        return send_from_directory(folder, filename, max_age=3600)

    @app.get("/favicon.ico")
    def favicon():
        """No icon, said without an error: browsers ask on every first visit, and a 404 is
        a red line in the console of every site that embeds the wizard."""
        return "", 204, {"Cache-Control": "public, max-age=86400"}

    @app.errorhandler(HTTPException)
    def show_http_error(exc: HTTPException):
        """A page in the visitor's language for a 4xx nobody else handles (Werkzeug's are
        bare English), with the exception's headers (a 405's Allow)."""
        if exc.code is None or not 400 <= exc.code < 500:
            return exc
        page = render_template("wizard/http_error.html", code=exc.code, questionnaire=None)
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        return page, exc.code, headers

    @app.after_request
    def security_headers(response):
        present = {name.lower() for name, _value in response.headers}
        for name, value in SECURITY_HEADERS:
            if name.lower() not in present:  # a page's own (the wizard's CSP) wins
                response.headers.add(name, value)
        return response


#: No page of qualify needs these browser features; a framing page can't delegate them either.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "display-capture=(), browsing-topics=()"
)

#: Headers on every page unless the page set its own.
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", PERMISSIONS_POLICY),
    # The popup mode of the embed is an in-page overlay, not a window: isolating every
    # top-level page from cross-origin openers breaks nothing.
    ("Cross-Origin-Opener-Policy", "same-origin"),
    # Wizard pages set their own frame-ancestors; every other page refuses framing.
    (
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
        f"base-uri 'none'; object-src 'none'; {NO_FRAMING}",
    ),
)
