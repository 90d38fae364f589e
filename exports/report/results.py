"""The results table the report and ``trivsel analyse`` share: one rule for both.

:func:`results_table` is :func:`analysis.table.analyse` on the chosen years, plus

* the municipality's estimate and target check in the year a target was due
  (or the nearest year with responses), when that year is not among the chosen
  ones, so that a target whose year has passed is judged in its own year
  (:func:`target_years` says which years to load);
* the comparisons with published reference figures
  (:mod:`analysis.reference`, ``comparison = "vs_reference"``), corrected for
  multiple testing with the rest of the table (``correction`` as ``--correction``).

The instrument passed in carries the municipality's targets
(:func:`surveys.strategy.targets.with_targets`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from analysis.table import ResultRow, analyse

__all__ = ["nearest_year", "results_table", "target_years"]


def nearest_year(available: Iterable[int], year: int) -> int | None:
    """The available year nearest ``year`` (the later one on a tie: the first measurement after it)."""
    years = list(available)
    return min(years, key=lambda y: (abs(y - year), -y)) if years else None


def target_years(instrument: Any, chosen: Sequence[int], available: Iterable[int]) -> set[int]:
    """Years to load beyond ``chosen`` to judge targets whose year has passed: for each such
    target the nearest year with responses, when it is not chosen already."""
    available = sorted(set(available))
    latest = max(chosen)
    extra = set()
    for ind in instrument.indicators:
        t = ind.target
        if t is None or t.year is None or t.year >= latest or t.year in chosen:
            continue
        year = nearest_year(available, t.year)
        if year is not None and year not in chosen:
            extra.add(year)
    return extra


def results_table(
    frame: Any,
    instrument: Any,
    years: Sequence[int],
    baseline: int | None = None,
    by: Sequence[str] = ("school",),
    threshold: int = 5,
    *,
    references: Sequence[Any] = (),
    correction: str = "family",
) -> list[ResultRow]:
    """Every row of the yearly review (see the module docstring); ``frame`` may hold more years
    than ``years`` and ``baseline``: those give only the municipality's estimates and target checks."""
    years = sorted(years)
    rows = analyse(frame, instrument, years, baseline, by, threshold, correction=correction, references=references)
    every = set(years) | ({baseline} if baseline is not None else set())
    extra = sorted(set(frame.years()) - every)
    if extra:
        targeted = {ind.id for ind in instrument.indicators if ind.target is not None}
        rows += [
            r for r in analyse(frame, instrument, extra, None, (), threshold)
            if r.indicator in targeted and r.comparison in ("estimate", "target")
        ]
    return rows
