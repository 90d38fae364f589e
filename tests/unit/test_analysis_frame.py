"""The columnar response frame: vectorised indicator values equal ``Indicator.value``,
design effects from cluster sums equal ``design_effect``, grouping and clusters."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import design_effect, design_effect_from_clusters
from analysis.grouping import grouping
from analysis.frame import MISSING, FrameBuilder, indicator_values, needed_variables
from surveys.instruments import Indicator, Text, builtin_instruments
from tests.frames import assert_same_frames

INSTRUMENT = builtin_instruments()["ung-trivsel-rusmidler"]
VARIABLES = needed_variables(INSTRUMENT, "koen", "klassetrin")

answer_value = st.one_of(
    st.none(), st.integers(-2, 12), st.sampled_from([98, 1, 2, 3, 4, 5]), st.booleans(), st.just("2"), st.just(2.0)
)
answers_strategy = st.dictionaries(st.sampled_from(VARIABLES), answer_value, max_size=len(VARIABLES))


@settings(max_examples=150, deadline=None)
@given(st.lists(answers_strategy, min_size=1, max_size=30))
def test_vectorised_values_equal_indicator_value(rows):
    rows = [{k: v for k, v in r.items() if v is not None} for r in rows]
    builder = FrameBuilder(INSTRUMENT)
    for r in rows:
        builder.add(2025, "Skole A", "7.a", 7, r)
    frame = builder.build()
    for indicator in INSTRUMENT.indicators:
        expected = [indicator.value(r) for r in rows]
        got = frame.values[indicator.id]
        for e, g in zip(expected, got.tolist()):
            assert (e is None and math.isnan(g)) or e == pytest.approx(g, abs=1e-12), indicator.id


def test_decline_on_a_sensitive_multi_makes_the_option_missing():
    share = Indicator("stoffer", "share", Text("x", "x"), "m_1", (1,), decline_variable="m_98")
    rows = [{"m_1": 1, "m_98": 0}, {"m_1": 1, "m_98": 1}, {"m_1": 0, "m_98": 0}]
    columns = {name: np.array([r[name] for r in rows], np.int32) for name in ("m_1", "m_98")}
    values = indicator_values(share, columns, 3)
    assert values[0] == 1.0 and math.isnan(values[1]) and values[2] == 0.0
    assert [share.value(r) for r in rows] == [1.0, None, 0.0]


def test_builder_clusters_fall_back_to_school_and_grade_and_gender_drops_decline():
    builder = FrameBuilder(INSTRUMENT)
    builder.add(2024, "A", "7.a", 7, {"koen": 1})
    builder.add(2024, "A", "7.a", 7, {"koen": 98})
    builder.add(2024, "A", "", 8, {"koen": 2})
    builder.add(2024, "A", "", 8, {})
    builder.add(2024, "B", "", None, {"klassetrin": 9})
    frame = builder.build()
    assert frame.cluster.tolist() == [0, 0, 1, 1, 2]
    assert frame.grade.tolist() == [7, 7, 8, 8, 9]
    assert frame.gender.tolist() == [1, MISSING, 2, MISSING, MISSING]
    assert frame.school_names == ("A", "B")
    gender = grouping(frame, "gender")
    assert gender.labels == ("Dreng", "Pige") and gender.codes.tolist() == [0, -1, 1, -1, -1]


def test_empty_builder_gives_an_empty_frame():
    frame = FrameBuilder(INSTRUMENT).build()
    assert frame.n == 0 and set(frame.values) == {i.id for i in INSTRUMENT.indicators}


@settings(max_examples=100, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 30), min_size=2, max_size=12),
    binary=st.booleans(),
    seed=st.integers(0, 2**31),
)
def test_design_effect_from_cluster_sums_equals_design_effect(sizes, binary, seed):
    rng = np.random.default_rng(seed)
    ids = np.repeat(np.arange(len(sizes)), sizes)
    latent = rng.normal(0, 0.7, len(sizes))[ids] + rng.normal(0, 1, ids.size)
    y = (latent > 0).astype(float) if binary else np.round(latent, 1)
    direct = design_effect(y, ids)
    summed = design_effect_from_clusters(np.bincount(ids), np.bincount(ids, y), np.bincount(ids, y * y))
    assert summed.deff == pytest.approx(direct.deff, rel=1e-9, abs=1e-9)
    assert summed.n_clusters == direct.n_clusters and summed.n == direct.n
    if not math.isnan(direct.icc):
        assert summed.icc == pytest.approx(direct.icc, rel=1e-7, abs=1e-9)


def test_design_effect_from_clusters_rejects_one_cluster():
    with pytest.raises(ValueError):
        design_effect_from_clusters([3, 0], [1, 0], [1, 0])
