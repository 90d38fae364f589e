"""Unique indexes for the strategy tables: one target per (instrument_key, indicator), one
reference figure per (instrument_key, indicator, source, year). Unique indexes work on both engines."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T17:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "strategy constraints"

UNIQUE_INDEXES = [
    ("indicator_target_key", "indicator_target", "instrument_key, indicator"),
    ("reference_figure_key", "reference_figure", "instrument_key, indicator, source, year"),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for name, table, columns in UNIQUE_INDEXES:
            await engine.run_ddl(f'CREATE UNIQUE INDEX {name} ON "{table}" ({columns})')

    manager.add_raw(run)
    return manager
