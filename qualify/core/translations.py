"""Questionnaires in the prospect's language: ``translations:`` applied over the texts.

Pure: a translated questionnaire is a new ``Questionnaire`` with the texts replaced; a text
a translation leaves out stays in the questionnaire's own language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .questionnaire import Questionnaire, Translation
from .typography import has_typography, typeset


def languages(questionnaire: Questionnaire) -> tuple[str, ...]:
    """The languages a prospect can read the questionnaire in, its own first."""
    return questionnaire.languages()


def pick_language(
    questionnaire: Questionnaire, requested: str | None = None, accept_language: str | None = None
) -> str:
    """The prospect's language: the one the embed URL asks for, else the browser's best
    offered one (``Accept-Language``), else the questionnaire's own."""
    offered = languages(questionnaire)
    for candidate in (requested, *browser_languages(accept_language)):
        code = (candidate or "").strip().lower()[:2]
        if code in offered:
            return code
    return questionnaire.language


def browser_languages(header: str | None) -> list[str]:
    """An ``Accept-Language`` header's languages, most wanted first."""
    weighted = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def localise(questionnaire: Questionnaire, language: str) -> Questionnaire:
    """The questionnaire with its prospect-facing texts in ``language``.

    Texts the translation leaves out fall back to the questionnaire's own; a language with
    no translation gives the questionnaire in its own language. The texts shown take their
    language's typography (French: unbreakable spaces before ``? : ; !``), so the wizard,
    the report and the emails read alike. Localise from the original, not from an already
    localised copy (its own texts are replaced there).
    """
    translation = questionnaire.translations.get(language)  # type: ignore[call-overload]
    own = language == questionnaire.language or translation is None
    shown_in = questionnaire.language if own else language
    if own and not has_typography(shown_in):
        return questionnaire
    data = questionnaire.model_dump(by_alias=True, exclude_unset=False)
    if not own:
        apply_texts(data, translation.model_dump(include={"title", "intro"}))
        apply_steps(data["steps"], translation)
        apply_contact(data["contact"], translation)
        apply_diagnostic(data["diagnostic"], translation)
        apply_texts(data["next_step"], translation.next_step.model_dump())
        data["language"] = language
    typeset_texts(data, shown_in)
    return Questionnaire.model_validate(data)


#: The keys holding a text a prospect reads, in the parts of a questionnaire they see (a
#: choice's value, a next step's url or a reason read by reps are left as written).
_READ_KEYS = frozenset(
    ("title", "intro", "label", "help", "placeholder", "min_label", "max_label", "consent", "text")
)
_READ_PARTS = ("steps", "contact", "diagnostic", "next_step")


def typeset_texts(data: dict[str, Any], language: str) -> None:
    """Give the prospect's texts in a dumped questionnaire ``language``'s typography (French:
    no line break before ``?``, ``:``…)."""

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in _READ_KEYS and isinstance(value, str):
                    node[key] = typeset(value, language)
                else:
                    walk(value)

    for key in ("title", "intro"):
        if isinstance(data.get(key), str):
            data[key] = typeset(data[key], language)
    for part in _READ_PARTS:
        walk(data.get(part))


def apply_texts(target: dict[str, Any], texts: Mapping[str, Any], keys: Iterable[str] = ()) -> None:
    """Replace ``target``'s text entries by the translated ones that are given."""
    for key in keys or texts:
        value = texts.get(key)
        if isinstance(value, str):
            target[key] = value


def apply_steps(steps: list[dict[str, Any]], translation: Translation) -> None:
    for step, text in zip(steps, translation.steps, strict=False):
        apply_texts(step, text.model_dump())
    for step in steps:
        for question in step["questions"]:
            text = translation.questions.get(question["id"])
            if text is not None:
                apply_question(question, text.model_dump())


def apply_question(question: dict[str, Any], text: Mapping[str, Any]) -> None:
    apply_texts(question, text, ("label", "help", "placeholder"))
    if question.get("scale") is not None:
        apply_texts(question["scale"], text, ("min_label", "max_label"))
    for choice in question["choices"]:
        apply_texts(choice, {"label": text["choices"].get(choice["value"])})


def apply_contact(contact: dict[str, Any], translation: Translation) -> None:
    texts = translation.contact
    apply_texts(contact, texts.model_dump(), ("title", "intro", "consent"))
    for field in contact["fields"]:
        apply_texts(field, {"label": texts.fields.get(field["name"])})


def apply_diagnostic(diagnostic: dict[str, Any], translation: Translation) -> None:
    texts = translation.diagnostic
    apply_texts(diagnostic, {"title": texts.title})
    apply_bands(diagnostic["bands"], texts.bands)
    for dimension in diagnostic["dimensions"]:
        text = texts.dimensions.get(dimension["id"])
        if text is not None:
            apply_texts(dimension, {"label": text.label})
            apply_bands(dimension["bands"], text.bands)


def apply_bands(bands: list[dict[str, Any]], texts: Iterable[Any]) -> None:
    for band, text in zip(bands, texts, strict=False):
        apply_texts(band, text.model_dump())


def untranslated(questionnaire: Questionnaire, language: str) -> list[str]:
    """The prospect-facing texts ``language``'s translation leaves in the questionnaire's
    own language, as paths (``questions.pays.help``); empty for the own language."""
    translation = questionnaire.translations.get(language)  # type: ignore[call-overload]
    if language == questionnaire.language:
        return []
    if translation is None:
        return ["the whole questionnaire"]
    missing: list[str] = []

    def need(path: str, own: object, given: object) -> None:
        if own and not given:
            missing.append(path)

    need("title", questionnaire.title, translation.title)
    need("intro", questionnaire.intro, translation.intro)
    for i, step in enumerate(questionnaire.steps):
        text = translation.steps[i] if i < len(translation.steps) else None
        need(f"steps[{i}].title", step.title, text and text.title)
        need(f"steps[{i}].intro", step.intro, text and text.intro)
    for question in questionnaire.questions():
        text = translation.questions.get(question.id)
        where = f"questions.{question.id}"
        for key in ("label", "help", "placeholder"):
            need(f"{where}.{key}", getattr(question, key), text and getattr(text, key))
        if question.scale is not None:
            for key in ("min_label", "max_label"):
                need(f"{where}.{key}", getattr(question.scale, key), text and getattr(text, key))
        for choice in question.choices:
            need(f"{where}.choices.{choice.value}", choice.label,
                 text and text.choices.get(choice.value))  # fmt: skip
    contact = translation.contact
    for key in ("title", "intro", "consent"):
        need(f"contact.{key}", getattr(questionnaire.contact, key), getattr(contact, key))
    for field in questionnaire.contact.fields:
        need(f"contact.fields.{field.name}", field.label, contact.fields.get(field.name))
    diagnostic = translation.diagnostic
    need("diagnostic.title", questionnaire.diagnostic.title, diagnostic.title)
    missing += untranslated_bands("diagnostic.bands", questionnaire.diagnostic.bands,
                                  diagnostic.bands)  # fmt: skip
    for dimension in questionnaire.diagnostic.dimensions:
        text = diagnostic.dimensions.get(dimension.id)
        where = f"diagnostic.dimensions.{dimension.id}"
        need(f"{where}.label", dimension.label, text and text.label)
        missing += untranslated_bands(f"{where}.bands", dimension.bands, text.bands if text else [])
    for key in ("title", "text"):
        need(f"next_step.{key}", getattr(questionnaire.next_step, key),
             getattr(translation.next_step, key))  # fmt: skip
    return missing


def untranslated_bands(path: str, bands: list[Any], texts: list[Any]) -> list[str]:
    missing = []
    for i, band in enumerate(bands):
        text = texts[i] if i < len(texts) else None
        for key in ("title", "text"):
            if getattr(band, key) and not (text and getattr(text, key)):
                missing.append(f"{path}[{i}].{key}")
    return missing
