"""Linear trend in a mean over ordered groups (e.g. a scale mean over years).

The least-squares slope of the individual values on the group scores,
computed from per-group summaries (n_i, mean_i, sd_i) - the grouped-data form
of simple linear regression (Draper & Smith 1998, *Applied Regression
Analysis*, 3rd ed., ch. 1):

    b = sum n_i (s_i - s_bar)(m_i - m_bar) / Sxx,   Sxx = sum n_i (s_i - s_bar)^2
    RSS = sum (n_i - 1) sd_i^2 + sum n_i (m_i - m_bar - b (s_i - s_bar))^2
    SE(b) = sqrt(RSS / (N - 2) / Sxx),  t = b / SE(b),  df = N - 2

It equals ``scipy.stats.linregress`` on the raw values. With a design effect
the variance of b is multiplied by ``deff`` and df = N / deff - 2 (Kish 1965).
This is the counterpart for means of the Cochran-Armitage trend test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._checks import _p_t_two_sided, _t, _validate_conf, _validate_deff
from .mean_interval import Summary

__all__ = ["MeanTrendResult", "linear_trend_means"]


@dataclass(frozen=True, slots=True)
class MeanTrendResult:
    """``slope`` is in the value's unit per score unit (per year)."""

    slope: float
    ci_low: float
    ci_high: float
    conf: float
    t: float
    df: float
    p_value: float
    n: int
    n_groups: int
    deff: float


def _validate_groups(
    summaries: Sequence[Summary], scores: Sequence[float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    if len(summaries) != len(scores) or len(summaries) < 2:
        raise ValueError("need one score per summary and at least 2 groups")
    n = np.array([s.n for s in summaries], dtype=float)
    m = np.array([s.mean for s in summaries], dtype=float)
    sd = np.array([s.sd for s in summaries], dtype=float)
    x = np.asarray(scores, dtype=float)
    if np.any(n < 1) or not (np.all(np.isfinite(m)) and np.all(np.isfinite(sd)) and np.all(np.isfinite(x))):
        raise ValueError("every group needs n >= 1 and finite mean, sd and score")
    if np.any(sd < 0):
        raise ValueError("standard deviations must be >= 0")
    if np.unique(x).size < 2 or n.sum() < 3:
        raise ValueError("need at least two distinct scores and 3 values in all")
    return n, m, sd, x


def linear_trend_means(
    summaries: Sequence[Summary],
    scores: Sequence[float],
    conf: float = 0.95,
    deff: float = 1.0,
) -> MeanTrendResult:
    """Two-sided t test of a linear trend in means over ``scores`` (see module docstring).

    A group with n = 1 may pass sd = 0. No residual variation gives t = 0,
    p = 1 for a zero slope and t = +/-inf, p = 0 otherwise.
    """
    n, m, sd, x = _validate_groups(summaries, scores)
    conf, deff = _validate_conf(conf), _validate_deff(deff)
    big_n = float(n.sum())
    x_bar = float(np.dot(n, x)) / big_n
    m_bar = float(np.dot(n, m)) / big_n
    sxx = float(np.dot(n, (x - x_bar) ** 2))
    slope = float(np.dot(n, (x - x_bar) * (m - m_bar))) / sxx
    fitted = m_bar + slope * (x - x_bar)
    rss = float(np.dot(np.maximum(n - 1.0, 0.0), sd**2) + np.dot(n, (m - fitted) ** 2))
    df = max(big_n / deff - 2.0, 1.0)
    se = math.sqrt(max(rss, 0.0) / (big_n - 2.0) / sxx * deff)
    if se == 0.0:
        t = 0.0 if slope == 0.0 else math.copysign(math.inf, slope)
        p = 1.0 if slope == 0.0 else 0.0
        return MeanTrendResult(slope, slope, slope, conf, t, df, p, int(big_n), n.size, deff)
    t = slope / se
    half = _t(conf, df) * se
    return MeanTrendResult(
        slope, slope - half, slope + half, conf, t, df, _p_t_two_sided(t, df), int(big_n), n.size, deff
    )
