"""qualify: turn a B2B self-diagnostic into a qualified, routed lead."""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Flask

from .config import PROJECT_ROOT, load_config


def create_app(test_config: Mapping | None = None) -> Flask:
    """The app factory: config, then each subsystem's ``init_app``."""
    instance_path = os.environ.get("QUALIFY_INSTANCE_PATH", str(PROJECT_ROOT / "instance"))
    app = Flask(__name__, instance_path=instance_path, static_folder=None)
    load_config(app, test_config)

    from . import cli, db, questionnaires, web
    from .delivery import queue

    db.Database(app)
    questionnaires.init_app(app)
    queue.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    return app
