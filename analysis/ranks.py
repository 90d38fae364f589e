"""Mann-Whitney U (Wilcoxon rank-sum) test for ordinal items.

Mann & Whitney (1947), Ann Math Stat 18:50-60. Two-sided. As in R's
``wilcox.test``: the exact null distribution (scipy) when there are no ties,
both groups have fewer than 50 values and deff = 1; otherwise the normal
approximation with tie correction and continuity correction
``z = max(|U - n1 n2 / 2| - 0.5, 0) / sigma``,
``sigma^2 = n1 n2 / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1)))``
(Lehmann 1975, *Nonparametrics*, eq. 1.50). With ``deff`` z is divided by
sqrt(deff). Effect size: rank-biserial r = 2 U1 / (n1 n2) - 1 (Wendt 1972;
Kerby 2014), positive when ``a`` tends to be larger; ``prob_superiority`` =
U1 / (n1 n2) = P(A > B) + P(A = B) / 2 (McGraw & Wong 1992).

:func:`mann_whitney_counts` is the closed form for items with few ordered
categories (counts per category), which is O(categories) instead of O(N log N).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._checks import _p_normal_two_sided, _validate_deff

__all__ = ["MannWhitneyResult", "mann_whitney", "mann_whitney_counts"]


@dataclass(frozen=True, slots=True)
class MannWhitneyResult:
    u: float
    p_value: float
    rank_biserial: float
    prob_superiority: float
    n1: int
    n2: int
    method: str
    deff: float


def _asymptotic(
    u1: float, n1: int, n2: int, tie_sum: float, deff: float
) -> tuple[float, str]:
    n = n1 + n2
    var = n1 * n2 / 12.0 * ((n + 1) - tie_sum / (n * (n - 1)))
    if var <= 0.0:  # every value identical
        return 1.0, "asymptotic"
    z = max(abs(u1 - n1 * n2 / 2.0) - 0.5, 0.0) / math.sqrt(var) / math.sqrt(deff)
    return min(1.0, _p_normal_two_sided(z)), "asymptotic"


def _result(
    u1: float, p: float, n1: int, n2: int, method: str, deff: float
) -> MannWhitneyResult:
    ps = u1 / (n1 * n2)
    return MannWhitneyResult(u1, p, 2.0 * ps - 1.0, ps, n1, n2, method, deff)


def _validate_sample(values: Sequence[float], name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size < 1 or not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be a non-empty 1-d sequence of finite values")
    return arr


def mann_whitney(
    a: Sequence[float], b: Sequence[float], deff: float = 1.0
) -> MannWhitneyResult:
    """Two-sided Mann-Whitney U test of raw values; ``u`` is U for ``a``."""
    from scipy import stats  # imported here: scipy.stats takes a second to import

    x, y = _validate_sample(a, "a"), _validate_sample(b, "b")
    deff = _validate_deff(deff)
    n1, n2 = x.size, y.size
    ranks = stats.rankdata(np.concatenate([x, y]))
    u1 = float(ranks[:n1].sum() - n1 * (n1 + 1) / 2.0)
    _, t = np.unique(np.concatenate([x, y]), return_counts=True)
    tie_sum = float(np.sum(t.astype(float) ** 3 - t))
    if tie_sum == 0.0 and n1 < 50 and n2 < 50 and deff == 1.0:
        p = float(
            stats.mannwhitneyu(x, y, alternative="two-sided", method="exact").pvalue
        )
        return _result(u1, p, n1, n2, "exact", deff)
    p, method = _asymptotic(u1, n1, n2, tie_sum, deff)
    return _result(u1, p, n1, n2, method, deff)


def mann_whitney_counts(
    counts_a: Sequence[int], counts_b: Sequence[int], deff: float = 1.0
) -> MannWhitneyResult:
    """Mann-Whitney U from counts per ordered category (lowest category first).

    ``U1 = sum_k a_k (B_{<k} + b_k / 2)``; always the normal approximation with
    tie and continuity correction (ordinal data are heavily tied).
    """
    ca = np.asarray(counts_a, dtype=float)
    cb = np.asarray(counts_b, dtype=float)
    if ca.ndim != 1 or ca.shape != cb.shape or np.any(ca < 0) or np.any(cb < 0):
        raise ValueError(
            "counts must be equal-length 1-d sequences of non-negative counts"
        )
    if np.any(ca != np.round(ca)) or np.any(cb != np.round(cb)):
        raise ValueError("counts must be whole numbers")
    deff = _validate_deff(deff)
    n1, n2 = int(ca.sum()), int(cb.sum())
    if n1 < 1 or n2 < 1:
        raise ValueError("both groups need at least one observation")
    below = np.concatenate([[0.0], np.cumsum(cb)[:-1]])
    u1 = float(np.sum(ca * (below + cb / 2.0)))
    t = ca + cb
    p, method = _asymptotic(u1, n1, n2, float(np.sum(t**3 - t)), deff)
    return _result(u1, p, n1, n2, method, deff)
