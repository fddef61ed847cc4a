"""The prospect's PDF report and the rep's qualification dossier.

``context`` builds plain template contexts (pure, cheap to import); ``render`` turns them into
PDFs with WeasyPrint. This package does not import ``render`` eagerly: the web process must
never load WeasyPrint, only the worker does, through ``get_renderer``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .context import dossier_context, report_context

if TYPE_CHECKING:
    from flask import Flask

    from .render import PdfRenderer

__all__ = ["dossier_context", "get_renderer", "report_context"]

_EXTENSION_KEY = "qualify.reports"


def get_renderer(app: Flask) -> PdfRenderer:
    """The app's one ``PdfRenderer``, created (and WeasyPrint imported) on first use."""
    renderer = app.extensions.get(_EXTENSION_KEY)
    if renderer is None:
        from .render import PdfRenderer  # imported here so the web process never loads WeasyPrint

        templates_dir = Path(app.config["REPORT_TEMPLATES_DIR"])
        renderer = PdfRenderer(templates_dir, templates_dir / "assets")
        app.extensions[_EXTENSION_KEY] = renderer
    return renderer
