"""Step pages rendered once, filled per response.

Most of a step page is the same for every prospect: the questionnaire's texts, the labels
and options of the questions shown, the wizard's own words, the static URLs. The page is
rendered once per questionnaire version (content hash), language, step and set of questions
shown, through the very templates and macros of a normal render (``wizard/step.html``), with
slots where a response differs: its token in the URLs, the signed form token, the progress,
the diagnostic panel, and in each input what the prospect entered (``checked``,
``selected``, the value). A request only fills the slots in.

A page with something else to show (a field's errors, the expired-form notice, the "finish
later" box open with its errors) is rendered in full instead: those are rare.
"""

from __future__ import annotations

import re
import secrets
from collections import OrderedDict
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass

from markupsafe import Markup, escape

from .fields import FieldView

#: Slots are marked with a random word, so that no questionnaire text can look like one;
#: letters and digits only, so that URL building and HTML escaping leave a mark as it is.
_NONCE = secrets.token_hex(8)
_MARK = re.compile(f"q{_NONCE}s([0-9]+)e")
#: A response token as put into URLs unchanged (secrets.token_urlsafe).
_URL_SAFE = re.compile(r"[A-Za-z0-9_-]+")

_PAGES_KEY = "qualify.wizard.pages"
_PAGES_SIZE = 512


class _Slots:
    """Hands out slot marks while a page renders, remembering what each one stands for."""

    def __init__(self) -> None:
        self.slots: list[tuple] = []

    def mark(self, *slot) -> Markup:
        self.slots.append(slot)
        return Markup(f"q{_NONCE}s{len(self.slots) - 1}e")


class _SlotView:
    """A field view whose entered values are slots (the field itself: unbound, no errors)."""

    def __init__(self, view: FieldView, index: int, slots: _Slots):
        self._view, self._index, self._slots = view, index, slots

    def __getattr__(self, name):
        return getattr(self._view, name)

    def checked(self, value):
        return self._slots.mark("checked", self._index, value)

    def selected(self, value):
        return self._slots.mark("selected", self._index, value)

    def value_text(self):
        return self._slots.mark("value", self._index, None)


@dataclass(frozen=True)
class PageValues:
    """What a step page shows of one response."""

    token: str
    position: int
    total: int
    form_token: str
    panel: Markup


@dataclass(frozen=True)
class Page:
    """A rendered page cut at its slots: ``parts`` has one more item than ``slots``."""

    parts: tuple[str, ...]
    slots: tuple[tuple, ...]

    def fill(self, values: PageValues, views: Sequence[FieldView]) -> str:
        on = [view.on_values() for view in views]
        page = {
            "token": values.token,
            "position": str(escape(values.position)),
            "total": str(escape(values.total)),
            "form_token": str(escape(values.form_token)),
            "panel": values.panel,
        }
        parts = self.parts
        out = [parts[0]]
        append = out.append
        for number, (kind, index, value) in enumerate(self.slots, 1):
            if kind == "checked":
                append(" checked" if value in on[index] else "")
            elif kind == "selected":
                append(" selected" if value in on[index] else "")
            elif kind == "value":
                append(escape(views[index].value_text()))
            else:
                append(page[kind])
            append(parts[number])
        return "".join(out)


def can_fill(token: str, views: Sequence[FieldView]) -> bool:
    """Whether a pre-rendered page shows these fields as a full render would: none has an
    error (errors change the markup around an input), and the token needs no quoting."""
    return not any(view.field.errors for view in views) and bool(_URL_SAFE.fullmatch(token))


def step_page(
    app,
    key: tuple,
    views: Sequence[FieldView],
    render: Callable[[PageValues, list], str],
) -> Page:
    """The page for ``key`` (everything its static parts depend on), rendered with ``render``
    (given slot values and slot views in place of the response's) on first use."""
    pages: OrderedDict[tuple, Page] = app.extensions.setdefault(_PAGES_KEY, OrderedDict())
    page = pages.get(key)
    if page is not None:
        with suppress(KeyError):  # evicted meanwhile by another thread
            pages.move_to_end(key)
        return page
    slots = _Slots()
    values = PageValues(
        slots.mark("token", None, None),
        slots.mark("position", None, None),
        slots.mark("total", None, None),
        slots.mark("form_token", None, None),
        slots.mark("panel", None, None),
    )
    html = render(values, [_SlotView(view, i, slots) for i, view in enumerate(views)])
    cut = _MARK.split(html)
    page = Page(tuple(cut[0::2]), tuple(slots.slots[int(i)] for i in cut[1::2]))
    pages[key] = page
    while len(pages) > _PAGES_SIZE:
        pages.popitem(last=False)
    return page
