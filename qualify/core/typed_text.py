"""Text a person typed, cleaned before it is validated and stored.

Control characters carry nothing a prospect or a rep means to say, and NUL in particular
is refused by PostgreSQL's text columns (a NUL in a name was a 500 there, and stored as is
on SQLite). One-line inputs never hold a line break in a browser, so one that arrives
(a script, a paste through a proxy) becomes a space; U+2028/U+2029 count as line breaks.
"""

from __future__ import annotations

_CONTROLS = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]

_ONE_LINE = {**dict.fromkeys(_CONTROLS), ord("\t"): " ", ord("\n"): " ", ord("\r"): " "}
_ONE_LINE.update({0x2028: " ", 0x2029: " "})
_MULTI_LINE = {**dict.fromkeys(_CONTROLS), ord("\t"): "\t", ord("\n"): "\n"}
_MULTI_LINE.update({0x2028: "\n", 0x2029: "\n"})


def one_line(value):
    """A one-line answer: line breaks and tabs as spaces, other control characters removed,
    trimmed. Anything but text is returned unchanged."""
    if not isinstance(value, str):
        return value
    return value.translate(_ONE_LINE).strip()


def multi_line(value):
    """A multi-line answer: line breaks as ``\\n`` (a browser sends CR LF), tabs kept, other
    control characters removed, trimmed. Anything but text is returned unchanged."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(_MULTI_LINE).strip()
