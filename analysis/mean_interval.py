"""Summary statistics and the Student t interval for a single mean.

The interval accepts a design effect ``deff`` (>= 1): the standard error uses
``n_eff = n / deff`` (Kish 1965, *Survey Sampling*, section 8.2).
n < 2 raises ValueError (no standard deviation).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._checks import _t, _validate_conf, _validate_deff

__all__ = ["MeanIntervalResult", "Summary", "mean_t_interval", "summarize"]


@dataclass(frozen=True, slots=True)
class Summary:
    """Summary statistics of a sample: mean, sample sd (ddof=1) and n."""

    mean: float
    sd: float
    n: int


@dataclass(frozen=True, slots=True)
class MeanIntervalResult:
    estimate: float
    low: float
    high: float
    conf: float
    sd: float
    se: float
    df: float
    n: int
    effective_n: float
    method: str


def summarize(values: Sequence[float]) -> Summary:
    """Mean, sample standard deviation (ddof=1) and n of finite values."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size < 2 or not np.all(np.isfinite(arr)):
        raise ValueError("need a 1-d sequence of at least 2 finite values")
    return Summary(float(arr.mean()), float(arr.std(ddof=1)), int(arr.size))


def _validate_summary(data: Summary | Sequence[float]) -> Summary:
    if not isinstance(data, Summary):
        return summarize(data)
    if (
        data.n < 2
        or not (math.isfinite(data.mean) and math.isfinite(data.sd))
        or data.sd < 0
    ):
        raise ValueError(f"summary needs n >= 2, finite mean and sd >= 0, got {data!r}")
    return data


def mean_t_interval(
    data: Summary | Sequence[float], conf: float = 0.95, deff: float = 1.0
) -> MeanIntervalResult:
    """Student t interval for a mean: ``mean +/- t_{df} * sd / sqrt(n_eff)``.

    ``data`` is a sequence of values or a :class:`Summary` (a plain tuple is
    read as values, never as (mean, sd, n)). With ``deff`` the standard error
    uses ``n_eff = n / deff`` and ``df = n_eff - 1`` (a conservative choice;
    Kish 1965). Reference: Student (1908), Biometrika 6:1-25.
    """
    s = _validate_summary(data)
    conf, deff = _validate_conf(conf), _validate_deff(deff)
    n_eff = s.n / deff
    df = max(n_eff - 1.0, 1.0)
    se = s.sd / math.sqrt(n_eff)
    half = _t(conf, df) * se
    return MeanIntervalResult(
        s.mean,
        s.mean - half,
        s.mean + half,
        conf,
        s.sd,
        se,
        df,
        s.n,
        n_eff,
        "student-t",
    )
