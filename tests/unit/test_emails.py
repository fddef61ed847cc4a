"""Recognising one person by their email address (pure: no app, no database)."""

from __future__ import annotations

import pytest

from qualify.core.emails import email_domain, normalise_domain, normalise_email


@pytest.mark.parametrize(
    "spelling",
    ["claire@xn--bcher-kva.example", "Claire@Bücher.example", " claire@BÜCHER.example "],
)
def test_an_internationalised_domain_in_unicode_or_punycode_is_one_address(spelling):
    assert normalise_email(spelling) == "claire@xn--bcher-kva.example"
    assert email_domain(spelling) == "xn--bcher-kva.example"


def test_an_ascii_address_is_only_trimmed_and_lower_cased():
    assert normalise_email(" Claire.Dupont@BigCo.example ") == "claire.dupont@bigco.example"


@pytest.mark.parametrize("text", ["no-at-sign", "x@", "x@bücher.test"])
def test_what_is_no_deliverable_address_is_still_trimmed_and_lower_cased(text):
    assert normalise_email(f" {text.upper()} ") == text.upper().lower()


def test_a_configured_domain_is_normalised_the_same_way():
    assert normalise_domain("Bücher.example") == normalise_domain("XN--BCHER-KVA.example")
