"""Loading stored responses into an :class:`analysis.frame.ResponseFrame`.

The only place the analysis touches the database: every response of one instrument (every
stored version - codes never change meaning) becomes a JSON array ``[id, year, school id,
class name, grade, {stored answers}]`` that the database builds by joining text, without
parsing the answers; msgspec decodes many arrays at a time in a worker thread, keeping only
the variables the indicators need (:mod:`surveys.responses.copied`), and the rows are put in
id order at the end, so the frame equals the one built row by row in id order.

JSON functions in the database cost more than decoding in msgspec: PostgreSQL's
``json_to_record`` took 3-9 us of server time a response against about 1 us to send the
stored text, and SQLite's ``json_extract`` of the 18 fields 1.5 us against 0.3 us to
concatenate. PostgreSQL sends everything in one ``COPY``; SQLite joins a page of rows (by id,
in a worker thread beside the decoding) into one text with ``group_concat``, so no Python
object is made per response on the way.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable, Sequence

from analysis.frame import MISSING, FrameBuilder, ResponseFrame
from surveys.db.tables import InstrumentVersion, Response
from surveys.db.urls import is_sqlite
from surveys.instruments import Instrument
from surveys.responses.copied import CopyReader, copy_into_reader
from surveys.responses.importing import stored_instrument

__all__ = ["load_frame", "read_sqlite"]

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
    reader = CopyReader(builder.variables)
    if is_sqlite(Response._meta.db):
        names = await read_sqlite(reader, version_ids, wanted, batch_size)
    else:
        names = await copy_into_reader(reader, version_ids, wanted)
    return await asyncio.to_thread(_built, reader, builder, names), instrument


def _built(reader: CopyReader, builder: FrameBuilder, names: dict[int, str]) -> ResponseFrame:
    reader.add_to(builder, names)
    return builder.build()


_SQLITE_PAGE = """
SELECT max(id), count(*), CAST(group_concat(line, ',') AS BLOB) FROM (
SELECT r.id, rtrim(json_array(r.id, CAST(r.year AS INTEGER), coalesce(r.school, -1), r.class_name,
    CASE WHEN typeof(r.grade) = 'integer' THEN r.grade ELSE {missing} END), ']') || ',' || r.answers || ']' AS line
FROM response r WHERE r.instrument IN ({versions}){years} AND r.id > ? ORDER BY r.id LIMIT ?)"""


async def read_sqlite(
    reader: CopyReader, version_ids: Sequence[int], years: Sequence[int] | None, batch_size: int
) -> dict[int, str]:
    """Give ``reader`` every response to ``version_ids`` (in ``years`` if given) from SQLite, a page
    of ``batch_size`` by id at a time, the next page read while this one is decoded; returns the
    schools' names by id, from the same snapshot."""
    marks = lambda values: ", ".join("?" * len(values))  # noqa: E731
    sql = _SQLITE_PAGE.format(
        missing=MISSING, versions=marks(version_ids),
        years=f" AND r.year IN ({marks(years)})" if years else "",
    )
    connection = sqlite3.connect(Response._meta.db.path, timeout=30, check_same_thread=False)  # type: ignore[attr-defined]

    def page_after(after: int) -> tuple:
        return connection.execute(sql, [*version_ids, *(years or ()), after, batch_size]).fetchone()

    pending = None
    try:
        connection.execute("BEGIN")  # one snapshot for every page and the school names
        pending = asyncio.ensure_future(asyncio.to_thread(page_after, -(2**63)))
        while True:
            last, count, text = await pending
            if count == batch_size:
                pending = asyncio.ensure_future(asyncio.to_thread(page_after, last))
            if count:
                await reader.add_json(b"[" + text + b"]")  # one copy here costs less than in SQL
            if count < batch_size:
                break
        return dict(connection.execute("SELECT id, name FROM school").fetchall())
    finally:  # stopped early: let the read in flight finish before its connection is closed
        if pending is not None:
            await asyncio.gather(pending, return_exceptions=True)
        connection.close()
