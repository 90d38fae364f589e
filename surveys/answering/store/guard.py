"""An answer store that says "the database is away" in one way: :class:`StoreUnavailable`.

Wraps either store. A connection, I/O, read-only or lock error (``surveys.db.availability``) of
any store call becomes ``StoreUnavailable`` and one log line (the operation and the error's type,
never a token, an answer or an address); everything else passes through unchanged. The stores'
pools and connections recover by themselves: asyncpg replaces broken connections, SQLite retries
the write in the next transaction.
"""

from __future__ import annotations

import functools
import inspect
import logging
from typing import Any

from surveys.db.availability import is_unavailable
from surveys.errors import StoreUnavailable

__all__ = ["GuardedStore"]

log = logging.getLogger("trivsel.store")



class GuardedStore:
    """``store`` with its database errors of the moment turned into ``StoreUnavailable``.

    Every coroutine method of the store is guarded (``start`` and ``stop`` too: a database that
    is away at start-up is reported the same way); other attributes pass through.
    """

    def __init__(self, store: Any) -> None:
        self.inner = store

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.inner, name)
        if inspect.iscoroutinefunction(value):
            value = _guarded(name, value)
            setattr(self, name, value)  # wrapped once, then found without __getattr__
        return value


def _guarded(name: str, call: Any) -> Any:
    @functools.wraps(call)
    async def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return await call(*args, **kwargs)
        except StoreUnavailable:
            raise
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            log.warning("database unavailable during %s (%s); the request can be tried again", name, type(exc).__name__)
            raise StoreUnavailable() from None

    return guarded
