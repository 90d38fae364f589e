"""Figures that tests report at the end of the run (hostile requests sent, burst counts)."""

from __future__ import annotations

__all__ = ["FIGURES", "note"]

FIGURES: list[str] = []


def note(line: str) -> None:
    FIGURES.append(line)
