"""The embed kit's server side: who may frame the wizard (``framing``) and a demo landing
page showing both embed modes, served in development only."""

from .views import bp

__all__ = ["bp"]
