"""The results table as the report reads it: rows by key, and what a row says in plain terms.

Every number and verdict in the report comes from these rows. Whether a change
is significant is read from the row's own conclusion (the results table decides,
with its correction for multiple testing), so the report's sentences can never
contradict the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .sentences import Estimate

__all__ = ["Rows", "estimate_of", "significant", "target_key", "verdict_words"]


class Rows:
    """The results table indexed by (indicator, dimension, group, year, comparison);
    comparisons with published figures (``vs_reference``) by indicator, in table order."""

    def __init__(self, rows: Sequence[Any]) -> None:
        self.index: dict[tuple, Any] = {}
        self.groups: dict[tuple[str, str, int], list[str]] = {}
        self.references: dict[str, list[Any]] = {}
        self.years: dict[tuple[str, str], set[int]] = {}
        for row in rows:
            if row.comparison == "vs_reference":
                self.references.setdefault(row.indicator, []).append(row)
                continue
            self.index[(row.indicator, row.dimension, row.group, row.year, row.comparison)] = row
            if row.comparison == "estimate":
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
    """The shown estimate of an estimate or target row, or None if missing or hidden."""
    if row is None or row.suppressed or row.estimate is None or row.ci_low is None:
        return None
    return Estimate(row.year, row.estimate, row.ci_low, row.ci_high)


def significant(row: Any | None) -> bool | None:
    """The table's verdict on a comparison: True (significant), False, or None (hidden or not tested)."""
    if row is None or row.suppressed or row.p is None or row.diff is None:
        return None
    return row.conclusion.startswith("signifikant") and row.diff != 0


def verdict_words(row: Any) -> str:
    """The verbal part of a comparison's conclusion, without its numbers:
    "signifikant højere end resten af kommunen", "forskellen ligger inden for, hvad tilfældigheder kan give"."""
    text = row.conclusion.split(" (", 1)[0].rstrip(".")
    return text[:1].upper() + text[1:]


def target_key(row: Any | None, indicator: Any) -> str:
    """met, not_met or uncertain for a target row (the whole interval on the good side,
    on the wrong side, or around the target); ``hidden`` for a hidden or missing row."""
    verdict = getattr(row, "verdict", None)
    if verdict:
        return verdict
    if row is None or row.suppressed or row.ci_low is None:
        return "hidden"
    target = indicator.target
    value = 100.0 * target.value if indicator.kind == "share" else target.value
    good = {"<=": lambda v: v <= value, "<": lambda v: v < value, ">=": lambda v: v >= value, ">": lambda v: v > value}[
        target.op
    ]
    if good(row.ci_low) and good(row.ci_high):
        return "met"
    if not good(row.ci_low) and not good(row.ci_high):
        return "not_met"
    return "uncertain"
