"""The ``qualify`` command line (also under ``flask --app qualify``)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def init_app(app: Flask) -> None:
    pass


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """qualify: turn a B2B self-diagnostic into a qualified, routed lead."""
