"""Writers for the results table: JSON (a list of objects) and CSV (a header row).

Both write every field of :class:`analysis.table.ResultRow` in its order;
hidden rows carry null (JSON) or empty (CSV) numbers. CSV numbers use a
decimal point; text cells that begin with ``= + - @`` get a leading apostrophe
so spreadsheets do not run them as formulas.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable
from dataclasses import astuple
from pathlib import Path
from typing import IO

from .table import FIELDS, ResultRow

__all__ = ["write_csv", "write_json", "write_results"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_json(rows: Iterable[ResultRow], handle: IO[str]) -> int:
    """A JSON array with one object per row; returns the number of rows."""
    count = 0
    handle.write("[")
    for row in rows:
        handle.write(",\n" if count else "\n")
        obj = dict(zip(FIELDS, map(_plain, astuple(row))))
        handle.write(json.dumps(obj, ensure_ascii=False))
        count += 1
    handle.write("\n]\n")
    return count


def _cell(value: object) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(_FORMULA_START) else text


def write_csv(rows: Iterable[ResultRow], handle: IO[str]) -> int:
    """CSV with a header row of the field names; returns the number of rows."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(FIELDS)
    count = 0
    for row in rows:
        writer.writerow([_cell(v) for v in astuple(row)])
        count += 1
    return count


def write_results(rows: list[ResultRow], path: str | Path) -> int:
    """Write ``rows`` to ``path``: ``.json`` or ``.csv`` by the file's suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        raise ValueError(f"the output file must end in .json or .csv, not {path.name!r}")
    with path.open("w", encoding="utf-8", newline="") as handle:
        return write_json(rows, handle) if suffix == ".json" else write_csv(rows, handle)
