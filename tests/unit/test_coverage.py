"""A small version of ``benchmarks/coverage.py`` (the evidence is the benchmark: 2,000 replications):
with unequal classes of 8-40 pupils and ICC 0.02-0.10 the published 95 % share intervals cover the
true share of schools and of the municipality at the nominal rate."""

from __future__ import annotations

import pytest

from benchmarks.coverage import simulate


@pytest.mark.parametrize("icc", [0.02, 0.05, 0.10])
def test_share_intervals_keep_their_coverage_under_class_clustering(icc: float) -> None:
    r = simulate(icc, reps=400, seed=11)
    # 400 x 20 school intervals: SE of the coverage about 0.25 points; 400 municipal ones: about 1.1
    assert r["school"] >= 0.935, r
    assert r["municipality"] >= 0.92, r
    assert r["deff_high"] > 1.5  # the clustering is real: some schools have large design effects
