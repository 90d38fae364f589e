"""Draft saves on PostgreSQL, several in one statement.

Each page a pupil posts saves the sealed draft. Saved one by one, every save
is a pool checkout, a round trip and a commit of its own; under a class's
load the saves then queue for connections and the pupils feel it. Saves that
arrive while others are being written wait for the next statement and go
together (at most ``max_in_flight`` statements at a time), so a lone save
costs one statement and a burst costs a few:

    INSERT INTO draft ... SELECT ... FROM unnest(...)
    WHERE EXISTS (SELECT 1 FROM link WHERE id = b.link AND uses = 0 FOR SHARE)
    ON CONFLICT (key) DO UPDATE ... RETURNING key

The rule of a single save holds for each row: the link must still be unused,
and ``FOR SHARE`` makes a save wait for a concurrent submit of its link and
then see it used. A caller is answered only after the statement committed.
Rows go in link-id order, as the submitter locks links, so a batch and a
submit group never wait on each other in a cycle; a deadlock (with a wave's
drafts being deleted at its close) is retried. A save of a draft that a
statement in flight is writing waits for that statement, so the saves of one
draft land in the order they came. If the database refuses the statement for
one row, the rows are saved one by one so only that caller gets the error.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any

from surveys.db.availability import is_unavailable

__all__ = ["PostgresDraftSaves"]

_SAVE = """
INSERT INTO draft (key, sealed, wave, event, saved_on)
SELECT b.key, b.sealed, b.wave, b.event, b.saved_on
FROM unnest($1::varchar[], $2::bytea[], $3::int[], $4::int[], $5::date[], $6::int[])
     AS b(key, sealed, wave, event, saved_on, link)
WHERE EXISTS (SELECT 1 FROM link WHERE id = b.link AND uses = 0 FOR SHARE)
ON CONFLICT (key) DO UPDATE SET sealed = excluded.sealed, saved_on = excluded.saved_on
RETURNING key
"""


@dataclass
class _Save:
    link_id: int
    key: str
    sealed: bytes
    wave: int | None
    event: int | None
    today: dt.date
    future: asyncio.Future


class PostgresDraftSaves:
    """Writes the draft saves waiting at the moment in one statement."""

    def __init__(self, pool: Any, *, max_in_flight: int = 2) -> None:
        self._pool = pool
        self._max_in_flight = max_in_flight
        self._pending: list[_Save] = []
        self._in_flight = 0
        self._writing: set[str] = set()  # keys of the statements in flight
        self._scheduled = False
        self._running: set[asyncio.Task] = set()  # strong references to the statements in flight
        self.statements = 0
        self.saves = 0

    async def save(self, link_id: int, key: str, sealed: bytes, wave: int | None, event: int | None,
                   today: dt.date) -> bool:
        """True once the draft is committed; False if the link is used (nothing saved)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self._pending.append(_Save(link_id, key, sealed, wave, event, today, future))
        self._schedule(loop)
        return await future

    def _schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        # At the end of this turn of the loop, so the saves that arrive in it go together.
        if self._pending and not self._scheduled and self._in_flight < self._max_in_flight:
            self._scheduled = True
            loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._scheduled = False
        # A draft being written waits for that statement: a later save of it must not land first.
        batch = [item for item in self._pending if item.key not in self._writing]
        if not batch:
            return
        self._pending = [item for item in self._pending if item.key in self._writing]
        keys = {item.key for item in batch}
        self._writing |= keys
        self._in_flight += 1
        task = asyncio.ensure_future(self._write(batch))
        self._running.add(task)
        task.add_done_callback(lambda done: self._done(done, keys))

    def _done(self, task: asyncio.Task, keys: set[str]) -> None:
        self._running.discard(task)
        self._writing -= keys
        self._in_flight -= 1
        self._schedule(asyncio.get_running_loop())  # the saves that waited meanwhile

    async def _write(self, batch: list[_Save]) -> None:
        try:
            try:
                saved = await self._statement(batch)
            except Exception as exc:  # noqa: BLE001 - handed to the callers
                if len(batch) == 1 or is_unavailable(exc):
                    _fail(batch, exc)
                else:
                    await self._one_by_one(batch)
                return
            self.statements += 1
            self.saves += len(batch)
            for item in batch:
                if not item.future.done():
                    item.future.set_result(item.key in saved)
        finally:  # cancelled (the process is stopping): nobody is left waiting
            _fail(batch, RuntimeError("draft save cancelled"))

    async def _one_by_one(self, batch: list[_Save]) -> None:
        for item in batch:
            try:
                saved = await self._statement([item])
            except Exception as exc:  # noqa: BLE001 - that caller alone
                _fail([item], exc)
            else:
                if not item.future.done():
                    item.future.set_result(item.key in saved)

    async def _statement(self, batch: list[_Save]) -> set[str]:
        import asyncpg

        # One row per key (ON CONFLICT cannot touch a row twice): a later save of the same draft
        # replaces an earlier one, as it would have one after the other.
        latest = {item.key: item for item in batch}
        rows = sorted(latest.values(), key=lambda item: item.link_id)
        columns = (
            [r.key for r in rows], [r.sealed for r in rows], [r.wave for r in rows], [r.event for r in rows],
            [r.today for r in rows], [r.link_id for r in rows],
        )
        for attempt in range(5):
            try:
                return {row[0] for row in await self._pool.fetch(_SAVE, *columns)}
            except asyncpg.DeadlockDetectedError:
                if attempt == 4:
                    raise
                await asyncio.sleep(0.005 * (attempt + 1))
        raise AssertionError("unreachable")


def _fail(batch: list[_Save], exc: Exception) -> None:
    for item in batch:
        if not item.future.done():
            item.future.set_exception(exc)
