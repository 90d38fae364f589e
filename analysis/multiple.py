"""Multiple-testing corrections returning adjusted p-values (as R's p.adjust).

* Holm (1979), "A simple sequentially rejective multiple test procedure",
  Scand J Stat 6:65-70 - controls the family-wise error rate.
* Benjamini & Hochberg (1995), "Controlling the false discovery rate", JRSS B
  57:289-300 - controls the false discovery rate.

Missing entries (None or NaN) stay None and do not count towards m.
Adjusted values are >= the raw ones, monotone in the raw ones, capped at 1.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["AdjustedPValues", "benjamini_hochberg", "holm"]


@dataclass(frozen=True, slots=True)
class AdjustedPValues:
    method: str
    p_adjusted: tuple[float | None, ...]
    n_tests: int

    def rejected(self, alpha: float = 0.05) -> tuple[bool | None, ...]:
        """Which hypotheses are rejected at level ``alpha`` (None where missing)."""
        return tuple(None if p is None else p <= alpha for p in self.p_adjusted)


def _validate_pvalues(pvalues: Sequence[float | None]) -> tuple[np.ndarray, np.ndarray]:
    idx, vals = [], []
    for i, p in enumerate(pvalues):
        if p is None or (isinstance(p, numbers.Real) and math.isnan(p)):
            continue
        if (
            isinstance(p, bool)
            or not isinstance(p, numbers.Real)
            or not 0.0 <= p <= 1.0
        ):
            raise ValueError(
                f"p-values must be in [0, 1] or None/NaN, got {p!r} at {i}"
            )
        idx.append(i)
        vals.append(float(p))
    return np.asarray(idx, dtype=int), np.asarray(vals, dtype=float)


def _pack(
    method: str, length: int, idx: np.ndarray, adj: np.ndarray
) -> AdjustedPValues:
    out: list[float | None] = [None] * length
    for i, v in zip(idx.tolist(), adj.tolist()):
        out[i] = v
    return AdjustedPValues(method, tuple(out), int(idx.size))


def holm(pvalues: Sequence[float | None]) -> AdjustedPValues:
    """Holm step-down: p_(i) * (m - i + 1), running maximum, capped at 1."""
    idx, p = _validate_pvalues(pvalues)
    m = p.size
    order = np.argsort(p, kind="stable")
    adj_sorted = np.minimum(1.0, np.maximum.accumulate(p[order] * (m - np.arange(m))))
    adj = np.empty(m)
    adj[order] = adj_sorted
    return _pack("holm", len(pvalues), idx, adj)


def benjamini_hochberg(pvalues: Sequence[float | None]) -> AdjustedPValues:
    """Benjamini-Hochberg step-up: p_(i) * m / i, running minimum from the top, capped at 1."""
    idx, p = _validate_pvalues(pvalues)
    m = p.size
    order = np.argsort(p, kind="stable")
    scaled = p[order] * (
        m / np.arange(1, m + 1)
    )  # factor >= 1, so never below the raw p
    adj_sorted = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    adj = np.empty(m)
    adj[order] = adj_sorted
    return _pack("benjamini-hochberg", len(pvalues), idx, adj)
