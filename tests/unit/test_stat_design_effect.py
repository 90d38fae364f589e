"""Design effect from the ANOVA intraclass correlation (pupils in classes)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis import design_effect


def test_hand_computed_example():
    # Classes a = [1, 2, 3], b = [4, 5, 6]: means 2 and 5, grand mean 3.5.
    # SSB = 3 * 1.5^2 * 2 = 13.5 (MSB = 13.5, 1 df); SSW = 2 + 2 = 4 (MSW = 1, 4 df);
    # m0 = (6 - 18/6) / 1 = 3; ICC = (13.5 - 1) / (13.5 + 2 * 1) = 12.5 / 15.5 = 0.806452;
    # deff = 1 + (3 - 1) * ICC = 2.612903; effective n = 6 / deff = 2.296296.
    r = design_effect([1, 2, 3, 4, 5, 6], ["a", "a", "a", "b", "b", "b"])
    assert r.icc == pytest.approx(12.5 / 15.5)
    assert r.deff == pytest.approx(1 + 2 * 12.5 / 15.5)
    assert r.n_clusters == 2 and r.mean_cluster_size == 3.0 and r.n == 6
    assert r.effective_n == pytest.approx(6 / r.deff)


def _icc_via_f_oneway(values, ids):
    """Independent route: ICC = (F - 1) / (F + m0 - 1) with F from scipy's one-way ANOVA."""
    groups = [values[ids == g] for g in np.unique(ids)]
    f = stats.f_oneway(*groups).statistic
    sizes = np.array([len(g) for g in groups], dtype=float)
    n, k = sizes.sum(), len(sizes)
    m0 = (n - (sizes**2).sum() / n) / (k - 1)
    return (f - 1) / (f + m0 - 1)


@settings(max_examples=100, deadline=None)
@given(
    sizes=st.lists(st.integers(2, 30), min_size=2, max_size=15),
    between=st.floats(0, 2),
    binary=st.booleans(),
    seed=st.integers(0, 2**31),
)
def test_property_icc_matches_f_oneway_and_deff_floor(sizes, between, binary, seed):
    rng = np.random.default_rng(seed)
    ids = np.repeat(np.arange(len(sizes)), sizes)
    latent = rng.normal(0, between, len(sizes))[ids] + rng.normal(0, 1, ids.size)
    values = (latent > 0).astype(float) if binary else latent
    r = design_effect(values, ids)
    if np.ptp(values) == 0 or all(
        np.ptp(values[ids == g]) == 0 for g in range(len(sizes))
    ):
        assert r.deff >= 1.0  # degenerate: F undefined
        return
    assert r.icc == pytest.approx(_icc_via_f_oneway(values, ids), rel=1e-9, abs=1e-12)
    m_bar = float(np.sum(np.asarray(sizes) ** 2)) / ids.size  # Kish: sum m^2 / N for unequal clusters (issue 17)
    assert r.deff == pytest.approx(max(1.0, 1 + (m_bar - 1) * r.icc))
    assert r.deff >= 1.0 and r.effective_n <= r.n + 1e-9 and r.icc <= 1.0 + 1e-12


def test_perfect_and_no_clustering():
    ids = np.repeat([0, 1, 2, 3], 25)
    perfect = design_effect(np.repeat([0.0, 1.0, 0.0, 1.0], 25), ids)
    assert perfect.icc == pytest.approx(1.0) and perfect.deff == pytest.approx(25.0)
    # Within-class variation only, identical class means: ICC negative, deff floored at 1.
    alternating = design_effect(np.tile([0.0, 1.0], 50), ids)
    assert (
        alternating.icc < 0
        and alternating.deff == 1.0
        and alternating.effective_n == 100
    )


def test_unequal_cluster_sizes_use_m0_for_icc_and_mean_size_for_deff():
    values = [0, 0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1]
    ids = [1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]  # sizes 3, 5, 5
    r = design_effect(values, ids)
    # by hand: N = 13, k = 3, m0 = (13 - 59/13) / 2 = 5.230769; m_bar = sum m^2 / N = 59/13
    assert r.mean_cluster_size == pytest.approx(59 / 13)
    assert r.icc == pytest.approx(
        _icc_via_f_oneway(np.array(values, float), np.array(ids))
    )


def test_edges():
    const = design_effect([3.0] * 10, [1, 1, 2, 2, 2, 3, 3, 3, 3, 3])
    assert const.icc == 0.0 and const.deff == 1.0
    singletons = design_effect([1.0, 2.0, 3.0], ["a", "b", "c"])
    assert math.isnan(singletons.icc) and singletons.deff == 1.0
    for values, ids in (
        ([1.0, 2.0], ["a", "a"]),
        ([], []),
        ([1.0, 2.0], ["a"]),
        ([1.0, math.nan], ["a", "b"]),
    ):
        with pytest.raises(ValueError):
            design_effect(values, ids)
