"""The progress page's counts (schools, classes, answers without a class) under the one rule:
over many generated municipalities no hidden count is the total or a school minus what is shown,
or any other linear combination of the shown counts, and every label is true."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.disclosure import PROTECT, SMALL
from surveys.answering.progress import progress_rule, shown_count


def recoverable(published: list[np.ndarray], target: np.ndarray) -> bool:
    if not published:
        return False
    a = np.vstack(published).T
    coef, *_ = np.linalg.lstsq(a, target, rcond=None)
    return bool(np.allclose(a @ coef, target, atol=1e-6))


@st.composite
def waves(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    schools = list(range(1, draw(st.integers(1, 5)) + 1))
    classes, per_class, next_id = [], {}, 100
    for s in schools:
        for _ in range(int(rng.integers(0, 4))):
            classes.append(next_id)
            per_class[(s, next_id)] = int(rng.choice([0, 1, 2, 3, 4, 5, 8, 20, 26]))
            next_id += 1
        if rng.random() < 0.4:
            per_class[(s, None)] = int(rng.choice([1, 2, 6, 12]))  # answers without a class
    return per_class, schools, classes, draw(st.sampled_from([3, 5, 10]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(waves())
def test_property_no_hidden_progress_count_is_recoverable(case):
    per_class, schools, classes, k = case
    cells = [(s, c) for (s, c), n in per_class.items() if n > 0]
    if not cells:
        return
    rule = progress_rule(per_class, schools, classes, k)
    n = np.array([per_class[c] for c in cells], dtype=float)
    published, hidden = [], []
    total = np.ones(len(cells))
    (hidden if rule.total_hidden else published).append(total)
    for i, s in enumerate(schools):
        vector = np.array([cs == s for cs, _c in cells], dtype=float)
        if vector.any():
            reason = rule.reason("school", i)
            text = shown_count(int(vector @ n), 30, k, reason).text
            (hidden if reason else published).append(vector)
            assert (text == f"< {k}") == (reason == SMALL) and (text == "skjult") == (reason == PROTECT)
            assert (reason == SMALL) == (vector @ n < k)
    for i, c in enumerate(classes):
        vector = np.array([cc == c for _s, cc in cells], dtype=float)
        if vector.any():
            reason = rule.reason("class", i)
            (hidden if reason else published).append(vector)
            assert (reason == SMALL) == (vector @ n < k)
    for s in schools:  # answers without a class: never shown, and never the school minus its classes when few
        vector = np.array([(cs, cc) == (s, None) for cs, cc in cells], dtype=float)
        if 0 < vector @ n < k:
            hidden.append(vector)
    for vector in hidden:
        assert not recoverable(published, vector), int(vector @ n)


def test_the_school_minus_its_other_classes_no_longer_gives_a_small_class_away():
    rule = progress_rule({(1, 10): 3, (1, 11): 12}, [1], [10, 11], 5)
    assert rule.reason("class", 0) == SMALL and rule.reason("class", 1) == PROTECT
    assert rule.reason("school", 0) is None  # the school's 15 is shown: it gives neither class away
