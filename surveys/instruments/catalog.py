"""Keeping the database's instrument versions in step with the instrument files."""

from __future__ import annotations

from surveys.db.engine import write_transaction
from surveys.db.tables import InstrumentVersion
from surveys.errors import Conflict, NotFound
from surveys.instruments import Instrument, builtin_versions, instrument_from_dict, instrument_to_dict

__all__ = ["instrument_for", "load_version", "sync_instruments"]


async def sync_instruments(instruments: dict[str, Instrument] | list[Instrument] | None = None) -> list[str]:
    """Store each instrument version not yet in the database (by default every shipped version);
    return ``key@version`` added.

    A stored version whose definition differs from the file is a Conflict: codes
    must never change meaning within a version, so a changed file needs a new version.
    """
    instruments = builtin_versions() if instruments is None else instruments
    listed = list(instruments.values()) if isinstance(instruments, dict) else list(instruments)
    added = []
    async with write_transaction(InstrumentVersion._meta.db):
        for instrument in listed:
            definition = instrument_to_dict(instrument)
            row = await InstrumentVersion.objects().get(
                (InstrumentVersion.key == instrument.id) & (InstrumentVersion.version == instrument.version)
            )
            if row is None:
                await InstrumentVersion(
                    key=instrument.id,
                    version=instrument.version,
                    audience=instrument.audience,
                    title=instrument.title.da,
                    definition=definition,
                ).save()
                added.append(f"{instrument.id}@{instrument.version}")
            elif _as_dict(row.definition) != definition:
                raise Conflict(
                    f"{instrument.id} version {instrument.version} differs from the stored copy; "
                    "give the changed file a new version number"
                )
    return added


async def load_version(instrument_version_id: int) -> Instrument:
    """The instrument snapshot stored under a database id."""
    row = await InstrumentVersion.select(InstrumentVersion.definition).where(
        InstrumentVersion.id == instrument_version_id
    ).first()
    if row is None:
        raise NotFound("Spørgeskemaet findes ikke.")
    return instrument_from_dict(_as_dict(row["definition"]))


async def instrument_for(key: str, version: int | None = None) -> InstrumentVersion:
    """The stored row for ``key`` (newest version unless one is given)."""
    query = InstrumentVersion.objects().where(InstrumentVersion.key == key)
    if version is not None:
        query = query.where(InstrumentVersion.version == version)
    row = await query.order_by(InstrumentVersion.version, ascending=False).first()
    if row is None:
        raise NotFound(f"Spørgeskemaet {key!r} findes ikke.")
    return row


def _as_dict(value: object) -> dict:
    import json

    return json.loads(value) if isinstance(value, str) else dict(value)  # type: ignore[arg-type]
