"""Fixed-window rate limits kept in the database, so they hold across app processes.

A counter is one row per key; :func:`hit` counts an attempt and returns the
count in the current window in a single statement (an upsert with
``RETURNING``), so concurrent attempts can never slip past a limit together.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from surveys.db.tables import Throttle

__all__ = ["address_key", "forget", "hit", "prune", "undo"]

_HIT = (
    'INSERT INTO throttle ("key", window_start, "count") VALUES ({}, {}, 1) '
    'ON CONFLICT ("key") DO UPDATE SET "count" = CASE WHEN throttle.window_start = excluded.window_start '
    'THEN throttle."count" + 1 ELSE 1 END, window_start = excluded.window_start RETURNING "count"'
)


def _window(window_s: int, now: float | None) -> int:
    now = time.time() if now is None else now
    return int(now // window_s) * window_s


async def hit(key: str, *, window_s: int, now: float | None = None) -> int:
    """Count one attempt under ``key``; return how many there have been in this window."""
    rows = await Throttle.raw(_HIT, key, _window(window_s, now))
    return int(rows[0]["count"])


async def undo(key: str) -> None:
    """Take back one counted attempt (e.g. the attempt turned out to be a success)."""
    await Throttle.update({Throttle.count: Throttle.count - 1}).where((Throttle.key == key) & (Throttle.count > 0))


async def forget(key: str) -> None:
    await Throttle.delete().where(Throttle.key == key)


async def prune(older_than_s: int = 86_400, *, now: float | None = None) -> None:
    """Delete counters whose window ended long ago."""
    now = time.time() if now is None else now
    await Throttle.delete().where(Throttle.window_start < int(now) - older_than_s)


def address_key(secret: str, address: str | None) -> str:
    """A keyed hash of a client address: usable as a throttle key, useless as an address."""
    digest = hmac.new(secret.encode(), (address or "unknown").encode(), hashlib.sha256).hexdigest()
    return digest[:32]
