"""The ``qualify`` command line (also under ``flask --app qualify``).

Commands live in one file per noun (cli_*.py) and are added to ``main`` here; ``init_app``
gives the same commands to ``flask --app qualify``.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from .cli_cases import schema, test_cases
from .cli_quarantine import quarantine
from .cli_questionnaires import validate
from .cli_responses import dropoff, purge
from .cli_scoring import score
from .cli_setup import init, reps, run
from .cli_versions import publish, rescore
from .cli_worker import deliveries, worker


def _create_app():
    from . import create_app

    return create_app()


@click.group(
    cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False
)
@click.version_option(package_name="qualify", message="%(prog)s %(version)s")
def main() -> None:
    """qualify: turn a B2B self-diagnostic into a qualified, routed lead."""


def init_app(app: Flask) -> None:
    # Under the name they have in ``main``: a plugin group (Flask-Limiter's "limiter", whose
    # click name is "cli") would otherwise be listed a second time as "cli".
    for name, command in main.commands.items():
        app.cli.add_command(command, name)


main.add_command(init)
main.add_command(run)
main.add_command(reps)
main.add_command(score)
main.add_command(test_cases)
main.add_command(schema)
main.add_command(publish)
main.add_command(rescore)
main.add_command(validate)
main.add_command(worker)
main.add_command(deliveries)
main.add_command(quarantine)
main.add_command(purge)
main.add_command(dropoff)

if __name__ == "__main__":
    main()
