"""The PostgreSQL server the benchmarks create their scratch databases on."""

from __future__ import annotations

import os

__all__ = ["PG_ADMIN", "pg_admin"]

PG_ADMIN = os.environ.get("TRIVSEL_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


async def pg_admin(sql: str) -> None:
    """Run one administrative statement (CREATE/DROP DATABASE) on the admin database."""
    import asyncpg

    connection = await asyncpg.connect(PG_ADMIN, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()
