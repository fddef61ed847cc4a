"""The web edge: blueprints, static files, security headers and error pages."""

from __future__ import annotations

from flask import Flask, send_from_directory


def init_app(app: Flask) -> None:
    from .reps import bp as reps_bp
    from .wizard import bp as wizard_bp

    app.register_blueprint(wizard_bp)
    app.register_blueprint(reps_bp)

    @app.get("/static/<path:filename>")
    def static(filename: str):
        return send_from_directory(app.config["STATIC_DIR"], filename, max_age=3600)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        # Wizard pages set their own frame-ancestors; every other page refuses framing.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
        )
        return response
