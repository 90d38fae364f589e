"""Speed budget of the statistics layer for the yearly review.

The full comparison table for 1,000,000 responses (10 years x 40 schools x
20 indicators) must be computed in seconds; here only the statistics part on
pre-aggregated counts is timed (aggregation belongs to the pipeline).
"""

from __future__ import annotations

import time

import numpy as np

from analysis import (
    benjamini_hochberg,
    cochran_armitage,
    compare_shares,
    describe_share_comparison,
    holm,
    mann_whitney_counts,
    wilson_intervals,
)

YEARS, SCHOOLS, INDICATORS = 10, 40, 20


def test_full_comparison_table_is_fast():
    rng = np.random.default_rng(2025)
    n = rng.integers(20, 5000, (YEARS, SCHOOLS))  # ~1M responses in total
    n = (n * (1_000_000 / n.sum())).astype(int) + 1
    rates = rng.uniform(0.005, 0.6, INDICATORS)
    x = rng.binomial(n[None, :, :], rates[:, None, None])  # indicator x year x school
    start = time.perf_counter()
    cis = wilson_intervals(x, np.broadcast_to(n, x.shape), deff=1.5)
    texts = 0
    for i in range(INDICATORS):
        for y in range(YEARS):
            tot_x, tot_n = int(x[i, y].sum()), int(n[y].sum())
            results = [
                compare_shares(
                    int(x[i, y, s]),
                    int(n[y, s]),
                    tot_x - int(x[i, y, s]),
                    tot_n - int(n[y, s]),
                    deff=1.5,
                )
                for s in range(SCHOOLS)
            ]
            adjusted = holm([r.p_value for r in results]).p_adjusted
            texts += sum(
                len(describe_share_comparison(r, "resten af kommunen", p)) > 0
                for r, p in zip(results, adjusted)
            )
            if y:
                prev = [
                    compare_shares(
                        int(x[i, y, s]),
                        int(n[y, s]),
                        int(x[i, y - 1, s]),
                        int(n[y - 1, s]),
                        deff=1.5,
                    )
                    for s in range(SCHOOLS)
                ]
                benjamini_hochberg([r.p_value for r in prev])
        for s in range(SCHOOLS):
            cochran_armitage(
                x[i, :, s], n[:, s], np.arange(2015, 2015 + YEARS), deff=1.5
            )
            mann_whitney_counts(
                [x[i, 0, s], n[0, s] - x[i, 0, s]],
                [x[i, -1, s], n[-1, s] - x[i, -1, s]],
            )
    elapsed = time.perf_counter() - start
    assert cis.low.shape == x.shape and texts == INDICATORS * YEARS * SCHOOLS
    assert n.sum() >= 1_000_000
    assert elapsed < 5.0, f"statistics for the full table took {elapsed:.2f} s"
