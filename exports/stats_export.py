"""SPSS ``.sav`` and Stata ``.dta`` exports with variable and value labels (pyreadstat).

Numeric variables are doubles with system-missing for "not answered"; code 98
("Vil ikke svare") keeps its value label and is declared user-missing in SPSS.
Stata limits variable labels to 80 characters, so longer question texts are
shortened there (the codebook beside the file has them in full).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from surveys.instruments import DECLINE_CODE, Instrument

from .records import Column, ResponseRecord, columns_for, record_values

__all__ = ["responses_dta", "responses_sav", "write_responses_dta", "write_responses_sav"]

_STATA_LABEL_MAX = 80
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
_MEASURE = {"likert": "ordinal", "matrix": "ordinal", "scale": "scale", "number": "scale"}


def _frame(columns: list[Column], records: Iterable[ResponseRecord]) -> pd.DataFrame:
    rows = [record_values(columns, r) for r in records]
    data: dict[str, object] = {}
    for index, column in enumerate(columns):
        values = [row[index] for row in rows]
        if column.numeric:
            data[column.name] = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
        else:
            data[column.name] = pd.Series(["" if v is None else str(v) for v in values], dtype=object)
    return pd.DataFrame(data, columns=[c.name for c in columns])


def _check_names(columns: list[Column]) -> None:
    bad = [c.name for c in columns if not _NAME.match(c.name)]
    if bad:
        raise ValueError(f"variable names SPSS and Stata cannot store: {', '.join(bad)}")


def _labels(columns: list[Column], limit: int | None) -> list[str]:
    out = []
    for column in columns:
        text = column.label.da
        if limit is not None and len(text) > limit:
            text = text[: limit - 1].rstrip() + "…"
        out.append(text)
    return out


def _value_labels(columns: list[Column]) -> dict[str, dict[int, str]]:
    return {c.name: {o.code: o.label.da for o in c.value_labels} for c in columns if c.value_labels}


def write_responses_sav(path: str | Path, records: Iterable[ResponseRecord], instrument: Instrument) -> int:
    columns = columns_for(instrument)
    _check_names(columns)
    frame = _frame(columns, records)
    missing = {c.name: [DECLINE_CODE] for c in columns if any(o.code == DECLINE_CODE for o in c.value_labels)}
    measure = {c.name: _MEASURE.get(c.question_type, "nominal") if c.question_id else "nominal" for c in columns}
    measure["year"] = measure["grade"] = "ordinal"
    pyreadstat.write_sav(
        frame,
        str(path),
        file_label=f"{instrument.title.da} ({instrument.id} v{instrument.version})",
        column_labels=_labels(columns, None),
        variable_value_labels=_value_labels(columns),
        missing_ranges=missing or None,
        variable_measure=measure,
    )
    return len(frame)


def write_responses_dta(path: str | Path, records: Iterable[ResponseRecord], instrument: Instrument) -> int:
    columns = columns_for(instrument)
    _check_names(columns)
    frame = _frame(columns, records)
    pyreadstat.write_dta(
        frame,
        str(path),
        file_label=f"{instrument.title.da} ({instrument.id} v{instrument.version})"[:_STATA_LABEL_MAX],
        column_labels=_labels(columns, _STATA_LABEL_MAX),
        variable_value_labels=_value_labels(columns),
    )
    return len(frame)


def _to_bytes(writer, records: Iterable[ResponseRecord], instrument: Instrument, suffix: str) -> bytes:
    handle, name = tempfile.mkstemp(suffix=suffix)
    os.close(handle)
    try:
        writer(name, records, instrument)
        return Path(name).read_bytes()
    finally:
        os.unlink(name)


def responses_sav(records: Iterable[ResponseRecord], instrument: Instrument) -> bytes:
    return _to_bytes(write_responses_sav, records, instrument, ".sav")


def responses_dta(records: Iterable[ResponseRecord], instrument: Instrument) -> bytes:
    return _to_bytes(write_responses_dta, records, instrument, ".dta")
