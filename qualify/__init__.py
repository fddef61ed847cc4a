"""qualify: turn a B2B self-diagnostic into a qualified, routed lead.

Importing the package loads no framework (the pure core lives in ``qualify.core``);
``create_app`` imports Flask and the subsystems when called.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: Mapping | None = None) -> Flask:
    """The app factory: config, then each subsystem's ``init_app``."""
    import os

    from flask import Flask

    from . import cli, db, i18n, questionnaires, web
    from .config import PROJECT_ROOT, load_config
    from .delivery import queue

    instance_path = os.environ.get("QUALIFY_INSTANCE_PATH", str(PROJECT_ROOT / "instance"))
    app = Flask(__name__, instance_path=instance_path, static_folder=None)
    load_config(app, test_config)

    db.Database(app)
    questionnaires.init_app(app)
    queue.init_app(app)
    i18n.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    return app
