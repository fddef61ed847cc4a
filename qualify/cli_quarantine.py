"""``qualify quarantine``: the suspicious submissions held for review, and their release."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from .db import get_db
from .models import Lead
from .services import Settings


@click.group(invoke_without_command=True)
@click.pass_context
@with_appcontext
def quarantine(ctx: click.Context) -> None:
    """List quarantined leads (honeypot filled, completed too fast...) with the reason."""
    if ctx.invoked_subcommand is not None:
        return
    from .services.quarantine import list_quarantined

    listed = list_quarantined(get_db(current_app).session)
    if not listed:
        click.echo("No lead in quarantine.")
        return
    click.echo(f"{'id':>5}  {'quarantined (UTC)':<17}  {'questionnaire':<24}  email / reason")
    for lead, reason in listed:
        click.echo(
            f"{lead.id:>5}  {lead.created_at:%Y-%m-%d %H:%M}  {lead.questionnaire_id:<24}  "
            f"{lead.email or '(no email)'}\n{'':>7}{reason}"
        )
    click.echo(f"{len(listed)} lead(s) in quarantine.")


@quarantine.command()
@click.argument("lead_id", type=int)
@click.option("--by", "actor", default="marketing-ops", help="Who released it (stage event).")
@with_appcontext
def release(lead_id: int, actor: str) -> None:
    """Re-qualify quarantined lead LEAD_ID: score, stage, routing and emails as usual."""
    from .delivery import enqueue_delivery
    from .questionnaires import registry
    from .services.quarantine import NotQuarantinedError, release_lead

    session = get_db(current_app).session
    lead = session.get(Lead, lead_id)
    published = registry().get(lead.questionnaire_id) if lead is not None else None
    if lead is not None and published is None:
        click.echo(f"questionnaire {lead.questionnaire_id!r} is not published", err=True)
        sys.exit(1)
    try:
        outcome = release_lead(
            session, lead_id, published, Settings.from_config(current_app.config), actor
        )
    except NotQuarantinedError:
        click.echo(f"lead {lead_id} is not in quarantine", err=True)
        sys.exit(1)
    enqueue = enqueue_delivery(current_app)
    for delivery_id in outcome.delivery_ids:
        enqueue(delivery_id)
    click.echo(f"lead {lead_id} released: now {outcome.stage}")
