"""The answering store on SQLite: inline reads, grouped writes.

Reads are single indexed lookups on a long-lived connection. In WAL mode a
reader never waits for the writer, so they run inline on the event loop
(faster than a thread hop, and no connection is opened per query). Writes
(draft saves and submits) go to one ``SQLiteWriter`` thread that commits them
in groups.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

from surveys.answer_store import (
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
from surveys.sqlite_writer import SQLiteWriter, connect

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

    async def help_contacts(self) -> list[dict[str, str]]:
        row = self._read("SELECT help_contacts FROM organisation ORDER BY id LIMIT 1")
        return [] if row is None else list(load_json(row[0]))

    async def save_draft(self, link_id: int, answers: dict[str, object], page: int, language: str) -> bool:
        params = (link_id, dump_json(answers), page, language)
        return await self.writer.run(lambda connection: connection.execute(_DRAFT_SQL, params).rowcount == 1)

    async def submit(self, link_id: int, response: NewResponse) -> bool:
        return await self.writer.run(lambda connection: _submit(connection, link_id, response))


def _submit(connection: sqlite3.Connection, link_id: int, response: NewResponse) -> bool:
    """Runs inside the writer's transaction (its own SAVEPOINT): all three steps or none."""
    if connection.execute("UPDATE link SET uses = 1 WHERE id = ? AND uses = 0", (link_id,)).rowcount != 1:
        return False
    while connection.execute(_INSERT_SQL, _sqlite_values(response)).rowcount != 1:
        response = replace(response, id=new_response_id())  # a random id was taken: draw again
    connection.execute("DELETE FROM draft WHERE link = ?", (link_id,))
    return True


def _sqlite_values(response: NewResponse) -> tuple[object, ...]:
    values = list(response.values())
    values[10] = response.submitted_on.isoformat()
    return tuple(values)
