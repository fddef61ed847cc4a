"""Signed form tokens (qualify.wizard.tokens): bound to one response and one step, expiring,
and refused whole when anything in them was changed."""

from __future__ import annotations

import pytest
from itsdangerous import TimestampSigner

from qualify.wizard.tokens import SALT, read_form_token, sign_form_token

TOKEN = "r" * 43
OTHER = "s" * 43


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield app


def test_a_token_reads_back_as_the_step_it_was_signed_for(request_context):
    assert read_form_token(sign_form_token(TOKEN, 3), TOKEN) == 3


def test_a_token_of_another_response_is_refused(request_context):
    assert read_form_token(sign_form_token(OTHER, 3), TOKEN) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t.replace(":3", ":4"),
        lambda t: "x" + t,
    ],
)
def test_a_changed_token_is_refused(request_context, change):
    assert read_form_token(change(sign_form_token(TOKEN, 3)), TOKEN) is None


def test_an_expired_token_is_refused(request_context):
    signed = sign_form_token(TOKEN, 2)
    request_context.config["WIZARD_FORM_MAX_AGE"] = -1
    assert read_form_token(signed, TOKEN) is None


@pytest.mark.parametrize(
    "payload", [f"{TOKEN}:", f"{TOKEN}:x", f"{TOKEN}:-1", f"{TOKEN}:٣", f"{TOKEN}:99999999", TOKEN]
)
def test_a_signed_payload_that_names_no_step_is_refused(request_context, payload):
    signer = TimestampSigner(request_context.config["SECRET_KEY"], salt=SALT)
    assert read_form_token(signer.sign(payload).decode(), TOKEN) is None


@pytest.mark.parametrize("junk", ["", "forged", "\x00", "é" * 50, "a.b.c"])
def test_junk_is_refused_without_an_error(request_context, junk):
    assert read_form_token(junk, TOKEN) is None
