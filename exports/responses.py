"""Response exports: one anonymous row per response, with a codebook beside the file.

``export_responses`` writes ``FILE`` and ``FILE``'s codebook (``<stem>.kodebog.csv``)
and returns both paths; ``export_bytes`` gives the export itself as bytes for
a download. Neither knows anything about HTTP or the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from surveys.instruments import Instrument

from .csv_export import codebook_csv, responses_csv, write_responses_csv
from .records import ResponseRecord, sorted_records
from .stats_export import responses_dta, responses_sav, write_responses_dta, write_responses_sav
from .xlsx_export import responses_xlsx, write_responses_xlsx

__all__ = ["FORMATS", "MEDIA_TYPES", "ExportResult", "codebook_path", "export_bytes", "export_responses"]

FORMATS = ("csv", "xlsx", "sav", "dta")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
    "dta": "application/x-stata-dta",
}


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    codebook: Path
    rows: int


def codebook_path(path: Path) -> Path:
    """Where the codebook of an export at ``path`` goes: ``svar.xlsx`` -> ``svar.kodebog.csv``."""
    return path.with_name(f"{path.stem}.kodebog.csv")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")


def export_responses(
    records: Iterable[ResponseRecord],
    instrument: Instrument,
    fmt: str,
    path: str | Path,
    *,
    excel_da: bool = False,
) -> ExportResult:
    """Write the export and its codebook; ``excel_da`` applies to CSV (and the codebook)."""
    _check_format(fmt)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = sorted_records(records)
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as stream:
            rows = write_responses_csv(stream, ordered, instrument, excel_da=excel_da)
    elif fmt == "xlsx":
        rows = write_responses_xlsx(path, ordered, instrument)
    elif fmt == "sav":
        rows = write_responses_sav(path, ordered, instrument)
    else:
        rows = write_responses_dta(path, ordered, instrument)
    book = codebook_path(path)
    book.write_bytes(codebook_csv(instrument, excel_da=excel_da))
    return ExportResult(path, book, rows)


def export_bytes(records: Iterable[ResponseRecord], instrument: Instrument, fmt: str, *, excel_da: bool = False) -> bytes:
    """The export file's bytes (the codebook is ``codebook_csv(instrument)``)."""
    _check_format(fmt)
    ordered = sorted_records(records)
    if fmt == "csv":
        return responses_csv(ordered, instrument, excel_da=excel_da)
    if fmt == "xlsx":
        return responses_xlsx(ordered, instrument)
    if fmt == "sav":
        return responses_sav(ordered, instrument)
    return responses_dta(ordered, instrument)
