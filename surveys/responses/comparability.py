"""Which years an indicator can be compared across, from the stored instrument versions.

A version that asks an indicator's variables differently (see
:mod:`surveys.instruments.versions`) starts a new series: the analysis compares
years on the same side of that change only, and the report says so.
"""

from __future__ import annotations

import dataclasses

from surveys.db.tables import InstrumentVersion, Response
from surveys.instruments import Indicator, Instrument, Text, instrument_from_dict
from surveys.instruments.versions import indicator_change

__all__ = ["with_comparability"]


async def with_comparability(instrument_key: str, instrument: Instrument) -> Instrument:
    """``instrument`` with ``comparable_from`` (the first year of the newest version that changed
    how an indicator is asked, when earlier years have answers) and ``change_note`` on its indicators."""
    stored = await InstrumentVersion.select(
        InstrumentVersion.id, InstrumentVersion.version, InstrumentVersion.definition
    ).where(InstrumentVersion.key == instrument_key).order_by(InstrumentVersion.version)
    if len(stored) < 2:
        return instrument
    first_years = await _first_years([row["id"] for row in stored])
    versions = [(row["version"], row["id"], _definition(row["definition"])) for row in stored]
    indicators = tuple(_marked(indicator, versions, first_years) for indicator in instrument.indicators)
    return dataclasses.replace(instrument, indicators=indicators)


def _marked(indicator: Indicator, versions: list[tuple[int, int, Instrument]], first_years: dict[int, int]) -> Indicator:
    """``indicator`` marked at the newest version that asks it differently from the one before,
    when both sides of that change have answers."""
    for k in range(len(versions) - 1, 0, -1):
        why = indicator_change(versions[k - 1][2], versions[k][2], indicator)
        if why is None:
            continue
        later = [first_years[v[1]] for v in versions[k:] if v[1] in first_years]
        earlier = [v[1] for v in versions[:k] if v[1] in first_years]
        if not later or not earlier:
            return indicator
        number = versions[k][0]
        note = Text(f"version {number}: {why.da}", f"version {number}: {why.en}")
        return dataclasses.replace(indicator, comparable_from=min(later), change_note=note)
    return indicator


async def _first_years(version_ids: list[int]) -> dict[int, int]:
    rows = await Response.raw(
        "SELECT instrument, MIN(year) AS first FROM response WHERE instrument IN ("
        + ", ".join(str(int(v)) for v in version_ids) + ") GROUP BY instrument"
    )
    return {int(row["instrument"]): int(row["first"]) for row in rows}


def _definition(value: object) -> Instrument:
    import json

    return instrument_from_dict(json.loads(value) if isinstance(value, str) else dict(value))  # type: ignore[arg-type]
