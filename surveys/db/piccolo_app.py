"""The Piccolo app holding trivsel's tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from surveys.db.tables import ALL_TABLES

__all__ = ["APP_CONFIG"]

APP_CONFIG = AppConfig(
    app_name="surveys",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=list(ALL_TABLES),
    migration_dependencies=[],
    commands=[],
)
