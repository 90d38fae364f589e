"""What the report says, as plain data: the model's dataclasses, which the HTML and PDF
writers lay out (:mod:`exports.report.model` builds them from the results table)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .text import count_text, danish_date

__all__ = [
    "Chart",
    "Comparison",
    "GoalLine",
    "IndicatorSection",
    "Report",
    "SchoolLine",
    "SchoolPage",
    "TableLine",
]


@dataclass(frozen=True)
class Chart:
    """A chart to draw: ``kind`` names a function in :mod:`exports.charts`; ``name`` is the file stem."""

    name: str
    kind: str
    alt: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Comparison:
    title: str
    conclusion: str
    detail: str = ""


@dataclass(frozen=True)
class TableLine:
    group: str
    n: str
    estimate: str
    ci: str
    comparisons: tuple[Comparison, ...] = ()
    hidden: bool = False
    municipality: bool = False


@dataclass(frozen=True)
class GoalLine:
    indicator: str
    label: str
    this_year: str
    ci: str
    development: str
    target: str
    verdict: str
    verdict_key: str
    verdict_text: str


@dataclass(frozen=True)
class IndicatorSection:
    id: str
    label: str
    share: bool
    goal: bool
    target: str
    summary: str
    charts: tuple[Chart, ...]
    table: tuple[TableLine, ...]


@dataclass(frozen=True)
class SchoolLine:
    label: str
    share: bool
    school: str
    rest: str
    earlier: str
    vs_rest: str
    vs_previous: str
    hidden: bool = False


@dataclass(frozen=True)
class SchoolPage:
    school: str
    year: int
    n: str
    lines: tuple[SchoolLine, ...]


@dataclass(frozen=True)
class Report:
    title: str
    municipality: str
    instrument: str
    years: tuple[int, ...]
    baseline: int | None
    latest: int
    threshold: int
    generated_on: dt.date
    n_responses: int
    goals: tuple[GoalLine, ...]
    sections: tuple[IndicatorSection, ...]
    schools: tuple[SchoolPage, ...]
    method: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def years_text(self) -> str:
        return ", ".join(map(str, self.years))

    @property
    def n_responses_text(self) -> str:
        return count_text(self.n_responses)

    @property
    def generated_text(self) -> str:
        return danish_date(self.generated_on)

    def charts(self) -> list[Chart]:
        return [chart for section in self.sections for chart in section.charts]
