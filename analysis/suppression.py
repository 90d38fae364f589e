"""Statistical disclosure control for published counts and shares.

* Primary suppression: a cell with n < ``threshold`` (default 5, never below 3)
  is not shown.
* Secondary (complementary) suppression within one hierarchy (classes within a
  school, schools within the municipality total, for one indicator and year).
  Children are assumed to partition their parent (parent n = sum of children n;
  pupils not in any child make the assumption conservative). Each parent gives
  one equation ``parent = sum(children)``. A hidden cell can be recovered by
  subtraction or addition exactly when some equation contains a single hidden
  cell, so the rule is applied until no equation has exactly one hidden cell:
  then the smallest shown child is also hidden (the parent itself if there is
  no shown child). For a tree of equations this condition is also sufficient:
  no hidden cell is then determined by the shown ones (Cox 1980, "Suppression
  methodology and statistical disclosure control", JASA 75:377-385; Hundepool
  et al. 2012, *Statistical Disclosure Control*, ch. 5). Tables linked by more
  than one hierarchy (e.g. school x grade) need one call per hierarchy and are
  not covered by this guarantee.
* Significance tests are only run for groups of at least 30 (``is_testable``).
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

__all__ = [
    "MIN_N_FOR_TEST",
    "Cell",
    "SuppressionResult",
    "is_primary_suppressed",
    "is_testable",
    "suppress",
]

MIN_N_FOR_TEST = 30


@dataclass(frozen=True, slots=True)
class Cell:
    key: Hashable
    n: int
    parent: Hashable | None = None


@dataclass(frozen=True, slots=True)
class SuppressionResult:
    primary: frozenset
    secondary: frozenset
    threshold: int

    @property
    def suppressed(self) -> frozenset:
        return self.primary | self.secondary

    def is_shown(self, key: Hashable) -> bool:
        return key not in self.primary and key not in self.secondary


def _validate_threshold(threshold: int) -> int:
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, numbers.Integral)
        or threshold < 3
    ):
        raise ValueError(f"threshold must be an integer >= 3, got {threshold!r}")
    return int(threshold)


def is_primary_suppressed(n: int, threshold: int = 5) -> bool:
    """True when a group of size ``n`` must not be shown (n < threshold)."""
    return n < _validate_threshold(threshold)


def is_testable(*ns: int, minimum: int = MIN_N_FOR_TEST) -> bool:
    """True when every group has at least ``minimum`` (default 30) respondents."""
    return bool(ns) and all(n >= minimum for n in ns)


def _validate_cells(cells: list[Cell]) -> dict[Hashable, list[Cell]]:
    by_key = {}
    for c in cells:
        if c.key in by_key:
            raise ValueError(f"duplicate cell key {c.key!r}")
        if isinstance(c.n, bool) or not isinstance(c.n, numbers.Integral) or c.n < 0:
            raise ValueError(
                f"cell {c.key!r}: n must be a non-negative integer, got {c.n!r}"
            )
        by_key[c.key] = c
    children: dict[Hashable, list[Cell]] = {}
    for c in cells:
        if c.parent is not None:
            if c.parent not in by_key:
                raise ValueError(f"cell {c.key!r}: unknown parent {c.parent!r}")
            children.setdefault(c.parent, []).append(c)
    for c in cells:  # walking up from every cell must end at a root
        seen, k = set(), c.key
        while k is not None:
            if k in seen:
                raise ValueError(f"cycle in hierarchy at {k!r}")
            seen.add(k)
            k = by_key[k].parent
    for parent, kids in children.items():
        if sum(k.n for k in kids) > by_key[parent].n:
            raise ValueError(f"children of {parent!r} add up to more than its n")
    return children


def suppress(cells: Iterable[Cell], threshold: int = 5) -> SuppressionResult:
    """Primary and secondary suppression for one hierarchy of cells."""
    threshold = _validate_threshold(threshold)
    cells = list(cells)
    children = _validate_cells(cells)
    by_key = {c.key: c for c in cells}
    primary = {c.key for c in cells if c.n < threshold}
    hidden = set(primary)
    order = {c.key: i for i, c in enumerate(cells)}
    changed = True
    while changed:
        changed = False
        for parent, kids in children.items():
            members = [parent] + [k.key for k in kids]
            if sum(m in hidden for m in members) != 1:
                continue
            shown_kids = sorted(
                (k for k in kids if k.key not in hidden),
                key=lambda k: (k.n, order[k.key]),
            )
            hidden.add(shown_kids[0].key if shown_kids else by_key[parent].key)
            changed = True
    return SuppressionResult(frozenset(primary), frozenset(hidden - primary), threshold)
