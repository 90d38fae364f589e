"""Welch t test with Welch CI and standardised effect sizes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis import Summary, summarize, welch_test

# Student's sleep data (Cushny & Peebles 1905), as R's `sleep` data set.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_matches_r_welch_t_test_on_sleep():
    # R: t.test(extra ~ group, data = sleep)
    #   t = -1.8608, df = 17.776, p-value = 0.07939
    #   95 percent confidence interval: -3.3654832  0.2054832
    r = welch_test(SLEEP_1, SLEEP_2)
    assert r.t == pytest.approx(-1.8608, abs=1e-4)
    assert r.df == pytest.approx(17.776, abs=1e-3)
    assert r.p_value == pytest.approx(0.07939, abs=1e-5)
    assert r.ci_low == pytest.approx(-3.3654832, abs=1e-7)
    assert r.ci_high == pytest.approx(0.2054832, abs=1e-7)
    assert r.diff == pytest.approx(-1.58)


def test_effect_sizes_on_sleep_by_hand():
    # sd1 = 1.789010, sd2 = 2.002249; pooled sd = sqrt((sd1^2 + sd2^2) / 2) = 1.898625
    # d = -1.58 / 1.898625 = -0.83218; g = d * (1 - 3 / (4 * 20 - 9)) = d * 0.957746 = -0.79702
    r = welch_test(SLEEP_1, SLEEP_2)
    assert r.cohens_d == pytest.approx(-0.83218, abs=1e-5)
    assert r.hedges_g == pytest.approx(-0.79702, abs=1e-5)


@settings(max_examples=150, deadline=None)
@given(
    n1=st.integers(2, 80),
    n2=st.integers(2, 80),
    shift=st.floats(-2, 2),
    scale=st.floats(0.2, 5),
    seed=st.integers(0, 2**31),
)
def test_property_agrees_with_scipy_ttest_ind_welch(n1, n2, shift, scale, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(0, 1, n1), rng.normal(shift, scale, n2)
    r = welch_test(a, b, conf=0.9)
    ref = stats.ttest_ind(a, b, equal_var=False)
    ci = ref.confidence_interval(0.9)
    assert r.t == pytest.approx(ref.statistic, rel=1e-9)
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-8, abs=1e-15)
    assert r.df == pytest.approx(ref.df, rel=1e-9)
    assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-8)
    assert r.ci_low <= r.diff <= r.ci_high


def test_summary_input_equals_raw_input():
    raw = welch_test(SLEEP_1, SLEEP_2)
    summ = welch_test(summarize(SLEEP_1), summarize(SLEEP_2))
    assert summ.p_value == pytest.approx(raw.p_value) and summ.ci_low == pytest.approx(
        raw.ci_low
    )


def test_deff_inflates_variance():
    a, b = Summary(3.2, 1.0, 400), Summary(3.0, 1.0, 4000)
    plain, adj = welch_test(a, b), welch_test(a, b, deff=2.0)
    assert adj.t == pytest.approx(plain.t / math.sqrt(2.0))
    assert adj.p_value > plain.p_value and adj.cohens_d == plain.cohens_d


def test_identical_and_constant_groups():
    same = welch_test([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    assert same.t == 0.0 and same.p_value == pytest.approx(1.0) and same.cohens_d == 0.0
    const_same = welch_test([2.0, 2.0], [2.0, 2.0, 2.0])
    assert const_same.p_value == 1.0 and const_same.ci_low == const_same.ci_high == 0.0
    const_diff = welch_test([3.0, 3.0], [2.0, 2.0])
    assert const_diff.p_value == 0.0 and const_diff.t == math.inf
    for bad in (
        ([1.0], [1.0, 2.0]),
        ([], [1.0, 2.0]),
        (Summary(1.0, 1.0, 1), [1.0, 2.0]),
    ):
        with pytest.raises(ValueError):
            welch_test(*bad)
