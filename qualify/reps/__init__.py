"""The sales rep's pages: the lead behind a signed, expiring link, first contact, feedback."""

from .views import bp

__all__ = ["bp"]
