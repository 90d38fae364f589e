"""Opening the database engine, binding the tables to it, transactions and migrations.

SQLite runs in WAL mode with a busy timeout, and writes use immediate
transactions (see :func:`write_transaction`). PostgreSQL uses a connection pool
that is opened and closed with the app.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import AsyncIterator

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from surveys.db import piccolo_conf
from surveys.db.tables import ALL_TABLES
from surveys.db.urls import make_engine

__all__ = [
    "close_database",
    "migrate",
    "open_database",
    "opened_database",
    "pending_migrations",
    "use_database",
    "write_transaction",
]

PICCOLO_CONF_MODULE = "surveys.db.piccolo_conf"


def use_database(engine: Engine) -> None:
    """Point every table, and Piccolo's migration machinery, at ``engine``."""
    os.environ["PICCOLO_CONF"] = PICCOLO_CONF_MODULE
    piccolo_conf.DB = engine
    for table in ALL_TABLES:
        table._meta.db = engine


async def open_database(engine: Engine, *, pool_size: int = 20) -> None:
    """Prepare the engine for serving: WAL on SQLite, a pool on PostgreSQL."""
    use_database(engine)
    if isinstance(engine, SQLiteEngine):
        await engine.run_ddl("PRAGMA journal_mode=WAL")
    elif isinstance(engine, PostgresEngine) and engine.pool is None:
        # No minimum: asyncpg's background refill races with requests after a restart (see the answer
        # store). One query now, so an unreachable database still fails here, at start.
        await engine.start_connection_pool(min_size=0, max_size=pool_size)
        try:
            await engine.pool.fetchval("SELECT 1")
        except BaseException:
            await engine.close_connection_pool()
            raise


async def close_database(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        await engine.close_connection_pool()


@contextlib.asynccontextmanager
async def opened_database(database_url: str, *, pool_size: int = 20) -> AsyncIterator[Engine]:
    """An engine for ``database_url``, open and bound to every table for the block, closed after."""
    engine = make_engine(database_url)
    await open_database(engine, pool_size=pool_size)
    try:
        yield engine
    finally:
        await close_database(engine)


@contextlib.asynccontextmanager
async def write_transaction(engine: Engine) -> AsyncIterator[object]:
    """A write transaction: ``BEGIN IMMEDIATE`` on SQLite so writers queue
    on the busy timeout instead of failing on lock upgrade."""
    if isinstance(engine, SQLiteEngine):
        async with engine.transaction(transaction_type=TransactionType.immediate) as transaction:
            yield transaction
    else:
        async with engine.transaction() as transaction:
            yield transaction


async def pending_migrations(engine: Engine) -> list[str]:
    """Ids of migrations not yet applied."""
    from piccolo.apps.migrations.commands.base import BaseMigrationManager
    from piccolo.apps.migrations.tables import Migration

    use_database(engine)
    Migration._meta.db = engine
    await Migration.create_table(if_not_exists=True).run()
    manager = BaseMigrationManager()
    app_config = manager.get_app_config("surveys")
    modules = manager.get_migration_modules(app_config.resolved_migrations_folder_path)
    applied = set(await Migration.get_migrations_which_ran(app_name="surveys"))
    return sorted(mid for mid in modules if mid not in applied)


async def migrate(engine: Engine, *, quiet: bool = True) -> list[str]:
    """Apply every pending migration; return the ids applied."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    pending = await pending_migrations(engine)
    if not pending:
        return []
    out = io.StringIO()
    with contextlib.redirect_stdout(out) if quiet else contextlib.nullcontext():
        result = await run_forwards(app_name="surveys")
    if not result.success:
        raise RuntimeError(f"migration failed: {result.message}\n{out.getvalue()}")
    return pending
