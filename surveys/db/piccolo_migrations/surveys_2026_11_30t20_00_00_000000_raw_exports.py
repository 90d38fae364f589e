"""The audit of raw (full microdata) exports (issue 13): one new table, nothing else."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T20:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "raw export audit"

TABLE = ("RawExport", "raw_export")


def _params(default, *, null: bool = False, length: int | None = None) -> dict:
    params = {
        "default": default,
        "null": null,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }
    if length is not None:
        params["length"] = length
    return params


COLUMNS = [
    ("who", Varchar, _params("", length=320)),
    ("created_at", Timestamptz, _params(TimestamptzNow())),
    ("wave", Integer, _params(None, null=True)),
    ("event", Integer, _params(None, null=True)),
    ("selection", Varchar, _params("", length=200)),
    ("format", Varchar, _params("", length=10)),
    ("rows", Integer, _params(0)),
    ("reason", Text, _params("")),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)
    class_name, tablename = TABLE
    manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
    for column, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name=class_name, tablename=tablename, column_name=column, db_column_name=column,
            column_class_name=column_class.__name__, column_class=column_class, params=params, schema=None,
        )
    return manager
