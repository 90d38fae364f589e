"""Shared input checks and distribution helpers for the statistics layer.

Private module: the public functions validate their inputs through these
``_validate_*`` helpers (which raise :class:`ValueError`, never ``assert``)
and get normal/t/chi-square tail areas from closed forms or ``scipy.special``
ufuncs, which cost microseconds instead of building ``scipy.stats`` objects.
"""

from __future__ import annotations

import math
import numbers
from functools import lru_cache

from scipy import special

__all__: list[str] = []

_SQRT2 = math.sqrt(2.0)


def _validate_conf(conf: float) -> float:
    if not (isinstance(conf, numbers.Real) and 0.0 < conf < 1.0):
        raise ValueError(f"conf must be strictly between 0 and 1, got {conf!r}")
    return float(conf)


def _validate_deff(deff: float) -> float:
    if not (isinstance(deff, numbers.Real) and math.isfinite(deff) and deff >= 1.0):
        raise ValueError(f"deff must be a finite number >= 1, got {deff!r}")
    return float(deff)


def _validate_count(x: int, n: int) -> tuple[int, int]:
    """Check a binomial count: integers (not bool) with 0 <= x <= n and n >= 1.

    n = 0 (an empty group) is rejected with ValueError rather than returning an
    empty result: callers suppress small groups before asking for statistics.
    """
    for name, v in (("x", x), ("n", n)):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise ValueError(f"{name} must be an integer count, got {v!r}")
    x, n = int(x), int(n)
    if n < 1:
        raise ValueError(f"n must be >= 1 (empty group), got {n}")
    if not 0 <= x <= n:
        raise ValueError(f"x must satisfy 0 <= x <= n, got x={x}, n={n}")
    return x, n


@lru_cache(maxsize=64)
def _z(conf: float) -> float:
    """Two-sided normal quantile z_{1-(1-conf)/2}; cached per confidence level."""
    return float(special.ndtri(0.5 + conf / 2.0))


def _t(conf: float, df: float) -> float:
    """Two-sided Student t quantile (closed-form ufunc, no scipy.stats object)."""
    if math.isinf(df):
        return _z(conf)
    return float(special.stdtrit(df, 0.5 + conf / 2.0))


def _p_normal_two_sided(z: float) -> float:
    """Two-sided p-value of a standard normal statistic: erfc(|z|/sqrt 2)."""
    return math.erfc(abs(z) / _SQRT2)


def _p_chi2_1df(stat: float) -> float:
    """Upper tail of chi-square with 1 df: P(X > s) = erfc(sqrt(s/2))."""
    return math.erfc(math.sqrt(max(stat, 0.0) / 2.0))


def _p_t_two_sided(t: float, df: float) -> float:
    if math.isinf(df):
        return _p_normal_two_sided(t)
    return float(2.0 * special.stdtr(df, -abs(t)))
