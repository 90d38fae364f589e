"""The municipality against a published figure: the one-sample test and its rows in the results table."""

from __future__ import annotations

import math
import pytest

from analysis.reference import compare_with_reference, reference_se
from analysis.table import analyse
from surveys.responses.synthetic import synthetic_responses
from surveys.strategy.reference_csv import ReferenceFigure as Figure
from surveys.instruments import builtin_instruments

PUPIL = builtin_instruments()["ung-trivsel-rusmidler"]


def test_one_sample_comparison_equals_a_hand_computation() -> None:
    # ours: 20 % (95 % CI 17-23); published: 25 % of n = 2000.
    # se = 6 / (2 * 1.959964) = 1.530640; se_ref = sqrt(25 * 75 / 2000) = 0.968246
    # z = -5 / sqrt(1.530640² + 0.968246²) = -5 / 1.811176 = -2.760637; p = 2 Φ(-2.760637) = 0.005769
    r = compare_with_reference(20.0, 17.0, 23.0, 25.0, share=True, reference_n=2000)
    assert r.se == pytest.approx(1.530640, abs=1e-6) and r.se_reference == pytest.approx(0.968246, abs=1e-6)
    assert r.z == pytest.approx(-2.760637, abs=1e-6)
    assert r.p_value == pytest.approx(0.005769, abs=1e-6)
    assert (r.ci_low, r.ci_high) == pytest.approx((-5 - 1.959964 * 1.811176, -5 + 1.959964 * 1.811176), abs=1e-5)
    # a published interval instead of n: the same back-calculation on both sides
    mean = compare_with_reference(3.4, 3.3, 3.5, 3.8, share=False, reference_ci=(3.7, 3.9))
    assert mean.se == pytest.approx(mean.se_reference) and mean.z == pytest.approx(-0.4 / math.hypot(0.051021, 0.051021), rel=1e-4)
    # a published figure without n or interval counts as exact
    exact = compare_with_reference(20.0, 17.0, 23.0, 25.0, share=True)
    assert exact.se_reference == 0 and exact.z == pytest.approx(-5 / 1.530640, abs=1e-5)


def test_reference_uncertainty_is_checked() -> None:
    with pytest.raises(ValueError):
        reference_se(18.0, share=True, ci=(19.0, 22.0))
    with pytest.raises(ValueError):
        reference_se(18.0, share=True, n=0)
    assert reference_se(3.5, share=False, n=400) == 0.0  # a mean needs its interval


def test_reference_rows_compare_the_newest_figure_of_each_source_holm_adjusted() -> None:
    frame = synthetic_responses(PUPIL, schools=4, years=[2025, 2026], pupils=150, seed=2).frame(PUPIL)
    figures = [
        Figure("HBSC", 2018, "har_proevet_hash", 30.0, n=900),
        Figure("HBSC", 2022, "har_proevet_hash", 16.0, n=2500),  # the newest of its source counts
        Figure("Ungeprofilen", 2024, "har_proevet_hash", 20.0, ci_low=18.0, ci_high=22.0),
        Figure("Ungeprofilen", 2024, "ryger_dagligt", 5.0),
    ]
    rows = analyse(frame, PUPIL, [2025, 2026], None, ("school",), 5, references=figures)
    own = next(r for r in rows if r.indicator == "har_proevet_hash" and r.comparison == "estimate"
               and r.dimension == "municipality" and r.year == 2026)
    out = [r for r in rows if r.comparison == "vs_reference"]
    assert [(r.indicator, r.reference) for r in out] == [
        ("har_proevet_hash", "HBSC 2022"), ("har_proevet_hash", "Ungeprofilen 2024"), ("ryger_dagligt", "Ungeprofilen 2024")
    ]
    hbsc = out[0]
    # by hand: se from our interval, se_ref = sqrt(16 * 84 / 2500), z = (est - 16) / sqrt(se² + se_ref²)
    se = (own.ci_high - own.ci_low) / (2 * 1.959963984540054)
    se_ref = math.sqrt(16 * 84 / 2500)
    z = (own.estimate - 16.0) / math.sqrt(se**2 + se_ref**2)
    assert hbsc.diff == pytest.approx(own.estimate - 16.0) and hbsc.statistic == pytest.approx(z)
    assert hbsc.p == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
    assert (hbsc.estimate, hbsc.n, hbsc.estimate_reference, hbsc.n_reference) == (own.estimate, own.n, 16.0, 2500)
    ps = sorted(r.p for r in out)
    assert min(r.p_adjusted for r in out) == pytest.approx(min(1.0, 3 * ps[0]))  # Holm over the three
    assert all(r.family == "Holm: landstal, kommunen, 2026" and r.test == "one-sample-z" for r in out)
    assert all(r.conclusion.startswith(("signifikant", "forskellen ligger")) for r in out)
    assert all(r.verdict == ("higher" if r.diff > 0 else "lower") or r.verdict == "not_significant" for r in out)
    assert all((r.verdict != "not_significant") == (r.p_adjusted < 0.05 and (r.diff_ci_low > 0 or r.diff_ci_high < 0))
               for r in out)

    # --correction report: the published figures are corrected with every other test of the report
    whole = analyse(frame, PUPIL, [2025, 2026], None, ("school",), 5, correction="report", references=figures)
    tested = [r for r in whole if r.p is not None]
    assert {r.family for r in tested} == {"Benjamini-Hochberg: hele rapporten"}
    assert sum(r.comparison == "vs_reference" for r in tested) == 3
