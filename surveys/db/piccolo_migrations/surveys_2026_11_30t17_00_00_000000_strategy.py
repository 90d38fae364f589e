"""Targets per indicator and published reference figures (issue 15): two new tables, nothing else.

Their unique indexes follow in the next migration (``..._strategy_constraints``), written by hand
as in the first constraints migration.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import DoublePrecision, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T17:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "strategy targets and reference figures"

TARGET = ("IndicatorTarget", "indicator_target")
FIGURE = ("ReferenceFigure", "reference_figure")


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
    (TARGET, "instrument_key", Varchar, _params("", length=100)),
    (TARGET, "indicator", Varchar, _params("", length=100)),
    (TARGET, "op", Varchar, _params("", length=4)),
    (TARGET, "value", DoublePrecision, _params(None, null=True)),
    (TARGET, "year", Integer, _params(None, null=True)),
    (TARGET, "updated_at", Timestamptz, _params(TimestamptzNow())),
    (FIGURE, "instrument_key", Varchar, _params("", length=100)),
    (FIGURE, "indicator", Varchar, _params("", length=100)),
    (FIGURE, "source", Varchar, _params("", length=200)),
    (FIGURE, "year", Integer, _params(0)),
    (FIGURE, "value", DoublePrecision, _params(0.0)),
    (FIGURE, "n", Integer, _params(None, null=True)),
    (FIGURE, "ci_low", DoublePrecision, _params(None, null=True)),
    (FIGURE, "ci_high", DoublePrecision, _params(None, null=True)),
]

async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)
    for class_name, tablename in (TARGET, FIGURE):
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
    for (class_name, tablename), column, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name=class_name, tablename=tablename, column_name=column, db_column_name=column,
            column_class_name=column_class.__name__, column_class=column_class, params=params, schema=None,
        )
    return manager
