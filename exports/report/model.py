"""The report's content, built from the results table only (same data in, same numbers out).

:func:`build_model` turns the rows of :func:`analysis.table.analyse` into plain
text and chart specifications (the dataclasses of :mod:`exports.report.content`);
the HTML and PDF writers only lay them out.
Hidden cells show :func:`hidden_text` ("færre end 5 svar") and no number at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from analysis.table import test_summary
from analysis.target import target_on_scale
from analysis.wording import format_number

from ..charts import Bar, TrendPoint
from .content import Chart, Comparison, GoalLine, IndicatorSection, Report, SchoolLine, SchoolPage, TableLine
from .method import METHOD, detectable
from .text import NBSP, TEST_NAMES, hidden_text, p_text, range_text, value_text

__all__ = ["build_model"]

_VERDICTS = {"met": "Nået", "not_met": "Ikke nået", "uncertain": "Usikkert", "none": "Intet mål fastsat"}


class _Rows:
    """The results table indexed by (indicator, dimension, group, year, comparison)."""

    def __init__(self, rows: Sequence[Any]) -> None:
        self.index: dict[tuple, Any] = {}
        self.groups: dict[tuple[str, str, int], list[str]] = {}
        for row in rows:
            self.index[(row.indicator, row.dimension, row.group, row.year, row.comparison)] = row
            if row.comparison == "estimate":
                self.groups.setdefault((row.indicator, row.dimension, row.year), []).append(row.group)

    def get(self, indicator: str, dimension: str, group: str, year: int, comparison: str) -> Any | None:
        return self.index.get((indicator, dimension, group, year, comparison))

    def group_names(self, indicator: str, dimension: str, year: int) -> list[str]:
        return self.groups.get((indicator, dimension, year), [])


def _significant(row: Any | None) -> bool:
    """Whether the analysis found the row's difference significant (its ``verdict``, never decided here)."""
    return row is not None and not row.suppressed and row.verdict in ("higher", "lower")


def _versus(row: Any | None) -> str:
    """A school's bar against the rest of the municipality: higher, lower or the same."""
    return row.verdict if _significant(row) else "same"


def _detail(row: Any) -> str:
    if row.test is None or row.p is None:
        return ""
    method = (row.family or "").split(":")[0]
    text = f"{TEST_NAMES.get(row.test, row.test)}, {p_text(row.p)}"
    if row.p_adjusted is not None:
        text += f", justeret {p_text(row.p_adjusted)} ({method})"
    if row.deff is not None and row.deff > 1.0:
        text += f", designeffekt {format_number(row.deff, 2)}"
    return text


def _target_shown(indicator: Any) -> float | None:
    """The indicator's target on the table's scale (per cent for shares), or None without one."""
    return None if indicator.target is None else target_on_scale(indicator.kind, indicator.target.value)


def _target_text(indicator: Any) -> str:
    value = _target_shown(indicator)
    if value is None:
        return ""
    word = {"<=": "højst", "<": "under", ">=": "mindst", ">": "over"}[indicator.target.op]
    year = f" (senest {indicator.target.year})" if indicator.target.year else ""
    return f"{word} {value_text(value, indicator.kind == 'share')}{year}"


def _goal_verdict(indicator: Any, row: Any | None) -> str:
    """The target row's verdict (decided by the analysis), ``none`` without a target, ``hidden`` when hidden."""
    if indicator.target is None:
        return "none"
    if row is None or row.suppressed or row.verdict is None:
        return "hidden"
    return row.verdict


class _Builder:
    def __init__(self, rows, instrument, years, baseline, threshold):
        self.rows = _Rows(rows)
        self.instrument = instrument
        self.years = sorted(years)
        self.latest = self.years[-1]
        self.baseline = baseline
        self.every = sorted(set(self.years) | ({baseline} if baseline is not None else set()))
        self.hidden = hidden_text(threshold)
        self.indicators = [
            ind for ind in instrument.indicators if self.rows.group_names(ind.id, "municipality", self.latest)
            or any(self.rows.group_names(ind.id, "municipality", y) for y in self.every)
        ]

    # ------------------------------------------------------------ shared pieces
    def estimate(self, ind, dimension: str, group: str, year: int) -> Any | None:
        return self.rows.get(ind.id, dimension, group, year, "estimate")

    def value(self, ind, row: Any | None) -> str:
        if row is None:
            return "–"
        if row.suppressed or row.estimate is None:
            return self.hidden
        return value_text(row.estimate, ind.kind == "share")

    def ci(self, ind, row: Any | None) -> str:
        """``95 % CI 20–25 %`` (no line breaks inside)."""
        if row is None or row.suppressed or row.estimate is None:
            return ""
        if row.ci_low is None:
            return "alle svar ens, ingen variation"
        return f"95{NBSP}%{NBSP}CI {range_text(row.ci_low, row.ci_high, ind.kind == 'share')}"

    def ci_short(self, ind, row: Any | None) -> str:
        """``20–25 %`` for a column headed "95 % CI"."""
        if row is None or row.suppressed or row.estimate is None:
            return ""
        return range_text(row.ci_low, row.ci_high, ind.kind == "share")

    def comparison(self, row: Any | None, title: str) -> Comparison | None:
        if row is None:
            return None
        if row.suppressed:
            return Comparison(title, f"skjult, fordi en af grupperne har {self.hidden}")
        return Comparison(title, _sentence(_units(row)), _detail(row))

    # ------------------------------------------------------------ goals
    def goal_line(self, ind) -> GoalLine:
        now = self.estimate(ind, "municipality", "Kommunen", self.latest)
        if self.baseline is not None and self.baseline != self.latest:
            change = self.rows.get(ind.id, "municipality", "Kommunen", self.latest, "vs_baseline")
            since = f"siden {self.baseline}"
        else:
            change = self.rows.get(ind.id, "municipality", "Kommunen", self.latest, "trend")
            since = f"{self.years[0]}–{self.latest}"
            if change is None or change.diff is None:
                change = self.rows.get(ind.id, "municipality", "Kommunen", self.latest, "vs_previous")
                since = f"siden {self.years[-2]}" if len(self.years) > 1 else ""
        development = self._development(ind, change, since)
        target_row = self.rows.get(ind.id, "municipality", "Kommunen", self.latest, "target")
        key = _goal_verdict(ind, target_row)
        verdict_text = (
            _sentence(target_row.conclusion) if target_row is not None and not target_row.suppressed and key != "none" else ""
        )
        return GoalLine(
            ind.id, ind.label.da, self.value(ind, now), self.ci(ind, now), development, _target_text(ind) or "–",
            self.hidden if key == "hidden" else _VERDICTS[key], key, verdict_text,
        )

    def _development(self, ind, row: Any | None, since: str) -> str:
        if row is None:
            return "–"
        if row.suppressed:
            return self.hidden
        if row.diff is None:
            return _sentence(row.conclusion)
        unit = "procentpoint" if ind.kind == "share" else "point"
        per = " om året" if row.comparison == "trend" else ""
        amount = format_number(row.diff, 1 if row.comparison == "trend" or ind.kind != "share" else 0)
        verdict = "signifikant" if _significant(row) else "inden for tilfældig variation"
        return f"{amount} {unit}{per} {since} ({verdict})".replace("  ", " ")

    # ------------------------------------------------------------ sections
    def section(self, ind) -> IndicatorSection:
        share = ind.kind == "share"
        unit = "%" if share else "point"
        schools = self.rows.group_names(ind.id, "school", self.latest)
        bars = []
        for school in schools:
            row = self.estimate(ind, "school", school, self.latest)
            if row.suppressed or row.estimate is None:
                bars.append(Bar(school, hidden=True))
            else:
                vs = self.rows.get(ind.id, "school", school, self.latest, "vs_rest")
                bars.append(Bar(school, row.estimate, *_limits(row), _versus(vs)))
        total = self.estimate(ind, "municipality", "Kommunen", self.latest)
        municipality = None if total is None or total.suppressed else total.estimate
        target = _target_shown(ind)
        target_label = f"Mål: {_target_text(ind)}" if target is not None else ""
        scale = (float(ind.scale[0]), float(ind.scale[1])) if not share and ind.scale else None
        charts = []
        if bars:
            charts.append(Chart(
                f"{ind.id}_skoler", "school_chart",
                f"Søjlediagram: {ind.label.da} pr. skole i {self.latest} med 95 % sikkerhedsintervaller, "
                f"kommunens niveau som stiplet linje" + (" og målet som streg-prik-linje" if target is not None else "")
                + ". Tallene står i tabellen under diagrammet.",
                (f"{ind.label.da} pr. skole, {self.latest}", tuple(bars)),
                {"unit": unit, "municipality": municipality, "target": target, "target_label": target_label,
                 "hidden_text": self.hidden, "scale": scale},
            ))
        points = []
        for year in self.every:
            row = self.estimate(ind, "municipality", "Kommunen", year)
            if row is not None and not row.suppressed and row.estimate is not None:
                points.append(TrendPoint(year, row.estimate, *_limits(row)))
        if points:
            charts.append(Chart(
                f"{ind.id}_udvikling", "trend_chart",
                f"Linjediagram: {ind.label.da} i kommunen {points[0].year}–{points[-1].year} med 95 % sikkerhedsbånd"
                + (" og målet som vandret linje" if target is not None else "") + ".",
                (f"{ind.label.da}, kommunen over årene", tuple(points)),
                {"unit": unit, "target": target, "target_label": target_label, "scale": scale},
            ))
        table = [self._municipality_line(ind)]
        for school in schools:
            table.append(self._school_line(ind, school))
        return IndicatorSection(
            ind.id, ind.label.da, share, ind.goal, _target_text(ind), self._summary(ind, total, bars),
            tuple(charts), tuple(table),
        )

    def _summary(self, ind, total: Any | None, bars: list[Bar]) -> str:
        if total is None:
            return f"Ingen svar i {self.latest}."
        if total.suppressed:
            return f"Kommunen: {self.hidden} i {self.latest}."
        higher = [b.label for b in bars if b.versus == "higher" and not b.hidden]
        lower = [b.label for b in bars if b.versus == "lower" and not b.hidden]
        text = f"Kommunen {self.latest}: {self.value(ind, total)} ({self.ci(ind, total)}, n = {total.n})."
        omnibus = self.rows.get(ind.id, "school", "Alle skoler", self.latest, "omnibus")
        if omnibus is not None and omnibus.conclusion:
            text += f" Skolerne samlet: {omnibus.conclusion}."
        if higher:
            text += f" Signifikant højere end resten af kommunen: {', '.join(higher)}."
        if lower:
            text += f" Signifikant lavere end resten af kommunen: {', '.join(lower)}."
        if not higher and not lower and bars:
            text += " Ingen skole adskiller sig fra resten af kommunen ud over, hvad tilfældigheder kan give."
        return text

    def _line(self, ind, dimension: str, group: str, comparisons: list[Comparison | None], municipality=False) -> TableLine:
        row = self.estimate(ind, dimension, group, self.latest)
        if row is None:
            return TableLine(group, "–", "–", "", (), False, municipality)
        if row.suppressed or row.estimate is None:
            return TableLine(group, "", self.hidden, "", (), True, municipality)
        return TableLine(
            group, str(row.n), self.value(ind, row), self.ci_short(ind, row),
            tuple(c for c in comparisons if c is not None), False, municipality,
        )

    def _municipality_line(self, ind) -> TableLine:
        g = ("municipality", "Kommunen")
        comparisons = [
            self.comparison(self.rows.get(ind.id, *g, self.latest, "vs_previous"), f"Mod {self._previous()}"),
        ]
        if self.baseline is not None and self.baseline != self.latest:
            comparisons.append(self.comparison(
                self.rows.get(ind.id, *g, self.latest, "vs_baseline"), f"Mod basisåret {self.baseline}"
            ))
        comparisons.append(self.comparison(
            self.rows.get(ind.id, *g, self.latest, "trend"), f"Tendens {self.years[0]}–{self.latest}"
        ))
        comparisons.append(self.comparison(self.rows.get(ind.id, *g, self.latest, "target"), "Mål"))
        return self._line(ind, *g, comparisons, municipality=True)

    def _school_line(self, ind, school: str) -> TableLine:
        return self._line(ind, "school", school, [
            self.comparison(self.rows.get(ind.id, "school", school, self.latest, "vs_rest"), "Mod resten af kommunen"),
        ])

    def _previous(self) -> str:
        return str(self.years[-2]) if len(self.years) > 1 else "forrige år"

    # ------------------------------------------------------------ schools
    def school_page(self, school: str) -> SchoolPage:
        lines = []
        sizes = []
        for ind in self.indicators:
            row = self.estimate(ind, "school", school, self.latest)
            if row is None:
                continue
            share = ind.kind == "share"
            if row.suppressed or row.estimate is None:
                lines.append(SchoolLine(ind.label.da, share, self.hidden, "", "", "", "", True))
                continue
            sizes.append(row.n)
            vs_rest = self.rows.get(ind.id, "school", school, self.latest, "vs_rest")
            rest = "" if vs_rest is None or vs_rest.suppressed or vs_rest.estimate_reference is None else value_text(
                vs_rest.estimate_reference, share
            )
            earlier = []
            for year in self.every:
                if year == self.latest:
                    continue
                old = self.estimate(ind, "school", school, year)
                if old is not None:
                    earlier.append(f"{year}: {self.value(ind, old)}")
            previous = self.rows.get(ind.id, "school", school, self.latest, "vs_previous")
            lines.append(SchoolLine(
                ind.label.da, share, f"{self.value(ind, row)} ({self.ci_short(ind, row)})", rest,
                "; ".join(earlier) or "–",
                _comparison_text(self.comparison(vs_rest, "")),
                _comparison_text(self.comparison(previous, "")),
            ))
        return SchoolPage(school, self.latest, f"{max(sizes)}" if sizes else self.hidden, tuple(lines))


def _comparison_text(comparison: Comparison | None) -> str:
    return comparison.conclusion if comparison is not None else "–"


def _units(row: Any) -> str:
    """The row's conclusion; a scale mean's difference is in points, never percentage points
    (guards against a table that words every conclusion like its last indicator's)."""
    return row.conclusion.replace(" procentpoint", " point") if row.kind == "mean" else row.conclusion


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def _limits(row: Any) -> tuple[float, float]:
    """The interval, or the estimate twice when every answer was the same (no interval)."""
    if row.ci_low is None or row.ci_high is None:
        return row.estimate, row.estimate
    return row.ci_low, row.ci_high


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
) -> Report:
    """The report's content for ``rows`` = ``analyse(frame, instrument, years, baseline, ("school",), threshold)``."""
    if not years:
        raise ValueError("the report needs at least one year")
    b = _Builder(rows, instrument, years, baseline, threshold)
    goals = tuple(b.goal_line(ind) for ind in b.indicators if ind.goal)
    sections = tuple(b.section(ind) for ind in b.indicators)
    schools = sorted({g for ind in b.indicators for g in b.rows.group_names(ind.id, "school", b.latest)})
    return Report(
        title=f"{instrument.title.da} {b.latest}",
        municipality=municipality,
        instrument=f"{instrument.id} version {instrument.version}",
        years=tuple(b.years),
        baseline=baseline,
        latest=b.latest,
        threshold=threshold,
        generated_on=generated_on or dt.date.today(),
        n_responses=n_responses,
        goals=goals,
        sections=sections,
        schools=tuple(b.school_page(s) for s in schools),
        method=METHOD(threshold, test_summary(rows), detectable(b.rows, b.indicators, b.latest)),
    )
