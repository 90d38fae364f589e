"""Intervals and t tests from design-based variances (see :mod:`analysis.design`), vectorised.

* Shares: the Wilson score interval on the effective sample size
  ``n_eff = p (1 - p) / Var`` with Korn & Graubard's degrees-of-freedom correction
  ``n_eff * (t_{n-1} / t_df)^2`` (Korn & Graubard 1998, Survey Methodology 24:193-201;
  Dean & Pagano 2015, J Surv Stat Methodol 3:484-503, who found the Wilson version to
  keep its coverage in clustered samples). A row whose variance is 0 (everyone
  answered alike, e.g. 40 of 40 said yes) uses ``n_eff = n`` before the df
  correction, so the interval is never empty: Wilson's interval is honest at 0 % and
  100 %.
* Means: ``mean +/- t_df * SE``. Constant answers have no variance and get no
  interval (the wording says there is no variation), never "7,0-7,0".
* Differences and slopes: the Wald t test and interval with the same SE and df, so
  the interval excludes 0 exactly when p < 1 - conf.

``df`` is the design's: PSUs (classes) minus strata (schools) in the row, minus 1
for a comparison (R's ``degf`` and ``svyglm`` residual df).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ._checks import _validate_conf, _z
from .intervals import _wilson_bounds

__all__ = ["mean_intervals", "share_intervals", "t_tests"]


def _t_quantile(conf: float, df: np.ndarray) -> np.ndarray:
    df = np.asarray(df, dtype=float)
    q = np.full(df.shape, np.nan)
    ok = df >= 1
    q[ok] = special.stdtrit(df[ok], 0.5 + conf / 2.0)
    return q


def share_intervals(p, n, var, df, conf: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Korn-Graubard-corrected Wilson intervals for shares ``p`` of ``n`` respondents with
    design variance ``var`` and ``df`` degrees of freedom (>= 1); returns low, high and the
    effective sample size used."""
    conf = _validate_conf(conf)
    p, n, var, df = (np.asarray(a, dtype=float) for a in (p, n, var, df))
    with np.errstate(invalid="ignore", divide="ignore"):
        n_eff = np.minimum(np.where((var > 0) & (p > 0) & (p < 1), p * (1.0 - p) / var, n), n)
        ratio = _t_quantile(conf, np.maximum(n - 1.0, 1.0)) / _t_quantile(conf, df)
        n_eff = n_eff * ratio * ratio
        low, high = _wilson_bounds(p, n_eff, _z(conf))
    low = np.where(p <= 0, 0.0, np.clip(low, 0.0, 1.0))
    high = np.where(p >= 1, 1.0, np.clip(high, 0.0, 1.0))
    return low, high, n_eff


def mean_intervals(mean, var, df, conf: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """``mean +/- t_df sqrt(var)``; NaN where the variance is 0 (no variation)."""
    conf = _validate_conf(conf)
    mean, var = np.asarray(mean, dtype=float), np.asarray(var, dtype=float)
    half = _t_quantile(conf, df) * np.sqrt(var)
    half = np.where(var > 0, half, np.nan)
    return mean - half, mean + half


def t_tests(estimate, var, df, conf: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two-sided t tests of ``estimate = 0``: statistic, p, and the interval's low and high
    (all NaN where the variance is 0 or df < 1)."""
    conf = _validate_conf(conf)
    estimate, var, df = (np.asarray(a, dtype=float) for a in (estimate, var, df))
    ok = (var > 0) & (df >= 1)
    se = np.sqrt(np.where(ok, var, np.nan))
    with np.errstate(invalid="ignore", divide="ignore"):
        t = estimate / se
        p = 2.0 * special.stdtr(np.where(ok, df, 1.0), -np.abs(t))
        half = _t_quantile(conf, np.where(ok, df, np.nan)) * se
    return t, np.where(ok, p, np.nan), estimate - half, estimate + half
