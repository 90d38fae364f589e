"""The full results table of the yearly review: :func:`analyse`.

One :class:`ResultRow` per estimate or comparison, for every indicator of the
instrument, every variance design-based (:mod:`analysis.design`: classes as
clusters, schools as strata, Taylor linearisation as R's ``survey`` package):

* ``estimate``: the municipality and each group (``by``: school, grade, gender)
  per year, with n, a 95 % interval (Korn-Graubard Wilson for shares, t for
  means, on the row's design degrees of freedom), its standard error ``se``,
  design effect ``deff`` and ``df``;
* ``omnibus``: one test per year of whether the schools differ at all (Rao-Scott
  F for shares, Wald F for means), before the school-by-school rows;
* ``vs_rest``: a group against the rest of the municipality in the same year;
* ``vs_previous`` / ``vs_baseline``: a year against the previous of the chosen
  years / the baseline year (a note when one of the years has no answers);
* ``trend``: the least-squares trend over the chosen years (three or more shown);
* ``target``: the strategy target checked against the interval;
* ``vs_reference``: the municipality in the latest year against published
  figures (``references``; :mod:`analysis.reference`).

Comparisons use the design-based t test (Fisher's exact test on effective counts
for shares when a group has fewer than 30 answers). Multiple testing (stated in
``family``): Holm across the strategy's goal indicators for the municipality,
Benjamini-Hochberg across the other indicators and across the screening of
groups x indicators, per comparison and year, Holm across the published
figures; or, with ``correction="report"``, Benjamini-Hochberg over every test
in the report. Conclusions use the adjusted p-value and say so when only the
correction makes a difference not significant.

Disclosure control (:func:`analysis.disclosure.protect`, per indicator and year over
every grouping at once, "unknown" a group of its own): hidden cells show neither n
nor estimate but a true ``hidden_label`` ("færre end 5 svar" or "skjult for at
beskytte en lille gruppe"), groups joined to protect small ones get one ``estimate``
row of their own ("Øvrige skoler (2)", members in ``reference``), and every
comparison that involves a hidden cell - or, for "vs the rest", a hidden
municipality total - is hidden as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .design import build_design, pairs_for
from .grouping import Grouping, grouping
from .frame import ResponseFrame
from .indicator_rows import IndicatorRows
from .joint_cells import joint_cells
from .multiple import benjamini_hochberg, holm
from .reference import reference_tests
from .verdicts import difference_verdict, omnibus_verdict
from .wording import AFTER_CORRECTION, describe_difference, display_decimals, format_ci, format_number

__all__ = ["COMPARISONS", "CORRECTIONS", "FIELDS", "ResultRow", "TestSummary", "analyse", "test_summary"]

COMPARISONS = ("estimate", "omnibus", "vs_rest", "vs_previous", "vs_baseline", "trend", "target", "vs_reference")
CORRECTIONS = ("family", "report")
REPORT_FAMILY = "Benjamini-Hochberg: hele rapporten"
_SCOPE = {"school": "skoler", "grade": "klassetrin", "gender": "køn"}
_TREND_CHANCE = "udviklingen ligger inden for, hvad tilfældigheder kan give"


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One estimate or comparison. Shares are in per cent and differences in
    percentage points; means and their differences in scale points; trends per
    year. ``se`` is the design-based standard error of the estimate (estimate
    rows) or of the difference/slope (tested rows), ``df`` its degrees of
    freedom. Hidden rows (``suppressed``) have every number set to None."""

    indicator: str
    label: str
    kind: str
    dimension: str
    group: str
    year: int
    comparison: str
    reference: str
    n: int | None
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n_reference: int | None
    estimate_reference: float | None
    diff: float | None
    diff_ci_low: float | None
    diff_ci_high: float | None
    test: str | None
    statistic: float | None
    p: float | None
    p_adjusted: float | None
    family: str | None
    effect_size: float | None
    effect_size_name: str | None
    cramers_v: float | None
    deff: float | None
    se: float | None
    df: float | None
    suppressed: bool
    hidden_label: str | None  # why a hidden row is hidden (analysis.disclosure.labels)
    conclusion: str
    verdict: str | None  # see analysis.verdicts
    unit: str


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ResultRow))
_NUMBERS = (
    "n estimate ci_low ci_high n_reference estimate_reference diff diff_ci_low diff_ci_high "
    "test statistic p p_adjusted family effect_size effect_size_name cramers_v deff se df"
).split()


def _validate_years(frame: ResponseFrame, years: Sequence[int] | None, baseline: int | None) -> tuple[list[int], list[int]]:
    chosen = sorted({int(y) for y in years}) if years else frame.years()
    if not chosen:
        raise ValueError("there are no responses for the chosen instrument and years")
    every = sorted(set(chosen) | ({int(baseline)} if baseline is not None else set()))
    return chosen, every


class _Table:
    """Builds the rows of one analysis; see :func:`analyse`."""

    fields, numbers = FIELDS, _NUMBERS

    def __init__(self, frame, years, every, baseline, by, threshold, conf, alpha):
        keep = np.isin(frame.year, every)
        self.frame = frame if keep.all() else frame.take(keep)
        self.years, self.every, self.baseline = years, every, baseline
        self.by, self.threshold, self.conf, self.alpha = tuple(by), threshold, conf, alpha
        year_index = np.searchsorted(np.asarray(every), self.frame.year)
        self.design = build_design(self.frame, year_index, len(every))
        self.groupings: dict[str, Grouping] = {d: grouping(self.frame, d) for d in ("municipality", *self.by)}
        self.pairs = {d: pairs_for(self.design, g.codes, len(g.labels)) for d, g in self.groupings.items()}
        sizes = {d: len(self.groupings[d].labels) + 1 for d in self.by}
        self.joint = joint_cells(self.design, {d: self.groupings[d].codes for d in self.by}, sizes)
        self.rows: list[dict[str, Any]] = []

    def add_indicator(self, ind: Any) -> None:
        r = IndicatorRows(self, ind)
        for d in self.groupings:
            r.estimates(d)
        for d in self.by:
            r.merged(d)
        for year in self.years:
            r.omnibus(year)
        for d in self.by:
            r.versus_rest(d)
        for d in self.groupings:
            for prev, year in zip(self.years, self.years[1:]):
                r.between_years(d, year, prev, "vs_previous")
            if self.baseline is not None:
                for year in self.years:
                    if year != self.baseline:
                        r.between_years(d, year, self.baseline, "vs_baseline")
            if len(self.years) >= 3:
                r.trend(d)
        if ind.target is not None:
            for d in self.groupings:
                r.targets(d)
        self.rows.extend(r.rows)

    def finish(self, correction: str) -> list[ResultRow]:
        families: dict[str, list[dict[str, Any]]] = {}
        for row in self.rows:
            if row.get("p") is not None:
                if correction == "report":
                    row["family"] = REPORT_FAMILY
                families.setdefault(row["family"], []).append(row)
        for name, members in families.items():
            method = holm if name.startswith("Holm") else benjamini_hochberg
            for m, p in zip(members, method([m["p"] for m in members]).p_adjusted):
                m["p_adjusted"] = p
        out = []
        for row in self.rows:
            wording = row.pop("_wording", None)
            if wording is not None:
                if wording[0] == "omnibus":
                    row["verdict"] = omnibus_verdict(row["p_adjusted"], self.alpha)
                else:
                    row["verdict"] = difference_verdict(
                        row["diff"], row["p_adjusted"], self.alpha, row["diff_ci_low"], row["diff_ci_high"]
                    )
                row["conclusion"] = self._conclusion(row, *wording)
            out.append(ResultRow(**row))
        return out

    def _conclusion(self, row: dict[str, Any], what: str, ref_text: str) -> str:
        p, p_raw = row["p_adjusted"], row["p"]
        if what == "omnibus":
            detail = f"({_test_name(row['test'])} F = {format_number(row['statistic'], 2)}, {_p_text(p_raw)})"
            if row["verdict"] == "different":
                return f"signifikante forskelle mellem skolerne {detail}"
            after = f", {AFTER_CORRECTION}" if p_raw < self.alpha else ""
            return f"forskellene mellem skolerne ligger inden for, hvad tilfældigheder kan give{after} {detail}"
        share = row["kind"] == "share"
        unit = "procentpoint" if share else "point"
        lo, hi = row["diff_ci_low"], row["diff_ci_high"]
        base = 1 if (not share or what == "trend" or hi - lo < 2) else 0
        decimals = display_decimals((lo, hi), base)
        if what == "trend":
            detail = f"({format_number(row['diff'], decimals)} {unit} om året, {format_ci(lo, hi, decimals, self.conf)})"
            excludes_zero = lo > 0 or hi < 0
            if row["verdict"] != "not_significant":
                return f"signifikant {'stigende' if row['verdict'] == 'higher' else 'faldende'} tendens {detail}"
            after = f", {AFTER_CORRECTION}" if p_raw < self.alpha and excludes_zero else ""
            return f"{_TREND_CHANCE}{after} {detail}"
        return describe_difference(row["diff"], lo, hi, p, ref_text, unit, decimals, self.alpha, self.conf, p_raw=p_raw)


def _test_name(test: str) -> str:
    return {"rao-scott": "Rao-Scott", "wald-f": "Wald"}.get(test, test)


def _p_text(p: float) -> str:
    return "p < 0,001" if p < 0.001 else f"p = {format_number(p, 3)}"


@dataclass(frozen=True, slots=True)
class TestSummary:
    """How many tests a table holds and what chance alone would give: ``expected_by_chance``
    = alpha x tests significant *before* correction if no difference were real."""

    tests: int
    alpha: float
    expected_by_chance: float
    significant_raw: int
    significant_adjusted: int
    correction: str


def test_summary(rows: Sequence[ResultRow], alpha: float = 0.05) -> TestSummary:
    """The multiplicity statement of a results table (see :class:`TestSummary`)."""
    tested = [r for r in rows if r.p is not None]
    report = any(r.family == REPORT_FAMILY for r in tested)
    return TestSummary(
        len(tested), alpha, alpha * len(tested), sum(r.p < alpha for r in tested),
        sum(r.p_adjusted is not None and r.p_adjusted < alpha for r in tested), "report" if report else "family",
    )


def analyse(
    frame: ResponseFrame,
    instrument: Any,
    years: Iterable[int] | None = None,
    baseline: int | None = None,
    by: Sequence[str] = ("school",),
    threshold: int = 5,
    conf: float = 0.95,
    alpha: float = 0.05,
    correction: str = "family",
    references: Sequence[Any] = (),
) -> list[ResultRow]:
    """The full results table for the instrument's indicators (see module docstring).

    ``years`` default to every year in the frame; ``baseline`` adds its
    estimates and "vs_baseline" comparisons; ``by`` is any of "school",
    "grade", "gender"; ``threshold`` is the suppression threshold (>= 3);
    ``correction`` is "family" (Holm/BH per family) or "report" (BH over every test);
    ``references`` are published figures (source, year, indicator, value, n, interval)
    that the municipality is compared with in the latest year.
    """
    for d in by:
        if d not in _SCOPE:
            raise ValueError(f"by must be school, grade or gender, got {d!r}")
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}, got {correction!r}")
    chosen, every = _validate_years(frame, list(years) if years is not None else None, baseline)
    table = _Table(frame, chosen, every, baseline, dict.fromkeys(by), threshold, conf, alpha)
    for ind in instrument.indicators:
        if ind.id in frame.values:
            table.add_indicator(ind)
    if references:
        table.rows.extend(reference_tests(table, references, chosen[-1], conf))
    return table.finish(correction)
