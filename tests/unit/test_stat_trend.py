"""Cochran-Armitage trend test."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import cochran_armitage

# Agresti (2013) Categorical Data Analysis, 3rd ed., Table 3.7 (2002 ed. Table 2.7):
# infant malformation (present) by mother's alcohol consumption (drinks/day:
# 0, <1, 1-2, 3-5, >=6), Graubard & Korn (1987).
PRESENT = [48, 38, 5, 1, 1]
TOTAL = [17066 + 48, 14464 + 38, 788 + 5, 126 + 1, 37 + 1]  # N = 32,574


def test_agresti_alcohol_malformation_midpoint_scores():
    # Agresti: scores (0, 0.5, 1.5, 4.0, 7.0): r = 0.0142, M^2 = (N - 1) r^2 = 6.57, P = 0.01.
    # Cochran-Armitage Z^2 = N r^2 = M^2 * N / (N - 1) (derived; differs in the 5th digit).
    r = cochran_armitage(PRESENT, TOTAL, [0, 0.5, 1.5, 4.0, 7.0])
    assert r.chi2 * (r.n - 1) / r.n == pytest.approx(6.57, abs=0.005)
    assert r.z == pytest.approx(2.563, abs=1e-3) and r.p_value == pytest.approx(
        0.0104, abs=1e-4
    )
    assert r.n == 32574 and r.slope_pp > 0


def test_agresti_alcohol_malformation_equally_spaced_scores():
    # Agresti: with equally spaced scores (1, ..., 5), M^2 = 1.83, P = 0.18 (z = 1.35).
    r = cochran_armitage(PRESENT, TOTAL, [1, 2, 3, 4, 5])
    assert r.chi2 * (r.n - 1) / r.n == pytest.approx(1.83, abs=0.005)
    assert r.z == pytest.approx(1.35, abs=0.005) and r.p_value == pytest.approx(
        0.18, abs=0.005
    )
    assert cochran_armitage(PRESENT, TOTAL).z == pytest.approx(
        r.z
    )  # default scores 0..k-1


@settings(max_examples=100, deadline=None)
@given(
    k=st.integers(2, 8),
    seed=st.integers(0, 2**31),
    base=st.floats(0.02, 0.9),
    step=st.floats(-0.1, 0.1),
)
def test_property_z_squared_equals_n_r_squared_of_individual_data(k, seed, base, step):
    # Independent route: Z^2 = N r^2 with r the Pearson correlation of (score, 0/1 outcome).
    rng = np.random.default_rng(seed)
    totals = rng.integers(5, 120, k)
    p = np.clip(base + step * np.arange(k), 0, 1)
    succ = rng.binomial(totals, p)
    years = np.arange(2015, 2015 + k)
    r = cochran_armitage(succ, totals, years)
    score = np.repeat(years, totals).astype(float)
    outcome = np.concatenate(
        [np.r_[np.ones(s), np.zeros(t - s)] for s, t in zip(succ, totals)]
    )
    if outcome.min() == outcome.max():
        assert r.p_value == 1.0 and r.z == 0.0
        return
    corr = np.corrcoef(score, outcome)[0, 1]
    assert r.chi2 == pytest.approx(outcome.size * corr**2, rel=1e-8, abs=1e-12)
    # slope = n-weighted least-squares slope of p_i on year (pp per year)
    assert r.slope_pp == pytest.approx(
        100 * np.polyfit(score, outcome, 1)[0], rel=1e-7, abs=1e-9
    )
    # the interval excludes 0 exactly when the test rejects at 5 %
    assert (r.ci_low_pp > 0 or r.ci_high_pp < 0) == (r.p_value < 0.05)


def test_exact_linear_trend_and_deff():
    years = list(range(2015, 2025))
    totals = [1000] * 10
    succ = [100 + 20 * i for i in range(10)]  # 10 %, 12 %, ... : exactly 2 pp per year
    r = cochran_armitage(succ, totals, years)
    assert r.slope_pp == pytest.approx(2.0) and r.p_value < 1e-10
    adj = cochran_armitage(succ, totals, years, deff=2.0)
    assert adj.chi2 == pytest.approx(r.chi2 / 2) and adj.slope_pp == r.slope_pp
    assert adj.ci_high_pp - adj.ci_low_pp == pytest.approx(
        (r.ci_high_pp - r.ci_low_pp) * 2**0.5
    )


def test_edges():
    flat = cochran_armitage([0, 0, 0], [10, 20, 30])
    assert flat.p_value == 1.0 and flat.z == 0.0
    allx = cochran_armitage([10, 20, 30], [10, 20, 30])
    assert allx.p_value == 1.0
    same_rate = cochran_armitage([10, 20, 30], [100, 200, 300])
    assert same_rate.z == pytest.approx(
        0.0, abs=1e-12
    ) and same_rate.p_value == pytest.approx(1.0)
    assert (
        cochran_armitage([1, 0, 2], [10, 0, 20], [2020, 2021, 2022]).n_groups == 3
    )  # empty year allowed
    for args in (
        ([1], [2]),
        ([1, 2], [2]),
        ([3, 1], [2, 2]),
        ([1, 1], [2, 2], [5, 5]),
        ([1, 1], [2, 0], [1, 2]),
        ([0.5, 1], [2, 2]),
    ):
        with pytest.raises(ValueError):
            cochran_armitage(*args)
