"""Danish formatting and plain-language conclusions."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import (
    cochran_armitage,
    compare_shares,
    describe_difference,
    describe_mean_comparison,
    describe_share_comparison,
    describe_trend,
    format_ci,
    format_number,
    format_pct,
    welch_test,
)

M = "\u2212"  # minus sign


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (7.5, 1, "7,5"),
        (7.25, 1, "7,3"),
        (7.35, 1, "7,4"),
        (-7.25, 1, f"{M}7,3"),
        (1234567.891, 2, "1.234.567,89"),
        (0.0, 0, "0"),
        (-0.04, 1, "0,0"),
        (-0.4, 0, "0"),
        (2.5, 0, "3"),
        (1000, 0, "1.000"),
        (-1234.5, 1, f"{M}1.234,5"),
    ],
)
def test_format_number(value, decimals, text):
    assert format_number(value, decimals) == text


def test_format_pct_and_ci():
    assert (
        format_pct(0.075, 1) == "7,5 %"
        and format_pct(0.36) == "36 %"
        and format_pct(1.0) == "100 %"
    )
    assert format_ci(3.2, 11.4) == "95 % CI 3\u201311"
    assert format_ci(-3.0, 7.0) == f"95 % CI {M}3 til 7"  # "til" whenever an end is negative (issue 17)
    assert format_ci(-20.0, 12.0) == f"95 % CI {M}20 til 12"
    assert format_ci(-8.0, -2.0) == f"95 % CI {M}8 til {M}2"
    assert format_ci(1.25, 2.5, 1, conf=0.9) == "90 % CI 1,3\u20132,5"
    with pytest.raises(ValueError):
        format_number(math.nan)


def test_conclusions_match_the_house_style():
    assert (
        describe_difference(7.2, 3.1, 11.4, 0.001, "resten af kommunen")
        == "signifikant højere end resten af kommunen (forskel 7 procentpoint, 95 % CI 3\u201311)"
    )
    assert describe_difference(-5.0, -8.0, -2.0, 0.002, "2024").startswith(
        "signifikant lavere end 2024 (forskel "
    )
    assert (
        describe_difference(2.0, -3.0, 7.0, 0.41, "2024")
        == f"forskellen ligger inden for, hvad tilfældigheder kan give (forskel 2 procentpoint, 95 % CI {M}3 til 7)"
    )
    # significant before, not after the correction for many comparisons: said so in words
    assert describe_difference(4.0, 1.0, 7.0, 0.2, "2024", p_raw=0.01) == (
        "forskellen ligger inden for, hvad tilfældigheder kan give, efter korrektion for mange "
        "sammenligninger (forskel 4 procentpoint, 95 % CI 1\u20137)"
    )


@given(
    diff=st.floats(-50, 50),
    width=st.floats(0, 30),
    p=st.floats(0, 1),
    decimals=st.integers(0, 2),
)
def test_property_never_says_ingen_forskel(diff, width, p, decimals):
    text = describe_difference(
        diff, diff - width, diff + width, p, "resten af kommunen", decimals=decimals
    )
    assert "ingen forskel" not in text.lower()
    # "signifikant" only when the shown interval agrees (issue 17: never contradict the numbers)
    excludes_zero = diff - width > 0 or diff + width < 0
    assert ("signifikant" in text) == (p < 0.05 and diff != 0 and excludes_zero)
    assert "." not in text.replace("1.000", "")  # decimal comma, not point


def test_wrappers_on_real_results():
    share = compare_shares(56, 70, 48, 80)
    assert describe_share_comparison(share, "resten af kommunen") == (
        "signifikant højere end resten af kommunen (forskel 20 procentpoint, 95 % CI 5\u201333)"
    )
    # An adjusted p-value can overrule the raw one.
    assert describe_share_comparison(share, "2024", p_value=0.2).startswith(
        "forskellen ligger inden for"
    )
    mean = welch_test([3.1, 3.4, 2.9, 3.8, 3.3], [3.0, 3.5, 3.2, 2.8, 3.6])
    assert describe_mean_comparison(mean, "2024").startswith(
        "forskellen ligger inden for"
    )
    assert "point" in describe_mean_comparison(mean, "2024")
    up = cochran_armitage(
        [100 + 20 * i for i in range(10)], [1000] * 10, range(2015, 2025)
    )
    assert (
        describe_trend(up)
        == "signifikant stigende tendens (2,0 procentpoint om året, 95 % CI 1,7\u20132,3)"
    )
    flat = cochran_armitage([10, 11, 10], [100, 100, 100], [2022, 2023, 2024])
    assert describe_trend(flat).startswith(
        "udviklingen ligger inden for, hvad tilfældigheder kan give"
    )


def _decimals_by_decimal(values, decimals, most=3, against=0.0):
    """The definition of ``display_decimals``, checked on every value with Decimal."""
    from decimal import ROUND_HALF_UP, Decimal

    ref = Decimal(repr(float(against)))
    for d in range(decimals, most + 1):
        scale = Decimal(1).scaleb(-d)
        if all((Decimal(repr(float(v))).quantize(scale, rounding=ROUND_HALF_UP) - ref).compare(0)
               == (Decimal(repr(float(v))) - ref).compare(0) for v in values):
            return d
    return most


near = st.sampled_from([0.5, 0.05, 0.005, 0.0005, 0.02, 0.002, 1.5, 2.0, 2.0000001, 0.0])


@given(st.lists(st.one_of(st.floats(-1e13, 1e13), st.tuples(near, st.sampled_from([-1, 1]))), min_size=1, max_size=3),
       st.integers(0, 3), st.one_of(st.just(0.0), st.floats(-100, 100), st.sampled_from([25.0, 0.25, 24.95])))
def test_display_decimals_checks_only_values_near_the_reference_and_agrees(values, decimals, against):
    """Values farther than two units from ``against`` are skipped: the answer is unchanged."""
    from analysis.wording import display_decimals

    values = [against + v[0] * v[1] if isinstance(v, tuple) else v for v in values]
    assert display_decimals(values, decimals, against=against) == _decimals_by_decimal(values, decimals, against=against)
