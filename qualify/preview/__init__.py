"""The marketer's preview: a questionnaire as the prospect sees it, beside its live
qualification (FIT, INTENT, TIMING, total, stage, checklist, reasons). Nothing is saved."""

from .views import bp

__all__ = ["bp"]
