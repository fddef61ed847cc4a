"""The prospect's PDF report and the rep's qualification dossier.

``context`` builds plain template contexts (pure, cheap to import); ``render`` turns them into
PDFs with WeasyPrint; ``pool`` runs those renders in child processes, each bounded in time and
memory (what deliveries use). This package does not import ``render`` eagerly: the web
process never loads WeasyPrint; the worker's render processes do.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .context import dossier_context, report_context

if TYPE_CHECKING:
    from flask import Flask

    from .pool import RenderPool
    from .render import PdfRenderer

__all__ = ["dossier_context", "get_render_pool", "get_renderer", "report_context"]

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


def get_render_pool(app: Flask, size: int = 1) -> RenderPool:
    """The pool of render processes the app's deliveries render in, each render bounded by
    ``RENDER_TIMEOUT_SECONDS`` and ``RENDER_MEMORY_MB`` (see ``qualify.reports.pool``).

    Importing it loads no WeasyPrint: only the child processes do."""
    from .pool import RenderLimits, shared_pool

    templates_dir = Path(app.config["REPORT_TEMPLATES_DIR"])
    return shared_pool(
        templates_dir, templates_dir / "assets", RenderLimits.from_config(app.config), size
    )
