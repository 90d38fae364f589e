"""Database URLs to Piccolo engines: SQLite (the embedded default) and PostgreSQL.

``make_engine`` only builds the engine; :mod:`surveys.db.engine` opens it,
binds the tables to it and runs migrations.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

__all__ = ["SQLITE_BUSY_TIMEOUT_S", "is_sqlite", "make_engine"]

SQLITE_BUSY_TIMEOUT_S = 30.0


def make_engine(database_url: str) -> Engine:
    """An engine for a ``sqlite:///path`` or ``postgresql://`` URL."""
    scheme = urlsplit(database_url).scheme
    if scheme == "sqlite":
        path = Path(database_url[len("sqlite:///") :])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_S)
    if scheme in ("postgresql", "postgres"):
        return PostgresEngine(config={"dsn": database_url})
    raise ValueError(f"unsupported database URL scheme: {scheme!r}")


def is_sqlite(engine: Engine) -> bool:
    return isinstance(engine, SQLiteEngine)
