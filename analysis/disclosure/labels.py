"""What a hidden or merged group says about itself: always true, never more than that."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["OTHER_GROUPS", "PROTECTING", "UNKNOWN", "merged_label", "small_label"]

PROTECTING = "skjult for at beskytte en lille gruppe"
UNKNOWN = "ikke oplyst"
OTHER_GROUPS = {
    "school": "Øvrige skoler",
    "grade": "Øvrige klassetrin",
    "gender": "Øvrige (køn)",
    "class": "Øvrige klasser",
}


def small_label(threshold: int) -> str:
    """The label of a group with fewer answers than the threshold (and only of such a group)."""
    return f"færre end {threshold} svar"


def merged_label(dimension: str, members: Sequence[str]) -> str:
    """The label of groups shown together, e.g. "Øvrige skoler (2)"."""
    return f"{OTHER_GROUPS.get(dimension, 'Øvrige')} ({len(members)})"
