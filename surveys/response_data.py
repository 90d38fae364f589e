"""Loading stored responses into an :class:`analysis.frame.ResponseFrame`.

The only place the analysis touches the database: responses of one
instrument (every stored version - codes never change meaning) are read in
batches by id (keyset pagination, so memory stays at one batch of JSON plus
the frame's columns) and handed to a :class:`analysis.frame.FrameBuilder`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from analysis.frame import FrameBuilder, ResponseFrame
from surveys.instrument import Instrument
from surveys.response_import import stored_instrument
from surveys.tables import InstrumentVersion, Response

__all__ = ["load_frame"]

BATCH = 20_000


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
    last = -(2**63)
    wanted = sorted(set(years)) if years is not None else None
    if wanted == []:
        return builder.build(), instrument
    while True:
        query = Response.select(
            Response.id,
            Response.year,
            Response.school.name.as_alias("school_name"),
            Response.class_name,
            Response.grade,
            Response.answers,
        ).where(Response.instrument.is_in(version_ids), Response.id > last)
        if wanted is not None:
            query = query.where(Response.year.is_in(wanted))
        batch = await query.order_by(Response.id).limit(batch_size)
        for r in batch:
            answers = r["answers"]
            if isinstance(answers, str):
                answers = json.loads(answers)
            builder.add(r["year"], r["school_name"], r["class_name"], r["grade"], answers or {})
        if len(batch) < batch_size:
            break
        last = batch[-1]["id"]
    return builder.build(), instrument
