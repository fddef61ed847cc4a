"""French texts keep their space before ``? : ; ! %`` on the same line as the word: the space is
a no-break one (narrow before ``? ; ! %`` and inside guillemets), else a 360 px phone or the
PDF starts a line with a lone "?" ("Quel logiciel de paie utilisez-vous" / "?")."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualify.core.loader import load_questionnaire
from qualify.core.translations import localise
from qualify.core.typography import NARROW_NBSP, NBSP, french_spacing, typeset

PAIE = Path(__file__).resolve().parents[2] / "questionnaires" / "paie-rh-pme.yaml"


@pytest.mark.parametrize(
    ("written", "typeset_text"),
    [
        ("Quel logiciel utilisez-vous ?", f"Quel logiciel utilisez-vous{NARROW_NBSP}?"),
        ("Attention !", f"Attention{NARROW_NBSP}!"),
        ("trois jours ; puis", f"trois jours{NARROW_NBSP}; puis"),
        ("Erreur :", f"Erreur{NBSP}:"),
        ("100 %", f"100{NARROW_NBSP}%"),
        ("« Pas maintenant »", f"«{NARROW_NBSP}Pas maintenant{NARROW_NBSP}»"),
        ("deux espaces  ?", f"deux espaces{NARROW_NBSP}?"),
    ],
)
def test_the_space_before_french_punctuation_does_not_break(written, typeset_text):
    assert french_spacing(written) == typeset_text


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/rdv?utm_source=x",  # no space: a URL is left as written
        "à 10:30",
        "valable %(days)s jours",  # a gettext placeholder, not a percent sign
        "de %(min)d à %(max)d",
        "Tout sur papier",
    ],
)
def test_text_without_a_space_before_the_mark_is_left_alone(text):
    assert french_spacing(text) == text


def test_typesetting_twice_changes_nothing_more():
    once = french_spacing("Prêt ? Oui : « go » !")
    assert french_spacing(once) == once


def test_only_french_is_typeset():
    assert typeset("Ready ?", "en") == "Ready ?"
    assert typeset("Prêt ?", "fr") == f"Prêt{NARROW_NBSP}?"


def test_the_french_questionnaire_read_in_french_has_its_texts_typeset():
    paie = load_questionnaire(PAIE)
    french = localise(paie, "fr")
    assert (
        french.title == f"Votre paie et vos RH sont-elles prêtes pour la croissance{NARROW_NBSP}?"
    )
    assert french.question("logiciel_actuel").label.endswith(f"utilisez-vous{NARROW_NBSP}?")
    assert french.contact.title == f"Où envoyer votre rapport{NARROW_NBSP}?"
    dimension = next(d for d in french.diagnostic.dimensions if d.id == "organisation")
    assert f"impliquée{NBSP}: fixez" in dimension.bands[2].text
    # What is not read as text by the prospect stays as written: values, links, reasons.
    assert [c.value for c in french.question("effectif").choices] == [
        c.value for c in paie.question("effectif").choices
    ]
    assert french.next_step.url == paie.next_step.url
    assert french.review.reason == paie.review.reason
    # The file as loaded (scored, hashed, stored with each lead) is not changed.
    assert paie.title.endswith("croissance ?")


def test_the_english_translation_is_not_given_french_spaces():
    english = localise(load_questionnaire(PAIE), "en")
    assert english.title == "Are your payroll and HR ready to grow?"
    texts = [english.title, english.intro, english.contact.consent or ""]
    texts += [q.label for q in english.questions()]
    assert not any(NARROW_NBSP in text or NBSP in text for text in texts)
