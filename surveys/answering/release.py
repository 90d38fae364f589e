"""Releasing held responses outside a submit: when a wave or event closes, and the periodic sweep.

A submit releases its group once k are held (``store``); what is left when a wave or event
closes is released here, all of it, shuffled, and every draft of the wave or event is deleted.
The sweep (at start-up and hourly, see ``server.pupil.routes``) does the same for waves and
events that closed by date, and deletes drafts older than :data:`DRAFT_MAX_AGE_DAYS`. On SQLite
the WAL is checkpointed and truncated afterwards, so the file does not replay a release.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from piccolo.engine.base import Engine

from surveys.answering.store.contract import Releaser
from surveys.answering.store.postgres_submits import release_ready
from surveys.answering.store.sqlite import release_group
from surveys.answering.store.sqlite_writer import connect
from surveys.db.tables import HeldResponse
from surveys.db.urls import is_sqlite

__all__ = ["DRAFT_MAX_AGE_DAYS", "Releases", "held_count", "release_closed", "sweep"]

DRAFT_MAX_AGE_DAYS = 14

_CLOSED_WAVES = "SELECT id FROM wave WHERE status = 'closed' OR (closes_on IS NOT NULL AND closes_on < {today})"
_CLOSED_EVENTS = "SELECT id FROM event WHERE status = 'closed'"
# Groups of open waves and events that hold k or more (a release after a submit that failed).
_FULL_GROUPS = "SELECT wave, event, school_class FROM held_response GROUP BY wave, event, school_class HAVING count(*) >= {k}"
_THRESHOLD = "SELECT suppression_threshold FROM organisation ORDER BY id LIMIT 1"


async def held_count(*, wave: int | None = None, event: int | None = None) -> int:
    """How many submitted answers wait for release (of a wave or event, or in all)."""
    query = HeldResponse.count()
    if wave is not None:
        query = query.where(HeldResponse.wave == wave)
    if event is not None:
        query = query.where(HeldResponse.event == event)
    return await query


class Releases:
    """The release rules for one app (console and CLI): close-and-release, the sweep, held counts."""

    def __init__(self, engine: Engine, releaser: Releaser) -> None:
        self.engine = engine
        self.releaser = releaser

    async def closed(self, *, wave: int | None = None, event: int | None = None) -> int:
        """After a wave or event was closed: release all it holds, delete its drafts."""
        return await release_closed(self.engine, self.releaser, wave=wave, event=event)

    async def sweep(self, today: dt.date | None = None) -> int:
        return await sweep(self.engine, self.releaser, today=today)

    async def held(self, *, wave: int | None = None, event: int | None = None) -> int:
        return await held_count(wave=wave, event=event)


async def release_closed(engine: Engine, releaser: Releaser, *, wave: int | None = None, event: int | None = None) -> int:
    """Release everything held for ``wave`` or ``event`` (closing it) and delete its drafts; how many."""
    where = ("wave", wave) if wave is not None else ("event", event)
    return await _run(engine, releaser, [where], stale_before=None)


async def sweep(engine: Engine, releaser: Releaser, *, today: dt.date | None = None) -> int:
    """Release what waves and events that have closed still hold, delete their drafts and drafts
    older than :data:`DRAFT_MAX_AGE_DAYS`; how many responses were released."""
    today = today or dt.date.today()
    return await _run(engine, releaser, None, stale_before=today - dt.timedelta(days=DRAFT_MAX_AGE_DAYS), today=today)


async def _run(engine: Engine, releaser: Releaser, targets: list[tuple[str, int | None]] | None, *,
               stale_before: dt.date | None, today: dt.date | None = None) -> int:
    if is_sqlite(engine):
        return await asyncio.to_thread(_run_sqlite, engine.path, releaser, targets, stale_before, today)  # type: ignore[attr-defined]
    return await _run_postgres(engine, releaser, targets, stale_before, today)


def _run_sqlite(path: str, releaser: Releaser, targets: Any, stale_before: dt.date | None, today: dt.date | None) -> int:
    connection = connect(path)
    released = 0
    try:
        connection.execute("BEGIN IMMEDIATE")
        if targets is None:
            targets = [("wave", row[0]) for row in connection.execute(_CLOSED_WAVES.format(today="?"), (str(today),))]
            targets += [("event", row[0]) for row in connection.execute(_CLOSED_EVENTS)]
        for column, value in targets:
            groups = connection.execute(
                f"SELECT DISTINCT wave, event, school_class FROM held_response WHERE {column} = ?", (value,)
            ).fetchall()
            for group in groups:
                released += release_group(connection, releaser, tuple(group), threshold=0)
            connection.execute(f"DELETE FROM draft WHERE {column} = ?", (value,))
        if stale_before is not None:
            connection.execute("DELETE FROM draft WHERE saved_on < ?", (stale_before.isoformat(),))
            row = connection.execute(_THRESHOLD).fetchone()
            k = releaser.threshold(row[0] if row else None)
            for group in connection.execute(_FULL_GROUPS.format(k="?"), (k,)).fetchall():
                released += release_group(connection, releaser, tuple(group), threshold=k)
        connection.execute("COMMIT")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        connection.close()
    return released


async def _run_postgres(engine: Engine, releaser: Releaser, targets: Any, stale_before: dt.date | None,
                        today: dt.date | None) -> int:
    import asyncpg

    connection = await asyncpg.connect(engine.config["dsn"])  # type: ignore[attr-defined]
    try:
        # Deleting a wave's drafts can meet a batch of draft saves that holds some of them in
        # another order: PostgreSQL then stops one of the two, and this one tries again.
        for attempt in range(5):
            try:
                return await _release_postgres(connection, releaser, targets, stale_before, today)
            except asyncpg.DeadlockDetectedError:
                if attempt == 4:
                    raise
                await asyncio.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")
    finally:
        await connection.close()


async def _release_postgres(connection: Any, releaser: Releaser, targets: Any, stale_before: dt.date | None,
                            today: dt.date | None) -> int:
    released = 0
    async with connection.transaction():
        if targets is None:
            targets = [("wave", r[0]) for r in await connection.fetch(_CLOSED_WAVES.format(today="$1::date"), today)]
            targets += [("event", r[0]) for r in await connection.fetch(_CLOSED_EVENTS)]
        for column, value in targets:
            groups = await connection.fetch(
                f"SELECT DISTINCT wave, event, school_class FROM held_response WHERE {column} = $1", value
            )
            released += await release_ready(connection, releaser, {tuple(g) for g in groups}, threshold=0)
            await connection.execute(f"DELETE FROM draft WHERE {column} = $1", value)
        if stale_before is not None:
            await connection.execute("DELETE FROM draft WHERE saved_on < $1", stale_before)
            k = releaser.threshold(await connection.fetchval(_THRESHOLD))
            full = await connection.fetch(_FULL_GROUPS.format(k="$1::int"), k)
            released += await release_ready(connection, releaser, {tuple(g) for g in full}, threshold=k)
    return released
