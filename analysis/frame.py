"""A columnar table of responses for the analysis: one numpy array per field.

``ResponseFrame`` holds, per respondent, the year, the school (an index into
``school_names``), the class cluster, grade and gender, and one float array
per indicator (1.0 / 0.0 / NaN for shares, the scale mean or NaN for means).
It is built without database access, either from plain rows
(:class:`FrameBuilder`, e.g. streamed from the database or read from CSV) or
from integer answer columns (:func:`frame_from_columns`, e.g. synthetic data).

Indicator values are computed vectorised from integer answer columns by
:func:`indicator_values`, with exactly the rules of ``Indicator.value``:
missing, non-integer, out-of-scale and 98 ("Vil ikke svare") answers are
missing, and a declined sensitive multi question makes its options missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "DECLINE",
    "MISSING",
    "FrameBuilder",
    "answer_code",
    "ResponseFrame",
    "frame_from_columns",
    "indicator_values",
    "needed_variables",
]

MISSING = int(np.iinfo(np.int32).min)  # "no usable integer answer" in answer columns
DECLINE = 98


@dataclass(frozen=True, eq=False)
class ResponseFrame:
    """Responses as columns. ``school`` is -1 for responses without a school;
    ``grade`` and ``gender`` hold ``MISSING`` when unknown (or declined)."""

    year: np.ndarray
    school: np.ndarray
    school_names: tuple[str, ...]
    cluster: np.ndarray
    grade: np.ndarray
    gender: np.ndarray
    values: Mapping[str, np.ndarray]
    grade_labels: Mapping[int, str] = field(default_factory=dict)
    gender_labels: Mapping[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        size = len(self.year)
        columns = [self.school, self.cluster, self.grade, self.gender, *self.values.values()]
        if any(np.ndim(c) != 1 or len(c) != size for c in columns):
            raise ValueError("every column of a ResponseFrame must be 1-d with one entry per response")
        if size and (self.school.max() >= len(self.school_names) or self.school.min() < -1):
            raise ValueError("school codes must index school_names (or be -1)")

    @property
    def n(self) -> int:
        return len(self.year)

    def years(self) -> list[int]:
        """The distinct years, ascending."""
        return [int(y) for y in np.unique(self.year)]

    def take(self, mask: np.ndarray) -> ResponseFrame:
        """The responses where ``mask`` is true (same school names and labels)."""
        return ResponseFrame(
            self.year[mask],
            self.school[mask],
            self.school_names,
            self.cluster[mask],
            self.grade[mask],
            self.gender[mask],
            {k: v[mask] for k, v in self.values.items()},
            self.grade_labels,
            self.gender_labels,
        )


def _usable(indicator: Any, column: np.ndarray) -> np.ndarray:
    ok = column != MISSING
    if indicator.scale is not None:
        return ok & (column >= indicator.scale[0]) & (column <= indicator.scale[1])
    return ok & (column != DECLINE)


def indicator_values(indicator: Any, columns: Mapping[str, np.ndarray], size: int) -> np.ndarray:
    """Per-respondent values of ``indicator`` (float, NaN = missing) from integer
    answer columns (``MISSING`` = not answered). Absent columns are unanswered."""
    empty = np.full(size, MISSING, dtype=np.int32)
    if indicator.kind == "share":
        column = columns.get(indicator.variable or "", empty)
        ok = _usable(indicator, column)
        if indicator.decline_variable is not None:
            ok &= columns.get(indicator.decline_variable, empty) != 1
        hit = np.isin(column, np.asarray(indicator.yes, dtype=np.int64))
        return np.where(ok, hit.astype(float), np.nan)
    total = np.zeros(size)
    count = np.zeros(size)
    for name in indicator.items:
        column = columns.get(name, empty)
        ok = _usable(indicator, column)
        value = column.astype(float)
        if name in indicator.reverse and indicator.scale is not None:
            value = indicator.scale[0] + indicator.scale[1] - value
        total += np.where(ok, value, 0.0)
        count += ok
    enough = (count > 0) & (count >= indicator.min_answered * len(indicator.items))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(enough, total / np.maximum(count, 1.0), np.nan)


def needed_variables(instrument: Any, *extra: str | None) -> list[str]:
    """The answer variables the indicators (and ``extra`` names) read."""
    names: dict[str, None] = {}
    for indicator in instrument.indicators:
        for name in (indicator.variable, indicator.decline_variable, *indicator.items):
            if name:
                names[name] = None
    for name in extra:
        if name:
            names[name] = None
    return list(names)


def _labels(instrument: Any, variable: str | None) -> dict[int, str]:
    for v in instrument.variables():
        if v.name == variable:
            return {o.code: o.label.da for o in v.value_labels if o.code != DECLINE}
    return {}


def frame_from_columns(
    instrument: Any,
    *,
    year: np.ndarray,
    school: np.ndarray,
    school_names: Iterable[str],
    cluster: np.ndarray,
    columns: Mapping[str, np.ndarray],
    grade: np.ndarray | None = None,
    gender_variable: str | None = "koen",
    grade_variable: str | None = "klassetrin",
) -> ResponseFrame:
    """A frame from integer answer columns; grade falls back to ``grade_variable``'s
    answer where ``grade`` is ``MISSING`` (or not given); gender is ``gender_variable``."""
    size = len(year)
    empty = np.full(size, MISSING, dtype=np.int32)
    grade = empty.copy() if grade is None else np.asarray(grade, dtype=np.int32)
    asked = columns.get(grade_variable or "", empty)
    grade = np.where(grade == MISSING, np.where(asked == DECLINE, MISSING, asked), grade).astype(np.int32)
    gender = columns.get(gender_variable or "", empty)
    gender = np.where(gender == DECLINE, MISSING, gender).astype(np.int32)
    grade_labels = _labels(instrument, grade_variable)
    for g in np.unique(grade[grade != MISSING]).tolist():
        grade_labels.setdefault(int(g), f"{int(g)}. klasse")
    return ResponseFrame(
        np.asarray(year, dtype=np.int32),
        np.asarray(school, dtype=np.int32),
        tuple(school_names),
        np.asarray(cluster, dtype=np.int64),
        grade,
        gender,
        {ind.id: indicator_values(ind, columns, size) for ind in instrument.indicators},
        grade_labels,
        _labels(instrument, gender_variable),
    )


class FrameBuilder:
    """Collects responses row by row (in chunks of numpy arrays) and builds a frame.

    The class cluster is the school together with the class name; a response
    without a class name falls back to its school and grade as the cluster
    (wider clusters are the conservative choice for the design effect).
    """

    CHUNK = 50_000

    def __init__(
        self,
        instrument: Any,
        *,
        gender_variable: str | None = "koen",
        grade_variable: str | None = "klassetrin",
    ) -> None:
        self.instrument = instrument
        self.gender_variable = gender_variable
        self.grade_variable = grade_variable
        self.variables = needed_variables(instrument, gender_variable, grade_variable)
        self._schools: dict[str, int] = {}
        self._clusters: dict[tuple[int, str], int] = {}
        self._chunks: list[dict[str, np.ndarray]] = []
        self._rows: list[tuple[int, int, int, int, Mapping[str, object]]] = []

    def add(
        self,
        year: int,
        school: str | None,
        class_name: str | None,
        grade: int | None,
        answers: Mapping[str, object],
    ) -> None:
        school_code, cluster, grade_value = self._codes(
            school, class_name, grade, answer_code(answers.get(self.grade_variable or ""))
        )
        self._rows.append((int(year), school_code, cluster, grade_value, answers))
        if len(self._rows) >= self.CHUNK:
            self._flush()

    def add_keyed(
        self,
        years: np.ndarray,
        schools: np.ndarray,
        school_names: Sequence[str | None],
        classes: np.ndarray,
        class_names: Sequence[str | None],
        grades: np.ndarray,
        columns: Mapping[str, np.ndarray],
    ) -> None:
        """Add many responses at once: ``schools`` index ``school_names`` (-1: no school),
        ``classes`` index ``class_names``, ``grades`` hold ``MISSING`` where unknown, and each of
        ``variables`` has an int32 column holding ``MISSING`` where there is no usable answer.
        Codes are given in order of first appearance, so the frame is the same as from ``add``."""
        self._flush()
        size = len(years)
        empty = np.full(size, MISSING, dtype=np.int32)
        context = [np.asarray(a, dtype=np.int64) for a in (schools, classes, grades)]
        if any(len(a) != size for a in context) or any(len(columns.get(n, empty)) != size for n in self.variables):
            raise ValueError("every column must have one entry per response")
        schools, classes, grades = context

        def school_of(index: int) -> int:
            name = school_names[index] if index >= 0 else None
            return self._schools.setdefault(name, len(self._schools)) if name else -1

        school_codes = _first_seen(schools, school_of)
        named = np.array([bool(n) for n in class_names], dtype=bool)[classes] if size else np.zeros(0, bool)
        asked = np.asarray(columns.get(self.grade_variable or "", empty), dtype=np.int64)
        value = np.where(named, classes, np.where(grades != MISSING, grades, asked))  # the class, else the grade
        keys = ((school_codes + 1) << 33) | (named.astype(np.int64) << 32) | (value - MISSING)

        def cluster_of(key: int) -> int:
            school, value = (key >> 33) - 1, (key & 0xFFFFFFFF) + MISSING
            name = f"klasse:{class_names[value]}" if key >> 32 & 1 else f"trin:{value}"
            return self._clusters.setdefault((school, name), len(self._clusters))

        chunk = {
            "_year": np.asarray(years, dtype=np.int32),
            "_school": school_codes.astype(np.int32),
            "_cluster": _first_seen(keys, cluster_of),
            "_grade": grades.astype(np.int32),
        }
        for name in self.variables:
            chunk[name] = np.asarray(columns.get(name, empty), dtype=np.int32)
        self._chunks.append(chunk)

    def _codes(self, school: str | None, class_name: str | None, grade: int | None, asked: int) -> tuple[int, int, int]:
        """School code, class cluster and grade of one response (``asked``: the grade it answered)."""
        school_code = -1 if not school else self._schools.setdefault(school, len(self._schools))
        grade_value = grade if type(grade) is int else MISSING
        if class_name:
            key = (school_code, f"klasse:{class_name}")
        else:
            key = (school_code, f"trin:{grade_value if grade_value != MISSING else asked}")
        return school_code, self._clusters.setdefault(key, len(self._clusters)), grade_value

    def _flush(self) -> None:
        if not self._rows:
            return
        rows, self._rows = self._rows, []
        chunk = {
            "_year": np.fromiter((r[0] for r in rows), np.int32, len(rows)),
            "_school": np.fromiter((r[1] for r in rows), np.int32, len(rows)),
            "_cluster": np.fromiter((r[2] for r in rows), np.int64, len(rows)),
            "_grade": np.fromiter((r[3] for r in rows), np.int32, len(rows)),
        }
        answers = [r[4] for r in rows]
        for name in self.variables:
            chunk[name] = np.fromiter((answer_code(a.get(name)) for a in answers), np.int32, len(rows))
        self._chunks.append(chunk)

    def build(self) -> ResponseFrame:
        self._flush()
        keys = ["_year", "_school", "_cluster", "_grade", *self.variables]
        if self._chunks:
            data = {k: np.concatenate([c[k] for c in self._chunks]) for k in keys}
        else:
            data = {k: np.zeros(0, dtype=np.int64 if k == "_cluster" else np.int32) for k in keys}
        self._chunks = []
        return frame_from_columns(
            self.instrument,
            year=data["_year"],
            school=data["_school"],
            school_names=list(self._schools),
            cluster=data["_cluster"],
            grade=data["_grade"],
            columns={k: data[k] for k in self.variables},
            gender_variable=self.gender_variable,
            grade_variable=self.grade_variable,
        )


def _first_seen(keys: np.ndarray, code: Callable[[int], int]) -> np.ndarray:
    """``code(key)`` for every entry, called once per distinct key in order of first appearance."""
    distinct, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    codes = np.empty(len(distinct), dtype=np.int64)
    for i in np.argsort(first, kind="stable").tolist():
        codes[i] = code(int(distinct[i]))
    return codes[inverse.reshape(-1)]


_INT32_MAX = int(np.iinfo(np.int32).max)


def answer_code(value: object) -> int:
    """A stored answer as an int32 code, or ``MISSING`` (not an integer, or beyond int32)."""
    return value if type(value) is int and MISSING < value <= _INT32_MAX else MISSING  # type: ignore[return-value]

