"""``qualify purge`` (partial responses past their keeping time) and ``qualify dropoff``
(how far prospects get through each questionnaire)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from .db import get_db


@click.command()
@click.option(
    "--days",
    type=int,
    help="Keep partial responses this many days (default: PARTIAL_RESPONSE_DAYS).",
)
@with_appcontext
def purge(days: int | None) -> None:
    """Delete partial (unsubmitted) responses untouched for longer than the keeping time."""
    from .services.resume import purge_partial_responses

    days = days if days is not None else int(current_app.config["PARTIAL_RESPONSE_DAYS"])
    deleted = purge_partial_responses(get_db(current_app).session, days)
    click.echo(f"purged {deleted} partial response(s) older than {days} days")


@click.command()
@click.option("--questionnaire", "questionnaire_id", help="Only this questionnaire.")
@with_appcontext
def dropoff(questionnaire_id: str | None) -> None:
    """Per step: how many responses reached it and the share that stopped there."""
    from .core.dropoff import dropoff_by_step
    from .questionnaires import registry
    from .services.resume import step_counts

    session = get_db(current_app).session
    published_all = registry().all() if questionnaire_id is None else None
    ids = (
        [questionnaire_id]
        if questionnaire_id
        else sorted(p.questionnaire.id for p in published_all)
    )
    for qid in ids:
        published = registry().get(qid)
        if published is None:
            raise click.ClickException(f"questionnaire {qid!r} is not published")
        steps = published.questionnaire.steps
        titles = [s.title for s in steps] + [published.questionnaire.contact.title]
        rows = dropoff_by_step(step_counts(session, qid), len(titles))
        click.echo(f"{qid} ({rows[0].reached if rows else 0} responses)")
        click.echo(f"  {'step':>4}  {'reached':>7}  {'dropped':>7}  {'drop-off':>8}  title")
        for row, title in zip(rows, titles, strict=True):
            click.echo(
                f"  {row.step:>4}  {row.reached:>7}  {row.dropped:>7}  {row.rate:>8.1%}  {title}"
            )
