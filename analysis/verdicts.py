"""The verdict of a results-table row (``ResultRow.verdict``), decided in the analysis once so
that the report reads it instead of deciding again.

* target rows: ``met``, ``not_met`` or ``uncertain``, from :func:`analysis.target.target_check`;
* tested comparisons (``vs_rest``, ``vs_previous``, ``vs_baseline``, ``trend``):
  :func:`difference_verdict`, ``higher`` or ``lower`` when the corrected p-value is below
  ``alpha`` and the shown interval excludes 0 (the group, the later year or the trend is above
  or below its reference), else ``not_significant``;
* the test of all schools together (``omnibus``): :func:`omnibus_verdict`, ``different`` or
  ``not_significant``;
* estimates, hidden rows and comparisons that were not tested: None.
"""

from __future__ import annotations

__all__ = ["DIFFERENCE_VERDICTS", "OMNIBUS_VERDICTS", "TARGET_VERDICTS", "difference_verdict", "omnibus_verdict"]

TARGET_VERDICTS = ("met", "not_met", "uncertain")
DIFFERENCE_VERDICTS = ("higher", "lower", "not_significant")
OMNIBUS_VERDICTS = ("different", "not_significant")


def difference_verdict(
    diff: float, p_adjusted: float, alpha: float, ci_low: float | None = None, ci_high: float | None = None
) -> str:
    """``higher``/``lower`` for a significant difference (by its corrected p-value, and - when the
    interval is given - an interval that excludes 0, so the words never contradict the numbers),
    else ``not_significant``."""
    excludes_zero = ci_low is None or ci_high is None or ci_low > 0 or ci_high < 0
    if p_adjusted < alpha and diff != 0 and excludes_zero:
        return "higher" if diff > 0 else "lower"
    return "not_significant"


def omnibus_verdict(p_adjusted: float, alpha: float) -> str:
    """``different`` when the groups differ significantly (corrected p-value), else ``not_significant``."""
    return "different" if p_adjusted < alpha else "not_significant"
