"""Indicators: what the analysis counts per respondent (a share or a scale mean), and targets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from surveys.instruments.texts import Text

__all__ = ["DECLINE_CODE", "Indicator", "Target"]

DECLINE_CODE = 98


@dataclass(frozen=True)
class Target:
    """A strategy target; for shares ``value`` is a fraction (the file says percent)."""

    op: Literal["<=", ">="]
    value: float
    year: int | None = None
    text: Text | None = None

    def met(self, estimate: float) -> bool:
        """True if ``estimate`` meets the target."""
        return estimate <= self.value if self.op == "<=" else estimate >= self.value


@dataclass(frozen=True)
class Indicator:
    """A derived per-respondent value: a share (1/0) or a scale mean.

    ``decline_variable`` and ``scale`` are filled in by the loader: the decline
    variable of a sensitive multi question (set => the respondent is missing) and
    the value range of the variable (share of an int) or of the mean items.
    """

    id: str
    kind: Literal["share", "mean"]
    label: Text
    variable: str | None = None
    yes: tuple[int, ...] = ()
    items: tuple[str, ...] = ()
    reverse: tuple[str, ...] = ()
    min_answered: float = 0.5
    goal: bool = False
    target: Target | None = None
    decline_variable: str | None = None
    scale: tuple[int, int] | None = None
    population: Text | None = None
    comparable_from: int | None = None
    change_note: Text | None = None

    def labelled(self, lang: str = "da") -> str:
        """The label with the population it counts, when that is not every respondent."""
        label = self.label.get(lang)
        if self.population is None:
            return label
        return f"{label} ({'share of' if lang == 'en' else 'andel af'} {self.population.get(lang)})"

    def __post_init__(self) -> None:
        if self.reverse and self.scale is None:
            raise ValueError(
                f"indicator {self.id!r}: reverse scoring needs the items' scale"
            )

    def value(self, answers: Mapping[str, object]) -> float | None:
        """Share: 1.0 / 0.0 / None (missing or declined). Mean: the mean or None."""
        if self.kind == "share":
            return self._share(answers)
        return self._mean(answers)

    def _number(self, value: object) -> int | None:
        """``value`` if it is a usable answer, else None (missing, declined, out of range)."""
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        if self.scale is not None:
            return value if self.scale[0] <= value <= self.scale[1] else None
        return None if value == DECLINE_CODE else value

    def _share(self, answers: Mapping[str, object]) -> float | None:
        declined = answers.get(self.decline_variable or "")
        if type(declined) is int and declined == 1:  # a stored 0/1 (True is not an answer, as in the frame)
            return None
        value = self._number(answers.get(self.variable or ""))
        if value is None:
            return None
        return 1.0 if value in self.yes else 0.0

    def _mean(self, answers: Mapping[str, object]) -> float | None:
        values: list[int] = []
        for name in self.items:
            value = self._number(answers.get(name))
            if value is None:
                continue
            if name in self.reverse and self.scale is not None:
                value = self.scale[0] + self.scale[1] - value
            values.append(value)
        if not values or len(values) < self.min_answered * len(self.items):
            return None
        return sum(values) / len(values)
