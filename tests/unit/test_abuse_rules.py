"""What makes a submission suspicious: pure rules."""

from qualify.core.abuse import honeypot_reason, suspicion_reasons, too_fast_reason


def test_an_empty_or_blank_honeypot_is_human():
    assert honeypot_reason(None) is None and honeypot_reason("  ") is None
    assert "hidden field" in honeypot_reason("http://spam.example")


def test_faster_than_the_minimum_is_suspicious_and_a_zero_minimum_turns_it_off():
    assert too_fast_reason(3.2, 8) == "completed in 3.2 s, faster than the 8 s minimum"
    assert too_fast_reason(8, 8) is None
    assert too_fast_reason(0.1, 0) is None


def test_every_reason_is_kept_once_in_order():
    flags = ["the hidden field that humans leave empty was filled in"] * 2
    reasons = suspicion_reasons(flags, 1.0, 8)
    assert len(reasons) == 2 and reasons[0].startswith("the hidden field")
    assert suspicion_reasons([], 30, 8) == ()
