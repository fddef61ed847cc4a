"""The wizard's own words ship in French: every message in the sources is translated, and
the committed ``.mo`` (what Flask-Babel reads) says what the ``.po`` says."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "qualify" / "translations" / "fr" / "LC_MESSAGES"
# The same sources as babel.cfg (pybabel extract -F babel.cfg -k lazy_gettext ...)
METHOD_MAP = [
    ("qualify/wizard/**.py", "python"),
    ("qualify/i18n.py", "python"),
    ("qualify/wizard/templates/**.html", "jinja2"),
]


def catalog_texts(catalog) -> dict[str, str]:
    return {m.id: m.string for m in catalog if m.id and not isinstance(m.id, tuple)}


def source_messages() -> set[str]:
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
    found = extract_from_dir(str(ROOT), METHOD_MAP, keywords=keywords)
    return {message for _file, _line, message, _comments, _context in found}


def test_every_message_of_the_wizard_has_a_french_translation():
    with (CATALOG / "messages.po").open("rb") as file:
        french = catalog_texts(read_po(file))
    untranslated = sorted(m for m in source_messages() if not french.get(m))
    assert untranslated == [], "run pybabel extract/update (see babel.cfg) and translate"


def test_the_compiled_catalogue_is_up_to_date_with_the_po_file():
    with (CATALOG / "messages.po").open("rb") as po, (CATALOG / "messages.mo").open("rb") as mo:
        assert catalog_texts(read_mo(mo)) == catalog_texts(read_po(po)), (
            "run: pybabel compile -d qualify/translations"
        )
