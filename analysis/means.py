"""Welch's unequal-variance t test for two independent means (scale items).

Welch (1947), Biometrika 34:28-35; Satterthwaite (1946) degrees of freedom.
With a design effect the variances of the means are multiplied by ``deff``
(n replaced by ``n_eff = n / deff``, also in the df formula).
Effect sizes: Cohen's d with the pooled SD (Cohen 1988, ch. 2) and Hedges' g
= d * (1 - 3 / (4 (n1 + n2) - 9)) (Hedges & Olkin 1985, eq. 5.4.8 approx.).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ._checks import _p_t_two_sided, _t, _validate_conf, _validate_deff
from .mean_interval import Summary, _validate_summary

__all__ = ["WelchResult", "welch_test"]


@dataclass(frozen=True, slots=True)
class WelchResult:
    diff: float
    ci_low: float
    ci_high: float
    conf: float
    t: float
    df: float
    p_value: float
    cohens_d: float
    hedges_g: float
    mean1: float
    mean2: float
    n1: int
    n2: int
    deff: float


def _standardised(diff: float, a: Summary, b: Summary) -> tuple[float, float]:
    pooled = math.sqrt(((a.n - 1) * a.sd**2 + (b.n - 1) * b.sd**2) / (a.n + b.n - 2))
    if pooled == 0.0:
        d = 0.0 if diff == 0.0 else math.copysign(math.inf, diff)
    else:
        d = diff / pooled
    return d, d * (1.0 - 3.0 / (4.0 * (a.n + b.n) - 9.0))


def welch_test(
    a: Summary | Sequence[float],
    b: Summary | Sequence[float],
    conf: float = 0.95,
    deff: float = 1.0,
) -> WelchResult:
    """Welch two-sided test of mean(a) = mean(b) with a Welch CI for mean(a) - mean(b).

    ``a`` and ``b`` are value sequences or :class:`Summary` objects (n >= 2).
    Two constant samples (SE = 0) give t = 0, p = 1 if the means are equal and
    t = +/-inf, p = 0 otherwise.
    """
    sa, sb = _validate_summary(a), _validate_summary(b)
    conf, deff = _validate_conf(conf), _validate_deff(deff)
    n1e, n2e = sa.n / deff, sb.n / deff
    v1, v2 = sa.sd**2 / n1e, sb.sd**2 / n2e
    diff = sa.mean - sb.mean
    se = math.sqrt(v1 + v2)
    if se == 0.0:
        df = n1e + n2e - 2.0
        t = 0.0 if diff == 0.0 else math.copysign(math.inf, diff)
        p = 1.0 if diff == 0.0 else 0.0
        lo = hi = diff
    else:
        df = (v1 + v2) ** 2 / (
            v1**2 / max(n1e - 1.0, 1e-12) + v2**2 / max(n2e - 1.0, 1e-12)
        )
        df = max(df, 1.0)
        t = diff / se
        p = _p_t_two_sided(t, df)
        half = _t(conf, df) * se
        lo, hi = diff - half, diff + half
    d, g = _standardised(diff, sa, sb)
    return WelchResult(
        diff, lo, hi, conf, t, df, p, d, g, sa.mean, sb.mean, sa.n, sb.n, deff
    )
