"""The small-group helpers (the rule itself: tests/unit/test_disclosure.py)."""

from __future__ import annotations

import pytest

from analysis import is_primary_suppressed, is_testable


def test_primary_threshold():
    assert is_primary_suppressed(4) and not is_primary_suppressed(5)
    assert is_primary_suppressed(9, threshold=10) and not is_primary_suppressed(3, threshold=3)
    for bad in (2, 0, 4.5, True):
        with pytest.raises(ValueError):
            is_primary_suppressed(10, threshold=bad)


def test_testable_helper():
    assert is_testable(30) and is_testable(30, 500) and not is_testable(29, 500)
    assert is_testable(12, minimum=10) and not is_testable()
