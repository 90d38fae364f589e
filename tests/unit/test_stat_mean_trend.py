"""Linear trend in means over years, checked against scipy.stats.linregress on raw values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis import linear_trend_means, summarize
from analysis.mean_interval import Summary


def test_hand_computed_example():
    # Years 0, 1, 2 with values [1, 3], [2, 4], [5, 7]: x_bar = 1, means 2, 3, 6 (grand 11/3).
    # Sxx = 2 (1 + 0 + 1) = 4; Sxy = 2 (-1)(2 - 11/3) + 2 (1)(6 - 11/3) = 8; slope = 2.
    groups = [[1, 3], [2, 4], [5, 7]]
    r = linear_trend_means([summarize(g) for g in groups], [0, 1, 2])
    assert r.slope == pytest.approx(2.0)
    ref = stats.linregress(np.repeat([0, 1, 2], 2), np.concatenate(groups))
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert r.slope == pytest.approx(ref.slope)
    assert r.df == 4 and r.n == 6 and r.n_groups == 3


@settings(max_examples=80, deadline=None)
@given(
    sizes=st.lists(st.integers(2, 40), min_size=3, max_size=8),
    slope=st.floats(-0.5, 0.5),
    seed=st.integers(0, 2**31),
)
def test_property_equals_linregress_on_raw_values(sizes, slope, seed):
    rng = np.random.default_rng(seed)
    years = np.arange(2015, 2015 + len(sizes))
    x = np.repeat(years, sizes)
    y = 3 + slope * (x - 2015) + rng.normal(0, 1, x.size)
    summaries = [summarize(y[x == year]) for year in years]
    r = linear_trend_means(summaries, years)
    ref = stats.linregress(x, y)
    assert r.slope == pytest.approx(ref.slope, rel=1e-9, abs=1e-12)
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-6, abs=1e-12)
    se = (r.ci_high - r.ci_low) / 2 / stats.t.ppf(0.975, x.size - 2)
    assert se == pytest.approx(ref.stderr, rel=1e-9)
    assert r.ci_low <= r.slope <= r.ci_high


def test_deff_widens_the_interval_and_raises_p():
    summaries = [Summary(3.0, 1.0, 100), Summary(3.1, 1.0, 100), Summary(3.2, 1.0, 100)]
    plain = linear_trend_means(summaries, [2024, 2025, 2026])
    clustered = linear_trend_means(summaries, [2024, 2025, 2026], deff=2.0)
    assert clustered.slope == plain.slope
    assert clustered.ci_high - clustered.ci_low > plain.ci_high - plain.ci_low
    assert clustered.p_value > plain.p_value
    assert clustered.t == pytest.approx(plain.t / math.sqrt(2.0))


def test_no_residual_variation():
    flat = linear_trend_means([Summary(2.0, 0.0, 5)] * 3, [1, 2, 3])
    assert flat.p_value == 1.0 and flat.slope == 0.0
    rising = linear_trend_means([Summary(1.0, 0.0, 5), Summary(2.0, 0.0, 5), Summary(3.0, 0.0, 5)], [1, 2, 3])
    assert rising.p_value == 0.0 and rising.t == math.inf


@pytest.mark.parametrize(
    ("summaries", "scores"),
    [
        ([Summary(1.0, 1.0, 5)], [1]),
        ([Summary(1.0, 1.0, 5), Summary(1.0, 1.0, 5)], [1, 1]),
        ([Summary(1.0, 1.0, 5), Summary(1.0, 1.0, 5)], [1, 2, 3]),
        ([Summary(1.0, -1.0, 5), Summary(1.0, 1.0, 5)], [1, 2]),
    ],
)
def test_invalid_input_raises(summaries, scores):
    with pytest.raises(ValueError):
        linear_trend_means(summaries, scores)
