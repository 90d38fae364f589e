"""Decoding the rows the database sends for the analysis frame; PostgreSQL's in one ``COPY``.

PostgreSQL's JSON functions cost 3-9 us of server time a response (``json_to_record``, a
``jsonb`` cast) against about 1 us to send the stored text, so the server parses nothing: it
joins each response's context and its stored answer text into one JSON array per line,
``[id,year,school id,"class",grade,{answers}],`` (SQLite sends the same arrays, a page at a
time: :func:`surveys.responses.frame.read_sqlite`). The client cuts the stream into pieces of
whole lines and decodes a piece in one msgspec call in a worker thread (the event loop stays
free), keeping only the variables the indicators need, as int32 columns. Rows come in the
table's order and are put in id order at the end (cheaper here than a sort in the server), so
the frame equals the one built row by row in id order. A piece holding anything else than an
integer or null where a code belongs is decoded generically and coded value by value, as
``FrameBuilder.add`` codes it.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec
import numpy as np

from analysis.frame import MISSING, FrameBuilder, answer_code
from surveys.db.tables import Response

__all__ = ["CopiedRows", "CopyReader", "add_rows", "copied_rows", "copy_into_reader", "int32_codes", "json_rows"]

PIECE = 8 << 20  # bytes of COPY output decoded at a time

_SQL = """SELECT '[' || r.id || ',' || r.year || ',' || coalesce(r.school, -1) || ','
    || to_json(coalesce(r.class_name, ''))::text || ',' || coalesce(r.grade, {missing}) || ','
    || r.answers::text || '],'
FROM response r WHERE r.instrument = ANY($1::int[]){years}"""


@dataclass(frozen=True)
class CopiedRows:
    """Decoded rows: ``classes`` index the reader's class names; ``codes`` has one int32 row per
    variable, one entry per response (``MISSING`` where there is no usable answer)."""

    ids: np.ndarray
    years: np.ndarray
    schools: np.ndarray  # school ids, -1 for none
    classes: np.ndarray
    grades: np.ndarray  # MISSING where unknown
    codes: np.ndarray


async def copy_into_reader(
    reader: CopyReader, version_ids: Sequence[int], years: Sequence[int] | None = None
) -> dict[int, str]:
    """Give ``reader`` every response to ``version_ids`` (in ``years`` if given) in one COPY;
    returns the schools' names by id, from the same snapshot."""
    engine = Response._meta.db
    sql = _SQL.format(missing=MISSING, years=" AND r.year = ANY($2::int[])" if years else "")
    args = [list(version_ids), *([list(years)] if years else [])]
    pool = engine.pool  # type: ignore[attr-defined]
    connection = await (pool.acquire() if pool is not None else engine.get_new_connection())  # type: ignore[attr-defined]
    try:  # one snapshot: every school a copied response names is in the list
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            names = dict(await connection.fetch("SELECT id, name FROM school"))
            await connection.copy_from_query(sql, *args, output=reader.receive)
        await reader.finish()
    finally:
        await (pool.release(connection) if pool is not None else connection.close())
    return names


class CopyReader:
    """Collects COPY output (``receive`` each chunk, then ``finish``) into pieces of whole lines,
    or takes whole arrays of rows (``add_json``), each decoded in a worker thread; then adds the
    rows to a builder in id order."""

    def __init__(self, variables: Sequence[str]) -> None:
        self.variables = tuple(variables)
        self.class_index: dict[str, int] = {}
        self.parts: list[CopiedRows] = []
        self._piece = bytearray()

    async def receive(self, chunk: bytes) -> None:
        self._piece += chunk
        if len(self._piece) >= PIECE:
            cut = self._piece.rfind(b"\n") + 1
            if cut:
                piece, self._piece = self._piece, self._piece[cut:]
                del piece[cut:]
                await self._decode(piece)

    async def finish(self) -> None:
        piece, self._piece = self._piece, bytearray()
        await self._decode(piece)

    async def _decode(self, piece: bytearray) -> None:
        if piece.strip():
            self.parts.append(await asyncio.to_thread(copied_rows, piece, self.variables, self.class_index))

    async def add_json(self, text: str | bytes) -> None:
        """Decode a JSON array of rows (see :func:`json_rows`) in a worker thread."""
        self.parts.append(await asyncio.to_thread(json_rows, text, self.variables, self.class_index))

    def add_to(self, builder: FrameBuilder, names: dict[int, str]) -> None:
        """Add the rows read to ``builder`` in id order; ``names`` are the schools' by id."""
        if self.parts:
            add_rows(builder, self.parts, names, list(self.class_index), self.variables)


def add_rows(
    builder: FrameBuilder, parts: list[CopiedRows], names: dict[int, str], class_names: list[str], variables: Sequence[str]
) -> None:
    """Add decoded rows to ``builder`` in id order: ``names`` are the schools' by id, ``class_names``
    the class names by index and ``variables`` name the columns of the rows' codes."""
    ids = np.concatenate([p.ids for p in parts])
    order = slice(None) if bool(np.all(ids[1:] > ids[:-1])) else np.argsort(ids)  # SQLite's come in order
    school_ids = np.concatenate([p.schools for p in parts])[order]
    known = np.array(sorted(names), dtype=np.int64)
    at = np.minimum(np.searchsorted(known, school_ids), max(len(known) - 1, 0))
    schools = np.where((school_ids >= 0) & (known[at] == school_ids), at, -1) if len(known) else np.full(len(ids), -1)
    codes = np.concatenate([p.codes for p in parts], axis=1)  # a row per variable
    codes = codes if isinstance(order, slice) else np.take(codes, order, axis=1)  # take: 9x faster than [:, order]
    builder.add_keyed(
        np.concatenate([p.years for p in parts])[order], schools, [names[i] for i in known.tolist()],
        np.concatenate([p.classes for p in parts])[order], class_names,
        np.concatenate([p.grades for p in parts])[order],
        dict(zip(variables, codes)),
    )


def copied_rows(data: bytes | bytearray, variables: Sequence[str], class_index: dict[str, int]) -> CopiedRows:
    """Whole lines of COPY text output ``[id,year,school,"class",grade,{answers}],``, decoded;
    ``class_index`` gives (and gets) each class name's index."""
    text = bytearray(b"[") + (_unescape(bytes(data)) if b"\\" in data else data).rstrip()
    text[-1:] = b"]"  # the lines as one array: the last comma closes it
    return json_rows(text, variables, class_index)


def json_rows(text: bytes | bytearray | str, variables: Sequence[str], class_index: dict[str, int]) -> CopiedRows:
    """A JSON array of rows ``[id, year, school id, class name, grade, {stored answers}]``, decoded
    (``class_index`` gives, and gets, each class name's index)."""
    try:
        rows = _decoder(tuple(variables)).decode(text)
        size = len(rows)
        context = np.fromiter(itertools.chain.from_iterable(map(_context, rows)), np.int64, 4 * size).reshape(size, 4)
        answers = [r.answers for r in rows]
        codes = np.empty((len(variables), size), dtype=np.int32)
        for i in range(len(variables)):
            get = operator.attrgetter(f"f{i}")
            try:  # integers within int64 (nearly always): no float round trip
                codes[i] = int32_codes(np.fromiter(map(get, answers), np.int64, size))
            except (TypeError, OverflowError):  # a null or a huge number: NaN or a float beyond int32
                codes[i] = int32_codes(np.array(list(map(get, answers)), dtype=np.float64))
    except (msgspec.ValidationError, msgspec.DecodeError):
        return _generic_rows(msgspec.json.decode(text), variables, class_index)
    classes = np.fromiter((class_index.setdefault(r.klass, len(class_index)) for r in rows), np.int64, size)
    return CopiedRows(context[:, 0], context[:, 1], context[:, 2], classes, context[:, 3], codes)


def _generic_rows(rows: list, variables: Sequence[str], class_index: dict[str, int]) -> CopiedRows:
    """Rows holding other JSON than integers and nulls where codes belong: coded as ``add`` codes."""
    size = len(rows)
    codes = np.full((size, len(variables)), MISSING, dtype=np.int32)
    for i, row in enumerate(rows):
        answers = row[5] if isinstance(row[5], dict) else {}
        codes[i] = [answer_code(answers.get(name)) for name in variables]
    codes = np.ascontiguousarray(codes.T)
    columns = [np.fromiter((row[j] for row in rows), np.int64, size) for j in (0, 1, 2, 4)]
    classes = np.fromiter((class_index.setdefault(row[3], len(class_index)) for row in rows), np.int64, size)
    return CopiedRows(columns[0], columns[1], columns[2], classes, columns[3], codes)


def int32_codes(values: np.ndarray) -> np.ndarray:
    """Answer values (integers, or floats with NaN for none) as int32 codes, ``MISSING`` where
    there is no number within int32."""
    usable = (values > MISSING) & (values <= np.iinfo(np.int32).max)
    if values.dtype.kind == "f":
        usable &= ~np.isnan(values)
        values = np.nan_to_num(values, nan=MISSING)
    return np.where(usable, values, MISSING).astype(np.int32)


_context = operator.attrgetter("id", "year", "school", "grade")
_ESCAPED = {b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}


def _unescape(data: bytes) -> bytes:
    """COPY's text format as the stored text: a backslash escapes itself and names six control
    characters (JSON holds the others as they are, or escaped within strings)."""
    if b"\\" not in data.replace(b"\\\\", b""):  # only escaped backslashes (a pair is one, left to right)
        return data.replace(b"\\\\", b"\\")
    return re.sub(rb"\\(.)", lambda m: _ESCAPED.get(m.group(1), m.group(1)), data, flags=re.DOTALL)


@functools.lru_cache(maxsize=8)
def _decoder(variables: tuple[str, ...]) -> msgspec.json.Decoder:
    fields = [(f"f{i}", int | None, MISSING) for i in range(len(variables))]
    answers = msgspec.defstruct(
        "Answers", fields, rename={f"f{i}": name for i, name in enumerate(variables)}, forbid_unknown_fields=False,
        gc=False,  # a piece makes thousands of them: no cycle-collector work
    )
    row = msgspec.defstruct(
        "CopiedRow", [("id", int), ("year", int), ("school", int), ("klass", str), ("grade", int), ("answers", answers)],
        array_like=True, gc=False,
    )
    return msgspec.json.Decoder(list[row])
