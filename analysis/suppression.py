"""Small-group helpers: the primary threshold and the minimum group size for a test.

Which groups are hidden, and why, is decided by the one disclosure rule in
:mod:`analysis.disclosure` (primary and secondary suppression, joined groups, the
certificate); this module keeps the two yes/no checks other modules ask.

* ``is_primary_suppressed``: a group with n < ``threshold`` (default 5, never below 3)
  is not shown.
* ``is_testable``: significance tests are only run for groups of at least 30.
"""

from __future__ import annotations

import numbers

__all__ = ["MIN_N_FOR_TEST", "is_primary_suppressed", "is_testable"]

MIN_N_FOR_TEST = 30


def _validate_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Integral) or threshold < 3:
        raise ValueError(f"threshold must be an integer >= 3, got {threshold!r}")
    return int(threshold)


def is_primary_suppressed(n: int, threshold: int = 5) -> bool:
    """True when a group of size ``n`` must not be shown (n < threshold)."""
    return n < _validate_threshold(threshold)


def is_testable(*ns: int, minimum: int = MIN_N_FOR_TEST) -> bool:
    """True when every group has at least ``minimum`` (default 30) respondents."""
    return bool(ns) and all(n >= minimum for n in ns)
