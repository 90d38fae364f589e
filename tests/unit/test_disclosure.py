"""The one disclosure-control rule (analysis.disclosure): attacks by linear combination of
everything published fail, labels are true, and no big group is hidden without need.

The attacker here is written independently of the rule's own certificate: least squares
(numpy lstsq) on the published groups' vectors over the joint cells."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.disclosure import PROTECT, SMALL, protect

K_VALUES = (3, 5, 7)


def _vector(codes, d, groups):
    return np.isin(codes[d], list(groups)).astype(float)


def _published(n, codes, p):
    """What a publisher prints: the total (if shown), every shown group (an unknown group
    that is not hidden counts as shown: it is the total minus the others), the joined groups."""
    keep = n > 0
    codes = {d: c[keep] for d, c in codes.items()}
    rows = [] if p.total_hidden else [np.ones(int(keep.sum()))]
    for d, c in codes.items():
        for g in np.unique(c):
            if not p.is_hidden(d, int(g)):
                rows.append(_vector(codes, d, [g]))
        if p.merged[d]:
            rows.append(_vector(codes, d, p.merged[d]))
    return np.vstack(rows) if rows else np.zeros((0, int(keep.sum()))), codes


def recoverable(published: np.ndarray, target: np.ndarray) -> bool:
    """Can ``target`` (a 0/1 vector over joint cells) be written as a linear combination of the rows?"""
    if published.shape[0] == 0:
        return False
    coef, *_ = np.linalg.lstsq(published.T, target, rcond=None)
    return bool(np.allclose(published.T @ coef, target, atol=1e-6))


def check(n, codes, sizes, k):
    p = protect(n, codes, sizes, k)
    published, kept = _published(n, codes, p)
    group_n = {d: np.bincount(c, weights=n, minlength=sizes[d]) for d, c in codes.items()}
    total = n.sum()
    for d, hidden in p.hidden.items():
        for g, reason in hidden.items():
            size = group_n[d][g]
            assert size > 0
            # labels are true: "færre end k svar" only for a group that has fewer than k answers
            assert (reason == SMALL) == (size < k), (d, g, size, reason)
            assert not recoverable(published, _vector(kept, d, [g])), (d, g, size, reason)
        for g in range(sizes[d]):
            if 0 < group_n[d][g] < k:
                assert p.reason(d, g) == SMALL
        if p.merged[d]:
            assert group_n[d][list(p.merged[d])].sum() >= k
        if not p.total_hidden and SMALL in hidden.values() and len(hidden) < (group_n[d] > 0).sum():
            # total minus the shown groups gives the hidden ones' sum: never a small group
            assert group_n[d][list(hidden)].sum() >= k and len(hidden) >= 2
    if total < k:
        assert p.total_hidden or total == 0
    return p


def test_the_issue_example_joins_the_small_school_instead_of_blanking_a_big_one():
    n = np.array([4, 290, 300, 310, 285])
    p = check(n, {"school": np.arange(5)}, {"school": 6}, 5)
    assert p.hidden["school"] == {0: SMALL, 4: PROTECT}  # the smallest big school protects it
    assert p.merged["school"] == (0, 4)  # ... and is shown together with it: "Øvrige skoler (2)"


def test_two_small_schools_that_together_are_big_enough_hide_no_one_else():
    p = check(np.array([3, 4, 290, 300]), {"school": np.arange(4)}, {"school": 5}, 5)
    assert p.hidden["school"] == {0: SMALL, 1: SMALL} and p.merged["school"] == (0, 1)


def test_declined_gender_is_a_group_that_the_total_cannot_give_away():
    # boys, girls, unknown: total - boys - girls = the 4 who declined
    p = check(np.array([300, 290, 4]), {"gender": np.arange(3)}, {"gender": 3}, 5)
    assert p.hidden["gender"] == {2: SMALL, 1: PROTECT}


def test_nested_groups_a_school_of_only_ninth_graders():
    # school X (4 answers) and Y (30) have only 9th-graders; Z (300) has grades 7-8.
    # grade 9 = X + Y, so hiding X together with any other school but Y would still give X away
    n = np.array([4, 30, 150, 150])
    codes = {"school": np.array([0, 1, 2, 2]), "grade": np.array([2, 2, 0, 1])}
    p = check(n, codes, {"school": 4, "grade": 4}, 5)
    assert p.hidden["school"] == {0: SMALL, 1: PROTECT}


def test_no_small_group_hides_nothing():
    p = check(np.array([30, 40, 50]), {"school": np.arange(3)}, {"school": 4}, 5)
    assert p.hidden["school"] == {} and p.merged["school"] == ()


def test_threshold_below_three_is_refused():
    with pytest.raises(ValueError):
        protect(np.array([3]), {"school": np.array([0])}, {"school": 2}, 2)


@st.composite
def municipalities(draw):
    """A joint table school x grade x gender with very different school sizes, empty and tiny
    cells, unknown grade/gender, and schools that teach only some grades."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    schools = draw(st.integers(1, 7))
    grades, genders = 3, 3  # each dimension's last group is "unknown"
    sizes = rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 25, 60, 290], size=schools)
    cells, school, grade, gender = [], [], [], []
    for s, size in enumerate(sizes):
        taught = rng.choice(grades, size=rng.integers(1, grades + 1), replace=False)
        for _ in range(int(size)):
            cells.append(1)
            school.append(s)
            grade.append(int(rng.choice(taught)) if rng.random() > 0.05 else grades)
            gender.append(int(rng.integers(0, genders)) if rng.random() > 0.04 else genders)
    dims = draw(st.sampled_from([("school",), ("school", "gender"), ("school", "grade", "gender"), ("grade", "gender")]))
    columns = {"school": np.array(school, dtype=np.int64), "grade": np.array(grade, dtype=np.int64),
               "gender": np.array(gender, dtype=np.int64)}
    size_of = {"school": schools + 1, "grade": grades + 1, "gender": genders + 1}
    if not cells:
        return np.zeros(1), {d: np.zeros(1, dtype=np.int64) for d in dims}, {d: size_of[d] for d in dims}, 5
    key = np.zeros(len(cells), dtype=np.int64)
    for d in dims:
        key = key * size_of[d] + columns[d]
    unique, counts = np.unique(key, return_counts=True)
    codes, rest = {}, unique.copy()
    for d in reversed(dims):
        codes[d] = rest % size_of[d]
        rest //= size_of[d]
    return counts.astype(float), codes, {d: size_of[d] for d in dims}, draw(st.sampled_from(K_VALUES))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(municipalities())
def test_property_nothing_hidden_is_recoverable_and_labels_are_true(case):
    n, codes, sizes, k = case
    check(n, codes, sizes, k)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(municipalities())
def test_property_no_group_of_20_or_more_is_hidden_without_need(case):
    """Every group of >= 20 that is hidden is needed: showing it alone would make some hidden
    number recoverable, or leave the small groups' derivable sum under k."""
    n, codes, sizes, k = case
    p = check(n, codes, sizes, k)
    group_n = {d: np.bincount(c, weights=n, minlength=sizes[d]) for d, c in codes.items()}
    for d, hidden in p.hidden.items():
        for g, reason in hidden.items():
            if group_n[d][g] < 20:
                continue
            assert reason == PROTECT
            shown = {dd: {gg: r for gg, r in h.items() if (dd, gg) != (d, g)} for dd, h in p.hidden.items()}
            merged = {dd: tuple(sorted(h)) if 2 <= len(h) < (group_n[dd] > 0).sum() else () for dd, h in shown.items()}
            alt = type(p)(p.threshold, p.total_hidden, shown, merged)
            published, kept = _published(n, codes, alt)
            leaks = any(recoverable(published, _vector(kept, dd, [gg])) for dd, h in shown.items() for gg in h)
            rest = shown[d]
            too_small = SMALL in rest.values() and len(rest) < (group_n[d] > 0).sum() and (
                len(rest) < 2 or group_n[d][list(rest)].sum() < k)
            assert leaks or too_small, (d, g, group_n[d][g])
