"""CSV writers for responses and codebooks: UTF-8 with BOM, and a Danish Excel variant.

The plain variant (comma, decimal point) is the wide format that
``trivsel import responses`` reads back. ``excel_da`` writes what Danish Excel
opens with a double click: semicolons between cells and decimal commas.
Text cells that a spreadsheet would read as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TextIO

from surveys.instruments import Instrument

from .cells import cell_text
from .codebook import codebook_header, codebook_rows
from .records import ResponseRecord, columns_for, record_values

__all__ = ["BOM", "FREE_TEXT_HEADER", "codebook_csv", "free_text_csv", "responses_csv", "write_codebook_csv", "write_responses_csv", "write_rows_csv"]

BOM = "\ufeff"
FREE_TEXT_HEADER = ("variabel", "spørgsmål", "tekst")


def free_text_csv(texts: Iterable[object], *, excel_da: bool = False) -> bytes:
    """Free-text answers apart from the responses (:class:`exports.levels.FreeText`), in the order given."""
    buffer = io.StringIO(newline="")
    write_rows_csv(buffer, FREE_TEXT_HEADER, ((t.variable, t.question, t.text) for t in texts), excel_da=excel_da)  # type: ignore[attr-defined]
    return buffer.getvalue().encode("utf-8")


def write_rows_csv(
    stream: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]], *, excel_da: bool = False
) -> int:
    """Write a BOM, the header and the rows; return the number of rows."""
    writer = csv.writer(stream, delimiter=";" if excel_da else ",", lineterminator="\r\n")
    stream.write(BOM)
    writer.writerow([cell_text(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([cell_text(value, decimal_comma=excel_da) for value in row])
        count += 1
    return count


def write_responses_csv(
    stream: TextIO, records: Iterable[ResponseRecord], instrument: Instrument, *, excel_da: bool = False
) -> int:
    """One row per response in the import format's columns; returns the row count."""
    columns = columns_for(instrument)
    return write_rows_csv(
        stream, [c.name for c in columns], (record_values(columns, r) for r in records), excel_da=excel_da
    )


def write_codebook_csv(stream: TextIO, instrument: Instrument, *, excel_da: bool = False, notes: Sequence[str] = ()) -> int:
    return write_rows_csv(stream, codebook_header(instrument), (r.cells() for r in codebook_rows(instrument, notes)), excel_da=excel_da)


def responses_csv(records: Iterable[ResponseRecord], instrument: Instrument, *, excel_da: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    write_responses_csv(buffer, records, instrument, excel_da=excel_da)
    return buffer.getvalue().encode("utf-8")


def codebook_csv(instrument: Instrument, *, excel_da: bool = False, notes: Sequence[str] = ()) -> bytes:
    buffer = io.StringIO(newline="")
    write_codebook_csv(buffer, instrument, excel_da=excel_da, notes=notes)
    return buffer.getvalue().encode("utf-8")
