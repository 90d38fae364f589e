"""Language tags up to 35 characters (BCP 47, e.g. ``sr-Latn`` or ``prs``) on responses and drafts (issue 16).

PostgreSQL widens the ``varchar(2)`` columns that exist (a draft may keep its language elsewhere,
e.g. inside sealed bytes); SQLite does not enforce a varchar's length, so there is nothing to do
there. Written by hand, as the constraints migrations are.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T20:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "language tags"

TABLES = ("response", "draft")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        if engine.engine_type != "postgres":
            return
        rows = await engine.run_ddl(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
            f"AND column_name = 'language' AND table_name IN ({', '.join(repr(t) for t in TABLES)})"
        )
        for table in sorted(row["table_name"] for row in rows):
            await engine.run_ddl(f'ALTER TABLE "{table}" ALTER COLUMN language TYPE VARCHAR(35)')

    manager.add_raw(run)
    return manager
