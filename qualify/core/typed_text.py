"""Text a person typed, cleaned before it is validated and stored.

Control characters (bidirectional overrides included) carry nothing a prospect or a rep means to say, and NUL in particular
is refused by PostgreSQL's text columns (a NUL in a name was a 500 there, and stored as is
on SQLite). One-line inputs never hold a line break in a browser, so one that arrives
(a script, a paste through a proxy) becomes a space; U+2028/U+2029 count as line breaks.
"""

from __future__ import annotations

#: Control characters, and the bidirectional embeddings, overrides and isolates: an override
#: typed into a company drew what follows it backwards wherever it was shown (the dossier,
#: the rep page's title); right-to-left names need none of them to display right.
_BIDI_CONTROLS = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_CONTROLS = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *_BIDI_CONTROLS]

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


#: Spaces people put between thousands: plain, no-break, narrow no-break, thin.
_GROUP_SPACES = {ord(" "): None, 0x00A0: None, 0x202F: None, 0x2009: None, ord("'"): None}


def number_text(value: str) -> str:
    """A typed number with its separators read the way its writer meant them, for
    ``float()``: ``1 200,5`` and ``1,200.5`` and ``1.200,5`` are 1200.5; ``1,000`` and
    ``1.000`` are a thousand (a decimal comma read blindly made an English "1,000 employees"
    one employee); ``2,5`` and ``0,125`` keep their decimal comma.

    Rules: spaces and apostrophes group thousands; with both ``,`` and ``.``, the last one is
    the decimal point; a separator used more than once groups thousands; one used once is a
    thousands separator when exactly three digits follow it and one to three digits (not a
    lone 0) precede it, else a decimal point.
    """
    text = value.strip().translate(_GROUP_SPACES)
    sign = ""
    if text and text[0] in "+-":
        sign, text = text[0], text[1:]
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        group = "." if decimal == "," else ","
        text = text.replace(group, "").replace(decimal, ".")
    elif commas + dots > 1:
        text = text.replace("," if commas else ".", "")
    elif commas + dots == 1:
        separator = "," if commas else "."
        whole, _, part = text.partition(separator)
        grouping = len(part) == 3 and part.isdigit() and whole.isdigit()
        if grouping and 1 <= len(whole) <= 3 and whole != "0":
            text = whole + part
        else:
            text = f"{whole}.{part}"
    return sign + text
