"""Primary and secondary suppression: no hidden cell may be recoverable."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import Cell, is_primary_suppressed, is_testable, suppress


def test_primary_threshold():
    assert is_primary_suppressed(4) and not is_primary_suppressed(5)
    assert is_primary_suppressed(9, threshold=10) and not is_primary_suppressed(
        3, threshold=3
    )
    for bad in (2, 0, 4.5, True):
        with pytest.raises(ValueError):
            is_primary_suppressed(10, threshold=bad)
        with pytest.raises(ValueError):
            suppress([Cell("a", 10)], threshold=bad)


def test_testable_helper():
    assert is_testable(30) and is_testable(30, 500) and not is_testable(29, 500)
    assert is_testable(12, minimum=10) and not is_testable()


def test_one_small_school_hides_the_next_smallest():
    cells = [
        Cell("Kommune", 100),
        Cell("A", 3, "Kommune"),
        Cell("B", 40, "Kommune"),
        Cell("C", 57, "Kommune"),
    ]
    r = suppress(cells)
    assert r.primary == {"A"} and r.secondary == {"B"}
    assert r.is_shown("Kommune") and r.is_shown("C") and not r.is_shown("B")


def test_hidden_parent_with_all_children_shown_hides_a_child():
    # School total 4 (< 5) but its only shown classes would add up to it.
    cells = [
        Cell("K", 60),
        Cell("S1", 4, "K"),
        Cell("S2", 56, "K"),
        Cell("c1", 2, "S1"),
        Cell("c2", 2, "S1"),
    ]
    r = suppress(cells)
    assert {"S1", "c1", "c2"} <= r.primary
    assert "S2" in r.secondary  # otherwise S1 = K - S2


def test_single_child_hides_parent():
    cells = [Cell("S", 4), Cell("class", 4, "S")]
    assert suppress(cells).suppressed == {"S", "class"}
    cells = [
        Cell("K", 50),
        Cell("S", 50, "K"),
        Cell("class", 3, "S"),
        Cell("class2", 47, "S"),
    ]
    r = suppress(cells)
    assert r.secondary == {"class2"}


def test_cascade_across_levels():
    # Hiding class b1 forces hiding b2; that leaves school B's equation with 2 hidden (ok).
    # Municipality level: nothing hidden -> fine. Then school A: one class hidden -> a2 hidden.
    cells = [
        Cell("K", 100),
        Cell("A", 50, "K"),
        Cell("B", 50, "K"),
        Cell("a1", 4, "A"),
        Cell("a2", 20, "A"),
        Cell("a3", 26, "A"),
        Cell("b1", 2, "B"),
        Cell("b2", 48, "B"),
    ]
    r = suppress(cells)
    assert r.primary == {"a1", "b1"} and r.secondary == {"a2", "b2"}


def test_zero_cells_and_no_suppression_needed():
    assert (
        suppress([Cell("K", 30), Cell("A", 15, "K"), Cell("B", 15, "K")]).suppressed
        == frozenset()
    )
    r = suppress([Cell("K", 30), Cell("A", 0, "K"), Cell("B", 30, "K")])
    assert r.primary == {"A"} and r.secondary == {"B"}


def test_invalid_hierarchies():
    for cells in (
        [Cell("a", 5), Cell("a", 6)],
        [Cell("a", 5, "missing")],
        [Cell("a", 5, "b"), Cell("b", 5, "a")],
        [Cell("K", 10), Cell("A", 6, "K"), Cell("B", 6, "K")],
        [Cell("K", -1)],
    ):
        with pytest.raises(ValueError):
            suppress(cells)


# --- property: no hidden cell is determined by the published cells ----------------


@st.composite
def hierarchies(draw):
    size = draw(st.integers(1, 14))
    parents = [None] + [
        draw(st.one_of(st.none(), st.integers(0, i - 1))) for i in range(1, size)
    ]
    leaf_n = [draw(st.integers(0, 25)) for _ in range(size)]
    n = [0] * size
    for i in reversed(range(size)):  # children have larger indices than parents
        kids = [j for j in range(size) if parents[j] == i]
        n[i] = sum(n[j] for j in kids) if kids else leaf_n[i]
    return [Cell(i, n[i], parents[i]) for i in range(size)], draw(st.integers(3, 12))


def _determined(cells, hidden):
    """Hidden cells whose value is fixed by the linear system parent = sum(children)
    given every shown value: x_j is determined iff removing column j lowers the rank
    of the coefficient matrix restricted to the hidden cells."""
    hidden = sorted(hidden)
    col = {k: i for i, k in enumerate(hidden)}
    rows = []
    for p in cells:
        kids = [c for c in cells if c.parent == p.key]
        if kids:
            row = np.zeros(len(hidden))
            if p.key in col:
                row[col[p.key]] += 1
            for c in kids:
                if c.key in col:
                    row[col[c.key]] -= 1
            rows.append(row)
    if not rows or not hidden:
        return set()
    a = np.array(rows)
    full = np.linalg.matrix_rank(a)
    return {
        k for k in hidden if np.linalg.matrix_rank(np.delete(a, col[k], axis=1)) < full
    }


@settings(max_examples=400, deadline=None)
@given(hierarchies())
def test_property_no_hidden_cell_is_recoverable(data):
    cells, threshold = data
    r = suppress(cells, threshold)
    assert r.primary == {c.key for c in cells if c.n < threshold}
    assert not (r.primary & r.secondary)
    assert _determined(cells, r.suppressed) == set()


def test_recoverability_checker_detects_a_leak():
    # Sanity check of the oracle itself: hiding only the small child leaks it.
    cells = [Cell("K", 100), Cell("A", 3, "K"), Cell("B", 97, "K")]
    assert _determined(cells, {"A"}) == {"A"}
    assert _determined(cells, {"A", "B"}) == set()
