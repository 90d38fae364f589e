"""The full results table of the yearly review: :func:`analyse`.

One :class:`ResultRow` per estimate or comparison, for every indicator of the
instrument:

* ``estimate``: the municipality and each group (``by``: school, grade,
  gender) per year, with n and a 95 % interval (Wilson for shares, in per
  cent; t for means), widened by the design effect of the indicator and year
  (estimated from the class clusters, reported in ``deff``);
* ``vs_rest``: a group against the rest of the municipality in the same year;
* ``vs_previous``: a year against the previous of the chosen years;
* ``vs_baseline``: a year against the baseline year;
* ``trend``: the linear trend over the chosen years (three or more), using the
  years where the cell is shown and has at least 30 respondents;
* ``target``: the strategy target checked against the interval.

Tests run only when both groups have at least 30 respondents. Multiple
testing (stated in ``family`` on every tested row): Holm across the strategy's
goal indicators for the municipality (per comparison and year);
Benjamini-Hochberg across the other indicators for the municipality, and
across the screening of groups x indicators (per dimension, comparison and
year). Conclusions use the adjusted p-value.

Disclosure control (:func:`analysis.disclosure.hide_cells`): hidden cells
show neither n nor estimate, and every comparison that involves a hidden cell
- or, for "vs the rest", a hidden municipality total - is hidden as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .comparisons import CellData, ComparisonResult, compare_cells, trend_over_years
from .disclosure import HiddenCells, hide_cells
from .estimates import (
    EstimateResult,
    Grouping,
    category_counts,
    cell_estimates,
    cell_sums,
    cluster_index,
    grouping,
    year_design_effects,
)
from .frame import ResponseFrame
from .multiple import benjamini_hochberg, holm
from .suppression import is_testable
from .target import target_check
from .verdicts import difference_verdict
from .wording import describe_difference, format_ci, format_number

__all__ = ["COMPARISONS", "FIELDS", "HIDDEN_TEXT", "ResultRow", "analyse"]

COMPARISONS = ("estimate", "vs_rest", "vs_previous", "vs_baseline", "trend", "target")
HIDDEN_TEXT = "Skjult af hensyn til anonymiteten (for få svar i gruppen eller i en gruppe, den kan regnes ud fra)."
_NOT_TESTED = "Ikke testet, fordi en af grupperne har under 30 svar"
_REST = {
    "school": "resten af kommunen",
    "grade": "de øvrige klassetrin i kommunen",
    "gender": "de øvrige elever i kommunen",
}
_SCOPE = {"school": "skoler", "grade": "klassetrin", "gender": "køn"}


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One estimate or comparison. Shares are in per cent and differences in
    percentage points; means and their differences in scale points; trends per
    year. Hidden rows (``suppressed``) have every number set to None."""

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
    suppressed: bool
    conclusion: str
    verdict: str | None  # see analysis.verdicts
    unit: str


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ResultRow))
_NUMBERS = (
    "n estimate ci_low ci_high n_reference estimate_reference diff diff_ci_low diff_ci_high "
    "test statistic p p_adjusted family effect_size effect_size_name cramers_v deff"
).split()


def _validate_years(frame: ResponseFrame, years: Sequence[int] | None, baseline: int | None) -> tuple[list[int], list[int]]:
    chosen = sorted({int(y) for y in years}) if years else frame.years()
    if not chosen:
        raise ValueError("there are no responses for the chosen instrument and years")
    every = sorted(set(chosen) | ({int(baseline)} if baseline is not None else set()))
    return chosen, every


class _Table:
    """Builds the rows of one analysis; see :func:`analyse`."""

    def __init__(self, frame, years, every, baseline, by, threshold, conf, alpha):
        keep = np.isin(frame.year, every)
        self.frame = frame if keep.all() else frame.take(keep)
        self.years, self.every, self.baseline = years, every, baseline
        self.by, self.threshold, self.conf, self.alpha = tuple(by), threshold, conf, alpha
        self.year_index = np.searchsorted(np.asarray(every), self.frame.year)
        self.clusters = cluster_index(self.frame, self.year_index)
        self.groupings: dict[str, Grouping] = {
            d: grouping(self.frame, d) for d in ("municipality", *self.by)
        }
        self.rows: list[dict[str, Any]] = []

    # ---------------------------------------------------------------- per indicator
    def add_indicator(self, ind: Any) -> None:
        values = self.frame.values[ind.id]
        y_count = len(self.every)
        deffs = np.array([d.deff if d else 1.0 for d in year_design_effects(values, self.clusters, y_count)])
        self.ind, self.deffs = ind, deffs
        self.share = ind.kind == "share"
        self.ordinal = ind.kind == "mean" and len(ind.items) == 1 and ind.scale is not None
        self.sums = {d: cell_sums(values, self.year_index, g, y_count) for d, g in self.groupings.items()}
        self.counts = (
            {d: category_counts(values, self.year_index, g, y_count, *ind.scale) for d, g in self.groupings.items()}
            if self.ordinal
            else {}
        )
        self.estimates = {d: cell_estimates(ind.kind, s, deffs, self.conf) for d, s in self.sums.items()}
        self.hidden: list[HiddenCells] = [
            hide_cells(int(self.sums["municipality"].n[y, 0]), {d: self.sums[d].n[y] for d in self.by}, self.threshold)
            for y in range(y_count)
        ]
        for d in self.groupings:
            self._estimates(d)
        for d in self.by:
            for year in self.years:
                self._vs_rest(d, year)
        for d in self.groupings:
            for prev, year in zip(self.years, self.years[1:]):
                self._between_years(d, year, prev, "vs_previous", f"i {prev}")
            if self.baseline is not None:
                for year in self.years:
                    if year != self.baseline:
                        self._between_years(d, year, self.baseline, "vs_baseline", f"i basisåret {self.baseline}")
            if len(self.years) >= 3:
                self._trend(d)
        if ind.target is not None:
            for d in self.groupings:
                self._targets(d)

    def _yi(self, year: int) -> int:
        return self.every.index(year)

    def _shown(self, d: str, y: int, g: int) -> bool:
        return bool(self.sums[d].n[y, g] > 0) and not self.hidden[y].is_hidden(d, g)

    def _cell(self, d: str, y: int, g: int) -> CellData:
        s = self.sums[d]
        counts = self.counts[d][y, g] if self.ordinal else None
        return CellData(int(s.n[y, g]), float(s.total[y, g]), float(s.sum_sq[y, g]), counts)

    def _scale(self, v: float) -> float:
        return 100.0 * v if self.share else v

    def _base(self, d: str, g: int, year: int, comparison: str, reference: str = "") -> dict[str, Any]:
        row = dict.fromkeys(FIELDS)
        row.update(
            indicator=self.ind.id, label=self.ind.label.da, kind=self.ind.kind, dimension=d,
            group=self.groupings[d].labels[g], year=year, comparison=comparison, reference=reference,
            suppressed=False, conclusion="",
            unit=_unit(self.share, comparison),
        )
        return row

    def _hide(self, row: dict[str, Any]) -> dict[str, Any]:
        row.update(dict.fromkeys(_NUMBERS), suppressed=True, conclusion=HIDDEN_TEXT)
        self.rows.append(row)
        return row

    # ---------------------------------------------------------------- rows
    def _estimates(self, d: str) -> None:
        for y, year in enumerate(self.every):
            for g in range(len(self.groupings[d].labels)):
                if self.sums[d].n[y, g] == 0:
                    continue
                row = self._base(d, g, year, "estimate")
                est = self.estimates[d][y][g]
                if not self._shown(d, y, g) or est is None:
                    self._hide(row)
                    continue
                row.update(self._estimate_fields(est), deff=est.deff)
                decimals = 0 if self.share else 1
                suffix = " %" if self.share else ""
                row["conclusion"] = (
                    f"{format_number(row['estimate'], decimals)}{suffix} "
                    f"({format_ci(row['ci_low'], row['ci_high'], decimals, self.conf)}{suffix}), n = {est.n}"
                )
                self.rows.append(row)

    def _estimate_fields(self, est: EstimateResult) -> dict[str, Any]:
        return {
            "n": est.n, "estimate": self._scale(est.estimate),
            "ci_low": self._scale(est.ci_low), "ci_high": self._scale(est.ci_high),
        }

    def _compare(self, row, family, a: CellData, b: CellData, deff: float, ref_text: str) -> None:
        row.update(n=a.n, n_reference=b.n, deff=deff)
        if a.n >= 2 and b.n >= 2:
            row.update(estimate=self._scale(a.total / a.n), estimate_reference=self._scale(b.total / b.n))
        if not is_testable(a.n, b.n) or a.n < 2 or b.n < 2:
            row["conclusion"] = _NOT_TESTED + "."
            self.rows.append(row)
            return
        r = compare_cells(self.ind.kind, self.ordinal, a, b, deff, self.conf)
        self._fill(row, r, family, ("difference", ref_text))

    def _fill(self, row, r: ComparisonResult, family: str, wording: tuple[str, str]) -> None:
        row.update(
            diff=r.diff, diff_ci_low=r.ci_low, diff_ci_high=r.ci_high, test=r.test, statistic=_finite(r.statistic),
            p=r.p_value, family=family, effect_size=r.effect_size, effect_size_name=r.effect_size_name,
            cramers_v=r.cramers_v, deff=r.deff, _wording=wording,
        )
        self.rows.append(row)

    def _family(self, d: str, label: str, year_text: str) -> str:
        if d == "municipality":
            if self.ind.goal:
                return f"Holm: målindikatorer, kommunen, {label}, {year_text}"
            return f"Benjamini-Hochberg: øvrige indikatorer, kommunen, {label}, {year_text}"
        return f"Benjamini-Hochberg: {_SCOPE[d]} × indikatorer, {label}, {year_text}"

    def _vs_rest(self, d: str, year: int) -> None:
        y = self._yi(year)
        total = self._cell("municipality", y, 0)
        for g in range(len(self.groupings[d].labels)):
            if self.sums[d].n[y, g] == 0:
                continue
            row = self._base(d, g, year, "vs_rest", _REST[d])
            if not self._shown(d, y, g) or self.hidden[y].total_hidden:
                self._hide(row)
                continue
            a = self._cell(d, y, g)
            family = self._family(d, "mod resten af kommunen", str(year))
            self._compare(row, family, a, total.minus(a), float(self.deffs[y]), _REST[d])

    def _between_years(self, d: str, year: int, ref: int, comparison: str, ref_text: str) -> None:
        y, r = self._yi(year), self._yi(ref)
        label = "mod forrige år" if comparison == "vs_previous" else f"mod basisåret {ref}"
        for g in range(len(self.groupings[d].labels)):
            if self.sums[d].n[y, g] == 0 or self.sums[d].n[r, g] == 0:
                continue
            row = self._base(d, g, year, comparison, str(ref))
            if not (self._shown(d, y, g) and self._shown(d, r, g)):
                self._hide(row)
                continue
            deff = float(max(self.deffs[y], self.deffs[r]))
            self._compare(row, self._family(d, label, str(year)), self._cell(d, y, g), self._cell(d, r, g), deff, ref_text)

    def _trend(self, d: str) -> None:
        label = f"tendens {self.years[0]}–{self.years[-1]}"
        for g in range(len(self.groupings[d].labels)):
            present = [year for year in self.years if self.sums[d].n[self._yi(year), g] > 0]
            if not present:
                continue
            used = [
                year for year in present
                if self._shown(d, self._yi(year), g) and is_testable(int(self.sums[d].n[self._yi(year), g]))
            ]
            row = self._base(d, g, self.years[-1], "trend", ", ".join(map(str, used)))
            if len(used) < 3:
                row["conclusion"] = "Ikke testet: færre end tre år med mindst 30 svar, der kan vises."
                row["reference"] = ""
                self.rows.append(row)
                continue
            cells = [self._cell(d, self._yi(year), g) for year in used]
            deff = float(max(self.deffs[self._yi(year)] for year in used))
            row["n"] = sum(c.n for c in cells)
            r = trend_over_years(self.ind.kind, cells, used, deff, self.conf)
            self._fill(row, r, self._family(d, label, f"{used[0]}–{used[-1]}"), ("trend", ""))

    def _targets(self, d: str) -> None:
        t = self.ind.target
        op_text = {"<=": "≤", ">=": "≥", "<": "<", ">": ">"}[t.op]
        shown_value = format_number(self._scale(t.value), 0 if self.share else 1) + (" %" if self.share else "")
        for y, year in enumerate(self.every):
            for g in range(len(self.groupings[d].labels)):
                if self.sums[d].n[y, g] == 0:
                    continue
                row = self._base(d, g, year, "target", f"{op_text} {shown_value}")
                est = self.estimates[d][y][g]
                if not self._shown(d, y, g) or est is None:
                    self._hide(row)
                    continue
                check = target_check(
                    est.estimate, est.ci_low, est.ci_high, t.op, t.value,
                    unit="pct" if self.share else "number", decimals=0 if self.share else 1, conf=self.conf,
                )
                row.update(self._estimate_fields(est), deff=est.deff, test="ci-target", conclusion=check.text, verdict=check.verdict)
                row["statistic"] = None
                self.rows.append(row)

    # ---------------------------------------------------------------- finish
    def finish(self) -> list[ResultRow]:
        families: dict[str, list[dict[str, Any]]] = {}
        for row in self.rows:
            if row.get("p") is not None:
                families.setdefault(row["family"], []).append(row)
        for name, members in families.items():
            method = holm if name.startswith("Holm") else benjamini_hochberg
            adjusted = method([m["p"] for m in members]).p_adjusted
            for m, p in zip(members, adjusted):
                m["p_adjusted"] = p
        out = []
        for row in self.rows:
            wording = row.pop("_wording", None)
            if wording is not None:
                row["verdict"] = difference_verdict(row["diff"], row["p_adjusted"], self.alpha)
                row["conclusion"] = self._conclusion(row, *wording)
            out.append(ResultRow(**row))
        return out

    def _conclusion(self, row: dict[str, Any], what: str, ref_text: str) -> str:
        # Worded after every indicator is done: take the unit from the row, not from self.
        share = row["kind"] == "share"
        unit = "procentpoint" if share else "point"
        width = row["diff_ci_high"] - row["diff_ci_low"]
        decimals = 1 if (not share or what == "trend" or width < 2) else 0
        p = row["p_adjusted"]
        if what == "trend":
            detail = (
                f"({format_number(row['diff'], decimals)} {unit} om året, "
                f"{format_ci(row['diff_ci_low'], row['diff_ci_high'], decimals, self.conf)})"
            )
            if row["verdict"] != "not_significant":
                return f"signifikant {'stigende' if row['verdict'] == 'higher' else 'faldende'} tendens {detail}"
            return f"udviklingen ligger inden for, hvad tilfældigheder kan give {detail}"
        return describe_difference(
            row["diff"], row["diff_ci_low"], row["diff_ci_high"], p, ref_text, unit, decimals, self.alpha, self.conf
        )


def _unit(share: bool, comparison: str) -> str:
    if not share:
        return "point"
    return "%" if comparison in ("estimate", "target") else "procentpoint"


def _finite(value: float) -> float | None:
    return float(value) if value is not None and np.isfinite(value) else None


def analyse(
    frame: ResponseFrame,
    instrument: Any,
    years: Iterable[int] | None = None,
    baseline: int | None = None,
    by: Sequence[str] = ("school",),
    threshold: int = 5,
    conf: float = 0.95,
    alpha: float = 0.05,
) -> list[ResultRow]:
    """The full results table for the instrument's indicators (see module docstring).

    ``years`` default to every year in the frame; ``baseline`` adds its
    estimates and "vs_baseline" comparisons; ``by`` is any of "school",
    "grade", "gender"; ``threshold`` is the suppression threshold (>= 3).
    """
    for d in by:
        if d not in _SCOPE:
            raise ValueError(f"by must be school, grade or gender, got {d!r}")
    chosen, every = _validate_years(frame, list(years) if years is not None else None, baseline)
    table = _Table(frame, chosen, every, baseline, dict.fromkeys(by), threshold, conf, alpha)
    for ind in instrument.indicators:
        if ind.id in frame.values:
            table.add_indicator(ind)
    return table.finish()

