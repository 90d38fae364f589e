"""The report's content, built from the results table only (same data in, same numbers out).

:func:`build_model` turns the rows of :func:`analysis.table.analyse` (with the
comparisons against published figures and the target-year estimates that
:mod:`exports.report.results` adds) into plain text and chart specifications
(:mod:`.content`); the HTML and PDF writers only lay them out. The front page
speaks in sentences (:mod:`.sentences`); test names, p-values and design
effects are in the appendix (:attr:`Report.details`) and the results files.
Hidden cells show :func:`hidden_text` ("færre end 5 svar") and no number at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from analysis.table import test_summary

from .content import (
    Chart,
    Comparison,
    DetailLine,
    GoalLine,
    IndicatorSection,
    Report,
    SchoolLine,
    SchoolPage,
    TableLine,
)
from .goals import goal_line
from .method import METHOD, detectable, questionnaire_changes
from .rows import Rows
from .schools import school_page
from .sections import details, section
from .sentences import method_targets_and_figures
from .story import Context

__all__ = [
    "Chart",
    "Comparison",
    "DetailLine",
    "GoalLine",
    "IndicatorSection",
    "Report",
    "SchoolLine",
    "SchoolPage",
    "TableLine",
    "build_model",
]


def build_model(
    rows: Sequence[Any],
    instrument: Any,
    *,
    years: Sequence[int],
    baseline: int | None = None,
    threshold: int = 5,
    municipality: str = "Kommunen",
    n_responses: int = 0,
    generated_on: dt.date | None = None,
    references: Sequence[Any] = (),
    demo: bool = False,
    held: int = 0,
) -> Report:
    """The report's content for ``rows`` = the results table of :func:`exports.report.results.results_table`
    (or plain ``analyse(frame, instrument, years, baseline, ("school",), threshold)``).
    ``references`` are the published figures (source, year, indicator, value, ...) compared in it."""
    if not years:
        raise ValueError("the report needs at least one year")
    figures: dict[str, list[Any]] = {}
    for figure in sorted(references, key=lambda f: (f.indicator, f.source, f.year)):
        figures.setdefault(figure.indicator, []).append(figure)
    ctx = Context(Rows(rows), instrument, sorted(years), baseline, threshold, figures)
    indicators = [
        ind for ind in instrument.indicators if any(ctx.rows.group_names(ind.id, "municipality", y) for y in ctx.every)
    ]
    schools = sorted({g for ind in indicators for g in ctx.rows.group_names(ind.id, "school", ctx.latest)} - ctx.rows.joined)
    named = sorted({row.reference for rs in ctx.rows.references.values() for row in rs})
    summary = test_summary(rows)
    return Report(
        title=f"{instrument.title.da} {ctx.latest}",
        municipality=municipality,
        instrument=f"{instrument.id} version {instrument.version}",
        years=tuple(ctx.years),
        baseline=baseline,
        latest=ctx.latest,
        threshold=threshold,
        generated_on=generated_on or dt.date.today(),
        n_responses=n_responses,
        goals=tuple(goal_line(ctx, ind) for ind in indicators if ind.target is not None),
        sections=tuple(section(ctx, ind) for ind in indicators),
        schools=tuple(school_page(ctx, indicators, s) for s in schools),
        method=METHOD(
            threshold, summary, detectable(ctx.rows, indicators, ctx.latest),
            more=method_targets_and_figures(summary.correction) + questionnaire_changes(ctx, indicators),
        ),
        details=details(ctx, indicators),
        demo=demo,
        held=held,
        sources=tuple(named),
    )
