"""The full questionnaire format in one small file, shared by the test_format_* tests.

``EXAMPLE`` uses every addition to version 1: dropdown, country zones, scale, long text,
show_if, hidden fields, checklist overrides, a review rule, translations, theme and the
embed's allowed origins.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from qualify.core.loader import LoadError, QuestionnaireError, load_questionnaire
from qualify.core.questionnaire import Questionnaire

EXAMPLE = textwrap.dedent("""\
    id: format-example
    version: 1
    language: en
    title: "Format example"
    intro: "Six questions."
    thresholds: {mql: 40, sql: 70, fast_track_fit: 60}
    fit_criteria:
      company_size: {label: "Company size", weight: 30}
      role: {label: "Contact role", weight: 20}
      geography: {label: "Geography", weight: 20}
      maturity: {label: "Data maturity", weight: 20}
      industry: {label: "Industry", weight: 10}
    routing: {sector: industry, zone: country}
    hidden_fields:
      utm_source:
      utm_campaign:
        values:
          enterprise-2026: {intent: [page_view]}
      partner:
        label: "Partner"
        criterion: industry
        values:
          retail-club: {fit: sql, reason: "sent by a retail partner"}
        other: {fit: mql, reason: "sent by a partner"}
    checklist:
      data_second_channel: {disabled: true}
      fit_core_zone: {item: "France or Europe", criterion: geography, levels: [sql, mql]}
    review:
      when_any:
        - {criterion: company_size, value_in: ["1000+"]}
        - {fit_completeness_below: 1.0}
    steps:
      - title: "Your company"
        questions:
          - id: company_size
            type: dropdown
            label: "How many people work at your company?"
            criterion: company_size
            choices:
              - {value: "1-49", label: "1–49", fit: none, reason: "too small"}
              - {value: "200-999", label: "200–999", fit: sql, reason: "the ICP range"}
              - {value: "1000+", label: "1,000 or more", fit: mql, reason: "enterprise"}
          - id: industry
            type: single
            label: "Which industry?"
            criterion: industry
            choices:
              - {value: saas, label: "Software", fit: sql}
              - {value: retail, label: "Retail", fit: sql}
              - {value: other, label: "Something else", fit: none}
          - id: country
            type: country
            label: "Where is your team based?"
            criterion: geography
            zones:
              france: {countries: [FR], fit: sql, reason: "our core zone"}
              europe: {countries: [DE, ES, IT, BE], fit: mql, reason: "a covered zone"}
            other: {fit: none, reason: "outside our zones"}
          - id: role
            type: single
            label: "Your role?"
            criterion: role
            choices:
              - {value: executive, label: "Executive", fit: sql}
              - {value: staff, label: "Staff", fit: none}
      - title: "Your data"
        questions:
          - id: tools
            type: single
            label: "Where does customer data live?"
            choices:
              - {value: crm, label: "A CRM", points: {data: 2}}
              - {value: spreadsheets, label: "Spreadsheets", points: {data: 0}}
          - id: project
            type: single
            label: "Is there a customer-data project?"
            choices:
              - {value: active, label: "Yes, with a deadline", timing: [active_project], points: {momentum: 2}}
              - {value: exploring, label: "We are exploring", points: {momentum: 1}}
              - {value: none, label: "No", points: {momentum: 0}}
          - id: maturity
            type: scale
            label: "How mature is your data?"
            criterion: maturity
            show_if: {question: project, in: [active, exploring]}
            scale: {min: 1, max: 5, min_label: "Spreadsheets", max_label: "Unified"}
            ranges:
              - {min: 1, max: 2, fit: none, reason: "early", points: {data: 0}}
              - {min: 3, max: 4, fit: mql, reason: "average", points: {data: 2}}
              - {min: 5, max: 5, fit: sql, reason: "advanced", points: {data: 4}}
          - id: details
            type: long_text
            label: "Tell us about the project"
            required: false
            show_if: {question: project, equals: active}
          - id: demo
            type: yes_no
            label: "Talk to an expert?"
            if_yes: {intent: [demo_request]}
    contact:
      fields:
        - {name: email, label: "Work email"}
        - {name: phone, label: "Phone", required: false}
      consent: "I agree."
    diagnostic:
      dimensions:
        - id: data
          label: "Data"
          bands:
            - {min: 0, max: 49, title: "Low", text: "Start."}
            - {min: 50, max: 100, title: "High", text: "Go."}
        - id: momentum
          label: "Momentum"
          bands:
            - {min: 0, max: 49, title: "Waiting", text: "Later."}
            - {min: 50, max: 100, title: "Moving", text: "Now."}
      bands:
        - {min: 0, max: 49, title: "Low", text: "Start here."}
        - {min: 50, max: 100, title: "High", text: "Keep going."}
    next_step:
      text: "Book a call."
    translations:
      fr:
        title: "Exemple de format"
        steps: [{title: "Votre entreprise"}]
        questions:
          company_size:
            label: "Combien de personnes travaillent dans votre entreprise ?"
            choices: {"1-49": "1 à 49", "1000+": "1 000 ou plus"}
          maturity: {label: "Quelle maturité ?", min_label: "Tableurs"}
        contact: {consent: "J'accepte.", fields: {email: "E-mail professionnel"}}
        diagnostic:
          title: "Votre diagnostic"
          dimensions: {data: {label: "Données", bands: [{title: "Faible"}]}}
          bands: [{text: "Commencez ici."}]
        next_step: {text: "Réservez un appel."}
    theme: {primary_color: "#1a73e8", accent_color: "#f0a", logo: "logos/acme.svg"}
    allowed_origins: ["https://www.example.com", "http://localhost:8000"]
""")

#: Answers that make the example's best lead.
HOT = {
    "company_size": "200-999",
    "industry": "saas",
    "country": "FR",
    "role": "executive",
    "tools": "crm",
    "project": "active",
    "maturity": 5,
    "details": "Migrating our CRM before summer.",
    "demo": "yes",
}


def example(old: str = "", new: str = "") -> str:
    """EXAMPLE with one piece of text replaced (which must be there)."""
    assert old in EXAMPLE, old
    return EXAMPLE.replace(old, new, 1) if old else EXAMPLE


def load_text(tmp_path: Path, text: str) -> Questionnaire:
    path = tmp_path / "example.yaml"
    path.write_text(text, encoding="utf-8")
    return load_questionnaire(path)


def load_errors(tmp_path: Path, text: str) -> list[LoadError]:
    with pytest.raises(QuestionnaireError) as caught:
        load_text(tmp_path, text)
    return caught.value.errors


@pytest.fixture
def full(tmp_path) -> Questionnaire:
    return load_text(tmp_path, EXAMPLE)


def test_the_full_format_example_loads(full):
    assert [q.type for q in full.questions()] == [
        "dropdown", "single", "country", "single", "single", "single", "scale", "long_text",
        "yes_no",
    ]  # fmt: skip
    assert full.question("details").max_length == 1000  # long text gets room by default
    assert full.theme.logo == "logos/acme.svg"
    assert full.allowed_origins == ["https://www.example.com", "http://localhost:8000"]


def test_a_scale_without_bounds_is_one_to_five(tmp_path):
    text = example('scale: {min: 1, max: 5, min_label: "Spreadsheets", max_label: "Unified"}', "")
    scale = load_text(tmp_path, text).question("maturity").scale
    assert (scale.min, scale.max) == (1, 5)
