"""Response exports at a level (:mod:`exports.levels`), with a codebook beside the file.

``export_responses`` writes ``FILE``, its codebook (``<stem>.kodebog.csv``, which also
says what the level did) and, at the standard level, the free text apart
(``<stem>.fritekst.csv``; XLSX also has it as the sheet "Fritekst"), and returns the
paths; ``export_download`` gives one download for the console (an XLSX workbook, or a
ZIP with the file, its codebook and the free text). Neither knows anything about HTTP
or the database.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from surveys.instruments import Instrument

from .csv_export import codebook_csv, free_text_csv, responses_csv
from .formats import FORMATS, MEDIA_TYPES
from .levels import LEVELS, FreeText, standard_export
from .records import ResponseRecord, sorted_records
from .stats_export import responses_dta, responses_sav
from .xlsx_export import responses_xlsx

__all__ = [
    "FORMATS", "LEVELS", "MEDIA_TYPES", "Download", "ExportResult", "codebook_path", "export_bytes", "export_download",
    "export_responses", "free_text_path",
]


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    codebook: Path
    rows: int
    free_text: Path | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Download:
    data: bytes
    extension: str
    media_type: str
    rows: int


@dataclass(frozen=True, slots=True)
class _Prepared:
    records: list[ResponseRecord]
    notes: tuple[str, ...]
    free_text: list[FreeText] | None


def codebook_path(path: Path) -> Path:
    """Where the codebook of an export at ``path`` goes: ``svar.xlsx`` -> ``svar.kodebog.csv``."""
    return path.with_name(f"{path.stem}.kodebog.csv")


def free_text_path(path: Path) -> Path:
    """Where the free text of an export at ``path`` goes: ``svar.xlsx`` -> ``svar.fritekst.csv``."""
    return path.with_name(f"{path.stem}.fritekst.csv")


def _prepare(records: Iterable[ResponseRecord], instrument: Instrument, level: str, threshold: int) -> _Prepared:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    records = list(records)
    if level == "raw":
        return _Prepared(list(sorted_records(records)), (), None)
    std = standard_export(records, instrument, threshold)
    return _Prepared(list(sorted_records(std.records)), tuple(std.notes), std.free_text)


def _data(prepared: _Prepared, instrument: Instrument, fmt: str, excel_da: bool) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    records = prepared.records
    if fmt == "csv":
        return responses_csv(records, instrument, excel_da=excel_da)
    if fmt == "xlsx":
        return responses_xlsx(records, instrument, notes=prepared.notes, free_text=prepared.free_text)
    return responses_sav(records, instrument) if fmt == "sav" else responses_dta(records, instrument)


def export_responses(
    records: Iterable[ResponseRecord],
    instrument: Instrument,
    fmt: str,
    path: str | Path,
    *,
    excel_da: bool = False,
    level: str = "standard",
    threshold: int = 5,
) -> ExportResult:
    """Write the export, its codebook and (standard level) its free text; ``excel_da`` applies to CSV."""
    prepared = _prepare(records, instrument, level, threshold)
    data = _data(prepared, instrument, fmt, excel_da)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    book = codebook_path(path)
    book.write_bytes(codebook_csv(instrument, excel_da=excel_da, notes=prepared.notes))
    texts = None
    if prepared.free_text is not None:
        texts = free_text_path(path)
        texts.write_bytes(free_text_csv(prepared.free_text, excel_da=excel_da))
    return ExportResult(path, book, len(prepared.records), texts, prepared.notes)


def export_bytes(
    records: Iterable[ResponseRecord], instrument: Instrument, fmt: str, *, excel_da: bool = False,
    level: str = "standard", threshold: int = 5,
) -> bytes:
    """The export file's bytes alone (the codebook is ``codebook_csv(instrument)``)."""
    return _data(_prepare(records, instrument, level, threshold), instrument, fmt, excel_da)


def export_download(
    records: Sequence[ResponseRecord], instrument: Instrument, fmt: str, *, level: str = "standard", threshold: int = 5,
    stem: str = "svar",
) -> Download:
    """One download: the XLSX workbook (answers, codebook, free text), or a ZIP with the
    file, ``<stem>.kodebog.csv`` and, at the standard level, ``<stem>.fritekst.csv``."""
    prepared = _prepare(records, instrument, level, threshold)
    data = _data(prepared, instrument, fmt, False)
    if fmt == "xlsx":
        return Download(data, "xlsx", MEDIA_TYPES["xlsx"], len(prepared.records))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.{fmt}", data)
        archive.writestr(f"{stem}.kodebog.csv", codebook_csv(instrument, notes=prepared.notes))
        if prepared.free_text is not None:
            archive.writestr(f"{stem}.fritekst.csv", free_text_csv(prepared.free_text))
    return Download(buffer.getvalue(), "zip", "application/zip", len(prepared.records))
