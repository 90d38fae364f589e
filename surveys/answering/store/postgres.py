"""The answer store on PostgreSQL: raw SQL on an asyncpg pool of the store's own.

Link lookups that arrive in the same event-loop turn are one query; draft
saves that arrive together are one statement
(:mod:`surveys.answering.store.postgres_drafts`); final submits are grouped
into shared transactions by :mod:`surveys.answering.store.postgres_submits`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from piccolo.engine.base import Engine

import datetime as dt

from surveys.answering.store.contract import (
    ORGANISATION_SQL,
    organisation_row,
    CONTEXT_SQL,
    Held,
    LinkContext,
    LinkKey,
    Releaser,
    load_json,
)
from surveys.answering.store.postgres_drafts import PostgresDraftSaves
from surveys.answering.store.postgres_submits import PostgresSubmitter

__all__ = ["PostgresAnswerStore"]


class PostgresAnswerStore:
    """Raw SQL on an asyncpg pool of the store's own.

    The pool is opened in ``start`` on the serving event loop (the engine's
    pool may belong to another loop, as in the test client), sized for a
    worker process; ``--workers N`` gives each process its own.
    """

    def __init__(self, engine: Engine, releaser: Releaser, *, pool_size: int = 20) -> None:
        self._releaser = releaser
        self._dsn = engine.config.get("dsn")  # type: ignore[attr-defined]
        self._pool_size = pool_size
        self._pool: Any = None
        self.submits: Any = None
        self.drafts: Any = None
        self._lookups: dict[str, _Lookups] = {}

    async def start(self) -> None:
        import asyncpg

        if self._pool is None:
            # ``reset``: the store never changes session state (no SET, LISTEN or advisory locks), so
            # a connection goes back to the pool without asyncpg's RESET ALL round trip per query
            # (an open transaction is still rolled back). ``min_size=0``: asyncpg (0.32) refills a
            # minimum in a background task that races with requests after a database restart
            # ("PoolConnectionHolder.connect() called while another connection already exists");
            # without a minimum, each request reconnects a broken connection itself.
            self._pool = await asyncpg.create_pool(
                dsn=self._dsn, min_size=0, max_size=self._pool_size, reset=_no_reset
            )
            self.submits = PostgresSubmitter(self._pool, self._releaser)
            self.drafts = PostgresDraftSaves(self._pool)
            self.submits.start()

    async def stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await self.submits.stop()
            await pool.close()
        self._lookups.clear()

    async def link_context(self, key: LinkKey, value: str | int, draft_key: str = "") -> LinkContext | None:
        # With and without a draft apart: within one kind a value always comes with the same draft key.
        kind = f"{key}:{bool(draft_key)}"
        lookups = self._lookups.get(kind)
        if lookups is None:
            lookups = self._lookups[kind] = _Lookups(self._pool, key)
        return await lookups.get(value, draft_key)

    async def instrument_definition(self, version_id: int) -> dict[str, Any] | None:
        value = await self._pool.fetchval("SELECT definition FROM instrument WHERE id = $1", version_id)
        return None if value is None else load_json(value)

    async def organisation(self) -> dict[str, Any] | None:
        row = await self._pool.fetchrow(ORGANISATION_SQL)
        return None if row is None else organisation_row(tuple(row))

    async def help_contacts(self) -> list[dict[str, str]]:
        value = await self._pool.fetchval("SELECT help_contacts FROM organisation ORDER BY id LIMIT 1")
        return [] if value is None else list(load_json(value))

    async def save_draft(self, link_id: int, draft_key: str, sealed: bytes, context: LinkContext, today: dt.date) -> bool:
        # Saved with the others of the moment; a save waits for a concurrent submit of the link and then sees it used.
        return await self.drafts.save(link_id, draft_key, sealed, context.wave, context.event, today)

    async def submit(self, link_id: int, draft_key: str, held: Held) -> bool:
        """Mark used (only if unused), hold the sealed answers, delete the draft, release a full group:
        one transaction, shared with the other submits of the moment (``postgres_submits``)."""
        return await self.submits.submit(link_id, draft_key, held)


class _Lookups:
    """Link lookups of one kind that arrive together are one query (``= ANY($1)``).

    Lookups asked for in the same turn of the event loop are sent together at
    the end of the turn: under load one round trip (and one pool checkout)
    serves many requests; alone, a lookup costs what a single query does.
    """

    def __init__(self, pool: Any, key: LinkKey) -> None:
        self._pool = pool
        self._pending: list[tuple[tuple[str | int, str], asyncio.Future]] = []
        self._running: set[asyncio.Future] = set()  # strong references to the fetches in flight
        kind = "int" if key == "id" else "varchar"
        # ``= ANY`` keeps the link lookup an index scan (a join on unnest scanned every link); each
        # link's draft key is the one at the same position in $2.
        self._sql = CONTEXT_SQL.replace("SELECT l.id,", f"SELECT l.{key} AS lookup_key, l.id,", 1).format(
            key=key, param=f"ANY($1::{kind}[])", draft=f"($2::varchar[])[array_position($1::{kind}[], l.{key})]"
        )

    async def get(self, value: str | int, draft_key: str) -> LinkContext | None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        if not self._pending:
            loop.call_soon(self._flush)
        self._pending.append(((value, draft_key), future))
        return await future

    def _flush(self) -> None:
        batch, self._pending = self._pending, []
        if batch:
            task = asyncio.ensure_future(self._fetch(batch))
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _fetch(self, batch: list[tuple[tuple[str | int, str], asyncio.Future]]) -> None:
        wanted = dict(pair for pair, _ in batch)  # a link's draft key follows from its value (both from its secret)
        try:
            rows = await self._pool.fetch(self._sql, list(wanted), list(wanted.values()))
        except BaseException as exc:  # noqa: BLE001 - every waiting request gets the error
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc if isinstance(exc, Exception) else RuntimeError("lookup cancelled"))
            if not isinstance(exc, Exception):
                raise
            return
        found = {row[0]: LinkContext.from_row(row[1:]) for row in rows}
        for (value, _), future in batch:
            if not future.done():
                future.set_result(found.get(value))


async def _no_reset(connection: Any) -> None:
    return None
