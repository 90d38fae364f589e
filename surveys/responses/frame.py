"""Loading stored responses into an :class:`analysis.frame.ResponseFrame`.

The only place the analysis touches the database: responses of one
instrument (every stored version - codes never change meaning) are read in
batches by id (keyset pagination, so memory stays at one batch of JSON plus
the frame's columns) and handed to a :class:`analysis.frame.FrameBuilder`.

A batch's answers are decoded in one call, straight into the few integer
fields the indicators need (msgspec skips the rest); a batch holding anything
else than an integer or null in those fields goes row by row instead.
"""

from __future__ import annotations

import asyncio
import functools
import json
import operator
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence

import msgspec
import numpy as np

from analysis.frame import MISSING, FrameBuilder, ResponseFrame
from surveys.db.tables import InstrumentVersion, Response
from surveys.db.urls import is_sqlite
from surveys.instruments import Instrument
from surveys.responses.importing import stored_instrument

__all__ = ["answer_columns", "load_frame", "stored_batches"]

BATCH = 50_000


async def load_frame(
    instrument_key: str, years: Iterable[int] | None = None, *, batch_size: int = BATCH
) -> tuple[ResponseFrame, Instrument]:
    """The frame of every response to ``instrument_key`` (in ``years`` if given)
    and the newest version of the instrument, whose indicators it holds."""
    _, instrument = await stored_instrument(instrument_key)
    version_ids = [
        r["id"] for r in await InstrumentVersion.select(InstrumentVersion.id).where(InstrumentVersion.key == instrument_key)
    ]
    builder = FrameBuilder(instrument)
    wanted = sorted(set(years)) if years is not None else None
    if wanted == [] or not version_ids:
        return builder.build(), instrument
    async for batch in stored_batches(version_ids, wanted, batch_size):
        _, year, school, class_name, grade, answers = zip(*batch)
        columns = answer_columns(answers, builder.variables)
        if columns is not None:
            builder.add_columns(year, school, class_name, grade, columns)
            continue
        for _, year, school, class_name, grade, stored in batch:
            stored = json.loads(stored) if isinstance(stored, str) else stored
            builder.add(year, school, class_name, grade, stored or {})
    return builder.build(), instrument


_SELECT_SQL = """
SELECT r.id, r.year, s.name, r.class_name, r.grade, r.answers
FROM response r LEFT JOIN school s ON s.id = r.school
WHERE r.instrument IN ({versions}){years}"""


async def stored_batches(
    version_ids: Sequence[int], years: Sequence[int] | None, batch_size: int
) -> AsyncIterator[list[tuple]]:
    """Rows ``(id, year, school name, class name, grade, answers JSON)`` in batches, by id
    (tuples from SQLite, asyncpg Records from PostgreSQL: both index and unpack alike).

    Plain driver calls rather than the ORM: at a million rows building a dict per
    row cost three times the query. SQLite pages by id in a worker thread (the id
    is the rowid); PostgreSQL reads one ordered query through a cursor, because
    paging by id there made the planner sort the remaining rows for every page."""
    engine = Response._meta.db
    if is_sqlite(engine):
        marks = lambda values: ", ".join("?" * len(values))  # noqa: E731
        sql = _SELECT_SQL.format(versions=marks(version_ids), years=f" AND r.year IN ({marks(years)})" if years else "")
        sql += " AND r.id > ? ORDER BY r.id LIMIT ?"
        connection = sqlite3.connect(engine.path, timeout=30, check_same_thread=False)  # type: ignore[attr-defined]

        def page_after(previous: list | None) -> list:
            after = previous[-1][0] if previous else -(2**63)
            return connection.execute(sql, [*version_ids, *(years or ()), after, batch_size]).fetchall()

        try:
            async for batch in _read_ahead(lambda previous: asyncio.to_thread(page_after, previous), batch_size):
                yield batch
        finally:
            connection.close()
        return
    sql = _SELECT_SQL.format(versions="SELECT unnest($1::int[])", years=" AND r.year = ANY($2::int[])" if years else "")
    args = [list(version_ids), *([list(years)] if years else [])]
    pool = engine.pool  # type: ignore[attr-defined]
    connection = await (pool.acquire() if pool is not None else engine.get_new_connection())  # type: ignore[attr-defined]
    try:
        async with connection.transaction():
            cursor = await connection.cursor(sql + " ORDER BY r.id", *args)
            async for batch in _read_ahead(lambda _previous: cursor.fetch(batch_size), batch_size):
                yield batch  # asyncpg Records: indexed and unpacked like tuples
    finally:
        await (pool.release(connection) if pool is not None else connection.close())


async def _read_ahead(fetch_next, batch_size: int) -> AsyncIterator[list]:
    """Batches from ``fetch_next(previous batch or None)`` until one comes short; the next is
    read (by the database, or SQLite's worker thread) while the caller works on this one."""
    pending = asyncio.ensure_future(fetch_next(None))
    try:
        while True:
            batch = await pending
            if len(batch) == batch_size:
                pending = asyncio.ensure_future(fetch_next(batch))
            if batch:
                yield batch
            if len(batch) < batch_size:
                return
    finally:  # stopped early: let the read in flight finish before its connection is closed
        await asyncio.gather(pending, return_exceptions=True)


def answer_columns(stored: Sequence[object], variables: Sequence[str]) -> dict[str, np.ndarray] | None:
    """One int32 column per variable (``MISSING`` where not answered) from stored answer JSON,
    or None when a row is not JSON text or holds something else than an integer or null there."""
    if not stored or not variables:
        return None
    try:
        decoded = _decoder(tuple(variables)).decode("[" + ",".join(stored) + "]")  # type: ignore[arg-type]
    except (TypeError, msgspec.ValidationError, msgspec.DecodeError):  # TypeError: not all JSON text
        return None
    pick = operator.attrgetter(*[f"f{i}" for i in range(len(variables))])
    values = np.array([pick(row) for row in decoded], dtype=np.float64).reshape(len(decoded), len(variables))
    usable = ~np.isnan(values) & (values > MISSING) & (values <= np.iinfo(np.int32).max)
    codes = np.where(usable, np.nan_to_num(values, nan=MISSING), MISSING).astype(np.int32)
    return {name: np.ascontiguousarray(codes[:, i]) for i, name in enumerate(variables)}


@functools.lru_cache(maxsize=8)
def _decoder(variables: tuple[str, ...]) -> msgspec.json.Decoder:
    fields = [(f"f{i}", int | None, None) for i in range(len(variables))]
    answers = msgspec.defstruct(
        "Answers", fields, rename={f"f{i}": name for i, name in enumerate(variables)}, forbid_unknown_fields=False
    )
    return msgspec.json.Decoder(list[answers])
