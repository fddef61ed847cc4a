"""Questionnaire versions: a changed file must be bumped; every lead keeps the exact text it
was scored with; `qualify rescore` replays leads under the current version."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from factories import HOT_ANSWERS, answers, contact
from qualify.models import Lead, QuestionnaireSource
from qualify.questionnaires import registry
from qualify.services import Settings
from qualify.services.responses import save_answers, start_response, submit_response
from qualify.services.routing import load_reps
from qualify.services.versions import VersionNotBumpedError, publish_file, scored_questionnaire

BUNDLED = Path(__file__).resolve().parent.parent / "questionnaires" / "customer-data-maturity.yaml"
WEAK = answers(demo="no", project="exploring", timeline="6_12_months", triggers=["none"])


@pytest.fixture
def app_config(app_config, tmp_path):
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    # The bundled file as first published (version 1), whatever version it is at now.
    first = re.sub(r"(?m)^version: \d+$", "version: 1", BUNDLED.read_text(encoding="utf-8"))
    (folder / BUNDLED.name).write_text(first, encoding="utf-8")
    return {**app_config, "QUESTIONNAIRES_DIR": str(folder), "QUESTIONNAIRES_RELOAD_SECONDS": 0}


@pytest.fixture
def qfile(app) -> Path:
    return Path(app.config["QUESTIONNAIRES_DIR"]) / BUNDLED.name


def submit(app, session, values, email="claire.dupont@bigco.example"):
    published = registry(app).get("customer-data-maturity")
    q = published.questionnaire
    response = start_response(session, q.id, q.version)
    save_answers(session, response.token, {**values, **contact(email=email)})
    return submit_response(session, response.token, published, Settings())


def lower_sql_threshold(qfile: Path, version: int | None = None) -> None:
    text = qfile.read_text().replace(
        "thresholds: {mql: 40, sql: 70", "thresholds: {mql: 40, sql: 45"
    )
    if version:
        text = text.replace("\nversion: 1\n", f"\nversion: {version}\n")
    qfile.write_text(text)


def test_a_changed_file_that_kept_its_version_is_refused_with_the_version_to_write(session, qfile):
    publish_file(session, qfile)
    lower_sql_threshold(qfile)
    with pytest.raises(VersionNotBumpedError, match="write 'version: 2'"):
        publish_file(session, qfile)


def test_publish_bump_raises_the_version_in_the_file(session, qfile):
    publish_file(session, qfile)
    lower_sql_threshold(qfile)
    result = publish_file(session, qfile, bump=True)
    assert result.version == 2 and result.new
    assert "\nversion: 2\n" in qfile.read_text()
    assert publish_file(session, qfile).new is False  # publishing again changes nothing


def test_every_lead_keeps_the_exact_text_it_was_scored_with(app, session, qfile):
    submit(app, session, HOT_ANSWERS)
    snapshot = session.scalar(select(Lead)).latest_snapshot
    lower_sql_threshold(qfile, version=2)
    old = scored_questionnaire(session, snapshot.content_hash)
    assert old.version == 1 and old.thresholds.sql == 70


def test_rescore_reports_what_a_new_threshold_would_change_and_applies_it(
    app, session, qfile, runner
):
    load_reps(session, app.config["REPS_FILE"])
    submit(app, session, WEAK)  # FIT 95, total 47.5: MQL under sql 70
    assert session.scalar(select(Lead)).stage == "mql"
    lower_sql_threshold(qfile, version=2)

    dry = runner.invoke(args=["rescore"])
    assert "mql 47.5 (v1) → sql 47.5 (v2)" in dry.output
    assert "1 leads replayed, 1 would change" in dry.output
    session.expire_all()
    assert session.scalar(select(Lead)).stage == "mql"  # a dry run stores nothing


def test_rescore_apply_moves_and_routes_a_lead_that_becomes_sql(app, session, qfile, runner):
    load_reps(session, app.config["REPS_FILE"])
    submit(
        app,
        session,
        answers(demo="no", project="exploring", timeline="under_3_months", triggers=["none"]),
    )
    lead = session.scalar(select(Lead))
    before = lead.stage
    lower_sql_threshold(qfile, version=2)
    result = runner.invoke(args=["rescore", "--apply"])
    assert "→ " in result.output, result.output
    session.expire_all()
    lead = session.scalar(select(Lead))
    assert before == "mql" and lead.stage == "routed"
    assert [e.actor for e in lead.events][-1] == "qualify"  # the routing itself
    assert any(e.actor == "rescore" and e.to_stage == "sql" for e in lead.events)


def test_rescore_verify_finds_every_lead_scoring_as_it_was(app, session, qfile, runner):
    submit(app, session, HOT_ANSWERS)
    submit(app, session, WEAK, email="other@corp.example")
    lower_sql_threshold(qfile, version=2)  # the current version changed; old leads must not
    result = runner.invoke(args=["rescore", "--verify"])
    assert result.exit_code == 0, result.output
    assert "2 leads re-scored as they were scored, 0 differ" in result.output
    assert session.scalar(select(func.count(QuestionnaireSource.id))) == 1


def test_qualify_publish_refuses_an_unbumped_change_and_shows_a_broken_file_like_validate(
    qfile, runner
):
    assert runner.invoke(args=["publish"]).exit_code == 0
    lower_sql_threshold(qfile)
    refused = runner.invoke(args=["publish"])
    assert refused.exit_code == 1
    assert "version 1 was already published" in refused.output
    assert "write 'version: 2' (or run qualify publish --bump)" in refused.output
    text = qfile.read_text()
    qfile.write_text(text.replace("intent: [demo_request]", "intent: [demo_requets]", 1))
    line = 1 + text.splitlines().index(
        next(t for t in text.splitlines() if "intent: [demo_request]" in t)
    )
    broken = runner.invoke(args=["publish"])
    assert broken.exit_code == 1
    assert f"{qfile}:{line}:" in broken.output
    assert "unknown INTENT signal 'demo_requets'\n    hint: did you mean 'demo_request'?" in (
        broken.output
    )
