"""k-anonymity for row-level exports, by local generalisation in a fixed order.

Every row has quasi-identifiers (for trivsel: year, school, class, grade, gender and
language - what a classmate or teacher could know about a pupil). A combination of
them shared by fewer than k rows could point to a person. The steps are applied in
order, each only to the rows whose combination is still shared by fewer than k rows
(local recoding; Sweeney 2002, "k-anonymity: a model for protecting privacy"; Hundepool
et al. 2012, 3.4 and 3.5): for trivsel, class dropped, then grade dropped, then gender
coarsened ("Andet" joins "not stated"), gender dropped, language dropped, school
dropped. Rows whose combination is still shared by fewer than k rows after the last step
are left out (local suppression). The result says how many rows each step changed, so
the codebook can say what was done.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Generalised", "Step", "k_anonymise", "smallest_group"]


@dataclass(frozen=True, slots=True)
class Step:
    """One generalisation: ``name`` says it in Danish, ``key`` is the quasi-identifier it
    changes and ``apply`` its new value."""

    name: str
    key: str
    apply: Callable[[Hashable], Hashable]


@dataclass(frozen=True, slots=True)
class Generalised:
    """Which rows are kept (indexes into the input), their quasi-identifiers after the steps,
    how many rows each step changed, and how many were left out."""

    kept: tuple[int, ...]
    values: tuple[Mapping[str, Hashable], ...]
    changed: Mapping[str, int]
    left_out: int
    threshold: int


def _key(row: Mapping[str, Hashable], keys: Sequence[str]) -> tuple:
    return tuple(row[k] for k in keys)


def k_anonymise(rows: Sequence[Mapping[str, Hashable]], keys: Sequence[str], steps: Sequence[Step], k: int) -> Generalised:
    """Generalise ``rows`` (quasi-identifiers ``keys``) with ``steps`` until every combination is
    shared by at least ``k`` rows; rows that never get there are left out."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 2:
        raise ValueError(f"k must be an integer >= 2, got {k!r}")
    current = [dict(r) for r in rows]
    changed = {s.name: 0 for s in steps}
    for step in steps:
        counts = Counter(_key(r, keys) for r in current)
        small = [r for r in current if counts[_key(r, keys)] < k]
        if not small:
            break
        for r in small:
            new = step.apply(r[step.key])
            if new != r[step.key]:
                r[step.key] = new
                changed[step.name] += 1
    counts = Counter(_key(r, keys) for r in current)
    kept = tuple(i for i, r in enumerate(current) if counts[_key(r, keys)] >= k)
    return Generalised(kept, tuple(current[i] for i in kept), changed, len(current) - len(kept), k)


def smallest_group(rows: Sequence[Mapping[str, Hashable]], keys: Sequence[str]) -> int:
    """The fewest rows that share one combination of ``keys`` (0 for no rows)."""
    counts = Counter(_key(r, keys) for r in rows)
    return min(counts.values(), default=0)
