"""Targets per indicator, set by the municipality; the instrument file's target is the default.

A target is ``op`` (``<=`` or ``>=``), a value (per cent for a share, scale
points for a mean) and optionally the year it should be met by. A municipality
may also say "no target" for an indicator whose instrument file has one. The
indicators with a target are the strategy's goal indicators: the report puts
them on its front page and the analysis adjusts them together (Holm).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from surveys.db.tables import IndicatorTarget
from surveys.errors import InvalidInput, NotFound
from surveys.instruments import Instrument, Target

__all__ = [
    "NO_TARGET",
    "OPERATORS",
    "TargetChoice",
    "TargetLine",
    "check_target",
    "load_targets",
    "remove_target",
    "save_target",
    "target_lines",
    "target_text",
    "with_targets",
]

OPERATORS = {"<=": "højst", ">=": "mindst"}
NO_TARGET = "none"
YEARS = (1990, 2100)


@dataclass(frozen=True)
class TargetChoice:
    """What the municipality chose for one indicator: a target, or none (``op == NO_TARGET``)."""

    indicator: str
    op: str
    value: float | None = None  # per cent for a share, scale points for a mean
    year: int | None = None


@dataclass(frozen=True)
class TargetLine:
    """An indicator as the console lists it: the instrument's target, the municipality's, and which counts."""

    indicator: str
    label: str
    kind: str
    default: Target | None
    choice: TargetChoice | None

    @property
    def effective(self) -> Target | None:
        return _effective(self.default, self.choice, self.kind)


def _to_target(choice: TargetChoice, kind: str) -> Target | None:
    if choice.op == NO_TARGET or choice.value is None:
        return None
    value = round(choice.value / 100, 10) if kind == "share" else float(choice.value)
    return Target(choice.op, value, choice.year)


def _effective(default: Target | None, choice: TargetChoice | None, kind: str) -> Target | None:
    return default if choice is None else _to_target(choice, kind)


def target_text(target: Target, kind: str) -> str:
    """``højst 25 % i 2020`` (``mindst 3,8`` for a mean, without a year when it has none)."""
    value = 100 * target.value if kind == "share" else target.value
    number = f"{value:.10g}".replace(".", ",") + (" %" if kind == "share" else "")
    return f"{OPERATORS[target.op]} {number}" + (f" i {target.year}" if target.year else "")


def with_targets(instrument: Instrument, choices: Mapping[str, TargetChoice]) -> Instrument:
    """``instrument`` with the municipality's targets in place of the file's, and exactly the
    indicators with a target as goal indicators."""
    indicators = []
    for ind in instrument.indicators:
        target = _effective(ind.target, choices.get(ind.id), ind.kind)
        indicators.append(dataclasses.replace(ind, target=target, goal=target is not None))
    return dataclasses.replace(instrument, indicators=tuple(indicators))


def _number(text: Any) -> float | None:
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    try:
        value = float(str(text).strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def check_target(instrument: Instrument, indicator: str, op: str, value: Any, year: Any) -> TargetChoice:
    """A checked choice from form or CLI input; ``InvalidInput`` names each field's problem."""
    problems: dict[str, str] = {}
    ind = next((i for i in instrument.indicators if i.id == indicator), None)
    if ind is None:
        problems["indicator"] = "Vælg en indikator fra listen."
    if op not in (*OPERATORS, NO_TARGET):
        problems["op"] = "Vælg »højst«, »mindst« eller »intet mål«."
    number = None if op == NO_TARGET else _number(value)
    if op != NO_TARGET and number is None:
        problems["value"] = "Skriv målet som et tal, fx 25."
    elif ind is not None and number is not None:
        low, high = (0.0, 100.0) if ind.kind == "share" else tuple(map(float, ind.scale or (-math.inf, math.inf)))
        if not low <= number <= high:
            what = "en procent fra 0 til 100" if ind.kind == "share" else f"et tal på skalaen {low:g}–{high:g}"
            problems["value"] = f"Målet skal være {what}."
    year_text = "" if year is None else str(year).strip()
    target_year = int(year_text) if year_text.isdigit() else None
    if op != NO_TARGET and year_text and (target_year is None or not YEARS[0] <= target_year <= YEARS[1]):
        problems["year"] = f"Året skal være et årstal fra {YEARS[0]} til {YEARS[1]} (eller tomt)."
    if problems:
        raise InvalidInput("Målet kunne ikke gemmes.", problems)
    if op == NO_TARGET:
        return TargetChoice(indicator, NO_TARGET)
    return TargetChoice(indicator, op, number, target_year)


async def load_targets(instrument_key: str) -> dict[str, TargetChoice]:
    """The municipality's choices for an instrument, by indicator id."""
    rows = await IndicatorTarget.select().where(IndicatorTarget.instrument_key == instrument_key)
    return {r["indicator"]: TargetChoice(r["indicator"], r["op"], r["value"], r["year"]) for r in rows}


async def target_lines(instrument: Instrument) -> list[TargetLine]:
    """Every indicator of the instrument with its default target and the municipality's choice."""
    choices = await load_targets(instrument.id)
    return [TargetLine(i.id, i.labelled("da"), i.kind, i.target, choices.get(i.id)) for i in instrument.indicators]


async def save_target(instrument: Instrument, choice: TargetChoice) -> None:
    """Store the municipality's choice for one indicator (replacing an earlier one)."""
    row = IndicatorTarget(
        instrument_key=instrument.id, indicator=choice.indicator, op=choice.op, value=choice.value, year=choice.year,
        updated_at=dt.datetime.now(dt.timezone.utc),
    )
    await IndicatorTarget.insert(row).on_conflict(
        target=(IndicatorTarget.instrument_key, IndicatorTarget.indicator), action="DO UPDATE",
        values=[IndicatorTarget.op, IndicatorTarget.value, IndicatorTarget.year, IndicatorTarget.updated_at],
    )


async def remove_target(instrument_key: str, indicator: str) -> None:
    """Forget the municipality's choice: the instrument file's target counts again."""
    where = (IndicatorTarget.instrument_key == instrument_key) & (IndicatorTarget.indicator == indicator)
    if not await IndicatorTarget.exists().where(where):
        raise NotFound("Kommunen har ikke sat noget mål for den indikator.")
    await IndicatorTarget.delete().where(where)
