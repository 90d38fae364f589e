"""Loading responses from the database for an export (no HTTP here).

Only the exported context is read (year, school name, class name, grade,
language) and the answers; rows come in the order of the random response id.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from surveys.db.tables import Event, InstrumentVersion, Response, Wave
from surveys.errors import InvalidInput, NotFound
from surveys.instruments import PUPIL_INSTRUMENT, Instrument
from surveys.instruments.catalog import instrument_for, load_version

from .records import ResponseRecord

__all__ = ["Selection", "load_responses", "response_years"]


@dataclass(frozen=True, slots=True)
class Selection:
    """Which responses: one wave, one event, or an instrument's responses in some years (all when empty)."""

    instrument: str = PUPIL_INSTRUMENT
    wave: int | None = None
    event: int | None = None
    years: Sequence[int] = ()


def _answers(value: object) -> dict[str, object]:
    if isinstance(value, str):
        return json.loads(value) if value else {}
    return dict(value or {})  # type: ignore[arg-type]


async def _scope(selection: Selection) -> tuple[Instrument, object]:
    if selection.wave is not None and selection.event is not None:
        raise InvalidInput("Vælg enten en måling eller en temadag, ikke begge.")
    for table, key, what in ((Wave, selection.wave, "Målingen"), (Event, selection.event, "Temadagen")):
        if key is None:
            continue
        row = await table.select(table.instrument).where(table.id == key).first()
        if row is None:
            raise NotFound(f"{what} {key} findes ikke.")
        column = Response.wave if table is Wave else Response.event
        return await load_version(row["instrument"]), column == key
    newest = await instrument_for(selection.instrument)
    versions = await InstrumentVersion.select(InstrumentVersion.id).where(InstrumentVersion.key == selection.instrument)
    return await load_version(newest.id), Response.instrument.is_in([v["id"] for v in versions])


async def load_responses(selection: Selection) -> tuple[Instrument, list[ResponseRecord]]:
    """The instrument (the wave's or event's version, else the newest) and the selected responses."""
    instrument, where = await _scope(selection)
    query = Response.select(
        Response.year,
        Response.school.name.as_alias("school_name"),
        Response.class_name,
        Response.grade,
        Response.language,
        Response.answers,
    ).where(where)
    if selection.years:
        query = query.where(Response.year.is_in([int(y) for y in selection.years]))
    rows = await query.order_by(Response.id)
    return instrument, [
        ResponseRecord(
            int(r["year"]),
            r["school_name"] or "",
            r["class_name"] or "",
            r["grade"],
            r["language"] or "da",
            _answers(r["answers"]),
        )
        for r in rows
    ]


async def response_years(instrument: str = PUPIL_INSTRUMENT) -> list[int]:
    """The years that have responses to any version of ``instrument``, oldest first."""
    versions = [r["id"] for r in await InstrumentVersion.select(InstrumentVersion.id).where(InstrumentVersion.key == instrument)]
    if not versions:
        return []
    rows = await Response.select(Response.year).where(Response.instrument.is_in(versions)).distinct()
    return sorted({int(r["year"]) for r in rows})
