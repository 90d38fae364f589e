"""The answering store on SQLite: inline reads, grouped writes.

Reads are single indexed lookups on a long-lived connection. In WAL mode a
reader never waits for the writer, so they run inline on the event loop
(faster than a thread hop, and no connection is opened per query). Writes
(draft saves and submits) go to one ``SQLiteWriter`` thread that commits them
in groups.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from typing import Any

from surveys.answering.store.contract import (
    ORGANISATION_SQL,
    organisation_row,
    DRAFT_UPSERT_SQL,
    RESPONSE_COLUMNS,
    LinkContext,
    LinkKey,
    NewResponse,
    load_json,
    context_sql,
    dump_json,
    new_response_id,
)
from surveys.answering.store.sqlite_writer import SQLiteWriter, connect

__all__ = ["SQLiteAnswerStore"]

_DRAFT_SQL = DRAFT_UPSERT_SQL.format(p1="?1", p2="?2", p3="?3", p4="?4", lock="")
_INSERT_SQL = f"INSERT INTO response ({RESPONSE_COLUMNS}) VALUES ({', '.join('?' * 13)}) ON CONFLICT (id) DO NOTHING"


class SQLiteAnswerStore:
    def __init__(self, path: str) -> None:
        self._path = path
        self._reader: sqlite3.Connection | None = None
        self.writer = SQLiteWriter(path)

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

    async def link_context(self, key: LinkKey, value: str | int) -> LinkContext | None:
        row = self._read(context_sql(key, "?"), value)
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

    async def save_draft(self, link_id: int, answers: dict[str, object], page: int, language: str) -> bool:
        params = (link_id, dump_json(answers), page, language)
        return await self.writer.run(lambda connection: connection.execute(_DRAFT_SQL, params).rowcount == 1)

    async def submit(self, link_id: int, response: NewResponse) -> bool:
        return await self.writer.run_in_group(_SUBMITS, (link_id, response, _sqlite_values(response)))


class _Submits:
    """Final submits, run by the writer inside its transaction: all three steps or none, per submit.

    Together (``run_all``): one conditional UPDATE marks every link of the group
    (a link submitted twice is marked once), the responses of the marked links
    are inserted in a random order, their drafts deleted. One by one
    (``run_one``, each in its own SAVEPOINT) if that failed.
    """

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
        winner: dict[int, int] = {}
        for index, (link_id, _, _) in enumerate(items):
            if link_id in marked and link_id not in winner:
                winner[link_id] = index
        order = list(winner.values())
        _shuffle(order)  # the file keeps no insertion order (the id is the rowid), but say nothing anyway
        rows = [items[index][2] for index in order]
        if len({row[0] for row in rows}) != len(rows):
            raise _IdTaken()
        for chunk in _chunks(rows, 500):
            values = ", ".join([_ROW] * len(chunk))
            inserted = connection.execute(
                f"INSERT INTO response ({RESPONSE_COLUMNS}) VALUES {values} ON CONFLICT (id) DO NOTHING",
                [value for row in chunk for value in row],
            ).rowcount
            if inserted != len(chunk):
                raise _IdTaken()  # a random id was taken: the one-by-one path draws again
        for chunk in _chunks(sorted(winner), 500):
            connection.execute(f"DELETE FROM draft WHERE link IN ({', '.join('?' * len(chunk))})", chunk)
        return [winner.get(link_id) == index for index, (link_id, _, _) in enumerate(items)]

    def run_one(self, connection: sqlite3.Connection, item: _Item) -> bool:
        link_id, response, _ = item
        if connection.execute("UPDATE link SET uses = 1 WHERE id = ? AND uses = 0", (link_id,)).rowcount != 1:
            return False
        while connection.execute(_INSERT_SQL, _sqlite_values(response)).rowcount != 1:
            response = replace(response, id=new_response_id())  # a random id was taken: draw again
        connection.execute("DELETE FROM draft WHERE link = ?", (link_id,))
        return True


class _IdTaken(Exception):
    pass


_ROW = f"({', '.join('?' * 13)})"


def _chunks(values: list, size: int) -> list[list]:
    return [values[start:start + size] for start in range(0, len(values), size)]


_Item = tuple[int, NewResponse, tuple[object, ...]]
_SUBMITS = _Submits()
_shuffle = random.SystemRandom().shuffle


def _sqlite_values(response: NewResponse) -> tuple[object, ...]:
    values = list(response.values())
    values[10] = response.submitted_on.isoformat()
    return tuple(values)
