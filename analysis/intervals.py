"""Confidence intervals for a single proportion.

Both intervals accept a design effect ``deff`` (>= 1) for pupils clustered
in classes: the interval is computed for the effective sample size
``n_eff = n / deff`` with the same point estimate (Kish 1965, *Survey
Sampling*, section 8.2; Korn & Graubard 1998, Survey Methodology 24:193-201).

n = 0 raises ValueError (no defined interval for an empty group).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from ._checks import _validate_conf, _validate_count, _validate_deff, _z

__all__ = [
    "IntervalArrays",
    "ProportionIntervalResult",
    "clopper_pearson_interval",
    "wilson_interval",
    "wilson_intervals",
]


@dataclass(frozen=True, slots=True)
class ProportionIntervalResult:
    estimate: float
    low: float
    high: float
    conf: float
    x: int
    n: int
    effective_n: float
    method: str


@dataclass(frozen=True, slots=True, eq=False)
class IntervalArrays:
    estimate: np.ndarray
    low: np.ndarray
    high: np.ndarray


def _wilson_bounds(p, n_eff, z):
    """Wilson score bounds; works elementwise on floats or numpy arrays."""
    z2 = z * z
    denom = 1.0 + z2 / n_eff
    centre = (p + z2 / (2.0 * n_eff)) / denom
    half = z / denom * np.sqrt(p * (1.0 - p) / n_eff + z2 / (4.0 * n_eff * n_eff))
    return centre - half, centre + half


def wilson_interval(
    x: int, n: int, conf: float = 0.95, deff: float = 1.0
) -> ProportionIntervalResult:
    """Wilson (1927) score interval for a proportion, without continuity correction.

    Method 3 of Newcombe (1998), "Two-sided confidence intervals for the single
    proportion", Stat Med 17:857-872. With ``deff`` the interval uses
    ``n_eff = n / deff`` and the unchanged estimate ``x / n``.
    """
    x, n = _validate_count(x, n)
    conf, deff = _validate_conf(conf), _validate_deff(deff)
    p, n_eff = x / n, n / deff
    low, high = _wilson_bounds(p, n_eff, _z(conf))
    low = 0.0 if x == 0 else max(0.0, float(low))
    high = 1.0 if x == n else min(1.0, float(high))
    return ProportionIntervalResult(p, low, high, conf, x, n, n_eff, "wilson")


def wilson_intervals(x, n, conf: float = 0.95, deff=1.0) -> IntervalArrays:
    """Vectorised :func:`wilson_interval` over arrays of counts (same method).

    ``deff`` may be a scalar or an array. Inputs are validated as a whole.
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    d = np.asarray(deff, dtype=float)
    conf = _validate_conf(conf)
    if (
        np.any(n < 1)
        or np.any(x < 0)
        or np.any(x > n)
        or np.any(~np.isfinite(d))
        or np.any(d < 1)
    ):
        raise ValueError("need n >= 1, 0 <= x <= n and finite deff >= 1 everywhere")
    p = x / n
    low, high = _wilson_bounds(p, n / d, _z(conf))
    low = np.where(x == 0, 0.0, np.clip(low, 0.0, 1.0))
    high = np.where(x == n, 1.0, np.clip(high, 0.0, 1.0))
    return IntervalArrays(p, low, high)


def clopper_pearson_interval(
    x: int, n: int, conf: float = 0.95, deff: float = 1.0
) -> ProportionIntervalResult:
    """Clopper & Pearson (1934) 'exact' interval from beta quantiles.

    Method 5 of Newcombe (1998), Stat Med 17:857-872:
    ``low = B^{-1}(a/2; x, n-x+1)``, ``high = B^{-1}(1-a/2; x+1, n-x)``.
    With ``deff`` the beta parameters use ``x/deff`` and ``n/deff``
    (Korn & Graubard 1998).
    """
    x, n = _validate_count(x, n)
    conf, deff = _validate_conf(conf), _validate_deff(deff)
    alpha = 1.0 - conf
    xe, ne = x / deff, n / deff
    low = 0.0 if x == 0 else float(special.betaincinv(xe, ne - xe + 1.0, alpha / 2.0))
    high = (
        1.0
        if x == n
        else float(special.betaincinv(xe + 1.0, ne - xe, 1.0 - alpha / 2.0))
    )
    return ProportionIntervalResult(x / n, low, high, conf, x, n, ne, "clopper-pearson")
