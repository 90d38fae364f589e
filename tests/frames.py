"""Comparing two analysis frames column by column (shared by the unit and integration tests)."""

from __future__ import annotations

import numpy as np

__all__ = ["assert_same_frames"]


def assert_same_frames(a, b) -> None:
    """The same schools, context columns and indicator values (NaN equal to NaN), in the same order."""
    assert a.school_names == b.school_names
    for name in ("year", "school", "cluster", "grade", "gender"):
        assert getattr(a, name).tolist() == getattr(b, name).tolist(), name
    assert a.values.keys() == b.values.keys()
    for key in a.values:
        assert np.array_equal(a.values[key], b.values[key], equal_nan=True), key
