"""Shared fixtures. Every test that uses ``app`` runs twice: on SQLite and on PostgreSQL.

PostgreSQL comes from ``QUALIFY_TEST_POSTGRES_URL`` (default: the local server's ``test``
database, used only to create a throw-away database per run). Where no server answers, the
PostgreSQL half is skipped with a visible reason; with ``QUALIFY_REQUIRE_POSTGRES=1`` (CI)
it fails instead.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from qualify import create_app
from qualify.core.loader import load_questionnaire
from qualify.db import get_db, upgrade_database
from qualify.questionnaires import registry

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "questionnaires" / "customer-data-maturity.yaml"
POSTGRES_URL = os.environ.get(
    "QUALIFY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("QUALIFY_REQUIRE_POSTGRES") == "1"
TABLES = (
    "deliveries", "stage_events", "assignments", "score_snapshots", "answers", "responses",
    "leads", "reps", "questionnaire_sources",
)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test (migrating once is the slow part)."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    upgrade_database(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database():
    """A throw-away PostgreSQL database for this run, migrated once."""
    try:
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:  # no server, no driver, refused...
        message = f"PostgreSQL not reachable at {POSTGRES_URL}: {exc.__class__.__name__}"
        if REQUIRE_POSTGRES:
            pytest.fail(message + " (QUALIFY_REQUIRE_POSTGRES=1)")
        pytest.skip(message + ": PostgreSQL half of the suite skipped")
    name = f"qualify_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'create database "{name}"'))
    url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    upgrade_database(url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'drop database if exists "{name}" with (force)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, sqlite_template) -> str:
    if request.param == "sqlite":
        path = tmp_path / "qualify.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_database")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"truncate {', '.join(TABLES)} restart identity cascade"))
    engine.dispose()
    return url


@pytest.fixture
def app_config(tmp_path, database_url) -> dict:
    instance = tmp_path / "instance"
    instance.mkdir()
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "QUEUE_URL": "immediate",
        "OUTBOX_DIR": str(instance / "outbox"),
        "REPS_FILE": str(ROOT / "qualify" / "sample" / "reps.yaml"),
        "BASE_URL": "http://localhost",
        # Test walks take milliseconds: the minimum time to complete is tested on its own.
        "WIZARD_MIN_SECONDS": 0,
    }


@pytest.fixture
def app(app_config, tmp_path, monkeypatch):
    monkeypatch.setenv("QUALIFY_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(app_config)
    yield app
    get_db(app).engine.dispose()


@pytest.fixture
def session(app):
    with app.app_context():
        yield get_db(app).session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def published(app):
    """The bundled questionnaire as the app serves it."""
    return registry(app).get("customer-data-maturity")


@pytest.fixture(scope="session")
def questionnaire():
    """The bundled questionnaire, loaded without the app (for pure tests)."""
    return load_questionnaire(BUNDLED)
