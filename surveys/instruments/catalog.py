"""Keeping the database's instrument versions in step with the instrument files."""

from __future__ import annotations

from surveys.db.engine import write_transaction
from surveys.db.tables import InstrumentVersion
from surveys.errors import Conflict, NotFound
from surveys.instruments import (
    Instrument,
    builtin_versions,
    instrument_from_dict,
    instrument_to_dict,
    language_name,
)

__all__ = ["instrument_for", "load_version", "stored_languages", "sync_instruments", "version_languages"]


async def sync_instruments(instruments: dict[str, Instrument] | list[Instrument] | None = None) -> list[str]:
    """Store each instrument version not yet in the database (by default every shipped version);
    return ``key@version`` added.

    A stored version whose definition differs from the file is a Conflict: codes
    must never change meaning within a version, so a changed file needs a new version.
    Translations are the exception: when only texts other than the Danish differ (a language
    added or corrected), the stored copy takes the file's texts; codes and variables stay.
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
            elif (stored := _as_dict(row.definition)) == definition:
                continue
            elif _source_only(stored) == _source_only(definition):
                await InstrumentVersion.update({InstrumentVersion.definition: definition}).where(
                    InstrumentVersion.id == row.id
                )
                added.append(f"{instrument.id}@{instrument.version} (translations)")
            else:
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


def stored_languages(definition: object) -> list[dict[str, object]]:
    """A stored version's languages: ``tag``, ``name`` (in itself) and ``draft`` (a native speaker
    must review it before use)."""
    declared = _as_dict(definition).get("languages") or ["da", "en"]
    statuses = declared if isinstance(declared, dict) else dict.fromkeys(declared, "validated")
    return [
        {"tag": tag, "name": language_name(tag), "draft": status == "draft"} for tag, status in statuses.items()
    ]


async def version_languages(ids: list[int]) -> dict[int, list[dict[str, object]]]:
    """:func:`stored_languages` of each stored version in ``ids``, by id."""
    if not ids:
        return {}
    rows = await InstrumentVersion.select(InstrumentVersion.id, InstrumentVersion.definition).where(
        InstrumentVersion.id.is_in(ids)
    )
    return {row["id"]: stored_languages(row["definition"]) for row in rows}


def _source_only(definition: dict) -> object:
    """The definition without its translations: structure, codes and the Danish texts."""
    languages = set(definition.get("languages") or ()) - {"da"}

    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {
                key: strip(item)
                for key, item in value.items()
                if key != "languages" and not (key in languages and isinstance(item, str))
            }
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value

    return strip(definition)


def _as_dict(value: object) -> dict:
    import json

    return json.loads(value) if isinstance(value, str) else dict(value)  # type: ignore[arg-type]
