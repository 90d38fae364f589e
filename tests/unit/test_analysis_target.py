"""Checking estimates against strategy targets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import target_check, wilson_interval


def test_faxe_goal_three_hash_at_most_25_percent():
    # Faxe rusmiddelpolitik goal 3: share who have tried hash down to 25 %.
    met = target_check(0.22, 0.19, 0.24, "<=", 0.25)
    assert (
        met.verdict == "met"
        and met.text == "Målet om højst 25 % er nået: 22 % (95 % CI 19\u201324 %)."
    )
    unsure = target_check(0.24, 0.21, 0.27, "<=", 0.25)
    assert unsure.verdict == "uncertain" and unsure.text.startswith(
        "Det kan endnu ikke afgøres, om målet om højst 25 %"
    )
    missed = target_check(0.31, 0.28, 0.34, "<=", 0.25)
    assert missed.verdict == "not_met" and "er ikke nået" in missed.text


def test_boundaries_follow_the_operator():
    assert target_check(0.2, 0.15, 0.25, "<=", 0.25).verdict == "met"
    assert target_check(0.2, 0.15, 0.25, "<", 0.25).verdict == "uncertain"
    assert target_check(0.3, 0.25, 0.35, "<=", 0.25).verdict == "uncertain"
    assert target_check(0.3, 0.25, 0.35, "<", 0.25).verdict == "not_met"
    assert target_check(0.8, 0.75, 0.85, ">=", 0.75).verdict == "met"
    assert target_check(0.8, 0.75, 0.85, ">", 0.75).verdict == "uncertain"


def test_numbers_and_invalid_input():
    r = target_check(3.4, 3.2, 3.6, ">=", 3.5, unit="number", decimals=1)
    assert (
        r.verdict == "uncertain" and "mindst 3,5" in r.text and "3,2\u20133,6" in r.text
    )
    for args in (
        (0.2, 0.25, 0.3, "<=", 0.25),
        (0.2, 0.1, 0.3, "=<", 0.25),
        (float("nan"), 0.1, 0.3, "<=", 0.2),
    ):
        with pytest.raises(ValueError):
            target_check(*args)
    with pytest.raises(ValueError):
        target_check(0.2, 0.1, 0.3, "<=", 0.25, unit="kg")


@given(
    n=st.integers(1, 3000),
    frac=st.floats(0, 1),
    target=st.floats(0, 1),
    op=st.sampled_from(["<=", "<", ">=", ">"]),
)
def test_property_verdict_is_consistent_with_interval(n, frac, target, op):
    ci = wilson_interval(round(frac * n), n)
    r = target_check(ci.estimate, ci.low, ci.high, op, target)
    inside = ci.low < target < ci.high
    if inside:
        assert r.verdict == "uncertain"
    good_side = {
        "<=": ci.high <= target,
        "<": ci.high < target,
        ">=": ci.low >= target,
        ">": ci.low > target,
    }[op]
    assert (r.verdict == "met") == good_side
