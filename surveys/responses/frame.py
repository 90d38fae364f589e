"""Loading stored responses into an :class:`analysis.frame.ResponseFrame`.

The only place the analysis touches the database: responses of one
instrument (every stored version - codes never change meaning) are read in
batches by id (keyset pagination, so memory stays at one batch of JSON plus
the frame's columns) and handed to a :class:`analysis.frame.FrameBuilder`.

SQLite picks the few fields the indicators need out of each stored answer
object itself (one ``json_extract`` with every path: one parse, in a worker
thread beside the decoding) and sends one short JSON array per response.
A batch is decoded in one msgspec call; a batch holding anything else than an
integer or null in those fields goes row by row instead.
PostgreSQL sends everything in one COPY (:mod:`surveys.responses.copied`): on its
``json`` column ``json_to_record`` cost 3-9 us a response against about 1 us to
send the stored text, so msgspec picks the fields there.
"""

from __future__ import annotations

import asyncio
import functools
import json
import operator
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence

import msgspec
import numpy as np

from analysis.frame import MISSING, FrameBuilder, ResponseFrame
from surveys.db.tables import InstrumentVersion, Response
from surveys.db.urls import is_sqlite
from surveys.instruments import Instrument
from surveys.responses.copied import copy_into, int32_codes
from surveys.responses.importing import stored_instrument

__all__ = ["answer_columns", "array_columns", "load_frame", "stored_batches"]

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
    variables = builder.variables
    picked = is_sqlite(Response._meta.db)  # SQLite extracts the fields (in a worker thread)
    if not picked:
        await copy_into(builder, version_ids, wanted)
        return builder.build(), instrument
    async for batch in stored_batches(version_ids, wanted, batch_size, variables if picked else None):
        _, year, school, class_name, grade, stored = zip(*batch)
        columns = array_columns(stored, variables) if picked else answer_columns(stored, variables)
        if columns is not None:
            builder.add_columns(year, school, class_name, grade, columns)
            continue
        for _, year, school, class_name, grade, values in batch:
            builder.add(year, school, class_name, grade, _stored_answers(values, variables if picked else None))
    return builder.build(), instrument


def _stored_answers(values: object, variables: Sequence[str] | None) -> dict[str, object]:
    """One response's answers: the stored object, or (with ``variables``) the extracted array's
    values by name; anything unreadable counts as no answers."""
    try:
        decoded = json.loads(values) if isinstance(values, str) else values
    except ValueError:
        return {}
    if variables is not None:
        return dict(zip(variables, decoded)) if isinstance(decoded, list) else {}
    return decoded if isinstance(decoded, dict) else {}


_SELECT_SQL = """
SELECT r.id, r.year, s.name, r.class_name, r.grade, {answers}
FROM response r LEFT JOIN school s ON s.id = r.school{record}
WHERE r.instrument IN ({versions}){years}"""
_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_CHUNK = 90  # SQL functions take at most 100 (PostgreSQL) or 127 (SQLite) arguments


def _picked_sql(variables: Sequence[str] | None, sqlite: bool) -> tuple[str, str]:
    """The SQL for the answers column (and the FROM addition it needs): the whole object, or one
    JSON array of ``variables``' values (null where absent), the stored object parsed once."""
    if not variables:
        return "r.answers", ""
    if not all(_NAME.match(v) for v in variables):
        raise ValueError("answer variable names must be letters, digits and underscores")
    chunks = [list(variables[i:i + _CHUNK]) for i in range(0, len(variables), _CHUNK)]
    if sqlite:  # with several paths json_extract returns one array (a lone last path is doubled;
        chunks[-1] += chunks[-1][-1:] if len(chunks[-1]) == 1 else []  # the reader ignores the extra)
        arrays = ["json_extract(r.answers, " + ", ".join(f"'$.\"{v}\"'" for v in c) + ")" for c in chunks]
        record = ""
    else:  # json_to_record parses the object once; naming the fields as json keeps their JSON type
        arrays = ["json_build_array(" + ", ".join(f'x."{v}"' for v in c) + ")::text" for c in chunks]
        record = ", json_to_record(r.answers) AS x(" + ", ".join(f'"{v}" json' for v in variables) + ")"
    if len(arrays) == 1:
        return arrays[0], record
    inner = " || ',' || ".join(f"substr({a}, 2, length({a}) - 2)" for a in arrays)
    return f"'[' || {inner} || ']'", record


async def stored_batches(
    version_ids: Sequence[int], years: Sequence[int] | None, batch_size: int, variables: Sequence[str] | None = None
) -> AsyncIterator[list[tuple]]:
    """Rows ``(id, year, school name, class name, grade, answers)`` in batches, by id
    (tuples from SQLite, asyncpg Records from PostgreSQL: both index and unpack alike).
    ``answers`` is the stored JSON object, or with ``variables`` a JSON array of just
    their values (null where absent), extracted by the database.

    Plain driver calls rather than the ORM: at a million rows building a dict per
    row cost three times the query. SQLite pages by id in a worker thread (the id
    is the rowid); PostgreSQL reads one ordered query through a cursor, because
    paging by id there made the planner sort the remaining rows for every page."""
    engine = Response._meta.db
    if is_sqlite(engine):
        marks = lambda values: ", ".join("?" * len(values))  # noqa: E731
        answers, record = _picked_sql(variables, True)
        sql = _SELECT_SQL.format(
            answers=answers, record=record, versions=marks(version_ids),
            years=f" AND r.year IN ({marks(years)})" if years else "",
        )
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
    answers, record = _picked_sql(variables, False)
    sql = _SELECT_SQL.format(
        answers=answers, record=record, versions="SELECT unnest($1::int[])",
        years=" AND r.year = ANY($2::int[])" if years else "",
    )
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
    return _codes(values, variables)


def array_columns(picked: Sequence[object], variables: Sequence[str]) -> dict[str, np.ndarray] | None:
    """One int32 column per variable (``MISSING`` where not answered) from the JSON arrays
    :func:`stored_batches` extracts, or None when a row is not such an array of integers and nulls."""
    if not picked or not variables:
        return None
    try:
        decoded = _array_decoder.decode("[" + ",".join(picked) + "]")  # type: ignore[arg-type]
    except (TypeError, msgspec.ValidationError, msgspec.DecodeError):
        return None
    width = len(variables)
    if any(len(row) < width for row in decoded):
        return None
    values = np.array([row[:width] for row in decoded] if width < len(decoded[0]) else decoded, dtype=np.float64)
    return _codes(values.reshape(len(decoded), width), variables)


def _codes(values: np.ndarray, variables: Sequence[str]) -> dict[str, np.ndarray]:
    codes = int32_codes(values)
    return {name: np.ascontiguousarray(codes[:, i]) for i, name in enumerate(variables)}


_array_decoder = msgspec.json.Decoder(list[list[int | None]])


@functools.lru_cache(maxsize=8)
def _decoder(variables: tuple[str, ...]) -> msgspec.json.Decoder:
    fields = [(f"f{i}", int | None, None) for i in range(len(variables))]
    answers = msgspec.defstruct(
        "Answers", fields, rename={f"f{i}": name for i, name in enumerate(variables)}, forbid_unknown_fields=False,
        gc=False,  # a batch makes 50,000 of them: no cycle-collector work
    )
    return msgspec.json.Decoder(list[answers])
