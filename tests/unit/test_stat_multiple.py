"""Holm and Benjamini-Hochberg adjusted p-values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis import benjamini_hochberg, holm


def test_hand_computed_small_example():
    # p = (0.01, 0.04, 0.03, 0.005); sorted 0.005, 0.01, 0.03, 0.04.
    # Holm: x (4, 3, 2, 1) -> 0.02, 0.03, 0.06, 0.04 -> running max 0.02, 0.03, 0.06, 0.06.
    # BH:   x 4/(1, 2, 3, 4) -> 0.02, 0.02, 0.04, 0.04 -> running min from the top: same.
    # (identical to R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm" / "BH"))
    p = [0.01, 0.04, 0.03, 0.005]
    assert holm(p).p_adjusted == pytest.approx((0.03, 0.06, 0.06, 0.02))
    assert benjamini_hochberg(p).p_adjusted == pytest.approx((0.02, 0.04, 0.04, 0.02))


def test_benjamini_hochberg_1995_example():
    # Benjamini & Hochberg (1995) JRSS B 57:289-300, section 4: 15 p-values from a
    # myocardial infarction study. At q = 0.05 the FDR procedure rejects 4 hypotheses,
    # Bonferroni 3. Holm also rejects 3 (hand: 0.0095 * 12 = 0.114 > 0.05).
    p = [
        0.0001,
        0.0004,
        0.0019,
        0.0095,
        0.0201,
        0.0278,
        0.0298,
        0.0344,
        0.0459,
        0.3240,
        0.4262,
        0.5719,
        0.6528,
        0.7590,
        1.0000,
    ]
    assert sum(benjamini_hochberg(p).rejected(0.05)) == 4
    assert sum(holm(p).rejected(0.05)) == 3
    assert holm(p).p_adjusted[:3] == pytest.approx((0.0015, 0.0056, 0.0247))


def test_missing_values_are_left_none_and_not_counted():
    r = holm([0.01, None, math.nan, 0.04, 0.03])
    assert r.p_adjusted == pytest.approx((0.03, None, None, 0.06, 0.06))
    assert r.n_tests == 3 and r.rejected(0.05) == (True, None, None, False, False)
    assert benjamini_hochberg([]).p_adjusted == () and holm([None]).p_adjusted == (
        None,
    )
    for bad in ([1.2], [-0.1], ["0.1"], [True]):
        with pytest.raises(ValueError):
            holm(bad)


pvalue_lists = st.lists(
    st.one_of(st.floats(0, 1), st.sampled_from([0.0, 1.0, 0.05]), st.none()),
    min_size=0,
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(pvalue_lists)
def test_property_adjusted_at_least_raw_capped_and_monotone(pvalues):
    present = [(i, p) for i, p in enumerate(pvalues) if p is not None]
    h, b = holm(pvalues).p_adjusted, benjamini_hochberg(pvalues).p_adjusted
    for adj in (h, b):
        assert [a is None for a in adj] == [p is None for p in pvalues]
        for i, p in present:
            assert p <= adj[i] <= 1.0
        for i, p in present:
            for j, q in present:
                if p <= q:
                    assert adj[i] <= adj[j] + 1e-15
    for i, _ in present:
        assert b[i] <= h[i] + 1e-15  # FDR control is never stricter than FWER control


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=50))
def test_property_bh_matches_scipy_false_discovery_control(pvalues):
    ref = stats.false_discovery_control(np.array(pvalues), method="bh")
    assert benjamini_hochberg(pvalues).p_adjusted == pytest.approx(
        tuple(ref), rel=1e-12, abs=1e-15
    )
