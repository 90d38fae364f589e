"""Design effect for pupils clustered in classes.

The intraclass correlation is the one-way ANOVA estimator for unequal cluster
sizes (Donner 1986, Int Stat Rev 54:67-82; Snedecor & Cochran 1989, 13.7):

    ICC = (MSB - MSW) / (MSB + (m0 - 1) MSW),  m0 = (N - sum m_i^2 / N) / (k - 1)

and the design effect is Kish's (1965, *Survey Sampling*, 5.4)
``deff = 1 + (m_bar - 1) ICC`` with ``m_bar = sum m_i^2 / N`` the size-weighted
mean cluster size - for unequal clusters the plain mean N / k understates it
(Kish 1987, *Statistical Design for Research*, 7.1; Eldridge, Ashby & Kerry 2006,
Int J Epidemiol 35:1292-1300) - floored at 1 (a negative ICC estimate is reported
but never shrinks the variance). Works for 0/1 indicators and continuous scores
alike. This is the model-based approximation for planning (e.g. a minimum
detectable difference); the results table uses design-based variances
(:mod:`analysis.design`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["DesignEffectResult", "design_effect", "design_effect_from_clusters"]


@dataclass(frozen=True, slots=True)
class DesignEffectResult:
    """``icc`` is NaN when every cluster has a single member (not estimable);
    deff is then 1 because m_bar = 1. ``mean_cluster_size`` is sum m^2 / N."""

    deff: float
    icc: float
    n_clusters: int
    mean_cluster_size: float
    effective_n: float
    n: int


def _validate_clustered(
    values: Sequence[float], cluster_ids: Sequence[Hashable]
) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(values, dtype=float)
    ids = np.asarray(cluster_ids)
    if y.ndim != 1 or ids.ndim != 1 or y.size != ids.size:
        raise ValueError("values and cluster_ids must be 1-d and of equal length")
    if not np.all(np.isfinite(y)):
        raise ValueError("values must be finite (drop missing answers first)")
    _, inverse = np.unique(ids, return_inverse=True)
    if inverse.size == 0 or inverse.max() < 1:
        raise ValueError("need at least 2 clusters to estimate a design effect")
    return y, inverse


def design_effect(
    values: Sequence[float], cluster_ids: Sequence[Hashable]
) -> DesignEffectResult:
    """ANOVA-ICC design effect of ``values`` clustered by ``cluster_ids``."""
    y, inverse = _validate_clustered(values, cluster_ids)
    sizes = np.bincount(inverse).astype(float)
    sums = np.bincount(inverse, weights=y)
    n, k = float(y.size), sizes.size
    means = sums / sizes
    grand = y.mean()
    ssb = float(np.sum(sizes * (means - grand) ** 2))
    ssw = float(np.sum((y - means[inverse]) ** 2))
    m_bar = float(np.sum(sizes**2)) / n
    if n == k:
        return DesignEffectResult(1.0, math.nan, k, m_bar, n, int(n))
    msb, msw = ssb / (k - 1), ssw / (n - k)
    m0 = (n - float(np.sum(sizes**2)) / n) / (k - 1)
    denom = msb + (m0 - 1.0) * msw
    if denom <= 0.0 or ssb + ssw <= 1e-12 * max(1.0, float(np.dot(y, y))):  # constant
        icc = 0.0
    else:
        icc = (msb - msw) / denom
    deff = max(1.0, 1.0 + (m_bar - 1.0) * icc)
    return DesignEffectResult(deff, icc, k, m_bar, n / deff, int(n))


def design_effect_from_clusters(
    sizes: Sequence[float], sums: Sequence[float], sums_sq: Sequence[float]
) -> DesignEffectResult:
    """The same ANOVA-ICC design effect from per-cluster sufficient statistics.

    ``sizes``, ``sums`` and ``sums_sq`` are, per cluster, the number of values,
    their sum and their sum of squares (clusters of size 0 are ignored). Uses
    SSW = sum(sum_sq - sum^2 / m) and SSB = sum(sum^2 / m) - (sum sum)^2 / N, so
    a whole table of indicators x years costs a few ``bincount`` calls instead
    of one :func:`design_effect` pass per cell (equal up to rounding).
    """
    m = np.asarray(sizes, dtype=float)
    s = np.asarray(sums, dtype=float)
    q = np.asarray(sums_sq, dtype=float)
    if m.ndim != 1 or m.shape != s.shape or m.shape != q.shape or np.any(m < 0):
        raise ValueError("sizes, sums and sums_sq must be 1-d of equal length, sizes >= 0")
    keep = m > 0
    m, s, q = m[keep], s[keep], q[keep]
    k, n = m.size, float(m.sum())
    if k < 2:
        raise ValueError("need at least 2 clusters to estimate a design effect")
    m_bar = float(np.sum(m * m)) / n
    if n == k:
        return DesignEffectResult(1.0, math.nan, k, m_bar, n, int(n))
    between_part = float(np.sum(s * s / m))
    total_sq = float(q.sum())
    ssw = max(0.0, total_sq - between_part)
    ssb = max(0.0, between_part - float(s.sum()) ** 2 / n)
    msb, msw = ssb / (k - 1), ssw / (n - k)
    m0 = (n - float(np.sum(m * m)) / n) / (k - 1)
    denom = msb + (m0 - 1.0) * msw
    if denom <= 0.0 or ssb + ssw <= 1e-12 * max(1.0, total_sq):
        icc = 0.0
    else:
        icc = (msb - msw) / denom
    deff = max(1.0, 1.0 + (m_bar - 1.0) * icc)
    return DesignEffectResult(deff, icc, k, m_bar, n / deff, int(round(n)))
