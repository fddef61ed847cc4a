"""Database engine and sessions: SQLAlchemy 2, SQLite in WAL mode by default."""

from __future__ import annotations

from flask import Flask, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Base(DeclarativeBase):
    pass


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL never corrupts the database; a power cut may lose the last
            # commits, not a process crash. FULL synced the disk on every wizard step.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """The app's engine and session factory; one session per app context."""

    def __init__(self, app: Flask | None = None):
        self.engine: Engine | None = None
        self.sessionmaker: sessionmaker[Session] | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"])
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        app.extensions["qualify.db"] = self
        app.teardown_appcontext(self._close_session)

    @property
    def session(self) -> Session:
        """The current app context's session, created on first use."""
        if "db_session" not in g:
            g.db_session = self.sessionmaker()
        return g.db_session

    @staticmethod
    def _close_session(_exc=None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def get_db(app: Flask) -> Database:
    return app.extensions["qualify.db"]


def alembic_config(url: str):
    """An Alembic config pointing at the bundled migrations and ``url``."""
    from pathlib import Path

    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str) -> None:
    """Bring the database at ``url`` to the latest migration."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")
