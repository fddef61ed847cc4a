"""Colour arithmetic for themes (WCAG contrast), shared by the wizard's theme stylesheet and
the report's branding. Pure: hex strings in, numbers and hex strings out."""

from __future__ import annotations

#: Text colours on a theme's primary colour: white, or a dark ink when white reads poorly.
LIGHT_INK = "#ffffff"
DARK_INK = "#1d2433"
#: WCAG AA contrast for normal text.
MIN_CONTRAST = 4.5


def ink_on(background: str) -> str:
    """White text on ``background`` if it is readable (AA), else dark text."""
    return LIGHT_INK if contrast(background, LIGHT_INK) >= MIN_CONTRAST else DARK_INK


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two hex colours."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def luminance(color: str) -> float:
    """The WCAG relative luminance of a hex colour ("#abc" or "#aabbcc")."""
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
