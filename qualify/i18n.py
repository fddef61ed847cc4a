"""The app's own words in the prospect's language (Flask-Babel, English and French), locale
number formats, and questionnaires localised once per published version and language.

Questionnaire texts come from the YAML ``translations:`` (``qualify.core.translations``);
what the wizard itself says ("Next", "Step 2 of 5", error messages) comes from
``qualify/translations/<lang>/LC_MESSAGES/messages.po``, compiled to the committed ``.mo``
(``pybabel compile -d qualify/translations``; a test checks the two agree).
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from babel import numbers
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_locale, get_translations, refresh

from .core.questionnaire import Questionnaire
from .core.translations import localise

#: Languages the wizard's own words are translated into.
UI_LANGUAGES = ("en", "fr")
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"

_LOCALISED: OrderedDict[tuple[str, str, str], Questionnaire] = OrderedDict()
_LOCALISED_SIZE = 64


def init_app(app: Flask) -> None:
    """Set Flask-Babel up: the locale is the one the wizard picked for the response, else the
    browser's; ``percent`` formats a 0–100 score for that locale in templates."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    Babel(app, locale_selector=select_locale)
    # Flask-Babel's own callables look the catalogue up again on every {{ _() }} of a page.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _page_translations().ugettext(s),
        ngettext=lambda s, p, n: _page_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _page_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.filters["percent"] = format_score_percent
    app.jinja_env.globals["ui_language"] = ui_language


def select_locale() -> str:
    """The UI language: set by the page (``use_language``), else the browser's best."""
    language = g.get("ui_language")
    if language in UI_LANGUAGES:
        return language
    if has_request_context():
        return request.accept_languages.best_match(UI_LANGUAGES) or "en"
    return "en"


def use_language(language: str) -> None:
    """Speak ``language`` for the rest of the request (English when it is not translated)."""
    language = language if language in UI_LANGUAGES else "en"
    if g.get("ui_language") == language:
        return  # a view calls this several times: refreshing made Babel re-parse the locale
    g.ui_language = language
    refresh()  # Flask-Babel caches the locale per request


def _page_translations():
    """Flask-Babel's catalogue for the current locale, kept on ``g`` while the locale stays."""
    if not g:  # no app context: Flask-Babel's untranslated fallback
        return get_translations()
    locale = get_locale()
    cached = g.get("_ui_translations")
    if cached is None or cached[0] is not locale:
        cached = g._ui_translations = (locale, get_translations())
    return cached[1]


def ui_language() -> str:
    """The language code of the words being shown ("en", "fr"): for ``<html lang>``."""
    locale = get_locale()
    return locale.language if locale else "en"


def format_score_percent(value: float) -> str:
    """A 0–100 score as a percentage in the current locale: "85%", "85 %"."""
    locale = get_locale()
    return _format_percent(value, str(locale) if locale else None)


@lru_cache(maxsize=4096)
def _format_percent(value: float, locale: str | None) -> str:
    # Babel's number formatting was a tenth of a step page's time; scores are 0–100 integers.
    return numbers.format_percent(value / 100, locale=locale)


def localised_questionnaire(questionnaire: Questionnaire, version_key: str, language: str):
    """``questionnaire`` with its texts in ``language``, built once per published version
    (``version_key``: the file's content hash) and language; localising re-validates the
    whole model, too slow to do on every step (a French questionnaire read in French is a
    copy too, its texts typeset)."""
    key = (questionnaire.id, version_key, language)
    cached = _LOCALISED.get(key)
    if cached is None:
        cached = _LOCALISED[key] = localise(questionnaire, language)
        if len(_LOCALISED) > _LOCALISED_SIZE:
            _LOCALISED.popitem(last=False)
    _LOCALISED.move_to_end(key)
    return cached
