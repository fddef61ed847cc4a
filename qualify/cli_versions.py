"""``qualify publish`` (a changed questionnaire needs a new version) and ``qualify rescore``
(replay leads under the current version; check old leads still score as they did)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .cli_questionnaires import format_error
from .core.loader import QuestionnaireError
from .db import get_db
from .services import Settings


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--bump", is_flag=True, help="Raise the version in the file when its content changed.")
@with_appcontext
def publish(paths: tuple[Path, ...], bump: bool) -> None:
    """Publish questionnaires: refuse a changed file that kept its published version."""
    from .services.versions import VersionNotBumpedError, publish_file

    files = []
    for path in paths or (Path(current_app.config["QUESTIONNAIRES_DIR"]),):
        files += sorted(p for p in path.glob("*.y*ml") if ".cases." not in p.name) if path.is_dir() else [path]
    session = get_db(current_app).session
    failed = False
    for file in files:
        try:
            result = publish_file(session, file, bump=bump)
        except QuestionnaireError as exc:
            session.rollback()
            for error in exc.errors:  # as qualify validate prints them
                click.echo(format_error(error), err=True)
            failed = True
            continue
        except VersionNotBumpedError as exc:
            session.rollback()
            click.echo(str(exc), err=True)
            failed = True
            continue
        state = "published" if result.new else "unchanged"
        click.echo(f"{state}: {file} ({result.questionnaire_id} v{result.version})")
    sys.exit(1 if failed else 0)


@click.command()
@click.option("--questionnaire", "questionnaire_id", help="Only leads of this questionnaire.")
@click.option("--apply", is_flag=True, help="Store the new scores and stages (default: report only).")
@click.option("--verify", is_flag=True, help="Check every lead re-scores exactly as it was scored.")
@with_appcontext
def rescore(questionnaire_id: str | None, apply: bool, verify: bool) -> None:
    """Replay leads under the current questionnaire versions and report what changed."""
    from .delivery import enqueue_delivery
    from .questionnaires import registry
    from .services.rescoring import replay_leads, verify_snapshots

    session = get_db(current_app).session
    settings = Settings.from_config(current_app.config)
    if verify:
        checked, mismatches = verify_snapshots(session, settings)
        for mismatch in mismatches:
            click.echo(f"lead {mismatch.lead_id} (snapshot {mismatch.snapshot_id}): {mismatch.what}")
        click.echo(f"{checked} leads re-scored as they were scored, {len(mismatches)} differ")
        sys.exit(1 if mismatches else 0)
    replays, dossiers = replay_leads(session, lambda qid: registry().get(qid), settings, questionnaire_id, apply)
    changed = [r for r in replays if r.changed]
    for r in changed:
        click.echo(
            f"lead {r.lead_id} {r.who}: {r.old_stage} {r.old_total:g} (v{r.old_version}) → "
            f"{r.new_stage} {r.new_total:g} (v{r.new_version})"
        )
    enqueue = enqueue_delivery(current_app)
    for delivery_id in dossiers:
        enqueue(delivery_id)
    verb = "applied" if apply else "would change (run with --apply to store)"
    click.echo(f"{len(replays)} leads replayed, {len(changed)} {verb}")
