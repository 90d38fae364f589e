"""XLSX export: a sheet of responses and a codebook sheet (xlsxwriter).

Every text cell is written as a string (never as a formula, URL or number)
and neutralised like the CSV; numbers are written as numbers.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import xlsxwriter

from surveys.instruments import Instrument

from .cells import neutralise
from .codebook import codebook_header, codebook_rows

FREE_TEXT_HEADER = ("variabel", "spørgsmål", "tekst")
from .records import ResponseRecord, columns_for, record_values

__all__ = ["MAX_ROWS", "responses_xlsx", "write_responses_xlsx"]

MAX_ROWS = 1_048_575  # Excel's limit, less the header row
_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def _write_row(sheet, row: int, values: Sequence[object], fmt=None) -> None:
    for col, value in enumerate(values):
        if value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.write_number(row, col, value)
        else:
            sheet.write_string(row, col, neutralise(str(value)), fmt)


def _sheet(book, name: str, header: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[int]) -> int:
    sheet = book.add_worksheet(name)
    bold = book.add_format({"bold": True})
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    _write_row(sheet, 0, header, bold)
    count = 0
    for count, values in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise ValueError(f"more than {MAX_ROWS} rows do not fit in one XLSX sheet; export CSV instead")
        _write_row(sheet, count, values)
    return count


def write_responses_xlsx(
    target: str | Path | BinaryIO, records: Iterable[ResponseRecord], instrument: Instrument,
    *, notes: Sequence[str] = (), free_text: Sequence[object] | None = None,
) -> int:
    """Sheets "Svar" (one row per response), "Kodebog" (with ``notes``) and, given ``free_text``
    (:class:`exports.levels.FreeText`), "Fritekst"; returns the row count."""
    columns = columns_for(instrument)
    book = xlsxwriter.Workbook(target if not isinstance(target, Path) else str(target), _OPTIONS)
    book.set_properties({"title": f"{instrument.title.da} - svar", "author": "trivsel", "comments": "Anonyme svar"})
    try:
        count = _sheet(
            book,
            "Svar",
            [c.name for c in columns],
            (record_values(columns, r) for r in records),
            [max(8, min(18, len(c.name) + 2)) for c in columns],
        )
        header = codebook_header(instrument)
        _sheet(book, "Kodebog", header, (r.cells() for r in codebook_rows(instrument, notes)),
               [22, 18, 16, 50, 50, 40, 6, 40, 40, 60, *[40] * (len(header) - 10)])
        if free_text is not None:
            texts = ((t.variable, t.question, t.text) for t in free_text)  # type: ignore[attr-defined]
            _sheet(book, "Fritekst", FREE_TEXT_HEADER, texts, [16, 50, 80])
    finally:
        book.close()
    return count


def responses_xlsx(
    records: Iterable[ResponseRecord], instrument: Instrument, *, notes: Sequence[str] = (), free_text: Sequence[object] | None = None
) -> bytes:
    buffer = io.BytesIO()
    write_responses_xlsx(buffer, records, instrument, notes=notes, free_text=free_text)
    return buffer.getvalue()
