"""``check_deliverable_address``: what the form accepts is what the mail path can send."""

from __future__ import annotations

import subprocess
import sys

import pytest

from qualify.core.addresses import AddressError, check_deliverable_address, is_reserved_domain


@pytest.mark.parametrize(
    "typed, sent",
    [
        ("claire.dupont@bigco.example", "claire.dupont@bigco.example"),
        ("  Claire@BigCo.Example ", "Claire@bigco.example"),  # domain lower-cased, trimmed
        ("claire@bücher.example", "claire@xn--bcher-kva.example"),  # IDN as punycode
        ("hina@データ.jp", "hina@xn--5ckp3n.jp"),
    ],
)
def test_an_address_is_normalised_with_an_internationalised_domain_in_punycode(typed, sent):
    assert check_deliverable_address(typed) == sent


@pytest.mark.parametrize(
    "typed, why",
    [
        ("jörg@bigco.example", "before the @-sign"),  # needs SMTPUTF8: the mail path can't
        ("claire@bigco", "period"),
        ("claire@localhost", "not valid"),
        ("claire@bigco.test", "special-use"),
        ('"claire dupont"@bigco.example', "Quoting"),
        ("claire@[127.0.0.1]", "IP address"),
        ("Claire <claire@bigco.example>", "display name|not valid|not allowed"),
        ("claire@bigco.example\r\nBcc: evil@x.example", "line break"),
        ("claire@bigco.example\nBcc:evil@x.example", "line break"),
        ("=?utf-8?q?x=0D=0ABcc:_a@b?=@bigco.example", "invalid characters"),
        ("", "required"),
        ("a" * 250 + "@bigco.example", "too long"),
    ],
)
def test_an_address_the_mail_path_cannot_send_to_is_refused_with_a_reason(typed, why):
    with pytest.raises(AddressError, match=why):
        check_deliverable_address(typed)


def test_reserved_domains_are_recognised():
    assert is_reserved_domain("ops@qualify.localhost") and is_reserved_domain("a@b.test")
    assert not is_reserved_domain("claire@bigco.example")


def test_the_address_check_loads_no_framework():
    code = (
        "import sys, qualify.core.addresses;"
        " print(sorted(m for m in ('flask', 'sqlalchemy', 'weasyprint') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
