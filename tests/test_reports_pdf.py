"""Real PDFs from the report templates, read back with pypdf: what they say, which names
survive, and that nothing a prospect types can make the renderer fetch or embed a file."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.request import HTTPRedirectHandler

import pytest
from pypdf import PdfReader

from qualify.core.loader import load_questionnaire
from qualify.core.scoring import describe_answer, score_answers
from qualify.core.stages import LeadFacts, decide_stage
from qualify.models import Assignment, Lead, Rep, StageEvent
from qualify.reports.context import dossier_context, report_context
from qualify.reports.pool import RenderLimitError, RenderLimits, RenderPool
from qualify.reports.render import AssetFetcher, AssetRefusedError, PdfRenderer, pdf_options

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "report_templates"
ASSETS = TEMPLATES / "assets"
HOT = {
    "company_size": "200-999",
    "industry": "saas",
    "region": "france",
    "role": "executive",
    "budget": "allocated",
    "maturity": "warehouse",
    "triggers": ["migration", "hiring"],
    "project": "active",
    "timeline": "under_3_months",
    "demo": "yes",
}
INJECTIONS = (
    '<img src="file:///etc/passwd">',
    "ACME <script>",
    "@import url(http://127.0.0.1:9/x.css)",
)


@dataclass
class Prospect:
    first_name: str = "Claire"
    last_name: str = "Dupont"
    company: str = "BigCo Industries"
    job_title: str = "Chief Data Officer"
    email: str = "claire@bigco.example"


CLAIRE = Prospect()
JAPANESE_ARABIC = Prospect(
    first_name="陽菜", last_name="佐藤", company="株式会社データ شركة البيانات"
)


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire(ROOT / "questionnaires" / "customer-data-maturity.yaml")


@pytest.fixture(scope="module")
def renderer():
    return PdfRenderer(TEMPLATES, ASSETS)


@pytest.fixture
def fetched(renderer, monkeypatch):
    """Every URL the renderer's fetcher is asked for during the test."""
    urls: list[str] = []
    original = renderer.url_fetcher.fetch

    def spy(url, headers=None):
        urls.append(url)
        return original(url, headers)

    monkeypatch.setattr(renderer.url_fetcher, "fetch", spy)
    return urls


def make_lead(prospect: Prospect = CLAIRE) -> Lead:
    """A transient lead (no session): the ORM object the worker hands to the contexts."""
    return Lead(
        first_name=prospect.first_name,
        last_name=prospect.last_name,
        company=prospect.company,
        job_title=prospect.job_title,
        email=prospect.email,
        phone="+33 1 23 45 67 89",
        stage="routed",
    )


def make_details(questionnaire, answers) -> dict:
    score = score_answers(questionnaire, answers)
    decision = decide_stage(questionnaire, score, LeadFacts(has_phone=True))
    return {
        "score": score.as_dict(),
        "reasons": [str(r) for r in score.reasons],
        "checklist": [item.as_dict() for item in decision.checklist],
        "decision": list(decision.reasons),
        "stage": decision.stage,
    }


def render_report(renderer, questionnaire, prospect=CLAIRE, answers=HOT) -> PdfReader:
    context = report_context(questionnaire, make_lead(prospect), answers, {})
    return PdfReader(io.BytesIO(renderer.render_report(context)))


def render_dossier(renderer, questionnaire, prospect=CLAIRE, answers=HOT) -> PdfReader:
    rep = Rep(name="Marc Vendeur", email="marc@seller.example")
    assignment = Assignment(
        sla_due_at=datetime(2025, 3, 4, 16, 0),
        assigned_at=datetime(2025, 3, 4, 8, 0),
        reason="sector saas and zone france match; least loaded of 2 reps",
    )
    events = [
        StageEvent(
            from_stage=None,
            to_stage="mql",
            actor="qualify",
            reason="scored",
            at=datetime(2025, 3, 4, 8, 0),
        ),
        StageEvent(
            from_stage="sql",
            to_stage="routed",
            actor="qualify",
            reason="routed",
            at=datetime(2025, 3, 4, 8, 0),
        ),
    ]
    context = dossier_context(
        questionnaire,
        make_lead(prospect),
        answers,
        make_details(questionnaire, answers),
        assignment,
        rep,
        events,
        {"lead": "https://qualify.example/leads/7?sig=abc", "feedback": "https://q.example/f"},
    )
    return PdfReader(io.BytesIO(renderer.render_dossier(context)))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    """Text without whitespace, so line breaks chosen by the layout do not matter."""
    return re.sub(r"\s+", "", text)


def assert_says(reader: PdfReader, *phrases: str) -> None:
    text = squeezed(text_of(reader))
    for phrase in phrases:
        assert squeezed(phrase) in text, phrase


def has_font_for(language: str) -> bool:
    try:
        result = subprocess.run(
            ["fc-list", f":lang={language}", "family"], capture_output=True, text=True
        )
    except FileNotFoundError:
        return False
    return bool(result.stdout.strip())


# -- the prospect's report --


def test_report_names_the_prospect_company_and_diagnostic_band(renderer, questionnaire):
    reader = render_report(renderer, questionnaire)
    assert_says(reader, "Claire Dupont", "BigCo Industries", "Advanced", "Project momentum")


def test_report_has_recommendations_and_the_booking_link(renderer, questionnaire):
    reader = render_report(renderer, questionnaire)
    assert_says(reader, questionnaire.next_step.title, questionnaire.next_step.url)
    links = [
        annot.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annot in page.get("/Annots") or ()
        if "/A" in annot.get_object()
    ]
    assert questionnaire.next_step.url in links


def test_report_is_two_to_four_pages(renderer, questionnaire):
    assert 2 <= len(render_report(renderer, questionnaire).pages) <= 4


@pytest.mark.skipif(not pdf_options(), reason="this WeasyPrint has no PDF/UA variant")
def test_report_is_a_tagged_pdf(renderer, questionnaire):
    catalog = render_report(renderer, questionnaire).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]


# -- the rep's dossier --


def test_dossier_contains_every_answer(renderer, questionnaire):
    reader = render_dossier(renderer, questionnaire)
    for question in questionnaire.questions():
        assert_says(reader, question.label, describe_answer(question, HOT.get(question.id)))


def test_dossier_contains_every_reason_and_checklist_item(renderer, questionnaire):
    details = make_details(questionnaire, HOT)
    reader = render_dossier(renderer, questionnaire)
    for reason in details["reasons"]:
        # "+25 FIT: why" is printed as "+25" in the points column and "why" in the reason one.
        assert_says(reader, reason.split(": ", 1)[-1] if re.match(r"^[+-]\d", reason) else reason)
    for item in details["checklist"]:
        assert_says(reader, item["item"])


def test_dossier_first_page_is_actionable(renderer, questionnaire):
    first = render_dossier(renderer, questionnaire).pages[0].extract_text()
    for phrase in (
        "Claire Dupont",
        "BigCo Industries",
        "+33 1 23 45 67 89",
        "claire@bigco.example",
        "2025-03-04 16:00 UTC",
        "Marc Vendeur",
        "least loaded",
        "Why SQL",
        "SQL: checklist passed",
    ):
        assert squeezed(phrase) in squeezed(first), phrase


def test_a_long_unbreakable_word_wraps_inside_its_cell(renderer, questionnaire):
    word = "Z" * 100  # under the 120-character cap, far wider than the cell
    email = word + "@bigco.example"
    reader = render_dossier(renderer, questionnaire, Prospect(company=word, email=email))
    text = text_of(reader)
    assert squeezed(email) in squeezed(text)
    assert word not in text  # broken over several lines, not run off the page


# -- nothing a prospect types is fetched, executed or embedded --


@pytest.mark.parametrize("injection", INJECTIONS)
def test_injected_markup_comes_out_as_literal_text(renderer, questionnaire, fetched, injection):
    prospect = Prospect(first_name=injection, last_name="X", company=injection, job_title=injection)
    for reader in (
        render_report(renderer, questionnaire, prospect),
        render_dossier(renderer, questionnaire, prospect),
    ):
        assert_says(reader, injection)
        assert reader.attachments == {}
        assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert fetched, "the spy saw no fetch at all: the bundled logo should go through it"
    assert all(url.startswith(ASSETS.resolve().as_uri() + "/") for url in fetched), fetched


def test_raw_markup_that_escaped_the_templates_still_fetches_nothing(renderer, fetched):
    html = (
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        '<link rel="attachment" href="file:///etc/passwd">'
        '<img src="file:///etc/passwd"><img src="../report.html"><p>still renders</p>'
    )
    reader = PdfReader(io.BytesIO(renderer.write_pdf(html)))
    assert "still renders" in text_of(reader)
    assert reader.attachments == {}
    assert set(fetched) >= {"http://127.0.0.1:9/x.css", "file:///etc/passwd"}


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.com/logo.png",
        "ftp://example.com/x",
        (ASSETS.resolve().as_uri() + "/../../pyproject.toml"),
        (ASSETS.resolve().as_uri() + "/%2e%2e/report.html"),
        "file://evil.example/" + str(ASSETS.resolve() / "mark.svg"),
    ],
)
def test_fetcher_refuses_anything_but_bundled_assets(url):
    with pytest.raises(AssetRefusedError):
        AssetFetcher(ASSETS).fetch(url)


def test_fetcher_serves_bundled_assets_and_data_uris():
    fetcher = AssetFetcher(ASSETS)
    logo = fetcher.fetch((ASSETS / "mark.svg").resolve().as_uri())
    assert logo.content_type == "image/svg+xml" and b"<svg" in logo.read()
    data = fetcher.fetch("data:text/plain;base64,aGVsbG8=")
    assert data.read() == b"hello"


def test_fetcher_follows_no_redirect():
    assert not any(isinstance(h, HTTPRedirectHandler) for h in AssetFetcher(ASSETS).handlers)


def test_templates_escape_whatever_their_name(renderer):
    template = renderer.environment.from_string("{{ value }}")
    assert template.render(value="<b>") == "&lt;b&gt;"


# -- every name renders --


@pytest.mark.parametrize(
    ("first_name", "last_name", "company"),
    [
        ("Łukasz", "Żółć", "Przedsiębiorstwo Łódź Sp. z o.o."),
        ("Αθηνά", "Παπαδοπούλου", "Ελληνικά Δεδομένα ΑΕ"),
        ("Дмитрий", "Шостакович", "ООО «Данные»"),
        ("فاطمة", "الزهراء", "شركة البيانات"),
    ],
)
def test_names_round_trip_through_the_pdf(renderer, questionnaire, first_name, last_name, company):
    prospect = Prospect(first_name=first_name, last_name=last_name, company=company)
    for reader in (
        render_report(renderer, questionnaire, prospect),
        render_dossier(renderer, questionnaire, prospect),
    ):
        assert_says(reader, f"{first_name} {last_name}", company)


@pytest.mark.skipif(not has_font_for("ja"), reason="no Japanese font installed (fonts-noto-cjk)")
def test_japanese_names_round_trip(renderer, questionnaire):
    prospect = Prospect(first_name="陽菜", last_name="佐藤", company="株式会社データ")
    assert_says(render_report(renderer, questionnaire, prospect), "陽菜 佐藤", "株式会社データ")


def test_prospect_text_is_capped_in_the_pdf(renderer, questionnaire):
    reader = render_dossier(renderer, questionnaire, Prospect(company="Y" * 5000))
    assert "Y" * 200 not in squeezed(text_of(reader))
    assert_says(reader, "Y" * 100 + "…")


def test_an_app_has_one_renderer_built_on_first_use(tmp_path):
    from flask import Flask

    from qualify.reports import get_renderer

    app = Flask(__name__, instance_path=str(tmp_path))
    app.config["REPORT_TEMPLATES_DIR"] = str(TEMPLATES)
    first = get_renderer(app)
    assert isinstance(first, PdfRenderer)
    assert get_renderer(app) is first
    assert first.font_config is get_renderer(app).font_config


# -- each render is bounded in time and memory --


def bounded_pool(tmp_path, prefix: str, seconds: float = 3, memory_mb: int = 1024) -> RenderPool:
    """A render pool over a copy of the templates whose report starts with ``prefix``."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    report = templates / "report.html"
    report.write_text(prefix + report.read_text(encoding="utf-8"), encoding="utf-8")
    return RenderPool(templates, limits=RenderLimits(seconds=seconds, memory_mb=memory_mb))


def report_context_for(questionnaire) -> dict:
    return report_context(questionnaire, make_lead(), HOT, {})


def test_a_render_that_loops_is_stopped_at_its_time_bound(tmp_path, questionnaire):
    pool = bounded_pool(tmp_path, "{% for i in range(10**12) %}{% endfor %}", seconds=2)
    try:
        with pytest.raises(RenderLimitError, match="report took longer than 2 s"):
            pool.render("report", report_context_for(questionnaire))
        # The stuck process was replaced: the next document renders.
        pdf = pool.render("dossier", dossier_context(questionnaire, make_lead(), HOT, {}))
        assert pdf.startswith(b"%PDF")
    finally:
        pool.close()


def test_a_render_that_needs_too_much_memory_is_stopped_at_its_memory_bound(
    tmp_path, questionnaire
):
    # 3 GB of text: far above the 1024 MB bound, well within this machine without it.
    pool = bounded_pool(tmp_path, '{{ ("x" * 3 * 2**30)|length }}', memory_mb=1024)
    try:
        with pytest.raises(RenderLimitError, match="1024 MB"):
            pool.render("report", report_context_for(questionnaire))
        pdf = pool.render("dossier", dossier_context(questionnaire, make_lead(), HOT, {}))
        assert pdf.startswith(b"%PDF")
    finally:
        pool.close()


def test_a_bounded_render_reads_back_like_an_unbounded_one(questionnaire):
    pool = RenderPool(TEMPLATES)
    try:
        context = report_context(questionnaire, make_lead(JAPANESE_ARABIC), HOT, {})
        reader = PdfReader(io.BytesIO(pool.render("report", context)))
    finally:
        pool.close()
    assert_says(reader, JAPANESE_ARABIC.company)


@pytest.mark.skipif(
    not (has_font_for("ja") and has_font_for("ar")),
    reason="fonts-noto-cjk / fonts-noto-core missing",
)
def test_japanese_and_arabic_company_names_round_trip_in_report_and_dossier(
    renderer, questionnaire
):
    for reader in (
        render_report(renderer, questionnaire, JAPANESE_ARABIC),
        render_dossier(renderer, questionnaire, JAPANESE_ARABIC),
    ):
        assert_says(reader, "陽菜 佐藤", "株式会社データ", "شركة البيانات")


def test_prospect_typed_text_takes_its_own_direction(renderer, questionnaire):
    """Names and companies carry dir="auto": an Arabic one is laid out right to left."""
    lead = make_lead(JAPANESE_ARABIC)
    report = renderer.render_html("report.html", report_context(questionnaire, lead, HOT, {}))
    dossier = renderer.render_html("dossier.html", dossier_context(questionnaire, lead, HOT, {}))
    assert re.search(r'dir="auto">\s*陽菜 佐藤', report)
    assert re.search(r'dir="auto">\s*株式会社データ شركة البيانات', report)
    assert re.search(r'dir="auto">\s*株式会社データ شركة البيانات', dossier)
