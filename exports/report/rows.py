"""The results table as the report reads it: rows by key, and what a row says in plain terms.

Every number and verdict in the report comes from these rows: whether a change
is significant or a target met is the row's ``verdict`` (decided once, in the
analysis, with its correction for multiple testing), so the report's sentences
can never contradict the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analysis.wording import AFTER_CORRECTION

from .sentences import Estimate

__all__ = ["Rows", "after_correction", "estimate_of", "significant", "target_key", "verdict_words"]


class Rows:
    """The results table indexed by (indicator, dimension, group, year, comparison);
    comparisons with published figures (``vs_reference``) by indicator, in table order."""

    def __init__(self, rows: Sequence[Any]) -> None:
        self.index: dict[tuple, Any] = {}
        self.groups: dict[tuple[str, str, int], list[str]] = {}
        self.references: dict[str, list[Any]] = {}
        self.years: dict[tuple[str, str], set[int]] = {}
        self.joined: set[str] = set()  # groups shown together to protect a small one ("Øvrige skoler (2)")
        for row in rows:
            if row.comparison == "vs_reference":
                self.references.setdefault(row.indicator, []).append(row)
                continue
            self.index[(row.indicator, row.dimension, row.group, row.year, row.comparison)] = row
            if row.comparison == "estimate":
                if row.dimension != "municipality" and row.reference:
                    self.joined.add(row.group)
                self.groups.setdefault((row.indicator, row.dimension, row.year), []).append(row.group)
                self.years.setdefault((row.indicator, row.dimension), set()).add(row.year)

    def get(self, indicator: str, dimension: str, group: str, year: int, comparison: str) -> Any | None:
        return self.index.get((indicator, dimension, group, year, comparison))

    def town(self, indicator: str, year: int, comparison: str = "estimate") -> Any | None:
        """The municipality's row."""
        return self.index.get((indicator, "municipality", "Kommunen", year, comparison))

    def group_names(self, indicator: str, dimension: str, year: int) -> list[str]:
        return self.groups.get((indicator, dimension, year), [])

    def town_years(self, indicator: str) -> list[int]:
        """Every year with a municipality estimate of the indicator (also years loaded only to judge a target)."""
        return sorted(self.years.get((indicator, "municipality"), ()))


def estimate_of(row: Any | None) -> Estimate | None:
    """The shown estimate of an estimate or target row, or None if missing or hidden
    (its interval None when every answer was the same)."""
    if row is None or row.suppressed or row.estimate is None:
        return None
    return Estimate(row.year, row.estimate, row.ci_low, row.ci_high)


def significant(row: Any | None) -> bool | None:
    """The table's verdict on a comparison (``ResultRow.verdict``, decided in the analysis):
    True for higher or lower, False for not significant, None when hidden or not tested."""
    if row is None or row.suppressed or row.verdict is None:
        return None
    return row.verdict in ("higher", "lower")


def after_correction(row: Any | None) -> bool:
    """Whether the table calls the comparison not significant only after the correction for multiple
    testing (significant on its own, its interval excluding 0: "efter korrektion for mange sammenligninger")."""
    return significant(row) is False and AFTER_CORRECTION in row.conclusion


def verdict_words(row: Any) -> str:
    """The verbal part of a comparison's conclusion, without its numbers:
    "signifikant højere end resten af kommunen", "forskellen ligger inden for, hvad tilfældigheder kan give"."""
    text = row.conclusion.split(" (", 1)[0].rstrip(".")
    return text[:1].upper() + text[1:]


def target_key(row: Any | None) -> str:
    """The target row's verdict (met, not_met or uncertain, decided by the analysis);
    ``hidden`` for a hidden or missing row."""
    if row is None or row.suppressed or row.verdict is None:
        return "hidden"
    return row.verdict
