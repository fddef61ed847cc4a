"""The prospect's wizard: one page per step, state saved server-side under a response token."""

from .views import bp

__all__ = ["bp"]
