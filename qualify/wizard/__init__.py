"""The prospect's wizard: one page per step, state saved server-side under a response token."""

from . import resume  # noqa: F401  (adds the resume-link route to bp)
from .views import bp

__all__ = ["bp"]
