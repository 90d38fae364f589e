"""Effect sizes for shares: Cohen's h and Cramer's V (phi for 2x2 tables)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

__all__ = ["cohens_h", "cramers_v"]


def cohens_h(p1: float, p2: float) -> float:
    """Cohen's h = 2 asin(sqrt p1) - 2 asin(sqrt p2) (Cohen 1988, ch. 6).

    Conventional benchmarks: 0.2 small, 0.5 medium, 0.8 large."""
    for p in (p1, p2):
        if not (isinstance(p, numbers.Real) and 0.0 <= p <= 1.0):
            raise ValueError(f"proportions must be in [0, 1], got {p!r}")
    return 2.0 * math.asin(math.sqrt(p1)) - 2.0 * math.asin(math.sqrt(p2))


def _chi2_stat(table: np.ndarray) -> float:
    n = table.sum()
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    mask = expected > 0
    return float(((table[mask] - expected[mask]) ** 2 / expected[mask]).sum())


def cramers_v(table: Sequence[Sequence[float]]) -> float:
    """Cramer's V = sqrt(X^2 / (N (min(r, c) - 1))) for an r x c table
    (Cramer 1946, *Mathematical Methods of Statistics*, 21.9); for 2x2 this is
    |phi|. Rows/columns with zero margin are dropped; a table that is then
    smaller than 2x2 has V = 0 (no association can be shown)."""
    t = np.asarray(table, dtype=float)
    if t.ndim != 2 or t.size == 0 or np.any(t < 0) or not np.all(np.isfinite(t)):
        raise ValueError("table must be a 2-d array of non-negative finite counts")
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    if min(t.shape) < 2:
        return 0.0
    return math.sqrt(_chi2_stat(t) / (t.sum() * (min(t.shape) - 1)))
