"""The design-based variances of :mod:`analysis.design` against a literal, slow transcription
of R survey's ``svyrecvar``/``onestrat`` (influence values summed per PSU, every PSU of
the stratum counted, zeros included; lonely PSUs as ``survey.lonely.psu = "adjust"``).
The comparison with R itself is ``tests/integration/test_r_survey.py``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.design import build_design, domain_stats, pairs_for
from analysis.design_intervals import mean_intervals, share_intervals
from analysis.design_tests import between_years, trend, versus_rest
from analysis.frame import MISSING, ResponseFrame

YEARS = (2024, 2025)


@st.composite
def frames(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rows = []
    cluster = 0
    for year in YEARS:
        for school in range(draw(st.integers(1, 4))):
            for _ in range(draw(st.integers(1, 4))):
                for _ in range(int(rng.integers(1, 12))):
                    gender = int(rng.integers(1, 3)) if rng.random() < 0.8 else MISSING
                    rows.append((year, school, cluster, gender, float(rng.random() < 0.3), float(rng.integers(1, 6))))
                cluster += 1
    a = np.array(rows, dtype=float)
    values = {"share": np.where(rng.random(len(a)) < 0.1, np.nan, a[:, 4]), "mean": a[:, 5]}
    return ResponseFrame(
        a[:, 0].astype(np.int32), a[:, 1].astype(np.int32), tuple(f"S{i}" for i in range(int(a[:, 1].max()) + 1)),
        a[:, 2].astype(np.int64), np.full(len(a), 7, np.int32), a[:, 3].astype(np.int32), values,
    )


def _naive_variance(u: np.ndarray, psu: np.ndarray, stratum: np.ndarray) -> float:
    """sum over strata of n_h/(n_h-1) sum_c (Z_c - mean Z)^2 over all the stratum's PSUs."""
    total = 0.0
    for h in np.unique(stratum):
        members = np.flatnonzero(stratum == h)
        z = np.array([u[psu == c].sum() for c in members])
        if z.size == 1:
            total += float(z[0] ** 2)
        else:
            total += z.size / (z.size - 1) * float(np.sum((z - z.mean()) ** 2))
    return total


def _influence(y: np.ndarray, member: np.ndarray) -> np.ndarray:
    ok = member & ~np.isnan(y)
    mean = y[ok].mean()
    return np.where(ok, (np.nan_to_num(y) - mean) / ok.sum(), 0.0)


def _setup(frame):
    year_index = np.searchsorted(np.asarray(YEARS), frame.year)
    design = build_design(frame, year_index, len(YEARS))
    gender = np.where(frame.gender == MISSING, -1, frame.gender - 1).astype(np.int64)
    return year_index, design, {
        "school": (frame.school.astype(np.int64), len(frame.school_names)),
        "gender": (gender, 2),
    }


@settings(max_examples=40, deadline=None)
@given(frames())
def test_domain_and_contrast_variances_equal_the_literal_formula(frame):
    year_index, design, groupings = _setup(frame)
    for name, y in frame.values.items():
        for dim, (codes, groups) in groupings.items():
            st_ = domain_stats(design, pairs_for(design, codes, groups), y, name == "share")
            rest = versus_rest(design, st_)
            for t in range(len(YEARS)):
                for g in range(groups):
                    member = (year_index == t) & (codes == g)
                    if not (member & ~np.isnan(y)).any():
                        continue
                    u = _influence(y, member)
                    assert st_.var[t, g] == pytest.approx(_naive_variance(u, design.psu, design.psu_stratum[np.arange(design.n_psu)]), rel=1e-9, abs=1e-12)
                    other = (year_index == t) & (codes != g)
                    if (other & ~np.isnan(y)).any():
                        u_diff = u - _influence(y, other)
                        assert rest.var[t, g] == pytest.approx(_naive_variance(u_diff, design.psu, design.psu_stratum), rel=1e-9, abs=1e-12)
            years = between_years(design, st_, 1, 0)
            for g in range(groups):
                a, b = (year_index == 1) & (codes == g), (year_index == 0) & (codes == g)
                if (a & ~np.isnan(y)).any() and (b & ~np.isnan(y)).any():
                    u = _influence(y, a) - _influence(y, b)
                    assert years.var[g] == pytest.approx(_naive_variance(u, design.psu, design.psu_stratum), rel=1e-9, abs=1e-12)


def test_trend_variance_is_the_regression_slope_linearised():
    rng = np.random.default_rng(3)
    n = 900
    cluster = rng.integers(0, 30, n)
    year = np.array([2022, 2023, 2024])[cluster % 3]
    school = (cluster % 5).astype(np.int32)
    y = (rng.random(n) < 0.2 + 0.05 * (year - 2022)).astype(float)
    frame = ResponseFrame(year.astype(np.int32), school, tuple("ABCDE"), cluster.astype(np.int64),
                          np.full(n, 7, np.int32), np.full(n, 1, np.int32), {"y": y})
    year_index = year - 2022
    design = build_design(frame, year_index, 3)
    st_ = domain_stats(design, pairs_for(design, np.zeros(n, np.int64), 1), y, True)
    r = trend(design, st_, np.array([2022.0, 2023.0, 2024.0]), np.ones((3, 2), bool))
    slope = np.polyfit(year, y, 1)[0]
    assert r.estimate[0] == pytest.approx(slope)
    resid = y - y.mean() - slope * (year - year.mean())
    u = (year - year.mean()) * resid / np.sum((year - year.mean()) ** 2)
    assert r.var[0] == pytest.approx(_naive_variance(u, design.psu, design.psu_stratum))


def test_strata_are_schools_within_years_and_lonely_psus_count_uncentred():
    frame = ResponseFrame(
        np.array([2024] * 4 + [2025] * 4, np.int32), np.array([0, 0, 0, 1, 0, 0, 1, 1], np.int32), ("A", "B"),
        np.array([0, 0, 1, 2, 0, 1, 2, 2], np.int64), np.full(8, 7, np.int32), np.full(8, 1, np.int32),
        {"y": np.array([1.0, 0, 1, 1, 0, 1, 0, 1])},
    )
    design = build_design(frame, frame.year - 2024, 2)
    assert design.n_psu == 6 and design.n_strata == 4
    assert design.n_h.tolist() == [2.0, 1.0, 2.0, 1.0] and design.f_h.tolist() == [2.0, 1.0, 2.0, 1.0]


def test_intervals_are_honest_at_the_edges():
    low, high, n_eff = share_intervals([1.0, 0.0, 0.3], [40, 40, 100], [0.0, 0.0, 0.004], [5, 5, 9])
    assert high[0] == 1.0 and 0.7 < low[0] < 1.0  # 40 of 40: a real interval, not 100-100 %
    assert low[1] == 0.0 and 0.0 < high[1] < 0.3
    assert n_eff[2] < 100 * 0.21 / 0.004 / 1.0 and low[2] < 0.3 < high[2]
    low, high = mean_intervals([7.0, 3.0], [0.0, 0.04], [5, 5])
    assert np.isnan(low[0]) and np.isnan(high[0])  # constant answers: no interval, words instead
    assert low[1] < 3.0 < high[1]
