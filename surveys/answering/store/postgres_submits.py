"""Final submits on PostgreSQL, grouped into shared transactions.

One asyncio task per app process takes every submit queued while it was busy
(waiting a few milliseconds for company when a group is small) and commits the
group in ONE transaction:

1. ``UPDATE link SET uses = 1 WHERE id = ANY(...) AND uses = 0`` marks the
   group's links (a conditional update; the ``link_single_use`` check
   constraint backs it up), so a link submitted twice is stored once;
2. the responses of the marked links are inserted in a random order by one
   multi-row ``INSERT`` (random ids, ``ON CONFLICT (id)`` draws again);
3. their drafts are deleted (a fresh statement, so a draft committed while
   step 1 waited for the link's row lock is seen and deleted too).

Callers are answered only after COMMIT. Why groups: every row a transaction
writes carries that transaction's id (``xmin``), and the heap keeps insertion
order. A submit of its own transaction would let anyone who can read the
tables join a response to its link through ``xmin``. In a group, one
transaction id stands for a set of links and a set of responses, in unrelated
orders. No per-submission SAVEPOINT on the normal path, deliberately: a
savepoint that writes gets its own sub-transaction id, which would pair each
link with its response again. Only when the multi-row insert fails (a response
the database refuses) is the group run again with a savepoint per response,
the links still marked together; a refused response's link is set back to
unused in the same transaction, and its caller gets the error alone.

A group of one (a lone submit at a quiet moment) still maps 1:1, so the links
are also *re-stamped*: shortly after a commit a separate transaction rewrites
``uses = 1`` on every used link of the classes (or events) that just had
submits. A link's visible row version then carries the re-stamp's
transaction id, shared with every other used link of its class, not the id
of the transaction that stored its response. This only rewrites rows that
are already used, so it never waits for, nor blocks, a submit.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from surveys.answering.store.contract import NewResponse, dump_json, new_response_id
from surveys.db.availability import is_unavailable

__all__ = ["PostgresSubmitter"]

log = logging.getLogger("trivsel.submits")

_MARK = "UPDATE link SET uses = 1 WHERE id = ANY($1::int[]) AND uses = 0 RETURNING id"
_INSERT = (
    "INSERT INTO response (id, instrument, wave, event, school, school_class, class_name, grade, year, language, "
    "submitted_on, source, answers) "
    "SELECT * FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::varchar[], "
    "$8::int[], $9::int[], $10::varchar[], $11::date[], $12::varchar[], $13::json[]) "
    "ON CONFLICT (id) DO NOTHING RETURNING id"
)
_UNMARK = "UPDATE link SET uses = 0 WHERE id = ANY($1::int[]) AND uses = 1"
_DROP_DRAFTS = "DELETE FROM draft WHERE link = ANY($1::int[])"
# The given links, plus every used link of the given classes (in the given waves) and of the given
# class-less events.
_RESTAMP = (
    "UPDATE link SET uses = 1 WHERE uses = 1 AND (id = ANY($1::int[]) "
    "OR id IN (SELECT id FROM link WHERE uses = 1 AND wave = ANY($4::int[]) AND school_class = ANY($2::int[]) LIMIT 5000) "
    "OR id IN (SELECT id FROM link WHERE uses = 1 AND school_class IS NULL AND event = ANY($3::int[]) LIMIT 5000))"
)

_shuffle = random.SystemRandom().shuffle


@dataclass
class _Job:
    link_id: int
    response: NewResponse
    future: asyncio.Future


@dataclass
class _Stamps:
    links: set[int] = field(default_factory=set)
    classes: set[int] = field(default_factory=set)
    waves: set[int] = field(default_factory=set)
    events: set[int] = field(default_factory=set)

    def add(self, job: _Job) -> None:
        self.links.add(job.link_id)
        if job.response.school_class is not None and job.response.wave is not None:
            self.classes.add(job.response.school_class)
            self.waves.add(job.response.wave)
        elif job.response.event is not None and job.response.school_class is None:
            self.events.add(job.response.event)

    def merge(self, other: _Stamps) -> None:
        self.links |= other.links
        self.classes |= other.classes
        self.waves |= other.waves
        self.events |= other.events


_STOP = object()


class PostgresSubmitter:
    """Groups concurrent submits into shared transactions on an asyncpg pool."""

    def __init__(
        self,
        pool: Any,
        *,
        window_s: float = 0.02,
        min_group: int = 16,
        max_batch: int = 500,
        restamp_after_s: float = 1.0,
    ) -> None:
        self._pool = pool
        self._window_s = window_s
        self._min_group = min_group
        self._max_batch = max_batch
        self._restamp_after_s = restamp_after_s
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._task: asyncio.Task | None = None
        self._restamper: asyncio.Task | None = None
        self._stamps = _Stamps()
        self._stamp_wanted = asyncio.Event()
        self.batches = 0
        self.jobs = 0
        self.restamps = 0

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="trivsel-pg-submits")
            self._restamper = asyncio.create_task(self._restamp_loop(), name="trivsel-pg-restamp")

    async def stop(self) -> None:
        """Commit every queued submit, re-stamp what is pending, then stop."""
        task, self._task = self._task, None
        if task is None:
            return
        self._queue.put_nowait(_STOP)
        await task
        restamper, self._restamper = self._restamper, None
        if restamper is not None:
            restamper.cancel()
            try:
                await restamper
            except asyncio.CancelledError:
                pass
        await self._restamp_now()

    async def submit(self, link_id: int, response: NewResponse) -> bool:
        """Queue a submit; True once it is committed, False if the link was already used."""
        if self._task is None:
            raise RuntimeError("the PostgreSQL submitter is not running")
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Job(link_id, response, future))
        return await future

    # ------------------------------------------------------------ the group loop
    def _drain(self, batch: list[_Job]) -> bool:
        """Move queued jobs into ``batch``; True if the stop marker was met."""
        while len(batch) < self._max_batch:
            try:
                item = self._queue.get_nowait()
            except asyncio.QueueEmpty:
                return False
            if item is _STOP:
                return True
            batch.append(item)
        return False

    async def _run(self) -> None:
        while True:
            first = await self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            stop = self._drain(batch)
            if not stop and len(batch) < self._min_group and self._window_s > 0:
                await asyncio.sleep(self._window_s)  # a little company for a small group
                stop = self._drain(batch)
            try:
                await self._commit(batch)
            except Exception:  # noqa: BLE001 - never let the loop die; callers were answered
                log.exception("submit group failed")
            if stop:
                return

    async def _commit(self, batch: list[_Job]) -> None:
        import asyncpg

        outcomes: list[tuple[bool, Any]] | None = None
        careful = False
        for attempt in range(6):
            try:
                async with self._pool.acquire() as connection:
                    async with connection.transaction():
                        outcomes = await self._apply(connection, batch, careful=careful)
                break
            except (asyncpg.DeadlockDetectedError, asyncpg.SerializationError) as exc:
                outcomes = [(False, exc)] * len(batch)
                await asyncio.sleep(0.005 * (attempt + 1))
            except asyncpg.PostgresError as exc:
                outcomes = [(False, exc)] * len(batch)
                if careful or is_unavailable(exc):  # the database is away: no retry on a broken connection
                    break
                careful = True  # a response the database refused: again, one savepoint per response
            except Exception as exc:  # noqa: BLE001 - connection lost etc.: the whole group failed
                outcomes = [(False, exc)] * len(batch)
                break
        assert outcomes is not None
        self.batches += 1
        self.jobs += len(batch)
        stored_any = False
        for job, (ok, value) in zip(batch, outcomes):
            if ok and value:
                self._stamps.add(job)
                stored_any = True
            if not job.future.done():
                if ok:
                    job.future.set_result(value)
                else:
                    job.future.set_exception(value)
        if stored_any:
            self._stamp_wanted.set()

    async def _apply(self, connection: Any, batch: Sequence[_Job], *, careful: bool) -> list[tuple[bool, Any]]:
        ids = sorted({job.link_id for job in batch})
        marked = {row[0] for row in await connection.fetch(_MARK, ids)}
        winner: dict[int, int] = {}  # link id -> index of the job that stores it
        for index, job in enumerate(batch):
            if job.link_id in marked and job.link_id not in winner:
                winner[job.link_id] = index
        order = list(winner.values())
        _shuffle(order)  # the heap keeps insertion order: make it say nothing
        failed: dict[int, Exception] = {}
        if not careful:
            await _insert(connection, [batch[i].response for i in order])
        else:
            for index in order:
                try:
                    async with connection.transaction():
                        await _insert(connection, [batch[index].response])
                except Exception as exc:  # noqa: BLE001 - handed to that caller alone
                    failed[batch[index].link_id] = exc
            if failed:
                await connection.execute(_UNMARK, sorted(failed))
        stored = [link_id for link_id in winner if link_id not in failed]
        if stored:
            await connection.execute(_DROP_DRAFTS, sorted(stored))
        outcomes: list[tuple[bool, Any]] = []
        for index, job in enumerate(batch):
            if job.link_id in failed:
                outcomes.append((False, failed[job.link_id]))  # the refused one, and repeats of it
            else:
                outcomes.append((True, winner.get(job.link_id) == index))
        return outcomes

    # ------------------------------------------------------------ re-stamping
    async def _restamp_loop(self) -> None:
        while True:
            await self._stamp_wanted.wait()
            await asyncio.sleep(self._restamp_after_s)
            await self._restamp_now()

    async def _restamp_now(self) -> None:
        self._stamp_wanted.clear()
        stamps, self._stamps = self._stamps, _Stamps()
        if not stamps.links:
            return
        try:
            async with self._pool.acquire() as connection:
                await connection.execute(
                    _RESTAMP, sorted(stamps.links), sorted(stamps.classes), sorted(stamps.events), sorted(stamps.waves)
                )
            self.restamps += 1
        except Exception as exc:  # noqa: BLE001 - try again with the next group
            log.warning("re-stamping used links failed (%s); will retry", type(exc).__name__)
            self._stamps.merge(stamps)
            self._stamp_wanted.set()


async def _insert(connection: Any, responses: list[NewResponse]) -> None:
    """Insert ``responses`` in the given order; a random id that is taken is drawn again."""
    pending = _distinct_ids(responses)
    for _ in range(5):
        if not pending:
            return
        columns = list(zip(*(_values(response) for response in pending)))
        taken = {row[0] for row in await connection.fetch(_INSERT, *columns)}
        pending = _distinct_ids([replace(r, id=new_response_id()) for r in pending if r.id not in taken])
    if pending:
        raise RuntimeError("could not draw a free response id")


def _distinct_ids(responses: list[NewResponse]) -> list[NewResponse]:
    seen: set[int] = set()
    out = []
    for response in responses:
        while response.id in seen:
            response = replace(response, id=new_response_id())
        seen.add(response.id)
        out.append(response)
    return out


def _values(response: NewResponse) -> tuple[object, ...]:
    return (response.id, response.instrument, response.wave, response.event, response.school, response.school_class,
            response.class_name, response.grade, response.year, response.language, response.submitted_on,
            response.source, dump_json(response.answers))
