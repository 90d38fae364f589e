"""Mann-Whitney U with rank-biserial effect size, raw values and category counts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis import mann_whitney, mann_whitney_counts

SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_matches_r_wilcox_test_on_sleep():
    # R: wilcox.test(extra ~ group, data = sleep)  ->  W = 25.5, p-value = 0.06933
    # (ties, so R uses the normal approximation with continuity correction)
    r = mann_whitney(SLEEP_1, SLEEP_2)
    assert r.u == 25.5 and r.method == "asymptotic"
    assert r.p_value == pytest.approx(0.06933, abs=1e-5)
    # rank-biserial r = 2 U / (n1 n2) - 1 = 2 * 25.5 / 100 - 1 = -0.49
    assert r.rank_biserial == pytest.approx(
        -0.49
    ) and r.prob_superiority == pytest.approx(0.255)


def test_exact_branch_without_ties_matches_scipy_exact():
    a, b = [1.1, 2.2, 3.3, 4.4], [5.5, 6.6, 7.7, 8.8, 9.9]
    r = mann_whitney(a, b)
    # Complete separation: U = 0, exact two-sided p = 2 / C(9, 4) = 2 / 126.
    assert r.method == "exact" and r.u == 0.0 and r.p_value == pytest.approx(2 / 126)
    assert r.rank_biserial == -1.0


@settings(max_examples=150, deadline=None)
@given(
    n1=st.integers(1, 120),
    n2=st.integers(1, 120),
    k=st.integers(2, 7),
    seed=st.integers(0, 2**31),
)
def test_property_asymptotic_agrees_with_scipy(n1, n2, k, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, k, n1), rng.integers(0, k, n2)
    r = mann_whitney(a, b)
    method = r.method  # "exact" only when there are no ties (e.g. n1 = n2 = 1)
    ref = stats.mannwhitneyu(
        a, b, alternative="two-sided", method=method, use_continuity=True
    )
    assert r.u == ref.statistic
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)
    if method == "exact":
        return
    # the closed form from category counts gives the same answer
    rc = mann_whitney_counts(np.bincount(a, minlength=k), np.bincount(b, minlength=k))
    assert rc.u == pytest.approx(r.u) and rc.p_value == pytest.approx(
        r.p_value, rel=1e-9, abs=1e-15
    )
    assert -1.0 <= r.rank_biserial <= 1.0


def test_single_observation_per_group():
    r = mann_whitney([1], [2])
    assert r.method == "exact" and r.p_value == pytest.approx(1.0)


def test_identical_groups_deff_and_invalid():
    same = mann_whitney_counts([5, 5, 5], [5, 5, 5])
    assert same.p_value == 1.0 and same.rank_biserial == 0.0
    assert mann_whitney([2, 2, 2], [2, 2]).p_value == 1.0  # no variation at all
    plain = mann_whitney_counts([30, 40, 50], [50, 40, 30])
    adj = mann_whitney_counts([30, 40, 50], [50, 40, 30], deff=2.0)
    assert adj.p_value > plain.p_value and adj.rank_biserial == plain.rank_biserial
    for bad in (([], [1]), ([1.0, float("nan")], [1])):
        with pytest.raises(ValueError):
            mann_whitney(*bad)
    for bad in (
        ([0, 0], [1, 2]),
        ([1, 2], [1, 2, 3]),
        ([1, -1], [1, 1]),
        ([1.5, 1], [1, 1]),
    ):
        with pytest.raises(ValueError):
            mann_whitney_counts(*bad)
