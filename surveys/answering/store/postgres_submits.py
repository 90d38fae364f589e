"""Final submits on PostgreSQL, grouped into shared transactions.

One asyncio task per app process takes every submit queued while it was busy
(waiting a few milliseconds for company when a group is small) and commits the
group in ONE transaction:

1. ``UPDATE link SET uses = 1 WHERE id = ANY(...) AND uses = 0`` marks the
   group's links (a conditional update; the ``link_single_use`` check
   constraint backs it up), so a link submitted twice is stored once;
2. the sealed answers of the marked links go to ``held_response`` (one
   multi-row ``INSERT``), and their drafts are deleted;
3. after COMMIT (and after the callers are answered), every group (wave and
   class, or event) that now holds at least k is released in a transaction of
   its own: ``DELETE ... RETURNING`` takes its held rows (a concurrent release in
   another process gets none of them), they are opened, shuffled and inserted
   into ``response`` with fresh random ids.

Callers are answered only after COMMIT. Every row a transaction writes carries
that transaction's id (``xmin``) and the heap keeps insertion order, so a
response must never be written by the transaction that marks its link alone:
it is written by a release, with the k or more responses of its group, in a
random order, in a transaction that marks no link. (Before, used links were
re-stamped a second later to hide a shared ``xmin``; the release makes that
unnecessary.) A release that fails leaves the rows held: the group's next submit,
a close or the hourly sweep releases them. No per-submission SAVEPOINT on the normal path: only when
the multi-row insert fails is the group run again with a savepoint per held row,
and a refused one's link is set back to unused.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from surveys.answering.store.contract import Held, Releaser, new_response_id, stored_order
from surveys.db.availability import is_unavailable

__all__ = ["PostgresSubmitter", "release_ready"]

log = logging.getLogger("trivsel.submits")

# The links are locked in id order, as draft saves lock them (``postgres_drafts``), so a submit group and a
# draft batch never wait on each other in a cycle; a plain ``UPDATE ... = ANY`` locks them in whatever
# order its scan meets them. A link another transaction marked meanwhile fails ``uses = 0`` when its
# lock is granted, and is left out.
_MARK = (
    "WITH locked AS (SELECT id FROM link WHERE id = ANY($1::int[]) AND uses = 0 ORDER BY id FOR NO KEY UPDATE) "
    "UPDATE link SET uses = 1 FROM locked WHERE link.id = locked.id AND link.uses = 0 RETURNING link.id"
)
_INSERT = (
    "INSERT INTO response (id, instrument, wave, event, school, school_class, class_name, grade, year, language, "
    "submitted_on, source, answers) "
    "SELECT * FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::varchar[], "
    "$8::int[], $9::int[], $10::varchar[], $11::date[], $12::varchar[], $13::json[]) "
    "ON CONFLICT (id) DO NOTHING RETURNING id"
)
_UNMARK = "UPDATE link SET uses = 0 WHERE id = ANY($1::int[]) AND uses = 1"
_DROP_DRAFTS = "DELETE FROM draft WHERE key = ANY($1::varchar[])"
_HOLD = (
    "INSERT INTO held_response (wave, event, school, school_class, sealed) "
    "SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::bytea[])"
)
_GROUP = "wave IS NOT DISTINCT FROM $1 AND event IS NOT DISTINCT FROM $2 AND school_class IS NOT DISTINCT FROM $3"
_COUNT = f"SELECT count(*) FROM held_response WHERE {_GROUP}"
_TAKE = f"DELETE FROM held_response WHERE {_GROUP} RETURNING sealed"
_THRESHOLD = "SELECT suppression_threshold FROM organisation ORDER BY id LIMIT 1"


@dataclass
class _Job:
    link_id: int
    draft_key: str
    held: Held
    future: asyncio.Future


_STOP = object()


class PostgresSubmitter:
    """Groups concurrent submits into shared transactions on an asyncpg pool."""

    def __init__(
        self,
        pool: Any,
        releaser: Releaser,
        *,
        window_s: float = 0.02,
        min_group: int = 16,
        max_batch: int = 500,
    ) -> None:
        self._pool = pool
        self._releaser = releaser
        self._window_s = window_s
        self._min_group = min_group
        self._max_batch = max_batch
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._task: asyncio.Task | None = None
        self.batches = 0
        self.jobs = 0
        self.releases = 0
        self._to_check: set[tuple] = set()  # groups of the transaction being committed
        self._release_groups: set[tuple] = set()  # committed groups that may hold k
        self._release_wanted = asyncio.Event()
        self._releases_task: asyncio.Task | None = None
        self._stopping = False

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name="trivsel-pg-submits")
            self._releases_task = asyncio.create_task(self._release_loop(), name="trivsel-pg-releases")

    async def stop(self) -> None:
        """Commit every queued submit, then stop."""
        task, self._task = self._task, None
        if task is None:
            return
        self._queue.put_nowait(_STOP)
        await task
        releases, self._releases_task = self._releases_task, None
        if releases is not None:  # it finishes what is pending, then ends
            self._stopping = True
            self._release_wanted.set()
            await releases

    async def submit(self, link_id: int, draft_key: str, held: Held) -> bool:
        """Queue a submit; True once it is committed, False if the link was already used."""
        if self._task is None:
            raise RuntimeError("the PostgreSQL submitter is not running")
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Job(link_id, draft_key, held, future))
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
                self._to_check = set()
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
        for job, (ok, value) in zip(batch, outcomes):
            if not job.future.done():
                if ok:
                    job.future.set_result(value)
                else:
                    job.future.set_exception(value)
        groups, self._to_check = self._to_check, set()
        if groups:  # released by a task of its own: the next group's commit does not wait for it
            self._release_groups |= groups
            self._release_wanted.set()

    async def _release_loop(self) -> None:
        while True:
            await self._release_wanted.wait()
            self._release_wanted.clear()
            groups, self._release_groups = self._release_groups, set()
            if groups:
                await self._release(groups)
            if self._stopping and not self._release_groups:
                return

    async def _release(self, groups: set[tuple]) -> None:
        """Release the groups that now hold k or more, in a transaction of its own: a response's
        ``xmin`` is then no link's (the one that completed the group included)."""
        try:
            async with self._pool.acquire() as connection:
                async with connection.transaction():
                    self.releases += await release_ready(connection, self._releaser, groups)
        except Exception as exc:  # noqa: BLE001 - held rows stay; the next submit of the group, a close or the sweep releases them
            log.warning("releasing held answers failed (%s); they stay held until the next try", type(exc).__name__)

    async def _apply(self, connection: Any, batch: Sequence[_Job], *, careful: bool) -> list[tuple[bool, Any]]:
        ids = sorted({job.link_id for job in batch})
        marked = {row[0] for row in await connection.fetch(_MARK, ids)}
        order = stored_order([job.link_id for job in batch], marked)
        winner = {batch[index].link_id: index for index in order}  # link id -> index of the job that stores it
        failed: dict[int, Exception] = {}
        if not careful:
            await _hold(connection, [batch[i].held for i in order])
        else:
            for index in order:
                try:
                    async with connection.transaction():
                        await _hold(connection, [batch[index].held])
                except Exception as exc:  # noqa: BLE001 - handed to that caller alone
                    failed[batch[index].link_id] = exc
            if failed:
                await connection.execute(_UNMARK, sorted(failed))
        stored = [batch[winner[link_id]] for link_id in winner if link_id not in failed]
        if stored:
            await connection.execute(_DROP_DRAFTS, sorted({job.draft_key for job in stored}))
            self._to_check |= {job.held.group for job in stored}
        outcomes: list[tuple[bool, Any]] = []
        for index, job in enumerate(batch):
            if job.link_id in failed:
                outcomes.append((False, failed[job.link_id]))  # the refused one, and repeats of it
            else:
                outcomes.append((True, winner.get(job.link_id) == index))
        return outcomes


async def _hold(connection: Any, held: list[Held]) -> None:
    if held:
        await connection.execute(_HOLD, *(list(column) for column in zip(*(h.values() for h in held))))


async def release_ready(connection: Any, releaser: Releaser, groups: set[tuple], *, threshold: int | None = None) -> int:
    """Inside a transaction: release every group of ``groups`` holding at least k (or ``threshold``);
    how many responses were released."""
    if threshold is None:
        threshold = releaser.threshold(await connection.fetchval(_THRESHOLD))
    released = 0
    for group in sorted(groups, key=str):
        if threshold > 0 and await connection.fetchval(_COUNT, *group) < threshold:
            continue
        sealed = [row[0] for row in await connection.fetch(_TAKE, *group)]
        if sealed:
            await _insert(connection, releaser.rows(sealed))
            released += len(sealed)
    return released


async def _insert(connection: Any, rows: list[list[object]]) -> None:
    """Insert released ``rows`` (id first) in the given order; a random id that is taken is drawn again."""
    pending = _distinct_ids(rows)
    for _ in range(5):
        if not pending:
            return
        columns = [list(column) for column in zip(*(_values(row) for row in pending))]
        inserted = {row[0] for row in await connection.fetch(_INSERT, *columns)}
        pending = [row for row in pending if row[0] not in inserted]
        for row in pending:
            row[0] = new_response_id()
        pending = _distinct_ids(pending)
    if pending:
        raise RuntimeError("could not draw a free response id")


def _distinct_ids(rows: list[list[object]]) -> list[list[object]]:
    seen: set[object] = set()
    for row in rows:
        while row[0] in seen:
            row[0] = new_response_id()
        seen.add(row[0])
    return rows


def _values(row: list[object]) -> list[object]:
    values = list(row)
    values[10] = dt.date.fromisoformat(str(values[10]))
    return values
