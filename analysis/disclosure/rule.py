"""The rule: which groups of a table are hidden, which are shown together, and why.

A table is one quantity (e.g. one indicator in one year) published for a total and
for the groups of one or more dimensions (school, grade, gender, class). Its input
is the *joint cells*: the respondents counted per combination of every dimension's
group, where each dimension's last group is "unknown / vil ikke svare" (never
published as a row, but a group like any other for the rule).

Per dimension, with k the threshold:

* the total is hidden when n < k (then every group is too: all are smaller);
* every group with 0 < n < k is hidden (:data:`SMALL`);
* if any is, the hidden groups of the dimension are joined, smallest first, with the
  smallest shown groups until they are at least two and hold at least k answers (the
  total minus the shown groups gives exactly their sum, so that sum must be a group
  of at least k): the added groups are hidden to protect the small ones
  (:data:`PROTECT`), and the joined groups are shown as one group ("Øvrige skoler
  (2)") unless they are the whole dimension.

Then the certificate (:func:`.certificate.determined`) is checked on everything the
table publishes: while some small group is determined by the published groups of
all dimensions together (which happens when groups are nested, e.g. a school with only
9th-graders), the cheapest shown group whose hiding protects it is hidden too. A
group hidden only to protect another is itself protected the same way (a hidden
number is never computable), and at the end every protecting group the rule does not
need is shown again, largest first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .certificate import determined

__all__ = ["PROTECT", "SMALL", "Protection", "protect"]

SMALL = "small"
PROTECT = "protect"
_MAX_ROUNDS = 200


@dataclass(frozen=True, eq=False)
class Protection:
    """Hidden groups per dimension (group index -> :data:`SMALL` or :data:`PROTECT`)
    and the groups shown together (``merged[dimension]``, empty if none)."""

    threshold: int
    total_hidden: bool
    hidden: Mapping[str, Mapping[int, str]]
    merged: Mapping[str, tuple[int, ...]]

    def is_hidden(self, dimension: str, group: int) -> bool:
        if dimension == "municipality":
            return self.total_hidden
        return group in self.hidden.get(dimension, {})

    def reason(self, dimension: str, group: int) -> str | None:
        """:data:`SMALL`, :data:`PROTECT` or None (shown)."""
        if dimension == "municipality":
            return SMALL if self.total_hidden else None
        return self.hidden.get(dimension, {}).get(group)


def _validate(joint_n: np.ndarray, codes: Mapping[str, np.ndarray], sizes: Mapping[str, int], threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)) or threshold < 3:
        raise ValueError(f"threshold must be an integer >= 3, got {threshold!r}")
    if joint_n.ndim != 1 or (joint_n.size and joint_n.min() < 0):
        raise ValueError("joint counts must be a 1-d array of non-negative counts")
    for d, c in codes.items():
        if c.shape != joint_n.shape or (c.size and (c.min() < 0 or c.max() >= sizes[d])):
            raise ValueError(f"codes of {d!r} must give every joint cell a group below {sizes[d]}")


class _State:
    """Hidden groups and joined groups while the rule runs."""

    def __init__(self, joint_n, codes, sizes, threshold):
        self.keep = joint_n > 0
        self.joint_n = joint_n[self.keep].astype(float)
        self.codes = {d: np.asarray(c)[self.keep] for d, c in codes.items()}
        self.n = {d: np.bincount(c, weights=self.joint_n, minlength=sizes[d]) for d, c in self.codes.items()}
        self.k = threshold
        self.hidden: dict[str, dict[int, str]] = {d: {} for d in codes}

    def present(self, d: str) -> list[int]:
        return [int(g) for g in np.flatnonzero(self.n[d] > 0)]

    def hidden_n(self, d: str) -> float:
        return float(sum(self.n[d][g] for g in self.hidden[d]))

    def vector(self, d: str, groups) -> np.ndarray:
        return np.isin(self.codes[d], list(groups)).astype(float)

    def published(self) -> np.ndarray:
        rows = [np.ones_like(self.joint_n)]
        for d, hidden in self.hidden.items():
            rows += [self.vector(d, [g]) for g in self.present(d) if g not in hidden]
            if len(hidden) >= 2 and len(hidden) < len(self.present(d)):
                rows.append(self.vector(d, hidden))
        return np.vstack(rows)

    def targets(self, reason: str | None = None) -> list[tuple[str, int]]:
        return [(d, g) for d, h in self.hidden.items() for g, r in h.items() if reason is None or r == reason]

    def exposed(self, cells: list[tuple[str, int]]) -> list[tuple[str, int]]:
        if not cells:
            return []
        found = determined(self.published(), np.vstack([self.vector(d, [g]) for d, g in cells]))
        return [c for c, bad in zip(cells, found) if bad]

    def sound(self) -> bool:
        """No hidden group is determined, and a dimension with small groups hides at least
        two groups holding at least k answers."""
        for d, hidden in self.hidden.items():
            if SMALL in hidden.values() and len(hidden) < len(self.present(d)):
                if len(hidden) < 2 or self.hidden_n(d) < self.k:
                    return False
        return not self.exposed(self.targets())

    def grow(self, d: str) -> None:
        """Join the smallest shown group of ``d`` to its hidden ones."""
        shown = [g for g in self.present(d) if g not in self.hidden[d]]
        if shown:
            self.hidden[d][min(shown, key=lambda g: (self.n[d][g], g))] = PROTECT


def protect(
    joint_n: np.ndarray, codes: Mapping[str, np.ndarray], sizes: Mapping[str, int], threshold: int = 5
) -> Protection:
    """The rule (module docstring) for one table: ``joint_n[j]`` respondents in joint cell
    j, ``codes[d][j]`` its group in dimension d (``sizes[d]`` groups, the last one
    "unknown")."""
    joint_n = np.asarray(joint_n)
    codes = {d: np.asarray(c, dtype=np.int64) for d, c in codes.items()}
    _validate(joint_n, codes, sizes, threshold)
    s = _State(joint_n, codes, sizes, int(threshold))
    if s.joint_n.sum() < s.k:
        hidden = {d: {g: SMALL for g in s.present(d)} for d in codes}
        return Protection(s.k, bool(s.joint_n.sum() > 0), hidden, {d: () for d in codes})
    for d in codes:
        s.hidden[d] = {g: SMALL for g in s.present(d) if s.n[d][g] < s.k}
        while s.hidden[d] and (len(s.hidden[d]) < 2 or s.hidden_n(d) < s.k) and len(s.hidden[d]) < len(s.present(d)):
            s.grow(d)
    for _ in range(_MAX_ROUNDS):
        exposed = sorted(s.exposed(s.targets()), key=lambda c: s.hidden[c[0]][c[1]] != SMALL)
        if not exposed:
            break
        d, g = exposed[0]
        if s.hidden[d][g] == PROTECT:  # determined anyway: show it, if that keeps the rest safe
            del s.hidden[d][g]
            if s.sound():
                continue
            s.hidden[d][g] = PROTECT
        _protect_one(s, exposed[0])
    _prune(s)
    merged = {
        d: tuple(sorted(h)) if 2 <= len(h) < len(s.present(d)) else () for d, h in s.hidden.items()
    }
    return Protection(s.k, False, {d: dict(h) for d, h in s.hidden.items()}, merged)


def _protect_one(s: _State, cell: tuple[str, int]) -> None:
    """Hide the cheapest shown group (of any dimension) whose hiding protects ``cell``;
    if no single one does, the smallest."""
    candidates = sorted(
        ((s.n[d][g], d, g) for d in s.hidden for g in s.present(d) if g not in s.hidden[d]),
    )
    for _n, d, g in candidates:
        s.hidden[d][g] = PROTECT
        if not s.exposed([cell]):
            return
        del s.hidden[d][g]
    if candidates:
        _n, d, g = candidates[0]
        s.hidden[d][g] = PROTECT


def _prune(s: _State) -> None:
    """Show again, largest first, every protecting group the rule does not need."""
    for d, g in sorted(s.targets(PROTECT), key=lambda c: -s.n[c[0]][c[1]]):
        del s.hidden[d][g]
        if not s.sound():
            s.hidden[d][g] = PROTECT
