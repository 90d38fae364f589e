"""Rate limits kept in the database, so they hold across app processes.

A counter is one row per key. :func:`hit` counts an attempt in a fixed window and returns the
count in a single statement (an upsert with ``RETURNING``), so concurrent attempts can never slip
past a limit together. :func:`claim` is a backoff: a few attempts are free, then each must wait
longer after the one before; the claim and the wait it sets are one statement too. :func:`slot`
queues attempts one every few seconds. Client addresses are keyed per address for IPv4 and per
/64 for IPv6 (one subscriber's network), and only as a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
from collections.abc import Sequence
from dataclasses import dataclass

from surveys.db.tables import Throttle

__all__ = ["Backoff", "address_key", "claim", "client_network", "forget", "hit", "prune", "slot", "undo", "waits_until"]

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


def client_network(address: str | None) -> str:
    """What one client is: an IPv4 address, or the /64 of an IPv6 address (``2001:db8:1:2::/64``).

    One IPv6 subscriber usually gets a whole /64 (2^64 addresses), so limits per address would
    be no limits at all. An IPv4 address mapped into IPv6 counts as the IPv4 address.
    """
    try:
        parsed = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return address or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def address_key(secret: str, address: str | None) -> str:
    """A keyed hash of a client's network (:func:`client_network`): a throttle key, useless as an address."""
    digest = hmac.new(secret.encode(), client_network(address).encode(), hashlib.sha256).hexdigest()
    return digest[:32]


@dataclass(frozen=True)
class Backoff:
    """``free`` attempts, then waits of ``waits_s`` (the last one repeats); forgotten ``reset_s`` after."""

    free: int = 5
    waits_s: Sequence[int] = (30, 60, 120, 240, 480, 900)
    reset_s: int = 86_400

    def wait_after(self, count: int) -> int:
        """Seconds before the next attempt, after ``count`` attempts."""
        if count < self.free:
            return 0
        return self.waits_s[min(count - self.free, len(self.waits_s) - 1)]


def _claim_sql(backoff: Backoff, now: int) -> str:
    fresh = f"throttle.window_start < {now - backoff.reset_s}"
    count = f'(CASE WHEN {fresh} THEN 1 ELSE throttle."count" + 1 END)'
    cases = " ".join(
        f"WHEN {count} = {backoff.free + index} THEN {now + wait}" for index, wait in enumerate(backoff.waits_s[:-1])
    )
    not_before = (
        f"CASE WHEN {count} < {backoff.free} THEN {now} {cases} ELSE {now + backoff.waits_s[-1]} END"
    )
    return (
        'INSERT INTO throttle ("key", window_start, "count") VALUES ({}, ' f"{now + backoff.wait_after(1)}, 1) "
        f'ON CONFLICT ("key") DO UPDATE SET "count" = {count}, window_start = {not_before} '
        f'WHERE throttle.window_start <= {now} RETURNING "count"'
    )


async def claim(key: str, backoff: Backoff, *, now: float | None = None) -> bool:
    """Take one attempt under ``key``; False while the backoff says wait.

    The row's ``window_start`` holds when the next attempt may come. A claim sets it as if the
    attempt fails, in the same statement that checks it, so concurrent attempts cannot all slip
    through a free slot; a success should :func:`forget` the key.
    """
    moment = int(time.time() if now is None else now)
    return bool(await Throttle.raw(_claim_sql(backoff, moment), key))


async def waits_until(key: str) -> int:
    """When the next attempt under a backoff ``key`` may come (epoch seconds; 0 if now)."""
    row = await Throttle.select(Throttle.window_start).where(Throttle.key == key).first()
    return int(row["window_start"]) if row else 0


async def slot(key: str, *, every_s: int, max_wait_s: int, now: float | None = None) -> float | None:
    """A place in a queue that lets one attempt through every ``every_s`` seconds.

    Returns how long to wait for the place, or None when the queue is longer than ``max_wait_s``.
    """
    moment = int(time.time() if now is None else now)
    sql = (
        'INSERT INTO throttle ("key", window_start, "count") VALUES ({}, ' f"{moment}, 1) "
        f'ON CONFLICT ("key") DO UPDATE SET "count" = throttle."count" + 1, window_start = CASE '
        f"WHEN throttle.window_start + {every_s} > {moment} THEN throttle.window_start + {every_s} ELSE {moment} END "
        f"WHERE throttle.window_start + {every_s} <= {moment + max_wait_s} RETURNING window_start"
    )
    rows = await Throttle.raw(sql, key)
    if not rows:
        return None
    return max(0.0, int(rows[0]["window_start"]) - (time.time() if now is None else now))
