"""A questionnaire's theme as a stylesheet: its colours as the CSS custom properties that
``static/wizard.css`` reads. Served as a file, since CSP allows no inline style."""

from __future__ import annotations

from ..core.colours import DARK_INK, LIGHT_INK, MIN_CONTRAST, contrast, ink_on, luminance
from ..core.questionnaire import Theme

__all__ = ["DARK_INK", "LIGHT_INK", "MIN_CONTRAST", "contrast", "ink_on", "luminance", "theme_css"]


def theme_css(theme: Theme) -> str:
    """The stylesheet for ``theme`` (colours validated as hex by the model)."""
    lines = []
    if theme.primary_color:
        lines.append(f"  --accent: {theme.primary_color};")
        lines.append(f"  --accent-ink: {ink_on(theme.primary_color)};")
    if theme.accent_color:
        lines.append(f"  --accent-soft: {theme.accent_color};")
    if not lines:
        return "/* no theme colours: the defaults of wizard.css apply */\n"
    return ":root {\n" + "\n".join(lines) + "\n}\n"
