"""The staff report for one theme day (temadag): distributions, priorities, free text.

The event is one group with no identifying attributes, under the one disclosure rule
(:func:`analysis.disclosure.protect`): an event with fewer responses than the threshold
shows only "færre end 5 svar", and so does an indicator with fewer answers. Free text is
shown only from events at or above it.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from analysis.disclosure import protect
from analysis.wording import format_number

from .content import Chart
from .text import count_text, danish_date, hidden_text, slug

__all__ = ["EventReport", "build_event_report"]


@dataclass(frozen=True)
class EventReport:
    name: str
    held_on: dt.date | None
    n: int
    hidden: str  # "" when shown, else "færre end 5 svar"
    indicators: tuple[tuple[str, str], ...]
    charts: tuple[Chart, ...]
    counts: tuple[tuple[str, tuple[tuple[str, int, str], ...]], ...]
    free_text: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def held_on_text(self) -> str:
        return danish_date(self.held_on) if self.held_on else ""

    @property
    def n_text(self) -> str:
        return self.hidden or f"{count_text(self.n)} svar"

    @property
    def slug(self) -> str:
        return slug(f"{self.held_on or ''} {self.name}")


def _pct(count: int, total: int) -> str:
    return f"{format_number(100.0 * count / total, 0)} %" if total else "–"


def build_event_report(
    name: str,
    held_on: dt.date | None,
    instrument: object,
    answers: Sequence[Mapping[str, object]],
    *,
    threshold: int = 5,
) -> EventReport:
    """The report's content for one event's responses (``answers`` = canonical answers per response)."""
    n = len(answers)
    if n == 0 or protect(np.array([n]), {}, {}, threshold).total_hidden:
        return EventReport(name, held_on, n, hidden_text(threshold), (), (), (), ())
    prefix = slug(f"{held_on or ''} {name}")
    indicators = []
    for ind in instrument.indicators:  # type: ignore[attr-defined]
        values = [v for v in (ind.value(a) for a in answers) if v is not None]
        if not values or protect(np.array([len(values)]), {}, {}, threshold).total_hidden:
            indicators.append((ind.label.da, hidden_text(threshold)))
        elif ind.kind == "share":
            indicators.append((ind.label.da, f"{format_number(100.0 * sum(values) / len(values), 0)} % (n = {len(values)})"))
        else:
            indicators.append((ind.label.da, f"{format_number(sum(values) / len(values), 1)} (n = {len(values)})"))
    charts: list[Chart] = []
    counts: list[tuple[str, tuple[tuple[str, int, str], ...]]] = []
    free: list[tuple[str, tuple[str, ...]]] = []
    for question in instrument.questions():  # type: ignore[attr-defined]
        if question.type in ("likert", "matrix"):
            rows = []
            for variable in question.variables():
                tally = [sum(1 for a in answers if a.get(variable.name) == o.code) for o in question.options]
                rows.append((textwrap.fill(variable.label.da, 48), tuple(tally)))
            charts.append(Chart(
                f"{prefix}_{question.id}", "distribution_chart",
                f"Fordeling af svarene på: {question.text.da}",
                (textwrap.fill(question.text.da, 90), tuple(rows), tuple(o.label.da for o in question.options)),
            ))
            for variable in question.variables():
                answered = [a.get(variable.name) for a in answers if a.get(variable.name) is not None]
                counts.append((variable.label.da, tuple(
                    (o.label.da, c, _pct(c, len(answered))) for o in question.options
                    for c in [sum(1 for v in answered if v == o.code)]
                )))
        elif question.type == "single":
            answered = [a.get(question.id) for a in answers if a.get(question.id) is not None]
            counts.append((question.text.da, tuple(
                (o.label.da, c, _pct(c, len(answered))) for o in question.options
                for c in [sum(1 for v in answered if v == o.code)]
            )))
        elif question.type == "multi":
            respondents = sum(1 for a in answers if any(a.get(v.name) is not None for v in question.variables()))
            chosen = [(o.label.da, sum(1 for a in answers if a.get(f"{question.id}_{o.code}") == 1)) for o in question.options]
            charts.append(Chart(
                f"{prefix}_{question.id}", "priority_chart",
                f"Hvor mange der valgte hver mulighed: {question.text.da}",
                (textwrap.fill(question.text.da, 90), tuple(chosen), respondents),
            ))
            counts.append((question.text.da, tuple(
                (label, c, _pct(c, respondents)) for label, c in sorted(chosen, key=lambda x: -x[1])
            )))
        elif question.type == "text":
            texts = sorted(str(a[question.id]).strip() for a in answers if str(a.get(question.id) or "").strip())
            free.append((question.text.da, tuple(texts)))
    return EventReport(name, held_on, n, "", tuple(indicators), tuple(charts), tuple(counts), tuple(free))
