"""One SQLite writer thread that commits queued writes in groups.

SQLite allows one writer at a time, and each commit costs a WAL sync. A
single long-lived connection in its own thread takes every write job queued
while it was busy and runs them in one ``BEGIN IMMEDIATE`` transaction, each
inside its own SAVEPOINT so that one failing job is rolled back alone. Items
of a ``Group`` (final submits) run after the plain jobs of the transaction,
together, with a few statements for all of them (fewer statements also means
fewer hand-overs of the GIL between this thread and the event loop); only if
that fails do they run one by one, each in its own SAVEPOINT. A caller's
future is resolved only after COMMIT returned, so an acknowledged write is
durable. Other processes (``--workers N``, the CLI) queue on the busy timeout.
"""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

__all__ = ["Group", "SQLiteWriter", "connect"]

T = TypeVar("T")
Job = Callable[[sqlite3.Connection], Any]
_STOP = object()


class Group(Protocol):
    """Jobs of one kind that a transaction runs together, with a few statements for all of them.

    ``run_all`` returns one result per item (in order); if it raises, its work is
    rolled back and every item runs alone through ``run_one`` in its own
    SAVEPOINT, so a failing item is rolled back alone.
    """

    def run_all(self, connection: sqlite3.Connection, items: list[Any]) -> list[Any]: ...
    def run_one(self, connection: sqlite3.Connection, item: Any) -> Any: ...


class _Grouped:
    __slots__ = ("group", "item")

    def __init__(self, group: Group, item: Any) -> None:
        self.group = group
        self.item = item


def connect(path: str, *, busy_timeout_s: float = 30.0, synchronous: str = "FULL") -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL, foreign keys on."""
    connection = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA synchronous={synchronous}")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA secure_delete=ON")  # deleted drafts and held rows are overwritten, not left in free pages
    return connection


class SQLiteWriter:
    """Runs write jobs ``job(connection)`` in grouped transactions on one thread."""

    def __init__(self, path: str, *, max_batch: int = 500, busy_timeout_s: float = 30.0) -> None:
        self._path = path
        self._max_batch = max_batch
        self._busy_timeout_s = busy_timeout_s
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.batches = 0
        self.jobs = 0

    def start(self) -> None:
        if self._thread is not None:
            return
        connection = connect(self._path, busy_timeout_s=self._busy_timeout_s)
        self._thread = threading.Thread(target=self._run, args=(connection,), name="trivsel-sqlite-writer", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        """Finish every queued job, then close the connection."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._queue.put(_STOP)
        await asyncio.to_thread(thread.join)

    async def run(self, job: Callable[[sqlite3.Connection], T]) -> T:
        """Queue ``job``; return its result once its transaction is committed."""
        return await self._put(job)

    async def run_in_group(self, group: Group, item: Any) -> Any:
        """Queue ``item`` to run together with the other items of ``group`` in the next transaction."""
        return await self._put(_Grouped(group, item))

    async def _put(self, job: Any) -> Any:
        if self._thread is None:
            raise RuntimeError("the SQLite writer is not running")
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        self._queue.put((job, future, loop))
        return await future

    def _run(self, connection: sqlite3.Connection) -> None:
        try:
            while True:
                first = self._queue.get()
                if first is _STOP:
                    return
                batch, stop = [first], False
                while len(batch) < self._max_batch:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is _STOP:
                        stop = True
                        break
                    batch.append(item)
                self._commit(connection, batch)
                if stop:
                    return
        finally:
            connection.close()

    def _commit(self, connection: sqlite3.Connection, batch: list[tuple[Job, asyncio.Future, asyncio.AbstractEventLoop]]) -> None:
        outcomes: list[tuple[bool, Any]] = [(False, None)] * len(batch)
        groups: dict[int, tuple[Group, list[int]]] = {}
        try:
            connection.execute("BEGIN IMMEDIATE")
            for index, (job, _, _) in enumerate(batch):
                if isinstance(job, _Grouped):
                    groups.setdefault(id(job.group), (job.group, []))[1].append(index)
                else:
                    outcomes[index] = _isolated(connection, job)
            for group, indices in groups.values():
                items = [batch[i][0].item for i in indices]
                connection.execute("SAVEPOINT grp")
                try:
                    results = group.run_all(connection, items)
                    if len(results) != len(items):
                        raise RuntimeError("a group returned the wrong number of results")
                except Exception:  # noqa: BLE001 - run the items one by one instead
                    connection.execute("ROLLBACK TO grp")
                    connection.execute("RELEASE grp")
                    for index, item in zip(indices, items):
                        outcomes[index] = _isolated(connection, lambda c, item=item, group=group: group.run_one(c, item))
                else:
                    connection.execute("RELEASE grp")
                    for index, result in zip(indices, results):
                        outcomes[index] = (True, result)
            connection.execute("COMMIT")
            for group, _ in groups.values():
                after = getattr(group, "after_commit", None)
                if after is not None:
                    try:
                        after(connection)
                    except sqlite3.Error:  # committed all the same; the next release checkpoints again
                        pass
        except Exception as exc:  # noqa: BLE001 - the whole group failed (e.g. busy timeout)
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            outcomes = [(False, exc)] * len(batch)
        self.batches += 1
        self.jobs += len(batch)
        for (_, future, loop), outcome in zip(batch, outcomes):
            try:
                loop.call_soon_threadsafe(_settle, future, outcome)
            except RuntimeError:  # the caller's loop is closed: nobody waits any more
                pass


def _isolated(connection: sqlite3.Connection, job: Job) -> tuple[bool, Any]:
    """Run ``job`` in its own SAVEPOINT: if it fails, only its own work is rolled back."""
    connection.execute("SAVEPOINT job")
    try:
        outcome: tuple[bool, Any] = (True, job(connection))
    except Exception as exc:  # noqa: BLE001 - handed to the caller
        connection.execute("ROLLBACK TO job")
        outcome = (False, exc)
    connection.execute("RELEASE job")
    return outcome


def _settle(future: asyncio.Future, outcome: tuple[bool, Any]) -> None:
    if future.done():
        return
    ok, value = outcome
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
