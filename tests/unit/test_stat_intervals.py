"""Intervals for one proportion / one mean against published values and scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis import (
    Summary,
    clopper_pearson_interval,
    mean_t_interval,
    wilson_interval,
    wilson_intervals,
)

# Newcombe RG (1998) "Two-sided confidence intervals for the single proportion:
# comparison of seven methods", Stat Med 17:857-872, Table I:
# method 3 (Wilson score, no continuity correction) and method 5 (Clopper-Pearson).
NEWCOMBE_TABLE_I = [
    # x, n, wilson (low, high), exact (low, high)
    (81, 263, (0.2553, 0.3662), (0.2527, 0.3676)),
    (15, 148, (0.0624, 0.1605), (0.0578, 0.1617)),
    (0, 20, (0.0000, 0.1611), (0.0000, 0.1684)),
    (1, 29, (0.0061, 0.1718), (0.0009, 0.1776)),
]


@pytest.mark.parametrize(("x", "n", "wilson", "exact"), NEWCOMBE_TABLE_I)
def test_wilson_matches_newcombe_1998_table_i(x, n, wilson, exact):
    r = wilson_interval(x, n)
    assert (round(r.low, 4), round(r.high, 4)) == wilson
    assert r.method == "wilson" and r.estimate == x / n and r.effective_n == n


@pytest.mark.parametrize(("x", "n", "wilson", "exact"), NEWCOMBE_TABLE_I)
def test_clopper_pearson_matches_newcombe_1998_table_i(x, n, wilson, exact):
    r = clopper_pearson_interval(x, n)
    assert (round(r.low, 4), round(r.high, 4)) == exact


@pytest.mark.parametrize(
    ("x", "n"),
    [(0, 1), (1, 1), (0, 7), (7, 7), (3, 10), (81, 263), (499, 1000), (2, 30000)],
)
@pytest.mark.parametrize("conf", [0.9, 0.95, 0.99])
def test_intervals_agree_with_scipy_binomtest(x, n, conf):
    ci = stats.binomtest(x, n).proportion_ci(confidence_level=conf, method="wilson")
    w = wilson_interval(x, n, conf)
    assert w.low == pytest.approx(ci.low, abs=1e-12) and w.high == pytest.approx(
        ci.high, abs=1e-12
    )
    ci = stats.binomtest(x, n).proportion_ci(confidence_level=conf, method="exact")
    c = clopper_pearson_interval(x, n, conf)
    assert c.low == pytest.approx(ci.low, abs=1e-9) and c.high == pytest.approx(
        ci.high, abs=1e-9
    )


@pytest.mark.parametrize("fn", [wilson_interval, clopper_pearson_interval])
def test_edge_cases_zero_and_all(fn):
    zero, allx = fn(0, 25), fn(25, 25)
    assert zero.low == 0.0 and 0 < zero.high < 1
    assert allx.high == 1.0 and 0 < allx.low < 1
    assert allx.low == pytest.approx(1 - zero.high)  # symmetry


@pytest.mark.parametrize("fn", [wilson_interval, clopper_pearson_interval])
@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((0, 0), {}),
        ((5, 4), {}),
        ((-1, 4), {}),
        ((1.5, 4), {}),
        ((True, 4), {}),
        ((1, 4), {"conf": 1.0}),
        ((1, 4), {"conf": 0}),
        ((1, 4), {"deff": 0.5}),
        ((1, 4), {"deff": math.inf}),
    ],
)
def test_invalid_input_raises_value_error(fn, args, kwargs):
    with pytest.raises(ValueError):
        fn(*args, **kwargs)


def test_deff_uses_effective_sample_size():
    # deff = 2 on 81/263 equals the plain interval for n_eff = 131.5 with the same p.
    r = wilson_interval(81, 263, deff=2.0)
    plain = wilson_interval(81, 263)
    assert r.effective_n == 131.5 and r.estimate == plain.estimate
    assert r.high - r.low > plain.high - plain.low
    # Integer check: 40/200 with deff 2 equals 20/100 without.
    assert wilson_interval(40, 200, deff=2.0).low == pytest.approx(
        wilson_interval(20, 100).low
    )
    assert clopper_pearson_interval(40, 200, deff=2.0).high == pytest.approx(
        clopper_pearson_interval(20, 100).high
    )


def test_vectorised_wilson_equals_scalar():
    x = np.array([0, 1, 15, 81, 20])
    n = np.array([20, 29, 148, 263, 20])
    arr = wilson_intervals(x, n, deff=np.array([1, 1, 1.5, 2, 1]))
    for i, d in enumerate([1, 1, 1.5, 2, 1]):
        r = wilson_interval(int(x[i]), int(n[i]), deff=d)
        assert (arr.low[i], arr.high[i]) == pytest.approx((r.low, r.high), abs=1e-14)
    with pytest.raises(ValueError):
        wilson_intervals([1], [0])


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(1, 100_000),
    frac=st.floats(0, 1),
    conf=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
    deff=st.floats(1, 5),
)
def test_property_intervals_contain_estimate_within_unit(n, frac, conf, deff):
    x = round(frac * n)
    for fn in (wilson_interval, clopper_pearson_interval):
        r = fn(x, n, conf, deff)
        assert 0.0 <= r.low <= r.estimate <= r.high <= 1.0


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 5000), frac=st.floats(0, 1))
def test_property_wider_with_higher_confidence_and_deff(n, frac):
    x = round(frac * n)
    a, b = wilson_interval(x, n, 0.9), wilson_interval(x, n, 0.99)
    assert b.low <= a.low and b.high >= a.high
    c = clopper_pearson_interval(x, n, deff=2.5)
    d = clopper_pearson_interval(x, n)
    assert c.low <= d.low + 1e-12 and c.high >= d.high - 1e-12


# --- mean ---------------------------------------------------------------

SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]


def test_mean_t_interval_matches_r_t_test_sleep_group1():
    # R: t.test(sleep$extra[sleep$group == 1]) -> 95 percent CI -0.5297804 2.0297804
    r = mean_t_interval(SLEEP_1)
    assert r.estimate == pytest.approx(0.75)
    assert r.low == pytest.approx(-0.5297804, abs=1e-7) and r.high == pytest.approx(
        2.0297804, abs=1e-7
    )
    assert r.df == 9


def test_mean_t_interval_agrees_with_scipy_and_summary():
    rng = np.random.default_rng(1)
    v = rng.normal(3, 1.2, 57)
    ci = stats.t.interval(0.9, len(v) - 1, loc=v.mean(), scale=stats.sem(v))
    r = mean_t_interval(v, conf=0.9)
    assert (r.low, r.high) == pytest.approx(ci, rel=1e-12)
    s = mean_t_interval(Summary(float(v.mean()), float(v.std(ddof=1)), 57), conf=0.9)
    assert (s.low, s.high) == pytest.approx(ci, rel=1e-12)


def test_mean_t_interval_deff_and_edges():
    r = mean_t_interval(Summary(3.0, 1.0, 101), deff=2.0)
    assert r.effective_n == 50.5 and r.df == 49.5
    assert r.se == pytest.approx(1 / math.sqrt(50.5))
    const = mean_t_interval([2.0, 2.0, 2.0])
    assert const.low == const.high == 2.0
    for bad in (
        [1.0],
        [],
        [1.0, math.nan],
        Summary(1.0, -1.0, 5),
        Summary(1.0, 1.0, 1),
    ):
        with pytest.raises(ValueError):
            mean_t_interval(bad)
