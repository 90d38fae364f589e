"""Years an indicator cannot be compared across: its question was asked differently from
``comparable_from`` on (set by ``surveys.responses.comparability``; e.g. "Vil ikke svare" added)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["break_between", "trend_years"]


def break_between(ind: Any, year: int, ref: int) -> str | None:
    """Why ``year`` and ``ref`` cannot be compared for ``ind`` (the conclusion of their row), or None."""
    since = getattr(ind, "comparable_from", None)
    if since is None or not min(year, ref) < since <= max(year, ref):
        return None
    note = getattr(ind, "change_note", None)
    why = f" ({note.da})" if note is not None else ""
    return f"Kan ikke sammenlignes: spørgsmålet stilles anderledes fra {since}{why}."


def trend_years(ind: Any, years: Sequence[int]) -> list[int]:
    """The chosen years a trend of ``ind`` may span: those since the last change in how it is asked."""
    since = getattr(ind, "comparable_from", None)
    chosen = list(years)
    return [y for y in chosen if y >= since] if since is not None and chosen[0] < since else chosen
