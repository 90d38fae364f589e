"""The answering store on SQLite: inline reads, grouped writes.

Reads are single indexed lookups on a long-lived connection. In WAL mode a
reader never waits for the writer, so they run inline on the event loop
(faster than a thread hop, and no connection is opened per query). Writes
(draft saves and submits) go to one ``SQLiteWriter`` thread that commits them
in groups.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from typing import Any

from surveys.answering.store.contract import (
    ORGANISATION_SQL,
    organisation_row,
    DRAFT_UPSERT_SQL,
    RESPONSE_COLUMNS,
    Held,
    LinkContext,
    LinkKey,
    Releaser,
    context_sql,
    load_json,
    new_response_id,
    stored_order,
)
from surveys.answering.store.sqlite_writer import SQLiteWriter, connect

__all__ = ["SQLiteAnswerStore", "release_group"]

_DRAFT_SQL = DRAFT_UPSERT_SQL.format(p1="?1", p2="?2", p3="?3", p4="?4", p5="?5", p6="?6")
_GROUP = "wave IS ? AND event IS ? AND school_class IS ?"
_THRESHOLD_SQL = "SELECT suppression_threshold FROM organisation ORDER BY id LIMIT 1"


class SQLiteAnswerStore:
    def __init__(self, path: str, releaser: Releaser) -> None:
        self._path = path
        self._reader: sqlite3.Connection | None = None
        self.writer = SQLiteWriter(path)
        self._submits = _Submits(releaser)

    async def start(self) -> None:
        if self._reader is None:
            self._reader = connect(self._path, busy_timeout_s=5.0)
        self.writer.start()

    async def stop(self) -> None:
        await self.writer.stop()
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _read(self, sql: str, *params: Any) -> Any:
        if self._reader is None:
            raise RuntimeError("the SQLite answer store is not started")
        return self._reader.execute(sql, params).fetchone()

    async def link_context(self, key: LinkKey, value: str | int, draft_key: str = "") -> LinkContext | None:
        row = self._read(context_sql(key, "?1", "?2"), value, draft_key)
        return None if row is None else LinkContext.from_row(row)

    async def instrument_definition(self, version_id: int) -> dict[str, Any] | None:
        row = self._read("SELECT definition FROM instrument WHERE id = ?", version_id)
        return None if row is None else load_json(row[0])

    async def organisation(self) -> dict[str, Any] | None:
        row = self._read(ORGANISATION_SQL)
        return None if row is None else organisation_row(tuple(row))

    async def help_contacts(self) -> list[dict[str, str]]:
        row = self._read("SELECT help_contacts FROM organisation ORDER BY id LIMIT 1")
        return [] if row is None else list(load_json(row[0]))

    async def save_draft(self, link_id: int, draft_key: str, sealed: bytes, context: LinkContext, today: dt.date) -> bool:
        params = (draft_key, sealed, context.wave, context.event, today.isoformat(), link_id)
        return await self.writer.run(lambda connection: connection.execute(_DRAFT_SQL, params).rowcount == 1)

    async def submit(self, link_id: int, draft_key: str, held: Held) -> bool:
        return await self.writer.run_in_group(self._submits, (link_id, draft_key, held))


def release_group(
    connection: sqlite3.Connection, releaser: Releaser, group: tuple, *, threshold: int = 0, new: list[Held] = ()
) -> int:
    """Inside a write transaction: move the group's held responses, and ``new`` ones of this
    transaction, into ``response`` (shuffled, fresh ids) if at least ``threshold`` are held together;
    else hold ``new``. How many were released."""
    count = connection.execute(f"SELECT count(*) FROM held_response WHERE {_GROUP}", group).fetchone()[0]
    if count + len(new) == 0 or count + len(new) < threshold:
        _hold(connection, list(new))
        return 0
    sealed = [row[0] for row in connection.execute(f"SELECT sealed FROM held_response WHERE {_GROUP}", group)]
    rows = releaser.rows(sealed + [h.sealed for h in new])
    for chunk in _chunks(rows, 500):
        while True:  # a random 63-bit id that is taken (or drawn twice) is drawn again
            ids = [row[0] for row in chunk]
            marks = ", ".join("?" * len(ids))
            taken = {r[0] for r in connection.execute(f"SELECT id FROM response WHERE id IN ({marks})", ids)}
            if not taken and len(set(ids)) == len(ids):
                break
            for row in chunk:
                row[0] = new_response_id()
    for chunk in _chunks(rows, 500):
        connection.execute(f"INSERT INTO response ({RESPONSE_COLUMNS}) VALUES {', '.join([_ROW] * len(chunk))}",
                           [value for row in chunk for value in row])
    if count:
        connection.execute(f"DELETE FROM held_response WHERE {_GROUP}", group)
    return len(rows)


def _hold(connection: sqlite3.Connection, held: list[Held]) -> None:
    for chunk in _chunks(held, 200):
        connection.execute(
            f"INSERT INTO held_response (wave, event, school, school_class, sealed) "
            f"VALUES {', '.join(['(?, ?, ?, ?, ?)'] * len(chunk))}",
            [value for h in chunk for value in h.values()],
        )


class _Submits:
    """Final submits, run by the writer inside its transaction: all steps or none, per submit.

    Together (``run_all``): one conditional UPDATE marks every link of the group
    (a link submitted twice is marked once), their drafts are deleted, and the
    sealed answers of the marked links go to the hold, or, for a group (wave and
    class, or event) that then has at least k, straight into ``response`` with
    what the group held, shuffled. One by one (``run_one``,
    each in its own SAVEPOINT) if that failed. After a commit that released, the
    WAL is checkpointed and truncated, so the file does not replay the release.
    """

    def __init__(self, releaser: Releaser, *, checkpoint_every_s: float = 10.0) -> None:
        self._releaser = releaser
        self._released = False
        self._checkpoint_every_s = checkpoint_every_s
        self._checkpointed = 0.0

    def _hold_or_release(self, connection: sqlite3.Connection, held: list[Held]) -> None:
        """Hold ``held``, or (a group that then has k) release it with what its group holds already,
        without writing the new ones to the hold first."""
        row = connection.execute(_THRESHOLD_SQL).fetchone()
        threshold = self._releaser.threshold(row[0] if row else None)
        groups: dict[tuple, list[Held]] = {}
        for h in held:
            groups.setdefault(h.group, []).append(h)
        for group, new in groups.items():
            if release_group(connection, self._releaser, group, threshold=threshold, new=new):
                self._released = True

    def after_commit(self, connection: sqlite3.Connection) -> None:
        # At most every 10 s under load (each waits for readers and costs two syncs); the WAL between holds only what the
        # tables show anyway: released rows, and sealed held rows and drafts.
        if self._released and time.monotonic() - self._checkpointed >= self._checkpoint_every_s:
            self._released = False
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._checkpointed = time.monotonic()

    def run_all(self, connection: sqlite3.Connection, items: list[_Item]) -> list[bool]:
        # Few statements, each stepped once (every step hands the GIL to the event loop and back):
        # the writer holds the database's write lock, so nothing changes between the read and the
        # conditional UPDATE, and the UPDATE's count is checked against it all the same.
        ids = sorted({link_id for link_id, _, _ in items})
        marked: set[int] = set()
        for chunk in _chunks(ids, 500):
            marks = ", ".join("?" * len(chunk))
            found = connection.execute(
                f"SELECT group_concat(id) FROM link WHERE uses = 0 AND id IN ({marks})", chunk
            ).fetchone()[0]
            unused = [int(value) for value in found.split(",")] if found else []
            if unused:
                marks = ", ".join("?" * len(unused))
                changed = connection.execute(f"UPDATE link SET uses = 1 WHERE uses = 0 AND id IN ({marks})", unused).rowcount
                if changed != len(unused):
                    raise RuntimeError("links changed under the write lock")
            marked.update(unused)
        order = stored_order([link_id for link_id, _, _ in items], marked)
        keys = sorted({items[index][1] for index in order})
        for chunk in _chunks(keys, 500):
            connection.execute(f"DELETE FROM draft WHERE key IN ({', '.join('?' * len(chunk))})", chunk)
        self._hold_or_release(connection, [items[index][2] for index in order])
        stored = set(order)
        return [index in stored for index in range(len(items))]

    def run_one(self, connection: sqlite3.Connection, item: _Item) -> bool:
        link_id, draft_key, held = item
        if connection.execute("UPDATE link SET uses = 1 WHERE id = ? AND uses = 0", (link_id,)).rowcount != 1:
            return False
        connection.execute("DELETE FROM draft WHERE key = ?", (draft_key,))
        self._hold_or_release(connection, [held])
        return True


_ROW = f"({', '.join('?' * 13)})"


def _chunks(values: list, size: int) -> list[list]:
    return [values[start:start + size] for start in range(0, len(values), size)]


_Item = tuple[int, str, Held]
