"""Cleaning what people type (pure: no app)."""

from __future__ import annotations

import pytest

from qualify.core.typed_text import multi_line, number_text, one_line


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("1,000", 1000),  # English thousands: it was read as 1.0
        ("1.000", 1000),
        ("1,000,000", 1_000_000),
        ("1.000.000", 1_000_000),
        ("1 200,5", 1200.5),
        ("1\u202f200,5", 1200.5),
        ("1,200.5", 1200.5),
        ("1.200,5", 1200.5),
        ("1'000", 1000),
        ("-1,000", -1000),
        ("2,5", 2.5),
        ("0,125", 0.125),
        ("1234,567", 1234.567),
        ("1,00", 1.0),
        ("  250  ", 250),
    ],
)
def test_a_number_is_read_with_its_separators_as_its_writer_meant_them(typed, meant):
    assert float(number_text(typed)) == meant


@pytest.mark.parametrize("typed", ["", "+", ",", "abc", "1,2,3.4.5"])
def test_what_is_no_number_stays_no_number(typed):
    with pytest.raises(ValueError):
        float(number_text(typed))


def test_one_line_text_loses_control_characters_and_line_breaks():
    assert one_line(" a\x00b\r\nc\td\x1b\u2028e\x85 ") == "ab  c d e"


def test_multi_line_text_keeps_its_line_breaks_as_newlines():
    assert multi_line(" a\x00b\r\nc\td\re\u2029f ") == "ab\nc\td\ne\nf"


@pytest.mark.parametrize("clean", [one_line, multi_line])
def test_bidirectional_overrides_and_isolates_are_removed_right_to_left_text_kept(clean):
    typed = "Acme\u202e Corp\u202c \u2067شركة\u2069 \u202bx\u202a"
    assert clean(typed) == "Acme Corp شركة x"
    assert clean("שלום עולם") == "שלום עולם"
    assert clean("a\u200fb") == "a\u200fb"  # a right-to-left mark reverses nothing: kept
