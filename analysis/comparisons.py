"""Two-group comparisons and trends of one indicator, with the test chosen by the data.

* shares: :func:`analysis.compare_shares` (Pearson chi-square without
  continuity correction when every expected count is >= 5, else Fisher's exact
  test), the Newcombe hybrid score interval for the difference, Cohen's h and
  Cramer's V; trend: Cochran-Armitage with the years as scores;
* single ordinal items (a mean indicator with one item, e.g. a 0-10 scale):
  Mann-Whitney U from category counts (effect size: rank-biserial r); the
  difference in means is shown with its Welch interval;
* scale means (several items): Welch's t test (effect size: Hedges' g);
  trend: least-squares slope over the years (:func:`analysis.linear_trend_means`).

All take the design effect of the cells compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .estimates import summary_of
from .mean_trend import linear_trend_means
from .means import welch_test
from .proportions import compare_shares
from .ranks import mann_whitney_counts
from .trend import cochran_armitage

__all__ = ["CellData", "ComparisonResult", "compare_cells", "trend_over_years"]


@dataclass(frozen=True, slots=True)
class CellData:
    """A group's sufficient statistics: n, sum, sum of squares and (for
    ordinal items) counts per category."""

    n: int
    total: float
    sum_sq: float
    counts: np.ndarray | None = None

    def minus(self, other: CellData) -> CellData:
        """The complement of ``other`` within this cell (e.g. the rest of the municipality)."""
        counts = None if self.counts is None or other.counts is None else self.counts - other.counts
        return CellData(self.n - other.n, self.total - other.total, self.sum_sq - other.sum_sq, counts)


@dataclass(frozen=True, slots=True)
class ComparisonResult:
    """``diff`` and its interval are in percentage points (shares) or scale points
    (means); for trends they are per year."""

    test: str
    statistic: float
    p_value: float
    diff: float
    ci_low: float
    ci_high: float
    effect_size: float | None
    effect_size_name: str | None
    cramers_v: float | None
    deff: float


def compare_cells(kind: str, ordinal: bool, a: CellData, b: CellData, deff: float, conf: float = 0.95) -> ComparisonResult:
    """Compare group ``a`` with group ``b`` (difference a - b)."""
    if kind == "share":
        r = compare_shares(int(round(a.total)), a.n, int(round(b.total)), b.n, conf, deff)
        return ComparisonResult(
            r.test, r.statistic, r.p_value, r.diff_pp, r.ci_low_pp, r.ci_high_pp, r.cohens_h, "cohens_h", r.cramers_v, deff
        )
    w = welch_test(summary_of(a.n, a.total, a.sum_sq), summary_of(b.n, b.total, b.sum_sq), conf, deff)
    if ordinal and a.counts is not None and b.counts is not None:
        m = mann_whitney_counts(a.counts, b.counts, deff)
        return ComparisonResult(
            "mann-whitney", m.u, m.p_value, w.diff, w.ci_low, w.ci_high, m.rank_biserial, "rank_biserial", None, deff
        )
    return ComparisonResult("welch", w.t, w.p_value, w.diff, w.ci_low, w.ci_high, w.hedges_g, "hedges_g", None, deff)


def trend_over_years(kind: str, cells: list[CellData], years: list[int], deff: float, conf: float = 0.95) -> ComparisonResult:
    """Linear trend over ``years`` (three or more); slope per year."""
    if kind == "share":
        t = cochran_armitage(
            [int(round(c.total)) for c in cells], [c.n for c in cells], [float(y) for y in years], conf, deff
        )
        return ComparisonResult(
            "cochran-armitage", t.z, t.p_value, t.slope_pp, t.ci_low_pp, t.ci_high_pp, None, None, None, deff
        )
    m = linear_trend_means([summary_of(c.n, c.total, c.sum_sq) for c in cells], [float(y) for y in years], conf, deff)
    return ComparisonResult("linear-trend-t", m.t, m.p_value, m.slope, m.ci_low, m.ci_high, None, None, None, deff)
