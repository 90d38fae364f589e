"""The municipality's privacy notice for pupils and staff (issue 14): one JSON column.

It holds who asks (the data controller), what the answers are used for, how long they are
kept and whom to contact; an empty object means the defaults in
``surveys.organisation.municipality``.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T19:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "organisation privacy notice"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Organisation",
        tablename="organisation",
        column_name="notice",
        db_column_name="notice",
        column_class_name="JSON",
        column_class=JSON,
        params={
            "default": "{}",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )
    return manager
