"""Whether an error means "the database is away for now" (both drivers), not "this request is wrong".

A database restarting (PostgreSQL refuses or drops connections), a file that cannot be written
(SQLite: read-only, I/O error, disk full) or a lock held too long: the same request can succeed a
moment later, so callers answer 503 with Retry-After instead of 500. Anything else (a constraint,
a bug) is not this.
"""

from __future__ import annotations

import errno
import sqlite3

__all__ = ["is_unavailable"]

# SQLite's messages for SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_BUSY/LOCKED.
_SQLITE_AWAY = (
    "readonly database", "disk i/o error", "database or disk is full", "unable to open database file",
    "database is locked", "database table is locked",
)

# asyncpg's client-side errors on a connection the server dropped mid-operation: "connection is closed", "pool is closing", "not connected", "cannot switch to
# state …; another operation (…) is in progress" / "protocol is in the "failed" state".
_CLIENT_AWAY = ("closed", "closing", "not connected", "another operation", '"failed" state')
_NETWORK_ERRNOS = {errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EHOSTUNREACH, errno.ENETUNREACH,
                   errno.ETIMEDOUT, errno.EPIPE}


def is_unavailable(exc: BaseException) -> bool:
    """True for connection, I/O, read-only and lock errors of SQLite or PostgreSQL."""
    if isinstance(exc, sqlite3.OperationalError):
        message = str(exc).lower()
        return any(part in message for part in _SQLITE_AWAY)
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    if isinstance(exc, OSError):  # asyncio's "Multiple exceptions" when every address refused
        return exc.errno in _NETWORK_ERRNOS or str(exc).startswith("Multiple exceptions")
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(exc, (
        asyncpg.PostgresConnectionError,  # refused, "the database system is starting up", …
        asyncpg.ConnectionDoesNotExistError,
        asyncpg.exceptions.OperatorInterventionError,  # admin or crash shutdown of the server
        asyncpg.exceptions.InsufficientResourcesError,  # too many connections, disk full
        asyncpg.exceptions.ReadOnlySQLTransactionError,  # a standby while failing over
    )) or (
        isinstance(exc, (asyncpg.InterfaceError, asyncpg.exceptions.InternalClientError))
        and any(part in str(exc) for part in _CLIENT_AWAY)
    )
