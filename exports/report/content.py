"""The report's content as plain data: what the HTML and PDF writers lay out.

Built by :func:`exports.report.model.build_model`; every text is final Danish,
every number already formatted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .text import count_text, danish_date

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
    """A comparison in words: ``title`` ("Mod 2025") and the table's conclusion."""

    title: str
    conclusion: str


@dataclass(frozen=True)
class TableLine:
    """A row of an indicator's table: the municipality or a school in the latest year."""

    group: str
    n: str
    estimate: str
    ci: str
    versus: str = ""  # the school against the rest of the municipality, in words
    difference: str = ""  # its difference with the 95 % interval
    hidden: bool = False
    municipality: bool = False


@dataclass(frozen=True)
class GoalLine:
    """A goal indicator on the front page, in sentences."""

    indicator: str
    label: str
    headline: str  # "22 % i 2026"
    interval: str  # "mellem 20 og 24 %"
    change: str
    target: tuple[str, ...]
    status: str  # "Mål 2020: nået (målt 2022)"
    status_key: str  # met | not_met | uncertain | hidden | none
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorSection:
    id: str
    label: str
    share: bool
    goal: bool
    target: str
    summary: tuple[str, ...]
    charts: tuple[Chart, ...]
    table: tuple[TableLine, ...]
    municipality: tuple[Comparison, ...] = ()


@dataclass(frozen=True)
class DetailLine:
    """A tested comparison of the municipality for the appendix: test, p-values, design effect."""

    indicator: str
    comparison: str
    test: str
    p: str
    p_adjusted: str
    deff: str


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
    details: tuple[DetailLine, ...] = ()
    demo: bool = False
    sources: tuple[str, ...] = ()
    held: int = 0  # submitted answers still held back (sealed) when the report was made: not in it

    @property
    def held_text(self) -> str:
        """What the front page says of answers not yet released (empty when there are none)."""
        if not self.held:
            return ""
        return (f"{count_text(self.held)} svar venter på at blive frigivet og indgår ikke i rapporten. De gemmes forseglet, "
                f"indtil mindst {self.threshold} fra samme klasse kan frigives sammen; resten frigives, når målingen lukkes.")  # published figures named in the report ("Skolebørnsundersøgelsen 2022")

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
