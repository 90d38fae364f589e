"""Design-based (Taylor linearisation) variances for pupils clustered in classes within schools.

The design is R ``survey``'s ``svydesign(ids = ~class, strata = ~school)`` on the
responses analysed: primary sampling units (PSUs) are classes within a year (the
frame's class cluster, a new PSU every year), strata are schools (responses without
a school form one stratum of their own), equal weights, no finite-population
correction. A published row is a *domain* (year x group): its mean is a ratio
estimator, linearised as in ``survey:::svymean`` and ``svyby`` - every respondent's
influence ``(y - mean) / n`` is summed per PSU, and

    Var = sum_h n_h / (n_h - 1) * sum_{c in h} (Z_c - Zbar_h)^2

over *all* PSUs of the design's strata (``survey:::onestrat``): PSUs with no member
in the domain count as zeros, and ``n_h`` is the stratum's PSU count in the whole
design, also when a row lies within one school (Wolter 2007, *Introduction to
Variance Estimation*, ch. 6; Lumley 2010, *Complex Surveys*, 2.2 and 3.4). A stratum
with a single PSU is handled as R's ``options(survey.lonely.psu = "adjust")``: its
PSU total counts uncentred, with factor 1 (R's default "fail" would stop).

Everything is computed from (PSU, group) pair totals with ``numpy.bincount``: a
pair index per respondent is built once per grouping, and each indicator then
costs two weighted bincounts over the respondents plus small per-pair arrays.
The design effect of a row is ``Var / (s^2 / n)`` with ``s^2`` the (n - 1) sample
variance: R's ``svymean(..., deff = "replace")``. Degrees of freedom of a row are
its PSUs minus its strata (R's ``degf`` of the domain's subset).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .frame import ResponseFrame

__all__ = ["Design", "DomainStats", "Pairs", "build_design", "domain_stats", "pairs_for"]


@dataclass(frozen=True, eq=False)
class Design:
    """PSUs (year x class) and strata (schools) of the responses analysed.

    ``psu[i]`` is respondent i's PSU (PSUs are numbered year by year);
    ``psu_year``/``psu_stratum`` give each PSU's year and stratum; ``n_h`` is the
    number of PSUs per stratum in the whole design and ``f_h`` its factor
    ``n_h / (n_h - 1)`` (1 for a lonely PSU)."""

    psu: np.ndarray
    psu_year: np.ndarray
    psu_stratum: np.ndarray
    n_h: np.ndarray
    f_h: np.ndarray
    n_years: int

    @property
    def n_psu(self) -> int:
        return int(self.psu_year.size)

    @property
    def n_strata(self) -> int:
        return int(self.n_h.size)


def build_design(frame: ResponseFrame, year_index: np.ndarray, n_years: int) -> Design:
    """The design of ``frame`` (``year_index[i]`` = respondent i's index into the analysed years)."""
    width = int(frame.cluster.max()) + 1 if frame.n else 1
    keys, psu = np.unique(year_index.astype(np.int64) * width + frame.cluster, return_inverse=True)
    psu = psu.ravel()
    first = np.zeros(keys.size, dtype=np.int64)
    first[psu[::-1]] = np.arange(frame.n - 1, -1, -1)  # any member's row: a class lies in one school
    school = frame.school[first] if frame.n else np.zeros(0, dtype=np.int64)
    school = np.where(school < 0, len(frame.school_names), school).astype(np.int64)
    year = (keys // width).astype(np.int64)
    codes, stratum = np.unique(year * (len(frame.school_names) + 1) + school, return_inverse=True)
    n_h = np.bincount(stratum.ravel(), minlength=codes.size).astype(float)
    f_h = np.where(n_h > 1, n_h / np.maximum(n_h - 1.0, 1.0), 1.0)
    return Design(psu, (keys // width).astype(np.int64), stratum.ravel().astype(np.int64), n_h, f_h, n_years)


@dataclass(frozen=True, eq=False)
class Pairs:
    """The (PSU, group) pairs of one grouping. ``index[i]`` is respondent i's pair; per
    pair: its PSU, column (group code, ``n_cols - 1`` = in no group), year and stratum."""

    index: np.ndarray
    psu: np.ndarray
    col: np.ndarray
    year: np.ndarray
    stratum: np.ndarray
    n_cols: int

    @property
    def domain(self) -> np.ndarray:
        """Each pair's domain (year * n_cols + col)."""
        return self.year * self.n_cols + self.col


def pairs_for(design: Design, codes: np.ndarray, n_groups: int) -> Pairs:
    """Pairs for group ``codes`` (-1 = in no group) with ``n_groups`` groups."""
    n_cols = n_groups + 1
    col = np.where(codes >= 0, codes, n_groups).astype(np.int64)
    col_of_psu = np.full(design.n_psu, -1, dtype=np.int64)
    col_of_psu[design.psu] = col
    if design.n_psu and np.array_equal(col_of_psu[design.psu], col):  # every class within one group
        index, pair_psu, pair_col = design.psu, np.arange(design.n_psu), col_of_psu
    else:
        keys, index = np.unique(design.psu * n_cols + col, return_inverse=True)
        index = index.ravel()
        pair_psu, pair_col = keys // n_cols, keys % n_cols
    return Pairs(index, pair_psu, pair_col, design.psu_year[pair_psu], design.psu_stratum[pair_psu], n_cols)


@dataclass(frozen=True, eq=False)
class DomainStats:
    """One indicator in one grouping. Arrays of shape (years, n_cols) unless said:
    ``n``, ``total``, ``sum_sq`` (of the non-missing values), ``mean``, ``var`` (design
    variance of the mean), ``srs_var`` (s^2 / n), ``deff``, ``n_psu``, ``n_strata``, ``df``.
    Per pair: ``S`` (sum) and ``M`` (count). ``q`` and ``t`` (years, n_cols, strata) hold
    the sums of squared and plain influence PSU totals per stratum (reused by year
    comparisons)."""

    pairs: Pairs
    S: np.ndarray
    M: np.ndarray
    n: np.ndarray
    total: np.ndarray
    sum_sq: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    srs_var: np.ndarray
    deff: np.ndarray
    n_psu: np.ndarray
    n_strata: np.ndarray
    df: np.ndarray
    q: np.ndarray
    t: np.ndarray
    strata_used: np.ndarray


def stratum_variance(design: Design, q: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``sum_h f_h (q_h - t_h^2 / n_h)`` over the last axis (strata); lonely strata
    (n_h = 1) are not centred."""
    centre = np.where(design.n_h > 1, design.f_h / design.n_h, 0.0)
    return np.maximum(q @ design.f_h - (t * t) @ centre, 0.0)


def domain_stats(design: Design, pairs: Pairs, values: np.ndarray, share: bool) -> DomainStats:
    """Estimates and linearised variances for every (year, group) domain of ``values``
    (NaN = missing)."""
    keep = ~np.isnan(values)
    n_pairs = pairs.psu.size
    idx = pairs.index[keep] if not keep.all() else pairs.index
    v = values[keep] if not keep.all() else values
    S = np.bincount(idx, weights=v, minlength=n_pairs)
    M = np.bincount(idx, minlength=n_pairs).astype(float)
    n_y, n_c, n_s = design.n_years, pairs.n_cols, design.n_strata
    size = n_y * n_c
    dom = pairs.domain
    n = np.bincount(dom, weights=M, minlength=size).reshape(n_y, n_c)
    total = np.bincount(dom, weights=S, minlength=size).reshape(n_y, n_c)
    if share:
        sum_sq = total
    else:
        sum_sq = np.bincount(pairs.domain[idx], weights=v * v, minlength=size).reshape(n_y, n_c)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / np.maximum(n, 1.0), np.nan)
        flat_mean, flat_n = mean.ravel(), np.maximum(n.ravel(), 1.0)
        u = (S - np.nan_to_num(flat_mean[dom]) * M) / flat_n[dom]
        dh = dom * n_s + pairs.stratum
        q = np.bincount(dh, weights=u * u, minlength=size * n_s).reshape(n_y, n_c, n_s)
        t = np.bincount(dh, weights=u, minlength=size * n_s).reshape(n_y, n_c, n_s)
        var = stratum_variance(design, q, t)
        s2 = np.maximum(sum_sq - n * np.nan_to_num(mean) ** 2, 0.0) / np.maximum(n - 1.0, 1.0)
        srs_var = np.where(n > 1, s2 / np.maximum(n, 1.0), np.nan)
        deff = np.where(srs_var > 0, var / srs_var, np.nan)
    with_data = M > 0
    n_psu = np.bincount(dom, weights=with_data, minlength=size).reshape(n_y, n_c)
    strata_used = np.bincount(dh, weights=with_data, minlength=size * n_s).reshape(n_y, n_c, n_s) > 0
    n_strata = strata_used.sum(axis=2)
    return DomainStats(
        pairs, S, M, n, total, sum_sq, mean, var, srs_var, deff, n_psu, n_strata,
        n_psu - n_strata, q, t, strata_used,
    )
