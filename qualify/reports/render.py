"""Render the report and the dossier to PDF with WeasyPrint, from the Jinja templates in
``report_templates/``.

The only module that imports WeasyPrint: the worker imports it once at start-up; the web
process never does. One ``PdfRenderer`` per worker shares its ``FontConfiguration`` and
parsed stylesheet across renders (a new ``FontConfiguration`` per render grows memory).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

with warnings.catch_warnings():
    # Without libharfbuzz-subset0 WeasyPrint warns at import and subsets fonts slowly; that is
    # a speed problem the worker warns about once at start-up (reports.system), not a failure.
    warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
    import weasyprint
    from weasyprint.text.ffi import harfbuzz_subset
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

BASE_CSS = "base.css"
REPORT_TEMPLATE = "report.html"
DOSSIER_TEMPLATE = "dossier.html"

#: Tagged PDF (PDF/UA-1) so screen readers can read the report, where WeasyPrint offers it.
PDF_VARIANT = "pdf/ua-1"

_CONTENT_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}


class AssetRefusedError(ValueError):
    """A document asked for a resource that is neither a bundled asset nor a data: URI."""


class AssetFetcher(URLFetcher):
    """Serves files under the bundled assets directory and ``data:`` URIs, nothing else.

    ``file:`` outside the directory, ``http(s):``, ``ftp:`` and anything else raise
    ``AssetRefusedError``; no redirect is ever followed (no HTTP handler is even asked).
    """

    def __init__(self, assets_dir: str | Path):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.assets_dir = Path(assets_dir).resolve()

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        """Return the bundled asset or decoded data: URI ``url`` names, or refuse it."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            return self._fetch_asset(url)
        raise AssetRefusedError(f"only bundled assets and data: URIs are served, not {url!r}")

    def _fetch_asset(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise AssetRefusedError(f"remote file URL refused: {url!r}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.assets_dir) or not path.is_file():
            raise AssetRefusedError(f"not a bundled asset: {url!r}")
        content_type = _CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )


def drop_attachments(document: weasyprint.document.Document) -> None:
    """Remove every file attachment from a laid-out document before it is written: the
    ``<link rel="attachment">`` list and ``<a rel="attachment">`` links. Templates escape
    what prospects type, and the fetcher serves only bundled assets, but a ``data:`` URI is
    served too, so markup that slipped through could still embed a file of its own."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]


def has_fast_subsetter() -> bool:
    """Whether HarfBuzz's font subsetter is installed (3-page report ~0.8 s → ~0.5 s)."""
    return harfbuzz_subset is not None


def pdf_options() -> dict[str, Any]:
    """``write_pdf`` options: PDF/UA-1 (tagged) when this WeasyPrint knows the variant."""
    from weasyprint.pdf import VARIANTS  # a private registry; absent means "not supported"

    return {"pdf_variant": PDF_VARIANT} if PDF_VARIANT in VARIANTS else {}


def create_environment(templates_dir: str | Path) -> Environment:
    """A Jinja environment that escapes every template, whatever its name, and fails on typos."""
    return Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class PdfRenderer:
    """Renders the prospect's report and the rep's dossier; one instance per worker."""

    def __init__(self, templates_dir: str | Path, assets_dir: str | Path | None = None):
        self.templates_dir = Path(templates_dir)
        self.assets_dir = Path(assets_dir or self.templates_dir / "assets").resolve()
        self.environment = create_environment(self.templates_dir)
        self.url_fetcher = AssetFetcher(self.assets_dir)
        self.font_config = FontConfiguration()
        self.base_url = self.assets_dir.as_uri() + "/"
        self.stylesheet = weasyprint.CSS(
            filename=str(self.assets_dir / BASE_CSS),
            base_url=self.base_url,
            url_fetcher=self.url_fetcher,
            font_config=self.font_config,
        )
        self.options = pdf_options()

    def render_html(self, template: str, context: Mapping[str, Any]) -> str:
        """The HTML ``template`` produces for ``context`` (autoescaped)."""
        return self.environment.get_template(template).render(**context)

    def write_pdf(self, html: str) -> bytes:
        """``html`` as PDF bytes, with the shared stylesheet, fonts and asset-only fetcher,
        and no file attachment whatever the markup asks (see ``drop_attachments``)."""
        document = weasyprint.HTML(
            string=html, base_url=self.base_url, url_fetcher=self.url_fetcher
        ).render(stylesheets=[self.stylesheet], font_config=self.font_config, **self.options)
        drop_attachments(document)
        return document.write_pdf(**self.options)

    def render_report(self, context: Mapping[str, Any]) -> bytes:
        """The prospect's report as PDF bytes, from ``report_context(...)``."""
        return self.write_pdf(self.render_html(REPORT_TEMPLATE, context))

    def render_dossier(self, context: Mapping[str, Any]) -> bytes:
        """The rep's dossier as PDF bytes, from ``dossier_context(...)``."""
        return self.write_pdf(self.render_html(DOSSIER_TEMPLATE, context))
