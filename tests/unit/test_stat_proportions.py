"""Two-group comparison of shares: Newcombe interval, chi-square/Fisher, effect sizes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.stats.contingency import association

from analysis import cohens_h, compare_shares, cramers_v, newcombe_interval

# Newcombe RG (1998) "Interval estimation for the difference between independent
# proportions: comparison of eleven methods", Stat Med 17:873-890, Table II,
# method 10 (hybrid score interval without continuity correction), examples (a)-(h).
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
]


@pytest.mark.parametrize(("counts", "expected"), NEWCOMBE_TABLE_II)
def test_newcombe_matches_table_ii(counts, expected):
    r = newcombe_interval(*counts)
    assert (round(r.low, 4), round(r.high, 4)) == expected
    x1, n1, x2, n2 = counts
    assert r.diff == pytest.approx(x1 / n1 - x2 / n2)


@pytest.mark.parametrize(("counts", "expected"), NEWCOMBE_TABLE_II)
def test_compare_shares_reports_the_same_interval_in_pp(counts, expected):
    r = compare_shares(*counts)
    assert (round(r.ci_low_pp / 100, 4), round(r.ci_high_pp / 100, 4)) == expected


def test_chi_square_branch_matches_scipy_without_correction():
    # 56/70 vs 48/80: all expected counts >= 5 -> Pearson chi-square, no Yates.
    r = compare_shares(56, 70, 48, 80)
    ref = stats.chi2_contingency([[56, 14], [48, 32]], correction=False)
    assert r.test == "chi2"
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-10)
    assert r.diff_pp == pytest.approx(20.0)
    # Cramer's V (phi for 2x2) against scipy's association().
    assert r.cramers_v == pytest.approx(
        association([[56, 14], [48, 32]], method="cramer"), rel=1e-12
    )


def test_fisher_branch_lady_tasting_tea():
    # Fisher (1935) The Design of Experiments: 3/4 vs 1/4, two-sided p = 34/70 = 0.4857.
    r = compare_shares(3, 4, 1, 4)
    assert r.test == "fisher"
    assert r.p_value == pytest.approx(34 / 70, rel=1e-12)
    assert r.statistic == pytest.approx(9.0)  # sample odds ratio


@settings(max_examples=300, deadline=None)
@given(
    n1=st.integers(1, 60),
    n2=st.integers(1, 400),
    f1=st.floats(0, 1),
    f2=st.floats(0, 1),
)
def test_property_test_choice_and_p_agree_with_scipy(n1, n2, f1, f2):
    x1, x2 = round(f1 * n1), round(f2 * n2)
    r = compare_shares(x1, n1, x2, n2)
    table = np.array([[x1, n1 - x1], [x2, n2 - x2]])
    col = table.sum(axis=0)
    if col.min() == 0:
        assert r.test == "fisher" and r.p_value == 1.0
        return
    expected = np.outer(table.sum(axis=1), col) / table.sum()
    if expected.min() >= 5:
        ref = stats.chi2_contingency(table, correction=False)
        assert r.test == "chi2" and r.p_value == pytest.approx(
            ref.pvalue, rel=1e-9, abs=1e-14
        )
    else:
        ref = stats.fisher_exact(table, alternative="two-sided")
        assert r.test == "fisher" and r.p_value == pytest.approx(
            ref.pvalue, rel=1e-8, abs=1e-14
        )
    assert 0.0 <= r.p_value <= 1.0
    assert r.ci_low_pp <= r.diff_pp <= r.ci_high_pp
    assert -100.0 <= r.ci_low_pp and r.ci_high_pp <= 100.0


def test_identical_groups_and_extremes():
    same = compare_shares(30, 100, 30, 100)
    assert (
        same.p_value == pytest.approx(1.0)
        and same.diff_pp == 0.0
        and same.cramers_v == 0.0
    )
    none = compare_shares(0, 40, 0, 60)
    assert none.test == "fisher" and none.p_value == 1.0 and none.cohens_h == 0.0
    everyone = compare_shares(40, 40, 60, 60)
    assert everyone.p_value == 1.0 and everyone.ci_low_pp < 0 < everyone.ci_high_pp
    with pytest.raises(ValueError):
        compare_shares(0, 0, 1, 10)
    with pytest.raises(ValueError):
        compare_shares(1, 10, 11, 10)


def test_design_effect_divides_chi_square_and_scales_fisher_counts():
    plain = compare_shares(120, 400, 300, 1500)
    adj = compare_shares(120, 400, 300, 1500, deff=2.0)
    assert adj.test == "chi2" and adj.statistic == pytest.approx(plain.statistic / 2)
    assert adj.p_value > plain.p_value
    assert adj.ci_high_pp - adj.ci_low_pp > plain.ci_high_pp - plain.ci_low_pp
    assert adj.cramers_v == plain.cramers_v  # descriptive, unaffected
    # 12/40 vs 30/150 with deff 3: scaled counts 4/13 vs 10/50 (half up), expected < 5 -> Fisher.
    fish = compare_shares(12, 40, 30, 150, deff=3.0)
    assert fish.test == "fisher"
    assert fish.p_value == pytest.approx(
        stats.fisher_exact([[4, 9], [10, 40]]).pvalue, rel=1e-9
    )
    # deff large enough to round a group away -> no information, p = 1.
    assert compare_shares(1, 1, 5, 100, deff=3.0).p_value == 1.0


def test_cohens_h_reference_values():
    # Cohen (1988) Statistical Power Analysis, Table 6.2.1: phi(.50) = 1.5708, phi(.25) = 1.0472,
    # phi(.10) = 0.6435, phi(.05) = 0.4510; h = phi(p1) - phi(p2).
    assert cohens_h(0.5, 0.25) == pytest.approx(1.5708 - 1.0472, abs=1e-4)
    assert cohens_h(0.10, 0.05) == pytest.approx(0.6435 - 0.4510, abs=1e-4)
    assert cohens_h(1.0, 0.0) == pytest.approx(math.pi)
    assert cohens_h(0.3, 0.3) == 0.0
    with pytest.raises(ValueError):
        cohens_h(1.2, 0.3)


def test_cramers_v_r_by_c_matches_scipy_and_edges():
    table = [[10, 20, 30], [25, 15, 5], [8, 8, 8]]
    assert cramers_v(table) == pytest.approx(
        association(table, method="cramer"), rel=1e-12
    )
    assert cramers_v([[5, 0], [7, 0]]) == 0.0  # empty column -> no association shown
    assert cramers_v([[10, 0], [0, 10]]) == pytest.approx(1.0)
    for bad in ([[1, -1], [2, 2]], [1, 2, 3], [[math.nan, 1], [1, 1]]):
        with pytest.raises(ValueError):
            cramers_v(bad)
