"""The joint cells of a results table, for disclosure control (:mod:`analysis.disclosure`).

Every respondent falls in one joint cell: the combination of its group in each
grouping published (school, grade, gender; the last group of each is "unknown").
Per indicator and year the rule needs the answers counted per joint cell, and
for a group shown as the union of several ("Øvrige skoler (2)") its estimate,
which :func:`merged_estimate` computes design-based like any other domain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .design import Design, DomainStats, stratum_variance
from .disclosure import Protection, protect

__all__ = ["JointCells", "MergedEstimate", "joint_cells", "merged_estimate"]


@dataclass(frozen=True, eq=False)
class JointCells:
    """``index[i]`` = respondent i's joint cell; ``codes[d][j]`` = joint cell j's group in
    grouping d (``sizes[d]`` groups, the last one "unknown"); ``year[i]`` = i's year index."""

    index: np.ndarray
    codes: Mapping[str, np.ndarray]
    sizes: Mapping[str, int]
    year: np.ndarray
    n_years: int

    def protections(self, values: np.ndarray, threshold: int) -> list[Protection]:
        """The rule per year for the answers (non-NaN ``values``) of one indicator."""
        keep = ~np.isnan(values)
        cells = int(self.index.max()) + 1 if self.index.size else 1
        counts = np.bincount(self.year[keep] * cells + self.index[keep], minlength=self.n_years * cells)
        counts = counts.reshape(self.n_years, cells)
        return [protect(counts[y], self.codes, self.sizes, threshold) for y in range(self.n_years)]


def joint_cells(design: Design, codes: Mapping[str, np.ndarray], sizes: Mapping[str, int]) -> JointCells:
    """The joint cells of groupings ``codes`` (respondent's group, -1 = unknown)."""
    year = design.psu_year[design.psu]
    key = np.zeros(year.size, dtype=np.int64)
    full = {d: np.where(c >= 0, c, sizes[d] - 1).astype(np.int64) for d, c in codes.items()}
    for d, c in full.items():
        key = key * sizes[d] + c
    unique, index = np.unique(key, return_inverse=True)
    cell_codes, rest = {}, unique.copy()
    for d in reversed(list(full)):
        cell_codes[d] = rest % sizes[d]
        rest = rest // sizes[d]
    return JointCells(index.ravel(), {d: cell_codes[d] for d in full}, dict(sizes), year, design.n_years)


@dataclass(frozen=True, slots=True)
class MergedEstimate:
    """The union of several groups in one year: n, mean, design variance, SRS variance, df."""

    n: float
    mean: float
    var: float
    srs_var: float
    df: float


def merged_estimate(design: Design, st: DomainStats, y: int, cols: tuple[int, ...], share: bool) -> MergedEstimate:
    """The domain "year y, any of groups ``cols``", linearised as :func:`analysis.design.domain_stats`
    (PSU totals of the influence, all PSUs of the design's strata counted)."""
    p = st.pairs
    inside = (p.year == y) & np.isin(p.col, np.asarray(cols, dtype=np.int64))
    n = float(st.M[inside].sum())
    total = float(st.S[inside].sum())
    mean = total / n if n else float("nan")
    u = np.where(inside, (st.S - mean * st.M) / max(n, 1.0), 0.0)
    z = np.bincount(p.psu, weights=u, minlength=design.n_psu)
    strata = design.psu_stratum
    q = np.bincount(strata, weights=z * z, minlength=design.n_strata)[None, :]
    t = np.bincount(strata, weights=z, minlength=design.n_strata)[None, :]
    var = float(stratum_variance(design, q, t)[0])
    sum_sq = total if share else float(st.sum_sq[y, list(cols)].sum())
    s2 = max(sum_sq - n * mean * mean, 0.0) / max(n - 1.0, 1.0)
    srs = s2 / n if n > 1 else float("nan")
    used = np.bincount(p.psu[inside & (st.M > 0)], minlength=design.n_psu) > 0
    df = float(used.sum() - np.unique(strata[used]).size)
    return MergedEstimate(n, mean, var, srs, df)
