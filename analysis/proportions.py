"""Comparing a share between two independent groups (e.g. a school vs the rest
of the municipality, or this year vs last year).

Test choice (Cochran 1954 rule): Pearson chi-square without continuity
correction when every expected count is >= 5, otherwise Fisher's exact test
(two-sided, scipy). For clustered data (``deff`` > 1):

* the chi-square statistic is divided by ``deff`` - the first-order Rao & Scott
  (1981, JASA 76:221-230) correction with one common design effect;
* Fisher's test, and the >= 5 rule, use the counts scaled by ``1/deff`` and
  rounded half up (x and n separately, so the table stays consistent);
* the Newcombe interval uses effective sizes ``n/deff`` (same estimates).

Cohen's h and Cramer's V are descriptive and use the unscaled counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from ._checks import _p_chi2_1df, _validate_conf, _validate_count, _validate_deff, _z
from .effect_sizes import cohens_h
from .intervals import _wilson_bounds

__all__ = [
    "CompareSharesResult",
    "NewcombeResult",
    "compare_shares",
    "newcombe_interval",
]


@dataclass(frozen=True, slots=True)
class NewcombeResult:
    diff: float
    low: float
    high: float
    conf: float
    method: str = "newcombe-hybrid-score"


@dataclass(frozen=True, slots=True)
class CompareSharesResult:
    """``statistic`` is the (deff-adjusted) chi-square for ``test == "chi2"``
    and the sample odds ratio of the (scaled) table for ``test == "fisher"``
    (NaN when undefined). ``diff_pp`` and the interval are p1 - p2 in
    percentage points; ``cramers_v`` is |phi| of the unscaled table."""

    test: str
    statistic: float
    p_value: float
    p1: float
    p2: float
    diff_pp: float
    ci_low_pp: float
    ci_high_pp: float
    conf: float
    cohens_h: float
    cramers_v: float
    x1: int
    n1: int
    x2: int
    n2: int
    deff: float


def _wilson_lu(x: float, n: float, z: float) -> tuple[float, float]:
    lo, hi = _wilson_bounds(x / n, n, z)
    return (
        0.0 if x == 0 else max(0.0, float(lo)),
        1.0 if x == n else min(1.0, float(hi)),
    )


def _newcombe(
    x1: float, n1: float, x2: float, n2: float, z: float
) -> tuple[float, float, float]:
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = _wilson_lu(x1, n1, z)
    l2, u2 = _wilson_lu(x2, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, max(-1.0, low), min(1.0, high)


def newcombe_interval(
    x1: int, n1: int, x2: int, n2: int, conf: float = 0.95, deff: float = 1.0
) -> NewcombeResult:
    """Hybrid score interval for p1 - p2 from two Wilson intervals.

    Method 10 of Newcombe (1998), "Interval estimation for the difference
    between independent proportions: comparison of eleven methods", Stat Med
    17:873-890: ``L = d - sqrt((p1-l1)^2 + (u2-p2)^2)``,
    ``U = d + sqrt((u1-p1)^2 + (p2-l2)^2)``, with l/u the Wilson limits.
    With ``deff`` both Wilson intervals use ``n/deff`` (same estimates).
    """
    x1, n1 = _validate_count(x1, n1)
    x2, n2 = _validate_count(x2, n2)
    conf, deff = _validate_conf(conf), _validate_deff(deff)
    d, lo, hi = _newcombe(x1 / deff, n1 / deff, x2 / deff, n2 / deff, _z(conf))
    return NewcombeResult(d, lo, hi, conf)


def _fisher(a: int, b: int, c: int, d: int) -> tuple[float, float]:
    """Fisher exact two-sided p (sum of hypergeometric probabilities not larger
    than the observed one, relative tolerance 1e-7 as in R's fisher.test) and
    the sample odds ratio ad/bc; closed form with log-gamma, no scipy.stats."""
    r1, r2, c1 = a + b, c + d, a + c
    n = r1 + r2
    if min(r1, r2, c1, b + d) == 0:
        return math.nan, 1.0
    lo, hi = max(0, c1 - r2), min(r1, c1)
    k = np.arange(lo, hi + 1, dtype=float)
    logp = -(
        special.gammaln(k + 1)
        + special.gammaln(r1 - k + 1)
        + special.gammaln(c1 - k + 1)
        + special.gammaln(r2 - c1 + k + 1)
    )
    logp += (
        special.gammaln(r1 + 1)
        + special.gammaln(r2 + 1)
        + special.gammaln(c1 + 1)
        + special.gammaln(n - c1 + 1)
    )
    logp -= special.gammaln(n + 1)
    p_obs = logp[a - lo]
    p = float(np.exp(logp[logp <= p_obs + 1e-7]).sum())
    odds = (
        math.nan
        if a * d == 0 and b * c == 0
        else (math.inf if b * c == 0 else a * d / (b * c))
    )
    return odds, min(1.0, p)


def _round_half_up(v: float) -> int:
    return int(math.floor(v + 0.5))


def compare_shares(
    x1: int, n1: int, x2: int, n2: int, conf: float = 0.95, deff: float = 1.0, exact: bool = False
) -> CompareSharesResult:
    """Test p1 = p2 for two independent binomial samples; see module docstring.

    Pearson (1900) chi-square with 1 df (no Yates correction), or Fisher (1935)
    exact test when an expected count is < 5 (always with ``exact``). Returns the difference in
    percentage points with its Newcombe (1998, method 10) interval, Cohen's h
    and Cramer's V (= |phi|).
    """
    x1, n1 = _validate_count(x1, n1)
    x2, n2 = _validate_count(x2, n2)
    conf, deff = _validate_conf(conf), _validate_deff(deff)
    n, c1 = n1 + n2, x1 + x2
    min_expected = min(n1, n2) * min(c1, n - c1) / n / deff
    chi2 = (
        0.0
        if c1 in (0, n)
        else n * (x1 * (n2 - x2) - x2 * (n1 - x1)) ** 2 / (n1 * n2 * c1 * (n - c1))
    )
    if min_expected >= 5.0 and not exact:
        test, statistic, p = "chi2", chi2 / deff, _p_chi2_1df(chi2 / deff)
    else:
        s1, s2 = _round_half_up(x1 / deff), _round_half_up(x2 / deff)
        m1, m2 = _round_half_up(n1 / deff), _round_half_up(n2 / deff)
        test = "fisher"
        statistic, p = _fisher(s1, m1 - s1, s2, m2 - s2)
    d, lo, hi = _newcombe(x1 / deff, n1 / deff, x2 / deff, n2 / deff, _z(conf))
    p1, p2 = x1 / n1, x2 / n2
    return CompareSharesResult(
        test,
        statistic,
        min(1.0, p),
        p1,
        p2,
        100.0 * d,
        100.0 * lo,
        100.0 * hi,
        conf,
        cohens_h(p1, p2),
        math.sqrt(chi2 / n),
        x1,
        n1,
        x2,
        n2,
        deff,
    )
