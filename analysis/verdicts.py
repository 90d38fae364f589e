"""The verdict of a results-table row (``ResultRow.verdict``), decided in the analysis once so
that the report reads it instead of deciding again.

* target rows: ``met``, ``not_met`` or ``uncertain``, from :func:`analysis.target.target_check`;
* tested comparisons (``vs_rest``, ``vs_previous``, ``vs_baseline``, ``trend``):
  :func:`difference_verdict`, ``higher`` or ``lower`` when the corrected p-value is below
  ``alpha`` (the group, the later year or the trend is above or below its reference), else
  ``not_significant``;
* estimates, hidden rows and comparisons that were not tested: None.
"""

from __future__ import annotations

__all__ = ["DIFFERENCE_VERDICTS", "TARGET_VERDICTS", "difference_verdict"]

TARGET_VERDICTS = ("met", "not_met", "uncertain")
DIFFERENCE_VERDICTS = ("higher", "lower", "not_significant")


def difference_verdict(diff: float, p_adjusted: float, alpha: float) -> str:
    """``higher``/``lower`` for a significant difference (by its corrected p-value), else ``not_significant``."""
    if p_adjusted < alpha and diff != 0:
        return "higher" if diff > 0 else "lower"
    return "not_significant"
