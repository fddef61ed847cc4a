"""Real PDFs from the report templates, read back with pypdf: what they say, which names
survive, and that nothing a prospect types can make the renderer fetch or embed a file."""

from __future__ import annotations

import base64
import io
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.request import HTTPRedirectHandler

import pytest
import weasyprint
import yaml
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from qualify.core.loader import load_questionnaire, load_questionnaire_text
from qualify.core.scoring import describe_answer, score_answers
from qualify.core.stages import LeadFacts, decide_stage
from qualify.models import Assignment, Lead, Rep, StageEvent
from qualify.reports.context import dossier_context, report_context
from qualify.reports.pool import RenderLimitError, RenderLimits, RenderPool
from qualify.reports.render import AssetFetcher, AssetRefusedError, PdfRenderer, pdf_options
from qualify.reports.system import FONTCONFIG_LIBRARIES, fonts_for, load_library

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "report_templates"
ASSETS = TEMPLATES / "assets"
PAIE = ROOT / "questionnaires" / "paie-rh-pme.yaml"
PAIE_HOT = {
    "effectif": "50-249",
    "secteur": "manufacturing",
    "pays": "FR",
    "fonction": "dirigeant",
    "gestion_paie": "logiciel",
    "logiciel_actuel": "sage",
    "digitalisation": 8,
    "projet": "actif",
    "echeance": "moins_3_mois",
    "echange": "yes",
}
PAIE_COLD = {"effectif": "1-9", "gestion_paie": "tableur", "digitalisation": 1, "projet": "aucun"}
COLD = {
    "company_size": "1-49",
    "industry": "public",
    "role": "contributor",
    "budget": "none",
    "maturity": "spreadsheets",
    "triggers": ["none"],
    "project": "none",
    "demo": "no",
}
#: A 1x1 PNG: a theme logo small enough to read in a test.
PNG_PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
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
#: What a prospect may type to make the renderer fetch or embed a file: ``{http}`` is a
#: loopback server that records every request, ``{secret}`` a file only this test knows.
INJECTIONS = (
    '<img src="file://{secret}">',
    "ACME <script>",
    "@import url({http}/import.css);",
    '<style>@import "{http}/style.css";</style>',
    '<link rel="stylesheet" href="{http}/link.css">',
    '<link rel="attachment" href="file://{secret}">',
    '<object data="{http}/object.svg" type="image/svg+xml"></object>',
    '<embed src="file://{secret}">',
    '<a rel="attachment" href="data:text/plain;base64,{data}">x</a>',
    '<div style="background:url({http}/bg.png)">',
)
SECRET_TEXT = "qualify-secret-8d1c"


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


@pytest.fixture
def http_hits():
    """A loopback HTTP server that answers every GET with a tiny stylesheet and records the
    path: a fetch by the renderer shows here, whatever route it took."""
    hits: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b"p { color: red }"
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", hits=hits)
    server.shutdown()
    server.server_close()


@pytest.fixture
def secret_file():
    """A file whose text must never reach a PDF (short path: names are capped at 120)."""
    folder = Path(tempfile.mkdtemp(prefix="q"))
    path = folder / "s.txt"
    path.write_text(SECRET_TEXT)
    yield path
    shutil.rmtree(folder)


def embedded_files(reader: PdfReader) -> list[str]:
    """Every trace of an embedded file anywhere in the PDF's object graph: the catalogue's
    /EmbeddedFiles, file specifications with /EF, /FileAttachment annotations."""
    found, seen = [], set()
    stack: list = [reader.trailer["/Root"]]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in ("/EmbeddedFiles", "/EF") or value in (
                    "/EmbeddedFile",
                    "/FileAttachment",
                ):
                    found.append(f"{key} {value}")
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


def fill_colours(reader: PdfReader, page_index: int) -> set[str]:
    """The RGB fill and stroke colours painted on a page (its forms included), as #rrggbb."""
    page = reader.pages[page_index]
    streams = [page.get_contents().get_data()]
    forms = list((page["/Resources"].get("/XObject") or {}).values())
    while forms:
        form = forms.pop().get_object()
        if form.get("/Subtype") == "/Form":
            streams.append(form.get_data())
            forms.extend(((form.get("/Resources") or {}).get("/XObject") or {}).values())
    colours = set()
    for stream in streams:
        for r, g, b in re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)", stream):
            colours.add("#" + "".join(f"{round(float(c) * 255):02x}" for c in (r, g, b)))
    return colours


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


def render_report(renderer, questionnaire, prospect=CLAIRE, answers=HOT, **options) -> PdfReader:
    context = report_context(questionnaire, make_lead(prospect), answers, {}, **options)
    return PdfReader(io.BytesIO(renderer.render_report(context)))


def render_dossier(renderer, questionnaire, prospect=CLAIRE, answers=HOT, events=None) -> PdfReader:
    rep = Rep(name="Marc Vendeur", email="marc@seller.example")
    assignment = Assignment(
        sla_due_at=datetime(2025, 3, 4, 16, 0),
        assigned_at=datetime(2025, 3, 4, 8, 0),
        reason="sector saas and zone france match; least loaded of 2 reps",
    )
    events = (
        events
        if events is not None
        else [
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
    )
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
    """Whether fontconfig knows a font for ``language`` (asked of the library, as the worker's
    start-up check does: the fc-list tool may not be installed where the fonts are)."""
    fontconfig = load_library(FONTCONFIG_LIBRARIES, "fontconfig")
    return fontconfig is not None and fonts_for(language, fontconfig) > 0


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


def test_renders_ask_weasyprint_for_pdf_ua(renderer):
    """The WeasyPrint the project requires has the PDF/UA-1 variant: never silently untagged."""
    assert pdf_options() == {"pdf_variant": "pdf/ua-1"} == renderer.options


@pytest.mark.skipif(not pdf_options(), reason="this WeasyPrint has no PDF/UA variant")
def test_report_is_a_tagged_pdf(renderer, questionnaire):
    catalog = render_report(renderer, questionnaire).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]


@pytest.fixture(scope="module")
def paie():
    return load_questionnaire(PAIE)


def test_report_cover_is_the_first_page_with_the_name_company_and_title(renderer, questionnaire):
    reader = render_report(renderer, questionnaire)
    cover = squeezed(reader.pages[0].extract_text())
    for phrase in ("Claire Dupont", "BigCo Industries", questionnaire.title.upper()):
        assert squeezed(phrase) in cover, phrase
    assert "Whatyouranswerssay" not in cover  # the cover stands alone


def test_report_charts_overall_and_each_dimension_as_vector_bars(renderer, questionnaire):
    context = report_context(questionnaire, make_lead(), HOT, {})
    html = renderer.render_html("report.html", context)
    bars = len(re.findall(r'<rect class="bar"', html))
    assert bars == 1 + len(questionnaire.diagnostic.dimensions) == len(context["chart"]["bars"])
    reader = PdfReader(io.BytesIO(renderer.write_pdf(html)))
    page = squeezed(reader.pages[1].extract_text())
    for bar in context["chart"]["bars"]:  # once in the chart, once in the table below it
        assert page.count(squeezed(bar["label"])) >= 2, bar["label"]


def test_report_recommendations_follow_the_answers_score_bands(renderer, questionnaire):
    hot = squeezed(text_of(render_report(renderer, questionnaire, answers=HOT)))
    cold = squeezed(text_of(render_report(renderer, questionnaire, answers=COLD)))
    hot_bands = report_context(questionnaire, make_lead(), HOT, {})["recommendations"]
    cold_bands = report_context(questionnaire, make_lead(), COLD, {})["recommendations"]
    assert {r["text"] for r in hot_bands} != {r["text"] for r in cold_bands}
    for recommendation in hot_bands:
        assert squeezed(recommendation["text"]) in hot
    for recommendation in cold_bands:
        assert squeezed(recommendation["text"]) in cold
        if recommendation["text"] not in {r["text"] for r in hot_bands}:
            assert squeezed(recommendation["text"]) not in hot


@pytest.mark.parametrize("answers", ["hot", "cold"])
@pytest.mark.parametrize("prospect", [CLAIRE, JAPANESE_ARABIC, "long"])
@pytest.mark.parametrize("which", ["customer-data-maturity", "paie-rh-pme"])
def test_every_report_is_two_to_four_pages(renderer, questionnaire, paie, which, prospect, answers):
    q = questionnaire if which == "customer-data-maturity" else paie
    given = {
        ("customer-data-maturity", "hot"): HOT,
        ("customer-data-maturity", "cold"): COLD,
        ("paie-rh-pme", "hot"): PAIE_HOT,
        ("paie-rh-pme", "cold"): PAIE_COLD,
    }[which, answers]
    if prospect == "long":
        prospect = Prospect(
            first_name="Marie-Bérénice-Alexandrine " * 4,
            last_name="de La Rochefoucauld-Montmorency " * 3,
            company="Banque Populaire des Territoires d'Outre-Mer " * 3,
        )
    assert 2 <= len(render_report(renderer, q, prospect, given).pages) <= 4


def test_report_speaks_the_questionnaire_language(renderer, paie):
    reader = render_report(renderer, paie, answers=PAIE_HOT, today=date(2026, 12, 4))
    assert_says(
        reader,
        "Rapport personnalisé pour",
        "Préparé le 4 décembre 2026",
        "Ce que disent vos réponses",
        "Nos recommandations",
        "VOTRE PROCHAINE ÉTAPE",
        "Réservez votre appel",
    )
    assert "Your next step" not in text_of(reader)


def test_report_is_branded_by_the_questionnaire_theme(renderer, questionnaire, paie):
    assert paie.theme.primary_color == "#0f766e"  # the bundled French questionnaire's theme
    themed = render_report(renderer, paie, answers=PAIE_HOT)
    plain = render_report(renderer, questionnaire)
    assert "#0f766e" in fill_colours(themed, 0)  # the cover's score panel
    assert "#0f766e" in fill_colours(themed, 1)  # the chart's bars
    assert "#0f766e" in fill_colours(themed, len(themed.pages) - 1)  # the next-step box
    assert not any("#0f766e" in fill_colours(plain, i) for i in range(len(plain.pages)))


def test_report_shows_the_theme_logo_instead_of_the_mark(renderer, questionnaire, fetched):
    logo = "data:image/png;base64," + base64.b64encode(PNG_PIXEL).decode()
    reader = render_report(renderer, questionnaire, logo=logo)
    images = [
        xobject.get_object()
        for xobject in (reader.pages[0]["/Resources"].get("/XObject") or {}).values()
        if xobject.get_object().get("/Subtype") == "/Image"
    ]
    assert images, "the theme's logo is drawn on the cover"
    assert logo in fetched and not any(url.endswith("/mark.svg") for url in fetched)


def test_a_logo_that_is_not_an_image_data_uri_is_ignored(questionnaire):
    context = report_context(questionnaire, make_lead(), HOT, {}, logo="file:///etc/passwd")
    assert context["logo"] is None


@pytest.mark.skipif(not pdf_options(), reason="this WeasyPrint has no PDF/UA variant")
def test_dossier_is_a_tagged_pdf_too(renderer, questionnaire):
    catalog = render_dossier(renderer, questionnaire).trailer["/Root"]
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


def test_a_table_over_several_pages_repeats_its_header_and_splits_no_row(renderer, questionnaire):
    events = [
        StageEvent(
            from_stage="routed",
            to_stage="contacted",
            actor="marc@seller.example",
            reason=f"call {n:02d}: " + "left a message, will call again tomorrow morning " * 3,
            at=datetime(2025, 3, 4, 8, n),
        )
        for n in range(45)
    ]
    reader = render_dossier(renderer, questionnaire, events=events)
    pages = [squeezed(page.extract_text()) for page in reader.pages]
    with_rows = [page for page in pages if re.search(r"call\d\d:", page)]
    assert len(with_rows) >= 2, "the events table should run over several pages"
    for page in with_rows:
        assert "WHENFROM→TOWHOWHY" in page  # the header, on every page of the table
        for number in re.findall(r"call(\d\d):", page):  # each row whole on one page
            assert squeezed(events[int(number)].reason) in page, f"call {number} split"
    seen = [int(n) for page in with_rows for n in re.findall(r"call(\d\d):", page)]
    assert seen == list(range(45))


def test_a_long_unbreakable_word_wraps_inside_its_cell(renderer, questionnaire):
    word = "Z" * 100  # under the 120-character cap, far wider than the cell
    email = word + "@bigco.example"
    reader = render_dossier(renderer, questionnaire, Prospect(company=word, email=email))
    text = text_of(reader)
    assert squeezed(email) in squeezed(text)
    assert word not in text  # broken over several lines, not run off the page


# -- nothing a prospect types is fetched, executed or embedded --


def injection_text(template: str, http_hits, secret_file) -> str:
    data = base64.b64encode(SECRET_TEXT.encode()).decode()
    return template.format(http=http_hits.url, secret=secret_file, data=data)


@pytest.mark.parametrize("template", INJECTIONS)
def test_injected_markup_comes_out_as_literal_text_fetching_and_embedding_nothing(
    renderer, questionnaire, fetched, http_hits, secret_file, template
):
    injection = injection_text(template, http_hits, secret_file)
    assert len(injection) <= 120  # shown whole, not capped
    prospect = Prospect(first_name=injection, last_name="X", company=injection, job_title=injection)
    for reader in (
        render_report(renderer, questionnaire, prospect),
        render_dossier(renderer, questionnaire, prospect),
    ):
        assert_says(reader, injection)
        assert SECRET_TEXT not in text_of(reader)
        assert reader.attachments == {} and embedded_files(reader) == []
    assert http_hits.hits == []
    assert fetched, "the spy saw no fetch at all: the bundled logo should go through it"
    assert all(url.startswith(ASSETS.resolve().as_uri() + "/") for url in fetched), fetched


def with_free_text_question():
    """The bundled questionnaire with a last step asking a long free-text question."""
    data = yaml.safe_load((ROOT / "questionnaires" / "customer-data-maturity.yaml").read_text())
    data["steps"].append(
        {
            "title": "Notes",
            "questions": [
                {"id": "notes", "type": "long_text", "label": "Anything else?", "required": False}
            ],
        }
    )
    return load_questionnaire_text(yaml.safe_dump(data, allow_unicode=True), "notes.yaml")


def test_a_free_text_answer_full_of_markup_comes_out_literal_fetching_nothing(
    renderer, fetched, http_hits, secret_file
):
    questionnaire = with_free_text_question()
    notes = " ".join(injection_text(t, http_hits, secret_file) for t in INJECTIONS[:6])
    answers = {**HOT, "notes": notes}
    for reader in (
        render_report(renderer, questionnaire, answers=answers),
        render_dossier(renderer, questionnaire, answers=answers),
    ):
        assert_says(reader, "Anything else?", notes)
        assert SECRET_TEXT not in text_of(reader)
        assert reader.attachments == {} and embedded_files(reader) == []
    assert http_hits.hits == []
    assert all(url.startswith(ASSETS.resolve().as_uri() + "/") for url in fetched), fetched


def raw_markup(http_hits, secret_file) -> str:
    """Markup as if it had escaped the templates: every way HTML and CSS fetch or embed."""
    data = base64.b64encode(SECRET_TEXT.encode()).decode()
    return (
        f'<link rel="stylesheet" href="{http_hits.url}/link.css">'
        f"<style>@import url({http_hits.url}/import.css);</style>"
        f'<link rel="attachment" href="file://{secret_file}">'
        f'<link rel="attachment" href="data:text/plain;base64,{data}">'
        f'<a rel="attachment" href="data:text/plain;base64,{data}">attached</a>'
        f'<a rel="attachment" href="{http_hits.url}/a.txt">attached too</a>'
        f'<img src="file://{secret_file}"><img src="{http_hits.url}/img.png">'
        f'<object data="{http_hits.url}/object.svg" type="image/svg+xml"></object>'
        f'<embed src="{http_hits.url}/embed.svg" type="image/svg+xml">'
        f'<iframe src="{http_hits.url}/frame.html"></iframe>'
        f'<div style="background: url({http_hits.url}/bg.png)">x</div>'
        '<img src="../report.html"><p>still renders</p>'
    )


def test_raw_markup_that_escaped_the_templates_still_fetches_and_embeds_nothing(
    renderer, fetched, http_hits, secret_file
):
    reader = PdfReader(io.BytesIO(renderer.write_pdf(raw_markup(http_hits, secret_file))))
    assert "still renders" in text_of(reader)
    assert SECRET_TEXT not in text_of(reader)
    assert http_hits.hits == []
    assert reader.attachments == {} and embedded_files(reader) == []
    assert set(fetched) >= {f"{http_hits.url}/link.css", f"file://{secret_file}"}


def test_the_fetch_and_embed_detectors_see_what_bare_weasyprint_does(http_hits, secret_file):
    """The control: WeasyPrint's own fetcher on the same markup hits the loopback server and
    embeds files, so an empty hit list and no embedded file above mean something."""
    pdf = weasyprint.HTML(string=raw_markup(http_hits, secret_file)).write_pdf()
    assert "/link.css" in http_hits.hits and "/import.css" in http_hits.hits
    assert len(embedded_files(PdfReader(io.BytesIO(pdf)))) >= 2


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


@pytest.mark.skipif(not has_font_for("zh-cn"), reason="no Chinese font installed (fonts-noto-cjk)")
def test_chinese_names_round_trip(renderer, questionnaire):
    prospect = Prospect(first_name="王", last_name="小明", company="北京数据科技有限公司")
    for reader in (
        render_report(renderer, questionnaire, prospect),
        render_dossier(renderer, questionnaire, prospect),
    ):
        assert_says(reader, "王 小明", "北京数据科技有限公司")


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
