"""``qualify init``, ``qualify run`` and ``qualify reps``: set up and run the embedded default."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .config import defaults
from .db import get_db, upgrade_database

SAMPLE_REPS = Path(__file__).parent / "sample" / "reps.yaml"


def initialise(app) -> str:
    """Migrate the database, put the sample reps in place if none, load the reps."""
    from .services import Settings
    from .services.routing import ensure_fallback_owner, load_reps

    upgrade_database(app.config["DATABASE_URL"])
    reps_file = Path(app.config["REPS_FILE"])
    if not reps_file.exists():
        reps_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLE_REPS, reps_file)
    session = get_db(app).sessionmaker()
    with session:
        loaded = load_reps(session, reps_file)
        ensure_fallback_owner(session, Settings.from_config(app.config))
        session.commit()
    return f"database ready, {len(loaded)} reps loaded from {reps_file}"


@click.command()
@with_appcontext
def init() -> None:
    """Create or migrate the database and load the reps file."""
    click.echo(initialise(current_app))


@click.group()
def reps() -> None:
    """Sales reps."""


@reps.command("load")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def load(path: str | None) -> None:
    """Load reps from PATH (default: the configured REPS_FILE)."""
    from .services.routing import RepsFileError, load_reps

    try:
        loaded = load_reps(get_db(current_app).session, path or current_app.config["REPS_FILE"])
    except RepsFileError as exc:
        raise click.ClickException(str(exc)) from exc
    for rep in loaded:
        click.echo(f"{rep.email}: sectors {', '.join(rep.sectors)}; zones {', '.join(rep.zones)}"
                   f"{' (fallback owner)' if rep.is_fallback else ''}")


def base_url_configured(app) -> bool:
    """Whether BASE_URL was set (instance/config.py or QUALIFY_BASE_URL), not left at its
    default."""
    return app.config["BASE_URL"] != defaults(app.instance_path)["BASE_URL"] or bool(
        os.environ.get("QUALIFY_BASE_URL")
    )


def _link_host(host: str) -> str:
    """The host a link can name: a server bound to every interface is reached locally."""
    return "127.0.0.1" if host in ("", "0.0.0.0", "::") else (f"[{host}]" if ":" in host else host)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--web-workers", default=2, show_default=True, type=int)
@with_appcontext
def run(host: str, port: int, web_workers: int) -> None:
    """Set up, then serve the wizard (gunicorn) with the delivery worker beside it."""
    click.echo(initialise(current_app))
    first = sorted(p.questionnaire.id for p in current_app.extensions["qualify.questionnaires"].all())
    env = dict(os.environ)
    base_url = current_app.config["BASE_URL"]
    if not base_url_configured(current_app):
        # Links in emails (the rep's lead page, "finish later") must reach this server: with
        # --port 5077 and no BASE_URL they pointed at the default port 5000.
        base_url = env["QUALIFY_BASE_URL"] = f"http://{_link_host(host)}:{port}"
    children = [
        subprocess.Popen([sys.executable, "-m", "qualify.cli", "worker"], env=env),
        subprocess.Popen([
            sys.executable, "-m", "gunicorn", "--workers", str(web_workers), "--bind",
            f"{host}:{port}", "--access-logfile", "-", "qualify:create_app()",
        ], env=env),
    ]
    for questionnaire_id in first:
        click.echo(f"wizard: http://{host}:{port}/q/{questionnaire_id}")
    click.echo(f"links in emails: {base_url} (BASE_URL)")
    click.echo(f"emails: {current_app.config['OUTBOX_DIR'] if not current_app.config['MAIL_SERVER'] else 'SMTP ' + current_app.config['MAIL_SERVER']}")
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        # Stop everything when either child stops (or on Ctrl-C / SIGTERM).
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
