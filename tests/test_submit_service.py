"""The submit use case against the database: lead, snapshot, stage events, routing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from factories import HOT_ANSWERS, POOR_FIT_ANSWERS, answers, contact
from qualify.models import Assignment, Delivery, Lead, Rep, ScoreSnapshot, StageEvent
from qualify.services import Settings
from qualify.services.responses import save_answers, start_response, submit_response
from qualify.services.routing import load_reps


def submit(session, published, values, settings=None):
    q = published.questionnaire
    response = start_response(session, q.id, q.version, {"utm_source": "test"})
    save_answers(session, response.token, values, step=len(q.steps))
    return submit_response(session, response.token, published, settings or Settings()), response.token


def test_a_hot_lead_is_routed_to_the_matching_rep_with_an_sla(app, session, published):
    load_reps(session, app.config["REPS_FILE"])
    result, _ = submit(session, published, {**HOT_ANSWERS, **contact()})
    lead = session.get(Lead, result.lead_id)
    assert lead.stage == "routed"
    assignment = session.scalar(select(Assignment).where(Assignment.lead_id == lead.id))
    assert assignment.rep.email == "camille.martin@acme-data.example"  # saas + france
    assert assignment.sla_due_at > assignment.assigned_at
    stages = [e.to_stage for e in session.scalars(select(StageEvent).order_by(StageEvent.id))]
    assert stages == ["lead", "mql", "sql", "routed"]
    kinds = sorted(d.kind for d in session.scalars(select(Delivery)))
    assert kinds == ["dossier", "report"]
    snapshot = session.scalar(select(ScoreSnapshot))
    assert snapshot.questionnaire_version == published.questionnaire.version
    assert snapshot.content_hash == published.content_hash
    assert snapshot.details["stage"] == "sql"


def test_a_poor_fit_gets_only_the_prospect_report(app, session, published):
    load_reps(session, app.config["REPS_FILE"])
    result, _ = submit(session, published, {**POOR_FIT_ANSWERS, **contact()})
    assert result.stage == "lead"
    assert [d.kind for d in session.scalars(select(Delivery))] == ["report"]


def test_submitting_twice_creates_one_lead(app, session, published):
    result, token = submit(session, published, {**HOT_ANSWERS, **contact()})
    again = submit_response(session, token, published, Settings())
    assert again.already_submitted and again.lead_id == result.lead_id
    assert session.scalar(select(func.count(Lead.id))) == 1
    assert session.scalar(select(func.count(Delivery.id))) == len(result.delivery_ids)


def test_the_same_person_answering_again_merges_into_their_open_lead(app, session, published):
    first, _ = submit(session, published, {**answers(POOR_FIT_ANSWERS), **contact()})
    second, _ = submit(
        session, published, {**HOT_ANSWERS, **contact(email=" Claire.Dupont@BigCo.example ")}
    )
    assert second.lead_id == first.lead_id and not second.created
    assert session.scalar(select(func.count(Lead.id))) == 1
    assert session.get(Lead, first.lead_id).stage == "routed"


def test_a_blacklisted_domain_is_disqualified(app, session, published):
    settings = Settings(blacklist_domains=frozenset({"bigco.example"}))
    result, _ = submit(session, published, {**HOT_ANSWERS, **contact()}, settings)
    assert result.stage == "disqualified"


def test_with_no_matching_rep_the_fallback_owner_gets_the_lead(app, session, published):
    load_reps(session, app.config["REPS_FILE"])
    session.query(Rep).filter(Rep.email.like("camille%")).update({"away": True})
    session.commit()
    result, _ = submit(session, published, {**HOT_ANSWERS, **contact()})
    assignment = session.scalar(select(Assignment).where(Assignment.lead_id == result.lead_id))
    assert assignment.rep.is_fallback
    assert "fallback" in assignment.reason


def test_the_sla_clock_stops_on_the_teams_public_holidays(app, session, published):
    # Wed 24 Dec 2025, 16:00 UTC = 17:00 Paris: 1 h that day, Christmas off, 7 h on the 26th.
    load_reps(session, app.config["REPS_FILE"])
    q = published.questionnaire
    response = start_response(session, q.id, q.version, {})
    save_answers(session, response.token, {**HOT_ANSWERS, **contact()}, step=len(q.steps))
    christmas_eve = datetime(2025, 12, 24, 16, 0)
    result = submit_response(
        session, response.token, published, Settings(business_country="FR"), now=christmas_eve
    )
    assignment = session.scalar(select(Assignment).where(Assignment.lead_id == result.lead_id))
    assert assignment.sla_due_at == datetime(2025, 12, 26, 15, 0)  # 16:00 Paris


def test_without_a_business_country_every_weekday_counts(app, session, published):
    load_reps(session, app.config["REPS_FILE"])
    q = published.questionnaire
    response = start_response(session, q.id, q.version, {})
    save_answers(session, response.token, {**HOT_ANSWERS, **contact()}, step=len(q.steps))
    result = submit_response(
        session, response.token, published, Settings(), now=datetime(2025, 12, 24, 16, 0)
    )
    assignment = session.scalar(select(Assignment).where(Assignment.lead_id == result.lead_id))
    assert assignment.sla_due_at == datetime(2025, 12, 25, 15, 0)


def _answer_twice(session, published, days_between):
    """A "not now" submitted first, then a second response that leaves TIMING's question out."""
    q = published.questionnaire
    first_at = datetime(2026, 1, 5, 10, 0)
    values = {**answers(timeline="not_now"), **contact()}
    response = start_response(session, q.id, q.version, {})
    save_answers(session, response.token, values, step=len(q.steps))
    first = submit_response(session, response.token, published, Settings(), now=first_at)
    again = {k: v for k, v in {**HOT_ANSWERS, **contact()}.items() if k != "timeline"}
    response = start_response(session, q.id, q.version, {})
    save_answers(session, response.token, again, step=len(q.steps))
    later = first_at + timedelta(days=days_between)
    second = submit_response(session, response.token, published, Settings(), now=later)
    assert second.lead_id == first.lead_id
    return first, second


def test_a_not_now_answered_within_six_months_still_vetoes_a_merged_lead(app, session, published):
    load_reps(session, app.config["REPS_FILE"])
    first, second = _answer_twice(session, published, days_between=30)
    assert first.stage == "mql" and second.stage == "mql"


def test_a_not_now_older_than_six_months_no_longer_vetoes(app, session, published):
    load_reps(session, app.config["REPS_FILE"])
    first, second = _answer_twice(session, published, days_between=200)
    assert first.stage == "mql"
    assert second.stage == "routed"


def test_the_same_person_submitting_two_responses_at_once_gets_one_lead(
    app, session, published, monkeypatch
):
    """Two tabs (or a bot) submitting two responses with one email at the same moment: both
    look for the person's open lead before either has created it. One lead, not two."""
    import contextlib
    import threading

    from qualify.db import get_db
    from qualify.services import leads

    load_reps(session, app.config["REPS_FILE"])
    q = published.questionnaire
    tokens = []
    for _ in range(2):
        response = start_response(session, q.id, q.version, {})
        save_answers(session, response.token, {**HOT_ANSWERS, **contact()}, step=len(q.steps))
        tokens.append(response.token)
    found = leads.find_open_lead
    both_looked = threading.Barrier(2)

    def find_then_wait(own_session, email):
        lead = found(own_session, email)
        # the race: both have looked before either inserts (unless one is held back)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_looked.wait(timeout=3)
        return lead

    monkeypatch.setattr(leads, "find_open_lead", find_then_wait)
    results, errors = [], []

    def submit_one(token):
        own = get_db(app).sessionmaker()
        try:
            with app.app_context():
                results.append(submit_response(own, token, published, Settings()))
        except Exception as exc:  # reported below: the test must not hang or hide it
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=submit_one, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    session.expire_all()
    assert session.scalar(select(func.count(Lead.id))) == 1
    assert sorted(result.created for result in results) == [False, True]
    assert session.scalar(select(func.count(Delivery.id)).where(Delivery.kind == "dossier")) == 1


def test_one_person_typing_their_domain_in_unicode_then_punycode_has_one_lead(
    app, session, published
):
    first, _ = submit(session, published, {**HOT_ANSWERS, **contact(email="claire@bücher.example")})
    second, _ = submit(
        session, published, {**HOT_ANSWERS, **contact(email="Claire@xn--bcher-kva.example")}
    )
    assert second.lead_id == first.lead_id and not second.created


def test_a_blacklisted_domain_written_in_unicode_catches_its_punycode_spelling(
    app, session, published
):
    settings = Settings.from_config({**app.config, "BLACKLIST_DOMAINS": ["bücher.example"]})
    result, _ = submit(
        session,
        published,
        {**HOT_ANSWERS, **contact(email="claire@xn--bcher-kva.example")},
        settings,
    )
    assert result.stage == "disqualified"


def test_two_sqls_routed_at_once_never_give_a_rep_more_than_their_capacity(
    app, session, published, monkeypatch, tmp_path
):
    """Two different people, both SQL for the same rep, submitted at the same moment: both
    read the rep's open leads before either assignment exists. The rep has one place left:
    one lead goes to them, the other to the fallback owner."""
    import contextlib
    import threading

    from qualify.db import get_db
    from qualify.services import routing

    reps = tmp_path / "reps.yaml"
    reps.write_text(
        "reps:\n"
        "  - {name: Camille, email: camille@acme.example, sectors: [saas], zones: [france],"
        " capacity: 1}\n"
        "  - {name: Boss, email: boss@acme.example, fallback: true}\n"
    )
    load_reps(session, reps)
    # an earlier lead (not routed): the questionnaire's text is already kept, as it is on
    # any day but the first, so nothing else puts the two submissions in line
    submit(session, published, {**POOR_FIT_ANSWERS, **contact(email="early@bigco.example")})
    q = published.questionnaire
    tokens = []
    for n in range(2):
        response = start_response(session, q.id, q.version, {})
        values = {**HOT_ANSWERS, **contact(email=f"person{n}@bigco.example", company=f"Co{n}")}
        save_answers(session, response.token, values, step=len(q.steps))
        tokens.append(response.token)
    read = routing.rep_slots
    both_read = threading.Barrier(2)

    def read_then_wait(own_session):
        slots = read(own_session)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait(timeout=3)
        return slots

    monkeypatch.setattr(routing, "rep_slots", read_then_wait)
    errors = []

    def submit_one(token):
        own = get_db(app).sessionmaker()
        try:
            with app.app_context():
                submit_response(own, token, published, Settings())
        except Exception as exc:  # reported below: the test must not hang or hide it
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=submit_one, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    session.expire_all()
    owners = sorted(a.rep.email for a in session.scalars(select(Assignment)))
    assert owners == ["boss@acme.example", "camille@acme.example"]


def test_the_first_two_submissions_of_a_new_questionnaire_text_at_once_both_succeed(
    app, session, published, monkeypatch
):
    """Right after a questionnaire is published or edited, two prospects submit at the same
    moment: both find its text not yet kept and both insert it. The second insert was a
    unique violation, a 500 for that prospect on PostgreSQL."""
    import contextlib
    import threading

    from qualify.db import get_db
    from qualify.models import QuestionnaireSource
    from qualify.services import versions

    q = published.questionnaire
    tokens = []
    for n in range(2):
        response = start_response(session, q.id, q.version, {})
        values = {**POOR_FIT_ANSWERS, **contact(email=f"person{n}@bigco.example")}
        save_answers(session, response.token, values, step=len(q.steps))
        tokens.append(response.token)
    found = versions.find_source
    both_looked = threading.Barrier(2)

    def find_then_wait(own_session, digest):
        source = found(own_session, digest)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_looked.wait(timeout=3)
        return source

    monkeypatch.setattr(versions, "find_source", find_then_wait)
    errors, results = [], []

    def submit_one(token):
        own = get_db(app).sessionmaker()
        try:
            with app.app_context():
                results.append(submit_response(own, token, published, Settings()))
        except Exception as exc:  # reported below: the test must not hang or hide it
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=submit_one, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert len(results) == 2
    session.expire_all()
    assert session.scalar(select(func.count(QuestionnaireSource.id))) == 1
