"""Suppression for one indicator and year across several groupings that share a total.

Each grouping (schools, grades, genders) is one hierarchy under the
municipality total and goes through :func:`analysis.suppress` (primary and
secondary suppression). The hierarchies are linked only through the total, so
if the total is hidden in one it is hidden in all, and a hierarchy that would
then have the total as its only hidden cell also hides its smallest group -
otherwise the total could be recovered by adding up the shown groups.
Groups with no respondents have no cell (there is nothing to hide).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .suppression import Cell, is_primary_suppressed, suppress

__all__ = ["HiddenCells", "hide_cells"]

_TOTAL = ("total",)


@dataclass(frozen=True, slots=True)
class HiddenCells:
    """``hidden[dimension]`` holds the indexes of hidden groups."""

    total_hidden: bool
    hidden: Mapping[str, frozenset[int]]
    threshold: int

    def is_hidden(self, dimension: str, group: int) -> bool:
        if dimension == "municipality":
            return self.total_hidden
        return group in self.hidden[dimension]


def hide_cells(total_n: int, groups: Mapping[str, Sequence[int]], threshold: int = 5) -> HiddenCells:
    """Hidden cells for a total and its groupings (``groups[dimension][i]`` = n of group i)."""
    hidden: dict[str, set[int]] = {}
    total_hidden = is_primary_suppressed(int(total_n), threshold)
    for dimension, sizes in groups.items():
        cells = [Cell(_TOTAL, int(total_n))]
        cells += [Cell(i, int(n), _TOTAL) for i, n in enumerate(sizes) if n > 0]
        result = suppress(cells, threshold)
        total_hidden |= _TOTAL in result.suppressed
        hidden[dimension] = {k for k in result.suppressed if k != _TOTAL}
    if total_hidden:
        for dimension, sizes in groups.items():
            if not hidden[dimension]:
                shown = [(int(n), i) for i, n in enumerate(sizes) if n > 0]
                if shown:
                    hidden[dimension].add(min(shown)[1])
    return HiddenCells(total_hidden, {d: frozenset(h) for d, h in hidden.items()}, threshold)
