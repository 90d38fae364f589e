"""Multi-column unique constraints and single-use checks, for both engines.

Piccolo adds constraints with ``ALTER TABLE ... ADD CONSTRAINT``, which SQLite
cannot do, so they are written here by hand: unique indexes work on both
engines; the checks are CHECK constraints on PostgreSQL and triggers on SQLite.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-24T01:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "constraints"

UNIQUE_INDEXES = [
    ("school_class_school_name", "school_class", "school, name"),
    ("instrument_key_version", "instrument", "key, version"),
    ("wave_school_wave_school", "wave_school", "wave, school"),
    ("staff_user_school_user_school", "staff_user_school", "\"user\", school"),
]

INDEXES = [
    ("response_year", "response", "year"),
    ("response_wave", "response", "wave"),
    ("response_event", "response", "event"),
    ("link_wave_class", "link", "wave, school_class"),
    ("link_event", "link", "event"),
    ("link_class_session", "link", "class_session"),
]

# (name, table, condition that must hold)
CHECKS = [
    ("link_single_use", "link", "uses >= 0 AND uses <= 1"),
    ("class_session_capacity", "class_session", "issued >= 0 AND issued <= capacity"),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for name, table, columns in UNIQUE_INDEXES:
            await engine.run_ddl(f'CREATE UNIQUE INDEX {name} ON "{table}" ({columns})')
        for name, table, columns in INDEXES:
            await engine.run_ddl(f'CREATE INDEX {name} ON "{table}" ({columns})')
        for name, table, condition in CHECKS:
            if engine.engine_type == "sqlite":
                for event in ("INSERT", "UPDATE"):
                    await engine.run_ddl(
                        f'CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON "{table}" '
                        f"WHEN NOT ({condition.replace('uses', 'NEW.uses').replace('issued', 'NEW.issued').replace('capacity', 'NEW.capacity')}) "
                        f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"
                    )
            else:
                await engine.run_ddl(f'ALTER TABLE "{table}" ADD CONSTRAINT {name} CHECK ({condition})')

    manager.add_raw(run)
    return manager
