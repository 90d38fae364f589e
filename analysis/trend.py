"""Cochran-Armitage test for a linear trend in proportions (e.g. over years).

Cochran (1954), Biometrics 10:417-451; Armitage (1955), Biometrics 11:375-386;
Agresti (2013), *Categorical Data Analysis*, 3rd ed., section 5.3.5.
Standard variance form (no continuity correction), with N = sum n_i and
p_bar = sum x_i / N:

    Z = sum s_i (x_i - n_i p_bar) / sqrt(p_bar (1 - p_bar) [sum n_i s_i^2 - (sum n_i s_i)^2 / N])

Two-sided p from the normal distribution. Z^2 equals N r^2, while Agresti's
Mantel M^2 = (N - 1) r^2 (r the Pearson correlation of score and outcome).
The slope is the n-weighted least-squares slope of p_i on s_i, reported in
percentage points per score unit (per year when scores are years); its
interval uses the same null-variance SE, so it excludes 0 exactly when the
test rejects. With a design effect, Z^2 is divided by deff (SE times sqrt deff).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._checks import _p_normal_two_sided, _validate_conf, _validate_deff, _z

__all__ = ["TrendResult", "cochran_armitage"]


@dataclass(frozen=True, slots=True)
class TrendResult:
    z: float
    chi2: float
    p_value: float
    slope_pp: float
    ci_low_pp: float
    ci_high_pp: float
    conf: float
    p_bar: float
    n: int
    n_groups: int
    deff: float


def _validate_trend(successes, totals, scores):
    x = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    s = (
        np.arange(x.size, dtype=float)
        if scores is None
        else np.asarray(scores, dtype=float)
    )
    if x.ndim != 1 or x.shape != n.shape or x.shape != s.shape or x.size < 2:
        raise ValueError(
            "successes, totals and scores must be 1-d of equal length >= 2"
        )
    if not (
        np.all(np.isfinite(s)) and np.all(x == np.round(x)) and np.all(n == np.round(n))
    ):
        raise ValueError("counts must be whole numbers and scores finite")
    if np.any(x < 0) or np.any(x > n):
        raise ValueError("need 0 <= successes <= totals in every group")
    if np.unique(s[n > 0]).size < 2:
        raise ValueError("need at least two distinct scores with observations")
    return x, n, s


def cochran_armitage(
    successes: Sequence[int],
    totals: Sequence[int],
    scores: Sequence[float] | None = None,
    conf: float = 0.95,
    deff: float = 1.0,
) -> TrendResult:
    """Two-sided Cochran-Armitage trend test; ``scores`` default 0, 1, ..., k-1.

    Groups with total 0 are allowed (they contribute nothing). If every
    observation is a success (or none is) there is no variation: z = 0, p = 1.
    """
    x, n, s = _validate_trend(successes, totals, scores)
    conf, deff = _validate_conf(conf), _validate_deff(deff)
    big_n = float(n.sum())
    p_bar = float(x.sum()) / big_n
    s_ss = float(np.dot(n, s * s) - np.dot(n, s) ** 2 / big_n)
    t = float(np.dot(s, x - n * p_bar))
    slope = t / s_ss
    var0 = p_bar * (1.0 - p_bar)
    if var0 <= 0.0:
        return TrendResult(
            0.0, 0.0, 1.0, 0.0, 0.0, 0.0, conf, p_bar, int(big_n), x.size, deff
        )
    se = math.sqrt(var0 * deff / s_ss)
    z = slope / se
    half = _z(conf) * se
    return TrendResult(
        z,
        z * z,
        _p_normal_two_sided(z),
        100.0 * slope,
        100.0 * (slope - half),
        100.0 * (slope + half),
        conf,
        p_bar,
        int(big_n),
        x.size,
        deff,
    )
