"""Translations of every text a prospect reads, the prospect's language, theme and the
embed's allowed origins."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from test_format_example import EXAMPLE, load_text

from qualify.core.questionnaire import Questionnaire, Theme
from qualify.core.translations import languages, localise, pick_language, untranslated


@pytest.fixture
def full(tmp_path):
    """The full-format example, loaded."""
    return load_text(tmp_path, EXAMPLE)


def test_languages_list_the_own_one_first(full, questionnaire):
    assert languages(full) == ("en", "fr")
    assert languages(questionnaire) == ("en",)


def test_localise_replaces_the_translated_texts(full):
    fr = localise(full, "fr")
    assert fr.language == "fr"
    assert fr.title == "Exemple de format"
    assert fr.steps[0].title == "Votre entreprise"
    size = fr.question("company_size")
    assert size.label == "Combien de personnes travaillent dans votre entreprise\u202f?"  # typeset as French
    assert [c.label for c in size.choices] == ["1 à 49", "200–999", "1 000 ou plus"]
    assert fr.question("maturity").scale.min_label == "Tableurs"
    assert fr.contact.consent == "J'accepte."
    assert fr.contact.fields[0].label == "E-mail professionnel"
    assert fr.diagnostic.title == "Votre diagnostic"
    assert fr.diagnostic.dimensions[0].label == "Données"
    assert fr.diagnostic.dimensions[0].bands[0].title == "Faible"
    assert fr.diagnostic.bands[0].text == "Commencez ici."
    assert fr.next_step.text == "Réservez un appel."


def test_a_missing_translation_falls_back_to_the_own_language(full):
    fr = localise(full, "fr")
    assert fr.intro == "Six questions."
    assert fr.steps[1].title == "Your data"
    assert fr.question("industry").label == "Which industry?"
    assert fr.question("maturity").scale.max_label == "Unified"
    assert fr.diagnostic.dimensions[0].bands[0].text == "Start."
    assert fr.diagnostic.dimensions[1].label == "Momentum"


def test_localising_changes_no_value_nor_effect(full):
    fr = localise(full, "fr")
    assert [c.value for c in fr.question("company_size").choices] == ["1-49", "200-999", "1000+"]
    assert fr.question("company_size").choices[1].fit == "sql"
    assert fr.question("maturity").show_if == full.question("maturity").show_if
    assert fr.hidden_fields == full.hidden_fields


def test_the_own_or_an_unknown_language_gives_the_questionnaire_unchanged(full):
    assert localise(full, "en") is full
    assert localise(full, "de") is full


@pytest.mark.parametrize(
    ("requested", "browser", "expected"),
    [
        ("fr", None, "fr"),
        ("FR-ca", "en", "fr"),
        ("de", "fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        (None, "de-DE,en;q=0.5,fr;q=0.7", "fr"),
        (None, "de, it", "en"),
        (None, "fr;q=0", "en"),
        (None, None, "en"),
    ],
)
def test_the_prospect_language_comes_from_the_url_then_the_browser(
    full, requested, browser, expected
):
    assert pick_language(full, requested, browser) == expected


@pytest.mark.parametrize("color", ["#1A73E8", "#fa0"])
def test_a_hex_colour_is_accepted(color):
    assert Theme(primary_color=color).primary_color == color


@pytest.mark.parametrize(
    ("theme", "message"),
    [
        ({"primary_color": "blue"}, "'blue' is not a hex colour"),
        ({"accent_color": "#12345"}, "is not a hex colour"),
        ({"logo": "https://evil.example/logo.png"}, "not a plain file name under static/"),
        ({"logo": "../secrets/logo.png"}, "not a plain file name under static/"),
        ({"logo": "/etc/logo.png"}, "not a plain file name under static/"),
        ({"logo": "logos/acme.exe"}, "is not an image file"),
    ],
)
def test_a_bad_theme_is_refused(theme, message):
    with pytest.raises(ValidationError, match=message):
        Theme.model_validate(theme)


@pytest.mark.parametrize(
    "origin",
    [
        "https://example.com/embed",
        "https://example.com/",
        "ftp://example.com",
        "example.com",
        "https://Example.com",
        "javascript:alert(1)",
    ],
)
def test_an_allowed_origin_is_scheme_host_and_port_only(full, origin):
    data = full.model_dump(by_alias=True)
    with pytest.raises(ValidationError, match="is not an origin"):
        Questionnaire.model_validate({**data, "allowed_origins": [origin]})


def test_a_wildcard_subdomain_and_a_port_are_valid_origins(full):
    data = full.model_dump(by_alias=True)
    origins = ["https://*.example.com", "http://localhost:5000"]
    assert (
        Questionnaire.model_validate({**data, "allowed_origins": origins}).allowed_origins
        == origins
    )


def test_the_bundled_french_questionnaire_is_fully_translated_into_english():
    from pathlib import Path

    from qualify.core.loader import load_questionnaire

    paie = load_questionnaire(
        Path(__file__).resolve().parents[2] / "questionnaires" / "paie-rh-pme.yaml"
    )
    assert untranslated(paie, "en") == []
    assert untranslated(paie, "fr") == []  # its own language


def test_untranslated_lists_every_text_left_in_the_own_language(full):
    missing = untranslated(full, "fr")
    # The example translates only a few texts: a sample of what it leaves out, by path.
    assert "intro" in missing
    assert "questions.industry.label" in missing
    assert "questions.company_size.choices.200-999" in missing
    assert "questions.maturity.max_label" in missing
    assert "contact.fields.phone" in missing and "contact.title" in missing
    assert "next_step.title" in missing
    # What it does translate is not listed.
    assert "title" not in missing
    assert "questions.maturity.label" not in missing
    assert "questions.company_size.choices.1000+" not in missing
    assert "questions.maturity.min_label" not in missing
    assert "contact.fields.email" not in missing and "contact.consent" not in missing
    assert "steps[0].title" not in missing and "steps[1].title" in missing
    assert "diagnostic.dimensions.data.bands[0].title" not in missing
    assert "diagnostic.dimensions.data.bands[0].text" in missing
    # Localising leaves exactly those texts as they were.
    localised = localise(full, "fr")
    assert localised.intro == full.intro
    assert localised.question("industry").label == full.question("industry").label


@pytest.mark.parametrize("theme", ['{primary_color: "#0f766e"}', '{logo: "logos/acme.svg"}', "{}"])
def test_a_questionnaire_with_part_of_a_theme_is_localised_with_it(tmp_path, theme):
    """Localising validates the model again from its dump, where an unset theme entry is
    None: the file's check against empty entries (an unquoted #colour) must not refuse it."""
    text = EXAMPLE.replace(
        'theme: {primary_color: "#1a73e8", accent_color: "#f0a", logo: "logos/acme.svg"}',
        f"theme: {theme}",
    )
    assert text != EXAMPLE
    full = load_text(tmp_path, text)
    assert localise(full, "fr").theme == full.theme
