"""The groupings of the results table: the municipality, schools, grades and genders.

A :class:`Grouping` gives every respondent a group index (-1 = in no group) and
the groups' labels; :mod:`analysis.design` turns it into (class, group) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .frame import MISSING, ResponseFrame

__all__ = ["DIMENSIONS", "Grouping", "grouping"]

DIMENSIONS = ("school", "grade", "gender")


@dataclass(frozen=True, eq=False)
class Grouping:
    """Respondents' group index (-1 = in no group) and the groups' labels."""

    dimension: str
    codes: np.ndarray
    labels: tuple[str, ...]


def grouping(frame: ResponseFrame, dimension: str) -> Grouping:
    """The municipality (one group), or groups by school, grade or gender."""
    if dimension == "municipality":
        return Grouping(dimension, np.zeros(frame.n, dtype=np.int64), ("Kommunen",))
    if dimension == "school":
        order = sorted(range(len(frame.school_names)), key=lambda i: frame.school_names[i])
        rank = np.empty(len(order) + 1, dtype=np.int64)
        rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
        rank[-1] = -1
        codes = rank[np.where(frame.school < 0, len(order), frame.school)]
        return Grouping(dimension, codes, tuple(frame.school_names[i] for i in order))
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of municipality, {', '.join(DIMENSIONS)}; got {dimension!r}")
    raw = frame.grade if dimension == "grade" else frame.gender
    labels = frame.grade_labels if dimension == "grade" else frame.gender_labels
    known = raw != MISSING
    if dimension == "gender" and labels:
        known &= np.isin(raw, np.asarray(list(labels), dtype=np.int64))
    values = np.unique(raw[known])
    codes = np.full(frame.n, -1, dtype=np.int64)
    codes[known] = np.searchsorted(values, raw[known])
    return Grouping(dimension, codes, tuple(labels.get(int(v), str(int(v))) for v in values))
