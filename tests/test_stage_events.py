"""Every stage change is an event whose why belongs to that change: a hot lead passing
through MQL on its way to SQL says why it is MQL, then why it is SQL, then where it went."""

from __future__ import annotations

from sqlalchemy import select

from factories import HOT_ANSWERS, POOR_FIT_ANSWERS, contact
from qualify.models import Lead
from qualify.services import Settings
from qualify.services.responses import save_answers, start_response, submit_response
from qualify.services.routing import load_reps


def submit(app, session, published, values) -> Lead:
    load_reps(session, app.config["REPS_FILE"])
    q = published.questionnaire
    response = start_response(session, q.id, q.version)
    save_answers(session, response.token, values, step=len(q.steps))
    result = submit_response(
        session, response.token, published, Settings.from_config(app.config), enqueue=lambda _: None
    )
    return session.get(Lead, result.lead_id)


def test_each_stage_event_of_a_hot_lead_gives_its_own_why(app, session, published):
    lead = submit(app, session, published, {**HOT_ANSWERS, **contact()})
    events = [(e.from_stage, e.to_stage, e.actor, e.reason) for e in lead.events]
    assert [(f, t) for f, t, _, _ in events] == [
        (None, "lead"),
        ("lead", "mql"),
        ("mql", "sql"),
        ("sql", "routed"),
    ]
    assert {actor for _, _, actor, _ in events} == {"qualify"}
    _, (_, _, _, to_mql), (_, _, _, to_sql), (_, _, _, routed) = events
    assert to_mql.startswith("MQL: total ") and "SQL" not in to_mql.replace("MQL", "")
    assert to_sql.startswith("SQL candidate: ") and "SQL: checklist passed" in to_sql
    assert "MQL threshold" not in to_sql
    assert routed.startswith("Routed: ")


def test_a_poor_fit_has_one_event_and_stays_a_lead(app, session, published):
    lead = submit(app, session, published, {**POOR_FIT_ANSWERS, **contact()})
    assert lead.stage == "lead"
    assert [(e.from_stage, e.to_stage) for e in lead.events] == [(None, "lead")]
    assert session.scalar(select(Lead.stage)) == "lead"
