"""Configuration: defaults, then ``instance/config.py``, then ``QUALIFY_*`` environment
variables, then the test mapping. Read only inside ``create_app``."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def defaults(instance_path: str) -> dict:
    instance = Path(instance_path)
    return {
        "SECRET_KEY": None,  # generated once into instance/secret_key when not configured
        "DATABASE_URL": f"sqlite:///{instance / 'qualify.db'}",
        "QUEUE_URL": f"sqlite:///{instance / 'queue.db'}",  # or redis://host:6379/0, or "immediate"
        "QUESTIONNAIRES_DIR": str(PROJECT_ROOT / "questionnaires"),
        "REPORT_TEMPLATES_DIR": str(PROJECT_ROOT / "report_templates"),
        "STATIC_DIR": str(PROJECT_ROOT / "static"),
        "REPS_FILE": str(instance / "reps.yaml"),
        "OUTBOX_DIR": str(instance / "outbox"),
        "BASE_URL": "http://127.0.0.1:5000",
        "MAIL_SERVER": None,  # None: emails are written to OUTBOX_DIR as .eml files
        "MAIL_PORT": 25,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_TIMEOUT": 20,
        "MAIL_DEFAULT_SENDER": "qualify <no-reply@qualify.localhost>",
        "DELIVERY_MAX_ATTEMPTS": 8,
        "DELIVERY_RETRY_BASE_SECONDS": 30,
        "FALLBACK_OWNER": "sales-manager@qualify.localhost",
        "SLA_BUSINESS_HOURS": 8,
        "BUSINESS_TIMEZONE": "Europe/Paris",
        "BUSINESS_HOURS": [9, 18],
        "BUSINESS_COUNTRY": "FR",  # its public holidays stop the SLA clock ("" for none)
        "BLACKLIST_DOMAINS": [],
        "BLACKLIST_COMPANIES": [],
        "REP_LINK_MAX_AGE_DAYS": 14,
        "EMBED_ALLOWED_ORIGINS": [],  # may frame every questionnaire, besides its allowed_origins
        "EMBED_DEMO": False,  # serve the embed demo page /embed/demo (always in debug mode)
        "PREVIEW_ENABLED": False,  # marketers' /preview/<id> with the live qualification (always in debug mode)
        "QUESTIONNAIRES_RELOAD_SECONDS": 1.0,  # look for changed YAML files at most this often
        # A wizard post is a few KiB (answers are capped at 5,000 characters): a body over
        # this is refused (413) before it is read into memory.
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        # Bots and abuse (qualify.ratelimit, qualify.core.abuse):
        "PROXY_HOPS": 0,  # trusted proxies in front (X-Forwarded-For read only then): 0 or 1
        "RATE_LIMIT_STORAGE_URL": None,  # None: redis when QUEUE_URL is redis://, else memory
        "RATE_LIMIT_ENABLED": True,  # False only for benchmarks
        "RATE_LIMIT_START": "20 per minute; 200 per hour",  # Start posts per client address
        "RATE_LIMIT_STEPS": "60 per minute; 600 per hour",  # step posts per client address
        "RATE_LIMIT_LIVE": "240 per minute",  # live-panel posts per client address
        "WIZARD_MIN_SECONDS": 8.0,  # a submission sooner than this after Start is quarantined
        # Save and resume: partial responses (and their resume links) last this many days.
        "PARTIAL_RESPONSE_DAYS": 30,
        # Delivery and rendering bounds (qualify.delivery, qualify.reports.pool):
        "DELIVERY_SENDING_LEASE_SECONDS": 180.0,  # a claim's lease (render, then hand-over)
        "RENDER_TIMEOUT_SECONDS": 30.0,  # a render that takes longer is stopped: failed
        "RENDER_MEMORY_MB": 1024,  # a render process's address space (RLIMIT_AS)
    }


def _coerce(raw: str, default: object) -> object:
    """Read an environment string as the type of its default (lists and numbers as JSON)."""
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, list):
        raw = raw.strip()
        return json.loads(raw) if raw.startswith("[") else [p.strip() for p in raw.split(",") if p.strip()]
    return raw


def load_config(app: Flask, test_config: Mapping | None) -> None:
    os.makedirs(app.instance_path, exist_ok=True)
    base = defaults(app.instance_path)
    app.config.update(base)
    # The instance folder's config.py (not the package's own module of the same name).
    app.config.from_pyfile(os.path.join(app.instance_path, "config.py"), silent=True)
    for key, default in base.items():
        raw = os.environ.get(f"QUALIFY_{key}")
        if raw is not None:
            app.config[key] = _coerce(raw, default)
    if test_config:
        app.config.update(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))


def _instance_secret(instance: Path) -> str:
    """A random secret kept in the instance folder, so signed links survive restarts."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
