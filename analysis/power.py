"""Minimum detectable difference of a share between one group and the rest.

The smallest true difference a two-sided test at level ``alpha`` finds with
probability ``power``, for a share near ``p`` (Bloom 1995, "Minimum detectable
effects", Evaluation Review 19:547-556; Kish 1965, *Survey Sampling*, 8.2):

    MDD = (t_{1 - alpha/2, df} + t_{power, df}) * sqrt(deff * p (1 - p) * (1/n + 1/n_rest))

with the group's design effect (at least 1) applied to both sides and ``df`` the
design's degrees of freedom of the group (its classes minus 1).
"""

from __future__ import annotations

import math

from scipy import special

__all__ = ["minimum_detectable_difference"]


def minimum_detectable_difference(
    n: int, n_rest: int, deff: float = 1.0, df: float = math.inf, p: float = 0.2, alpha: float = 0.05, power: float = 0.8
) -> float:
    """The MDD in percentage points (see module docstring); ``df`` below 1 is taken as 1."""
    if n < 1 or n_rest < 1 or not 0 < p < 1 or not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError("need n, n_rest >= 1 and p, alpha, power strictly between 0 and 1")
    df = max(float(df), 1.0)
    quantile = (lambda q: float(special.ndtri(q))) if math.isinf(df) else (lambda q: float(special.stdtrit(df, q)))
    factor = quantile(1 - alpha / 2) + quantile(power)
    return 100.0 * factor * math.sqrt(max(deff, 1.0) * p * (1 - p) * (1 / n + 1 / n_rest))
