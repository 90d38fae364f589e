"""The full results table: planted effects are found, the false-positive rate after
correction stays at the nominal level, suppressed groups never leak, every tested
row states its family and a conclusion, and the JSON/CSV writers."""

from __future__ import annotations

import csv
import io
import json
import types
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.frame import FrameBuilder
from analysis.output import write_csv, write_json, write_results
from analysis.table import FIELDS, analyse
from surveys.instruments import builtin_instruments
from surveys.responses.synthetic import HIGH_HASH_SCHOOL, synthetic_responses

INSTRUMENT = builtin_instruments()["ung-trivsel-rusmidler"]
YEARS = [2022, 2023, 2024, 2025, 2026]
NUMBERS = [
    "n", "estimate", "ci_low", "ci_high", "n_reference", "estimate_reference", "diff", "diff_ci_low",
    "diff_ci_high", "statistic", "p", "p_adjusted", "effect_size", "cramers_v", "deff",
]  # fmt: skip


def _subset(*ids: str) -> types.SimpleNamespace:
    return types.SimpleNamespace(indicators=tuple(i for i in INSTRUMENT.indicators if i.id in ids))


@pytest.fixture(scope="module")
def planted():
    data = synthetic_responses(INSTRUMENT, schools=10, years=YEARS, pupils=300, seed=7)
    return analyse(data.frame(INSTRUMENT), INSTRUMENT, YEARS, baseline=2022, by=("school",))


def test_planted_high_hash_school_is_found(planted):
    rows = [r for r in planted if r.indicator == "har_proevet_hash" and r.comparison == "vs_rest"]
    high = [r for r in rows if r.group == HIGH_HASH_SCHOOL]
    assert len(high) == 5
    # design-based t on the school's own ~13 df (issue 17): every year raw p < 0.01, and BH over
    # 10 schools x all indicators keeps at least 3 of the 5 years
    assert all(r.p < 0.01 and r.diff > 0 for r in high)
    assert sum(r.p_adjusted < 0.05 and r.diff > 0 for r in high) >= 3
    assert all(r.diff_ci_low < 15 < r.diff_ci_high or r.diff > 5 for r in high)
    assert any(r.conclusion.startswith("signifikant højere end resten af kommunen (forskel ") for r in high)
    assert all(r.family == f"Benjamini-Hochberg: skoler × indikatorer, mod resten af kommunen, {r.year}" for r in high)
    others = [r for r in rows if r.group != HIGH_HASH_SCHOOL]
    assert sum(r.p_adjusted < 0.05 for r in others) <= 1


def test_planted_falling_trend_is_found(planted):
    (trend,) = [
        r for r in planted
        if r.indicator == "drukket_sig_fuld_seneste_maaned" and r.comparison == "trend" and r.dimension == "municipality"
    ]  # fmt: skip
    assert trend.test == "design-trend" and trend.p_adjusted < 0.001
    assert trend.diff_ci_low < -3 < trend.diff_ci_high
    assert trend.conclusion.startswith("signifikant faldende tendens (−")
    assert trend.family.startswith("Holm: målindikatorer, kommunen, tendens 2022–2026")
    assert trend.reference == "2022, 2023, 2024, 2025, 2026"


def test_everything_else_is_mostly_null(planted):
    null = [
        r for r in planted
        if r.dimension == "municipality" and r.p_adjusted is not None
        and r.indicator not in ("har_proevet_hash", "drukket_sig_fuld_seneste_maaned")
    ]  # fmt: skip
    assert len(null) > 50
    # at most 3 of the ~100 null tests (seed 7 draws one year of snus use far from the others)
    assert sum(r.p_adjusted < 0.05 for r in null) <= 3


def test_rows_have_the_promised_shape(planted):
    kinds = {(r.comparison, r.test) for r in planted}
    assert {("vs_rest", "design-t"), ("trend", "design-trend"), ("omnibus", "rao-scott"), ("omnibus", "rao-scott-means")} <= kinds
    assert {("vs_previous", "design-t"), ("vs_baseline", "design-t"), ("target", "ci-target"), ("estimate", None)} <= kinds
    for r in planted:
        assert set(FIELDS) >= {"indicator", "group", "year", "n", "deff", "suppressed", "conclusion", "label"}
        assert "ingen forskel" not in r.conclusion.lower()
        assert r.conclusion
        if r.p is not None:
            assert r.family and r.p_adjusted is not None and r.p_adjusted >= r.p
            assert r.test in ("design-t", "design-trend", "fisher", "rao-scott", "rao-scott-means")
            assert r.conclusion.startswith((
                "signifikant", "forskellen ligger inden for", "udviklingen ligger inden for", "forskellene mellem skolerne",
            ))
        if r.comparison == "estimate":
            assert r.ci_low <= r.estimate <= r.ci_high and r.deff > 0 and r.se > 0 and r.df >= 1
            if r.kind == "share":
                assert 0 <= r.ci_low and r.ci_high <= 100
    goal = {i.id for i in INSTRUMENT.indicators if i.goal}
    for r in planted:
        if r.p is not None and r.dimension == "municipality":
            assert r.family.startswith("Holm: målindikatorer" if r.indicator in goal else "Benjamini-Hochberg: øvrige")


def test_target_rows_check_the_interval_against_the_target(planted):
    targets = [r for r in planted if r.comparison == "target" and r.dimension == "municipality"]
    assert {r.year for r in targets} == set(YEARS)
    for r in targets:
        assert r.indicator == "har_proevet_hash" and r.reference == "≤ 25 %"
        if r.ci_high <= 25:
            assert "er nået" in r.conclusion and "ikke" not in r.conclusion
        elif r.ci_low > 25:
            assert "er ikke nået" in r.conclusion
        else:
            assert r.conclusion.startswith("Det kan endnu ikke afgøres")


def test_false_positive_rate_after_correction_is_at_most_nominal():
    """Null data (class clustering, no planted effect): per family, the share of
    datasets with any adjusted p < 0.05 stays at 5 % (plus binomial slack)."""
    datasets = 100
    subset = _subset(
        "har_proevet_hash", "foeler_sig_ofte_ensom", "drukket_sig_fuld_seneste_maaned",
        "ved_hvor_man_kan_faa_hjaelp", "trivsel_skala", "er_blevet_mobbet",
    )  # fmt: skip
    hits: dict[str, list[float]] = defaultdict(list)
    for seed in range(datasets):
        data = synthetic_responses(INSTRUMENT, schools=6, years=[2024, 2025, 2026], pupils=90, seed=500 + seed, effects=False)
        rows = analyse(data.frame(INSTRUMENT), subset, by=("school",))
        families: dict[str, bool] = defaultdict(bool)
        for r in rows:
            if r.p is not None:
                families[r.family] |= r.p_adjusted < 0.05
        per_kind: dict[str, list[bool]] = defaultdict(list)
        for name, rejected in families.items():
            per_kind[name.split(",")[0] + " / " + name.split(",")[-2].strip()].append(rejected)
        for kind, flags in per_kind.items():
            hits[kind].append(float(np.mean(flags)))
    slack = 2.5 * np.sqrt(0.05 * 0.95 / datasets)
    assert len(hits) >= 6
    for kind, rates in hits.items():
        assert np.mean(rates) <= 0.05 + slack, (kind, np.mean(rates))


# ------------------------------------------------------------------ suppression

SMALL = _subset("har_proevet_hash", "trivsel_skala", "livstilfredshed")


@st.composite
def small_frames(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n_schools = draw(st.integers(1, 6))
    builder = FrameBuilder(INSTRUMENT)
    for year in (2024, 2025, 2026):
        for s in range(n_schools):
            size = draw(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 8, 12, 35, 40]))
            for i in range(size):
                answers = {
                    "hash_nogensinde": int(rng.integers(1, 4)),
                    "koen": int(rng.choice([1, 2, 3, 98])),
                    "livstilfredshed": int(rng.integers(0, 11)),
                    "glad_for_skolen": int(rng.integers(1, 6)),
                    "tryg_i_skolen": int(rng.integers(1, 6)),
                    "ven_i_klassen": int(rng.integers(1, 6)),
                }
                if rng.random() < 0.1:
                    del answers["hash_nogensinde"]
                builder.add(year, f"S{s}", f"{7 + i % 3}.a", 7 + i % 3, answers)
    return builder.build(), draw(st.integers(3, 7))


def _true_counts(frame, dimension):
    """n per (indicator, year, group label) computed directly from the frame."""
    labels = {"school": lambda i: frame.school_names[frame.school[i]], "gender": lambda i: frame.gender_labels.get(int(frame.gender[i]))}
    out = defaultdict(int)
    for ind, values in frame.values.items():
        for i in np.flatnonzero(~np.isnan(values)):
            label = "Kommunen" if dimension == "municipality" else labels[dimension](i)
            if label is not None:
                out[(ind, int(frame.year[i]), label)] += 1
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(small_frames())
def test_property_suppressed_groups_never_leak(case):
    frame, threshold = case
    if frame.n == 0:
        return
    rows = analyse(frame, SMALL, by=("school", "gender"), threshold=threshold)
    truth = {d: _true_counts(frame, d) for d in ("municipality", "school", "gender")}
    hidden = {(r.indicator, r.year, r.dimension, r.group) for r in rows if r.comparison == "estimate" and r.suppressed}
    shown = {(r.indicator, r.year, r.dimension, r.group): r for r in rows
             if r.comparison == "estimate" and not r.suppressed and not r.group.startswith("Øvrige")}
    for r in rows:
        if r.suppressed:
            assert all(getattr(r, f) is None for f in NUMBERS)
            small = f"færre end {threshold} svar"
            allowed = (small, "skjult for at beskytte en lille gruppe") if r.comparison in ("estimate", "target") else (
                f"skjult, fordi en af grupperne har {small}", "skjult for at beskytte en lille gruppe")
            assert r.hidden_label in allowed
            assert r.conclusion == r.hidden_label[0].upper() + r.hidden_label[1:] + "."
            assert r.test is None and r.family is None
    for key, r in shown.items():  # shown cells are true, big enough, and have valid intervals
        ind, year, dimension, group = key
        assert r.n == truth[dimension][(ind, year, group)] >= threshold
        if r.ci_low is None:  # a mean where every answer is the same: said in words, no interval
            assert "ingen variation" in r.conclusion and r.kind == "mean"
            continue
        assert r.ci_low <= r.estimate <= r.ci_high
        if r.kind == "share":
            assert 0 <= r.ci_low and r.ci_high <= 100
    for dimension in ("school", "gender"):
        for (ind, year, group), n in truth[dimension].items():
            if n < threshold:  # primary suppression
                assert (ind, year, dimension, group) in hidden
    # that no hidden cell can be computed from the shown ones: tests/unit/test_disclosure_results.py
    for r in rows:  # comparisons only ever use shown cells
        if r.suppressed or r.comparison == "estimate" or r.conclusion.startswith("Kan ikke sammenlignes"):
            continue
        cell = (r.indicator, r.year, r.dimension, r.group)
        if r.comparison in ("vs_rest", "vs_previous", "vs_baseline", "target"):
            assert cell in shown
            assert r.n == shown[cell].n
        if r.comparison == "vs_rest":
            total = shown[(r.indicator, r.year, "municipality", "Kommunen")]
            assert r.n_reference == total.n - r.n
        if r.comparison == "vs_previous":
            assert r.n_reference == shown[(r.indicator, int(r.reference), r.dimension, r.group)].n
        if r.comparison == "trend" and r.p is not None:
            used = [int(y) for y in r.reference.split(", ")]
            assert r.n == sum(shown[(r.indicator, y, r.dimension, r.group)].n for y in used)
            assert len(used) >= 3
        if r.comparison == "omnibus" and r.p is not None:
            schools = [g for (i, y, d, g) in shown if (i, y, d) == (r.indicator, r.year, "school")]
            assert r.n == sum(shown[(r.indicator, r.year, "school", g)].n for g in schools)
        elif r.p is not None and r.comparison != "trend" and r.kind == "share":
            assert r.test == ("design-t" if min(r.n, r.n_reference) >= 30 else "fisher")


def test_small_groups_are_tested_with_fishers_exact_test():
    """Groups under 30 are no longer left untested: shares get Fisher's exact test on
    counts scaled by the design effect, with the Newcombe interval."""
    builder = FrameBuilder(INSTRUMENT)
    for year in (2025, 2026):
        for s, size in (("A", 12), ("B", 60), ("C", 60)):
            for i in range(size):
                builder.add(year, s, "7.a" if i % 2 else "7.b", 7, {"hash_nogensinde": 1 + i % 3})
    rows = analyse(builder.build(), _subset("har_proevet_hash"), by=("school",))
    small = [r for r in rows if r.group == "A" and r.comparison in ("vs_rest", "vs_previous")]
    assert small and all(r.n == 12 and r.test == "fisher" and 0 <= r.p <= 1 for r in small)
    assert all(r.diff_ci_low <= r.diff <= r.diff_ci_high for r in small)
    assert all(r.conclusion.startswith(("signifikant", "forskellen ligger inden for")) for r in small)


def test_a_comparison_that_cannot_be_made_says_why():
    builder = FrameBuilder(INSTRUMENT)
    for year, schools in ((2024, ("A", "B")), (2025, ("A",)), (2026, ("A", "B"))):
        for s in schools:
            for i in range(40):
                builder.add(year, s, f"7.{'abc'[i % 3]}", 7, {"hash_nogensinde": 1 + i % 3})
    rows = analyse(builder.build(), _subset("har_proevet_hash"), by=("school",))
    (note,) = [r for r in rows if r.group == "B" and r.comparison == "vs_previous" and r.year == 2026]
    assert note.p is None and note.conclusion == "Kan ikke sammenlignes: ingen svar i 2025."


def test_hidden_school_hides_its_comparisons_and_a_partner():
    builder = FrameBuilder(INSTRUMENT)
    for s, size in (("A", 3), ("B", 40), ("C", 50)):
        for i in range(size):
            builder.add(2026, s, "7.a", 7, {"hash_nogensinde": 1 + i % 3})
    rows = analyse(builder.build(), _subset("har_proevet_hash"), by=("school",))
    by_group = {(r.group, r.comparison): r for r in rows}
    assert by_group[("A", "estimate")].suppressed and by_group[("A", "vs_rest")].suppressed
    assert by_group[("B", "estimate")].suppressed and by_group[("B", "vs_rest")].suppressed  # secondary
    assert not by_group[("C", "estimate")].suppressed and by_group[("C", "estimate")].n == 50
    assert by_group[("Kommunen", "estimate")].n == 93


def test_analyse_rejects_bad_arguments():
    data = synthetic_responses(INSTRUMENT, schools=2, years=[2026], pupils=10)
    with pytest.raises(ValueError, match="by must be"):
        analyse(data.frame(INSTRUMENT), INSTRUMENT, by=("class",))
    with pytest.raises(ValueError):
        analyse(data.frame(INSTRUMENT), INSTRUMENT, threshold=2)


# ------------------------------------------------------------------ output


def test_json_and_csv_writers_round_trip(tmp_path):
    builder = FrameBuilder(INSTRUMENT)
    for s, size in (("=HYPERLINK(1)", 40), ("B", 2), ("C", 45)):
        for i in range(size):
            builder.add(2026, s, "7.a", 7, {"hash_nogensinde": 1 + i % 3})
    rows = analyse(builder.build(), _subset("har_proevet_hash"), by=("school",))
    text = io.StringIO()
    assert write_json(rows, text) == len(rows)
    loaded = json.loads(text.getvalue())
    assert [list(o) for o in loaded] == [list(FIELDS)] * len(rows)
    hidden = [o for o in loaded if o["suppressed"]]
    assert hidden and all(o["n"] is None and o["estimate"] is None and o["ci_low"] is None for o in hidden)
    buffer = io.StringIO()
    write_csv(rows, buffer)
    table = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert tuple(table[0]) == FIELDS and len(table) == len(rows) + 1
    groups = {line[FIELDS.index("group")] for line in table[1:]}
    assert "'=HYPERLINK(1)" in groups
    for line in table[1:]:
        if line[FIELDS.index("suppressed")] == "true":
            assert line[FIELDS.index("n")] == "" and line[FIELDS.index("estimate")] == ""
    assert write_results(rows, tmp_path / "r.csv") == len(rows)
    assert json.loads((tmp_path / "r.json").read_text() if write_results(rows, tmp_path / "r.json") else "[]")
    with pytest.raises(ValueError):
        write_results(rows, tmp_path / "r.txt")


def test_conclusions_use_the_unit_of_their_own_indicator() -> None:
    data = synthetic_responses(INSTRUMENT, schools=4, years=[2022, 2023, 2024], pupils=150, seed=3)
    rows = analyse(data.frame(INSTRUMENT), INSTRUMENT)
    worded = [
        r for r in rows
        if r.conclusion and r.comparison not in ("estimate", "target", "omnibus") and not r.suppressed and r.p is not None
    ]  # fmt: skip
    assert any(r.kind == "mean" for r in worded)
    for row in worded:
        if row.kind == "mean":
            assert "procentpoint" not in row.conclusion, row
        else:
            assert "procentpoint" in row.conclusion, row
