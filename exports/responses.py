"""Response exports: one anonymous row per response, with a codebook beside the file.

``export_responses`` writes ``FILE`` and ``FILE``'s codebook (``<stem>.kodebog.csv``)
and returns both paths; ``export_bytes`` gives the export itself as bytes for
a download. Neither knows anything about HTTP or the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from surveys.instruments import Instrument

from .csv_export import codebook_csv, responses_csv, write_responses_csv
from .formats import FORMATS, MEDIA_TYPES
from .records import ResponseRecord, sorted_records
from .stats_export import responses_dta, responses_sav, write_responses_dta, write_responses_sav
from .xlsx_export import responses_xlsx, write_responses_xlsx

__all__ = ["FORMATS", "MEDIA_TYPES", "ExportResult", "codebook_path", "export_bytes", "export_responses"]



@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    codebook: Path
    rows: int


def codebook_path(path: Path) -> Path:
    """Where the codebook of an export at ``path`` goes: ``svar.xlsx`` -> ``svar.kodebog.csv``."""
    return path.with_name(f"{path.stem}.kodebog.csv")


@dataclass(frozen=True, slots=True)
class _Writer:
    """How one format is written: to a file (returns the row count) and to bytes."""

    to_file: Callable[[Path, Iterable[ResponseRecord], Instrument, bool], int]
    to_bytes: Callable[[Iterable[ResponseRecord], Instrument, bool], bytes]


def _csv_file(path: Path, records: Iterable[ResponseRecord], instrument: Instrument, excel_da: bool) -> int:
    with path.open("w", encoding="utf-8", newline="") as stream:
        return write_responses_csv(stream, records, instrument, excel_da=excel_da)


# The one dispatch on the format; ``excel_da`` applies to CSV only.
_WRITERS = {
    "csv": _Writer(_csv_file, lambda records, instrument, excel_da: responses_csv(records, instrument, excel_da=excel_da)),
    "xlsx": _Writer(lambda path, records, instrument, _: write_responses_xlsx(path, records, instrument),
                    lambda records, instrument, _: responses_xlsx(records, instrument)),
    "sav": _Writer(lambda path, records, instrument, _: write_responses_sav(path, records, instrument),
                   lambda records, instrument, _: responses_sav(records, instrument)),
    "dta": _Writer(lambda path, records, instrument, _: write_responses_dta(path, records, instrument),
                   lambda records, instrument, _: responses_dta(records, instrument)),
}
assert tuple(_WRITERS) == FORMATS


def _writer(fmt: str) -> _Writer:
    if fmt not in _WRITERS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    return _WRITERS[fmt]


def export_responses(
    records: Iterable[ResponseRecord],
    instrument: Instrument,
    fmt: str,
    path: str | Path,
    *,
    excel_da: bool = False,
) -> ExportResult:
    """Write the export and its codebook; ``excel_da`` applies to CSV (and the codebook)."""
    writer = _writer(fmt)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = writer.to_file(path, sorted_records(records), instrument, excel_da)
    book = codebook_path(path)
    book.write_bytes(codebook_csv(instrument, excel_da=excel_da))
    return ExportResult(path, book, rows)


def export_bytes(records: Iterable[ResponseRecord], instrument: Instrument, fmt: str, *, excel_da: bool = False) -> bytes:
    """The export file's bytes (the codebook is ``codebook_csv(instrument)``)."""
    return _writer(fmt).to_bytes(sorted_records(records), instrument, excel_da)
