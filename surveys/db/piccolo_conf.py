"""Piccolo configuration module (``PICCOLO_CONF=surveys.db.piccolo_conf``).

``DB`` is set by :func:`surveys.db.engine.use_database`; when Piccolo's own CLI imports
this module directly, it is built from ``TRIVSEL_DATABASE_URL``.
"""

from __future__ import annotations

import os

from piccolo.conf.apps import AppRegistry

__all__ = ["APP_REGISTRY", "DB"]

APP_REGISTRY = AppRegistry(apps=["surveys.db.piccolo_app"])

DB = None
if os.environ.get("PICCOLO_CONF") == __name__ and os.environ.get("TRIVSEL_PICCOLO_CLI"):
    from surveys.db.urls import make_engine

    DB = make_engine(os.environ.get("TRIVSEL_DATABASE_URL", "sqlite:///data/trivsel.sqlite"))
