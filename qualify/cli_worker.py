"""``qualify worker`` (the queue consumer that renders and sends) and ``qualify deliveries``
(what was sent, is pending or failed, and why)."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from .db import get_db
from .delivery.deliveries import list_deliveries
from .delivery.queue import get_huey

STATES = ("pending", "sending", "sent", "failed")


class QuietSweep(logging.Filter):
    """Drop huey's routine INFO lines about the minutely sweep (three a minute, every minute,
    burying the deliveries); its warnings and errors, and every other task's lines, pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.INFO or "tasks.sweep" not in record.getMessage()


@click.command()
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
@with_appcontext
def worker(workers: int) -> None:
    """Run the queue worker: render and send emails, retry, sweep every minute."""
    from huey.consumer import Consumer

    from .delivery.deliveries import sweep_deliveries
    from .delivery.queue import get_tasks
    from .reports import get_render_pool
    from .reports.system import system_warnings

    app = current_app._get_current_object()
    if app.config["QUEUE_URL"] == "immediate":
        raise click.UsageError(
            "QUEUE_URL is 'immediate': tasks run in-process, there is nothing to consume"
        )
    # Failed deliveries are logged as errors: show them, with huey's own lines, on the console.
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(QuietSweep())
    # What the renderer needs from the system: said once, here, rather than found out from
    # slow renders or empty boxes in a prospect's name.
    for message in system_warnings():
        logging.getLogger("qualify.worker").warning(message)
    # One render process per thread, started now: each imports WeasyPrint and loads its fonts
    # once, renders one document at a time, and is bounded in time and memory.
    pool = get_render_pool(app, size=workers)
    pool.start()
    # Take back at once what a killed worker left (its lease ran out), rather than at the
    # first periodic sweep up to a minute from now.
    swept = sweep_deliveries(app, get_tasks(app).deliver)
    click.echo(
        f"qualify worker: {workers} threads, {pool.size} render processes"
        f" ({pool.limits.seconds:g} s, {pool.limits.memory_mb} MB each) on"
        f" {app.config['QUEUE_URL']}; {len(swept)} deliveries re-queued"
    )
    try:
        Consumer(get_huey(app), workers=workers, worker_type="thread", periodic=True).run()
    finally:
        pool.close()


@click.command()
@click.option("--state", type=click.Choice(STATES), help="Only deliveries in this state.")
@click.option("--limit", default=50, show_default=True, help="How many, newest first.")
@with_appcontext
def deliveries(state: str | None, limit: int) -> None:
    """List email deliveries: state, attempts, last error."""
    session = get_db(current_app).session
    rows = list_deliveries(session, state, limit)
    if not rows:
        click.echo("no deliveries")
        return
    click.echo(
        f"{'id':>5}  {'kind':<7}  {'state':<7}  {'tries':>5}  {'lead':>5}  recipient / last error"
    )
    for d in rows:
        if d.state == "sending":
            doing = f"handing over since {d.sent_at:%H:%M:%S}, " if d.sent_at else ""
            when = f"{doing}lease until {d.next_attempt_at:%Y-%m-%d %H:%M:%S}"
        elif d.sent_at:
            when = f"sent {d.sent_at:%Y-%m-%d %H:%M}"
        else:
            when = f"next {d.next_attempt_at:%Y-%m-%d %H:%M}"
        click.echo(
            f"{d.id:>5}  {d.kind:<7}  {d.state:<7}  {d.attempts:>5}  {d.lead_id or '-':>5}  {d.recipient} ({when} UTC)"
        )
        if d.last_error:
            style = "red" if d.state == "failed" else "yellow"
            click.secho(f"{'':>37}{d.last_error}", fg=style)
