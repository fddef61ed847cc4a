"""The report wears the questionnaire's theme: its logo read from ``STATIC_DIR`` into a
``data:`` URI by the worker (the renderer fetches nothing else), and its colours."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from factories import HOT_ANSWERS
from qualify.core.loader import load_questionnaire
from qualify.core.questionnaire import Theme
from qualify.delivery import documents
from qualify.delivery.documents import MAX_LOGO_BYTES, render_report, theme_logo_uri
from qualify.models import Lead

ROOT = Path(__file__).resolve().parent.parent
#: A 1x1 PNG.
PNG_PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def worker_app(static_dir: Path) -> SimpleNamespace:
    """What ``render_report`` reads of an app: its config."""
    return SimpleNamespace(
        config={
            "STATIC_DIR": str(static_dir),
            "REPORT_TEMPLATES_DIR": str(ROOT / "report_templates"),
        }
    )


@pytest.fixture
def static_dir(tmp_path) -> Path:
    folder = tmp_path / "static"
    (folder / "logos").mkdir(parents=True)
    (folder / "logos" / "acme.png").write_bytes(PNG_PIXEL)
    return folder


def test_the_theme_logo_becomes_a_data_uri(static_dir):
    uri = theme_logo_uri(worker_app(static_dir), "logos/acme.png")
    assert uri is not None and uri.startswith("data:image/png;base64,")


@pytest.mark.parametrize("name", [None, "", "logos/missing.png", "../secret.png", "logos"])
def test_a_logo_that_is_missing_or_outside_static_gives_the_default_mark(
    static_dir, tmp_path, name
):
    (tmp_path / "secret.png").write_bytes(PNG_PIXEL)
    assert theme_logo_uri(worker_app(static_dir), name) is None


def test_a_logo_linked_from_outside_static_is_not_read(static_dir, tmp_path):
    (tmp_path / "secret.png").write_bytes(PNG_PIXEL)
    (static_dir / "logos" / "link.png").symlink_to(tmp_path / "secret.png")
    assert theme_logo_uri(worker_app(static_dir), "logos/link.png") is None


def test_an_oversized_logo_gives_the_default_mark(static_dir):
    (static_dir / "logos" / "huge.png").write_bytes(PNG_PIXEL + b"\0" * MAX_LOGO_BYTES)
    assert theme_logo_uri(worker_app(static_dir), "logos/huge.png") is None


def test_an_oversized_logo_is_not_read_whole(static_dir, monkeypatch):
    """A logo of gigabytes (a marketer's mistake) was read into the worker's memory on every
    report before its size was checked: the size is known before reading."""
    (static_dir / "logos" / "huge.png").write_bytes(PNG_PIXEL + b"\0" * MAX_LOGO_BYTES)
    read = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or b"")
    assert theme_logo_uri(worker_app(static_dir), "logos/huge.png") is None
    assert read == []


def test_the_worker_renders_the_report_with_the_theme_logo_and_colours(static_dir, monkeypatch):
    bundled = load_questionnaire(ROOT / "questionnaires" / "customer-data-maturity.yaml")
    themed = bundled.model_copy(
        update={"theme": Theme(primary_color="#7a1f5c", logo="logos/acme.png")}
    )
    lead = Lead(first_name="Claire", last_name="Dupont", company="BigCo", email="c@bigco.example")
    contexts = []
    original = documents.render_pdf
    monkeypatch.setattr(
        documents,
        "render_pdf",
        lambda app, kind, ctx: contexts.append(ctx) or original(app, kind, ctx),
    )
    pdf = render_report(worker_app(static_dir), themed, lead, HOT_ANSWERS, {})
    [context] = contexts
    assert context["logo"].startswith("data:image/png;base64,")
    assert context["theme"]["primary"] == "#7a1f5c"
    cover = PdfReader(io.BytesIO(pdf)).pages[0]
    images = [
        x.get_object()
        for x in (cover["/Resources"].get("/XObject") or {}).values()
        if x.get_object().get("/Subtype") == "/Image"
    ]
    assert images, "the logo is drawn on the cover"
