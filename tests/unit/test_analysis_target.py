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


_GOOD = {"<=": lambda v, t: v <= t, "<": lambda v, t: v < t, ">=": lambda v, t: v >= t, ">": lambda v, t: v > t}
_NUMBER = r"(−?[\d.]+(?:,\d+)?)"


def _printed(text: str) -> tuple[float, float, float]:
    """The target and the interval's ends as the sentence prints them."""
    import re

    def number(s: str) -> float:
        return float(s.replace(".", "").replace(",", ".").replace("−", "-"))

    target = re.search(rf"[Mm]ålet om (?:højst|under|mindst|over) {_NUMBER}", text)
    ci = re.search(rf"CI {_NUMBER}(?:–| til ){_NUMBER}", text)
    return number(target.group(1)), number(ci.group(1)), number(ci.group(2))


def _consistent(text: str, verdict: str, op: str) -> None:
    target, low, high = _printed(text)
    good = [_GOOD[op](low, target), _GOOD[op](high, target)]
    expected = "met" if all(good) else "not_met" if not any(good) else "uncertain"
    assert verdict == expected, (text, verdict)
    assert ("omfatter målet" in text) == (verdict == "uncertain")


@given(
    estimate=st.floats(0, 1), below=st.floats(0, 0.2), above=st.floats(0, 0.2),
    target=st.sampled_from([0.25, 0.2, 0.36, 0.5, 0.1]), op=st.sampled_from(["<=", "<", ">=", ">"]),
    nudge=st.sampled_from([0.0, 1e-4, -1e-4, 5e-4, -5e-4, 4.9e-3, -4.9e-3, 5e-3]),
)
def test_property_the_sentence_never_contradicts_its_numbers(estimate, below, above, target, op, nudge):
    """Limits just beside the target (25.05 % against 25 %) are printed so the words and the numbers
    agree: the verdict read off the printed numbers is the verdict stated."""
    low, high = max(0.0, estimate - below), min(1.0, estimate + above)
    if nudge:  # put one end just beside the target
        low, high = (target + nudge, max(high, target + nudge)) if below > above else (min(low, target + nudge), target + nudge)
        low, high = max(0.0, low), min(1.0, high)
        estimate = min(max(estimate, low), high)
    r = target_check(estimate, low, high, op, target)
    _consistent(r.text, r.verdict, op)


def test_property_over_generated_datasets_target_rows_agree_with_their_numbers():
    """Every target row of many generated datasets (the hash target, at most 25 %, by school)."""
    import numpy as np

    from analysis.frame import FrameBuilder
    from analysis.table import analyse
    from surveys.instruments import builtin_instruments

    instrument = builtin_instruments()["ung-trivsel-rusmidler"]
    hashed = [i for i in instrument.indicators if i.id == "har_proevet_hash"]
    subset = type("Subset", (), {"indicators": tuple(hashed)})()
    checked = 0
    for seed in range(60):
        rng = np.random.default_rng(seed)
        builder = FrameBuilder(instrument)
        share = rng.uniform(0.15, 0.35)
        for school in range(int(rng.integers(1, 5))):
            for klass in range(int(rng.integers(1, 6))):
                effect = rng.normal(0, 0.5)
                for _ in range(int(rng.integers(3, 41))):
                    yes = rng.random() < 1 / (1 + np.exp(-(np.log(share / (1 - share)) + effect)))
                    builder.add(2026, f"S{school}", f"7.{klass}", 7, {"hash_nogensinde": 2 if yes else 1})
        for row in analyse(builder.build(), subset, by=("school",)):
            if row.comparison == "target" and not row.suppressed:
                verdict = "uncertain" if "kan endnu ikke afgøres" in row.conclusion else (
                    "not_met" if "ikke nået" in row.conclusion else "met")
                _consistent(row.conclusion, verdict, "<=")
                checked += 1
    assert checked > 100
