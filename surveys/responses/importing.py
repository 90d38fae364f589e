"""Bulk writing of responses: ``trivsel import responses`` and ``trivsel demo-data``.

Everything is all-or-nothing: the rows are validated first (see
:mod:`surveys.responses.csv_format`), then schools and responses are inserted in one
write transaction, in batches. Imported responses have ``source = "import"``,
no wave, no date and a random 63-bit id, like every response.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from surveys.db.engine import write_transaction
from surveys.db.tables import Response, School
from surveys.db.urls import is_sqlite
from surveys.errors import InvalidInput
from surveys.instruments import Instrument
from surveys.instruments.catalog import instrument_for, load_version, sync_instruments
from surveys.organisation.municipality import get_organisation
from surveys.responses.csv_format import CsvResponse, read_responses_csv

__all__ = ["ImportResult", "import_responses", "insert_responses", "stored_instrument"]

BATCH = 1000
_COLUMNS = "id, instrument, school, class_name, grade, year, language, source, answers"
_INSERT_SQLITE = f"INSERT INTO response ({_COLUMNS}) VALUES ({', '.join('?' * 9)})"
_INSERT_POSTGRES = f"INSERT INTO response ({_COLUMNS}) VALUES ({', '.join(f'${i}' for i in range(1, 10))})"


@dataclass(frozen=True)
class ImportResult:
    imported: int
    created_schools: tuple[str, ...]
    years: tuple[int, ...]


async def stored_instrument(key: str, version: int | None = None) -> tuple[int, Instrument]:
    """The newest (or the given) stored version of instrument ``key`` (syncing the built-in files first)."""
    await sync_instruments()
    row = await instrument_for(key, version)
    return row.id, await load_version(row.id)


def _random_id() -> int:
    return secrets.randbits(63) or 1


async def insert_responses(
    instrument_version_id: int,
    responses: Iterable[CsvResponse],
    *,
    create_schools: bool = False,
    source: str = "import",
) -> ImportResult:
    """Insert validated responses in one transaction; unknown schools are an
    error (naming the first line of each) unless ``create_schools``."""
    responses = list(responses)
    known = {r["name"]: r["id"] for r in await School.select(School.id, School.name)}
    unknown = sorted({r.school for r in responses if r.school not in known})
    if unknown and not create_schools:
        raise InvalidInput(
            f"{len(unknown)} ukendt(e) skole(r); intet er importeret (brug --create-schools for at oprette dem).",
            {"school": ", ".join(unknown)},
        )
    organisation = await get_organisation()
    engine = Response._meta.db
    async with write_transaction(engine) as transaction:
        for name in unknown:
            school = School(organisation=organisation.id, name=name)
            await school.save()
            known[name] = school.id
        sql = _INSERT_SQLITE if is_sqlite(engine) else _INSERT_POSTGRES
        for start in range(0, len(responses), BATCH):
            params = [
                (_random_id(), instrument_version_id, known[r.school], r.class_name, r.grade, r.year, r.language,
                 source, json.dumps(r.answers, separators=(",", ":")))
                for r in responses[start : start + BATCH]
            ]  # fmt: skip
            await transaction.connection.executemany(sql, params)
    return ImportResult(len(responses), tuple(unknown), tuple(sorted({r.year for r in responses})))


async def import_responses(
    path: str | Path, instrument_key: str, *, create_schools: bool = False, version: int | None = None
) -> ImportResult:
    """Validate the CSV file against the instrument's newest (or the given) version and import
    every row, or nothing (``InvalidInput`` with line and column)."""
    version_id, instrument = await stored_instrument(instrument_key, version)
    known = None if create_schools else {r["name"] for r in await School.select(School.name)}
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            responses = read_responses_csv(handle, instrument, schools=known)
    except UnicodeDecodeError:
        raise InvalidInput("Filen er ikke UTF-8; gem den som CSV UTF-8. Intet er importeret.") from None
    except OSError as exc:
        raise InvalidInput(f"Filen kan ikke læses: {exc.strerror}.") from None
    return await insert_responses(version_id, responses, create_schools=create_schools)
