"""The results table (what reports, results.json/csv and charts publish) against an attacker
who combines every published estimate row linearly: over many generated municipalities
(schools of very different sizes, tiny and empty groups, unknown grade and gender, three
dimensions at once) no hidden group's n - and so no hidden share or mean, which are the
same linear combination of the answers - can be computed, and every hidden label is true."""

from __future__ import annotations

import types

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.frame import FrameBuilder
from analysis.grouping import grouping
from analysis.table import analyse
from surveys.instruments import builtin_instruments

INSTRUMENT = builtin_instruments()["ung-trivsel-rusmidler"]
SUBSET = types.SimpleNamespace(indicators=tuple(i for i in INSTRUMENT.indicators if i.id in ("har_proevet_hash", "trivsel_skala")))
DIMS = ("school", "grade", "gender")
YEARS = (2025, 2026)


def recoverable(published: np.ndarray, target: np.ndarray) -> bool:
    """Is ``target`` a linear combination of the published rows (least squares, exact fit)?"""
    if published.shape[0] == 0:
        return False
    coef, *_ = np.linalg.lstsq(published.T, target, rcond=None)
    return bool(np.allclose(published.T @ coef, target, atol=1e-6))


@st.composite
def municipalities(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    builder = FrameBuilder(INSTRUMENT)
    schools = draw(st.integers(1, 6))
    for year in YEARS:
        for s in range(schools):
            size = int(rng.choice([0, 1, 3, 4, 6, 12, 40, 120]))
            grades = rng.choice([7, 8, 9], size=rng.integers(1, 4), replace=False)
            for i in range(size):
                answers = {
                    "hash_nogensinde": int(rng.integers(1, 4)),
                    "koen": int(rng.choice([1, 2, 3, 98], p=[0.45, 0.45, 0.05, 0.05])),
                    "glad_for_skolen": int(rng.integers(1, 6)),
                    "tryg_i_skolen": int(rng.integers(1, 6)),
                    "ven_i_klassen": int(rng.integers(1, 6)),
                }
                if rng.random() < 0.1:
                    del answers["hash_nogensinde"]
                grade = int(rng.choice(grades))
                builder.add(year, f"S{s}", f"{grade}.{'ab'[i % 2]}", grade if rng.random() > 0.05 else None, answers)
    return builder.build(), draw(st.sampled_from([3, 5, 7]))


def _attack(frame, rows, k):
    groupings = {d: grouping(frame, d) for d in DIMS}
    labels = {d: {**{label: i for i, label in enumerate(g.labels)}, "ikke oplyst": -1} for d, g in groupings.items()}
    for ind in SUBSET.indicators:
        answered = ~np.isnan(frame.values[ind.id])
        for year in YEARS:
            mine = answered & (frame.year == year)
            if not mine.any():
                continue
            key = np.stack([groupings[d].codes[mine] for d in DIMS], axis=1)
            cells, index = np.unique(key, axis=0, return_inverse=True)
            index = index.ravel()
            n = np.bincount(index, minlength=len(cells))
            codes = {d: cells[:, j] for j, d in enumerate(DIMS)}
            these = [r for r in rows if (r.indicator, r.year, r.comparison) == (ind.id, year, "estimate")]
            published, hidden = [], []
            for r in these:
                if r.dimension == "municipality":
                    vector = np.ones(len(cells))
                elif r.reference:  # a joined group: "Øvrige skoler (2)", members named in reference
                    vector = np.isin(codes[r.dimension], [labels[r.dimension][m] for m in r.reference.split(", ")])
                else:
                    vector = codes[r.dimension] == labels[r.dimension][r.group]
                vector = vector.astype(float)
                if r.suppressed:
                    hidden.append((r, vector))
                else:
                    assert r.n == int(vector @ n)  # what is printed is the truth
                    published.append(vector)
            matrix = np.vstack(published) if published else np.zeros((0, len(cells)))
            for d in DIMS:  # "unknown / vil ikke svare" has no row, but must not be the total minus the rest
                unknown = (codes[d] == -1).astype(float)
                if 0 < unknown @ n < k:
                    assert not recoverable(matrix, unknown), (ind.id, year, d, "unknown", int(unknown @ n))
            for r, vector in hidden:
                true_n = int(vector @ n)
                assert not recoverable(matrix, vector), (ind.id, year, r.dimension, r.group, true_n)
                label = getattr(r, "hidden_label", None)
                if label is not None:
                    assert (label == f"færre end {k} svar") == (true_n < k), (r.group, true_n, label)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(municipalities())
def test_property_no_hidden_group_is_recoverable_from_the_results_table(case):
    frame, k = case
    if frame.n == 0:
        return
    rows = analyse(frame, SUBSET, by=DIMS, threshold=k)
    _attack(frame, rows, k)


def test_a_school_of_four_is_not_the_municipality_minus_the_rest_and_no_big_school_is_called_small():
    rng = np.random.default_rng(3)
    builder = FrameBuilder(INSTRUMENT)
    for s, size in enumerate([4, 285, 290, 300]):
        for i in range(size):
            builder.add(2026, f"Skole {s}", f"8.{i % 3}", 8, {"hash_nogensinde": 2 if s == 0 else int(rng.integers(1, 3)),
                                                            "koen": int(rng.choice([1, 2, 98], p=[0.49, 0.49, 0.02]))})
    frame = builder.build()
    rows = analyse(frame, SUBSET, by=("school", "gender"), threshold=5)
    _attack(frame, rows, 5)
    hash_rows = {r.group: r for r in rows if r.indicator == "har_proevet_hash" and r.comparison == "estimate"}
    assert hash_rows["Skole 0"].hidden_label == "færre end 5 svar"
    assert hash_rows["Skole 1"].hidden_label == "skjult for at beskytte en lille gruppe"
    joined = hash_rows["Øvrige skoler (2)"]
    assert joined.reference == "Skole 0, Skole 1" and joined.n == 289 and not joined.suppressed
    assert not hash_rows["Skole 2"].suppressed and not hash_rows["Skole 3"].suppressed
