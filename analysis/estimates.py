"""Per-group sums, design effects and estimates for a :class:`ResponseFrame`.

Everything is aggregated with ``numpy.bincount`` over (year, group) keys, so a
million responses cost a few passes per indicator. The design effect of an
indicator in a year is estimated from the class clusters of that year
(:func:`analysis.design_effect_from_clusters`) and applied to every interval
and test of that indicator and year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .design_effect import DesignEffectResult, design_effect_from_clusters
from .frame import MISSING, ResponseFrame
from .intervals import wilson_intervals
from .mean_interval import Summary, mean_t_interval

__all__ = [
    "CellSums",
    "ClusterIndex",
    "EstimateResult",
    "Grouping",
    "category_counts",
    "cell_estimates",
    "cell_sums",
    "cluster_index",
    "grouping",
    "summary_of",
    "year_design_effects",
]

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


@dataclass(frozen=True, eq=False)
class CellSums:
    """Arrays of shape (years, groups): count, sum and sum of squares of the
    non-missing values in each cell."""

    n: np.ndarray
    total: np.ndarray
    sum_sq: np.ndarray


def cell_sums(values: np.ndarray, year_index: np.ndarray, group: Grouping, n_years: int) -> CellSums:
    """Counts and sums per (year, group) of the non-missing ``values``."""
    g = len(group.labels)
    keep = ~np.isnan(values) & (group.codes >= 0)
    key = year_index[keep] * g + group.codes[keep]
    v = values[keep]
    size = n_years * g
    n = np.bincount(key, minlength=size).reshape(n_years, g)
    total = np.bincount(key, weights=v, minlength=size).reshape(n_years, g)
    sum_sq = np.bincount(key, weights=v * v, minlength=size).reshape(n_years, g)
    return CellSums(n, total, sum_sq)


def category_counts(
    values: np.ndarray, year_index: np.ndarray, group: Grouping, n_years: int, low: int, high: int
) -> np.ndarray:
    """Counts per (year, group, category low..high) of integer-valued ``values``."""
    g, k = len(group.labels), high - low + 1
    keep = ~np.isnan(values) & (group.codes >= 0)
    cat = values[keep].astype(np.int64) - low
    key = (year_index[keep] * g + group.codes[keep]) * k + cat
    return np.bincount(key, minlength=n_years * g * k).reshape(n_years, g, k)


@dataclass(frozen=True, eq=False)
class ClusterIndex:
    """Each respondent's (year, class) cell index, and each cell's year index."""

    index: np.ndarray
    year_of_cell: np.ndarray


def cluster_index(frame: ResponseFrame, year_index: np.ndarray) -> ClusterIndex:
    """Class clusters within years (a class is a new cluster every year)."""
    width = int(frame.cluster.max()) + 1 if frame.n else 1
    keys, index = np.unique(year_index.astype(np.int64) * width + frame.cluster, return_inverse=True)
    return ClusterIndex(index.ravel(), keys // width)


def year_design_effects(
    values: np.ndarray, clusters: ClusterIndex, n_years: int
) -> list[DesignEffectResult | None]:
    """The design effect of ``values`` in each year (None with fewer than 2 classes)."""
    keep = ~np.isnan(values)
    idx, v = clusters.index[keep], values[keep]
    size = clusters.year_of_cell.size
    sizes = np.bincount(idx, minlength=size)
    sums = np.bincount(idx, weights=v, minlength=size)
    sums_sq = np.bincount(idx, weights=v * v, minlength=size)
    bounds = np.searchsorted(clusters.year_of_cell, np.arange(n_years + 1))
    out: list[DesignEffectResult | None] = []
    for y in range(n_years):
        part = slice(bounds[y], bounds[y + 1])
        if np.count_nonzero(sizes[part]) < 2:
            out.append(None)
        else:
            out.append(design_effect_from_clusters(sizes[part], sums[part], sums_sq[part]))
    return out


@dataclass(frozen=True, slots=True)
class EstimateResult:
    """One group's estimate: a share (0..1) or a mean, with its interval."""

    n: int
    estimate: float
    ci_low: float
    ci_high: float
    deff: float
    method: str


def summary_of(n: float, total: float, sum_sq: float) -> Summary:
    """Mean and sample SD from a count, sum and sum of squares (n >= 2)."""
    mean = total / n
    var = max(0.0, (sum_sq - n * mean * mean) / (n - 1.0))
    return Summary(mean, math.sqrt(var), int(n))


def cell_estimates(kind: str, sums: CellSums, deffs: np.ndarray, conf: float = 0.95) -> list[list[EstimateResult | None]]:
    """Estimates for every (year, group) cell; None for empty cells (and means with n < 2).

    Shares use the Wilson interval, means the t interval, both with the year's
    design effect (``deffs[year]``)."""
    n_years, n_groups = sums.n.shape
    out: list[list[EstimateResult | None]] = [[None] * n_groups for _ in range(n_years)]
    if kind == "share":
        n = np.maximum(sums.n, 1)
        d = np.broadcast_to(deffs[:, None], n.shape)
        ci = wilson_intervals(np.round(sums.total), n, conf, d)
        for y, g in zip(*np.nonzero(sums.n)):
            out[y][g] = EstimateResult(
                int(sums.n[y, g]), float(ci.estimate[y, g]), float(ci.low[y, g]), float(ci.high[y, g]),
                float(deffs[y]), "wilson",
            )
        return out
    for y, g in zip(*np.nonzero(sums.n >= 2)):
        s = summary_of(float(sums.n[y, g]), float(sums.total[y, g]), float(sums.sum_sq[y, g]))
        r = mean_t_interval(s, conf, float(deffs[y]))
        out[y][g] = EstimateResult(s.n, r.estimate, r.low, r.high, float(deffs[y]), "student-t")
    return out
