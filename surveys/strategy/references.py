"""Published reference figures (national, regional, the strategy's own baseline) to compare with.

``trivsel reference import FILE`` and the console's upload read the CSV format of
:mod:`.reference_csv`; an import is all or nothing and replaces figures with the
same source, year and indicator. The report draws them beside the municipality's
figures and tests the municipality against the newest figure of each source
(:func:`analysis.reference.reference_tests`, through ``analysis.table.analyse``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from surveys.db.engine import write_transaction
from surveys.db.tables import ReferenceFigure as ReferenceRow
from surveys.errors import InvalidInput, NotFound
from surveys.instruments import Instrument

from .reference_csv import ReferenceFigure, read_reference_csv

__all__ = ["ImportResult", "StoredFigure", "delete_reference", "import_references", "list_references"]


@dataclass(frozen=True)
class StoredFigure(ReferenceFigure):
    """A reference figure as stored (with its id, for the console)."""

    id: int = 0


@dataclass(frozen=True)
class ImportResult:
    imported: int
    replaced: int


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("Filen er ikke UTF-8. Gem den som »CSV UTF-8« og prøv igen.", {}) from None


async def import_references(data: bytes | str, instrument: Instrument) -> ImportResult:
    """Check every row against the instrument's indicators, then store them in one transaction."""
    figures = read_reference_csv(io.StringIO(_text(data)), {i.id: i for i in instrument.indicators})
    replaced = 0
    async with write_transaction(ReferenceRow._meta.db):
        for f in figures:
            where = (
                (ReferenceRow.instrument_key == instrument.id) & (ReferenceRow.indicator == f.indicator)
                & (ReferenceRow.source == f.source) & (ReferenceRow.year == f.year)
            )
            if await ReferenceRow.exists().where(where):
                replaced += 1
                await ReferenceRow.delete().where(where)
            await ReferenceRow.insert(ReferenceRow(
                instrument_key=instrument.id, indicator=f.indicator, source=f.source, year=f.year, value=f.value,
                n=f.n, ci_low=f.ci_low, ci_high=f.ci_high,
            ))
    return ImportResult(len(figures), replaced)


async def list_references(instrument_key: str) -> list[StoredFigure]:
    """Every stored figure for the instrument, by indicator, source and year."""
    rows = await ReferenceRow.select().where(ReferenceRow.instrument_key == instrument_key).order_by(
        ReferenceRow.indicator
    ).order_by(ReferenceRow.source).order_by(ReferenceRow.year)
    return [
        StoredFigure(r["source"], r["year"], r["indicator"], r["value"], r["n"], r["ci_low"], r["ci_high"], r["id"])
        for r in rows
    ]


async def delete_reference(figure_id: int) -> None:
    if not await ReferenceRow.exists().where(ReferenceRow.id == figure_id):
        raise NotFound("Tallet findes ikke (længere).")
    await ReferenceRow.delete().where(ReferenceRow.id == figure_id)
