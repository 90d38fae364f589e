"""The response export formats by name, with their media types. Kept free of the writers'
libraries, so the ``trivsel`` command can offer the names without loading pandas."""

from __future__ import annotations

__all__ = ["FORMATS", "MEDIA_TYPES"]

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
    "dta": "application/x-stata-dta",
}
FORMATS = tuple(MEDIA_TYPES)
