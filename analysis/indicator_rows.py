"""The rows of one indicator in the results table (see :mod:`analysis.table`).

Estimates, the omnibus test between schools, each group against the rest, each year
against the previous one and the baseline, trends and targets - every variance from
the design (:mod:`analysis.design`), computed for all groups of a grouping at once.
Rows are plain dicts here; :mod:`analysis.table` adjusts p-values across families and
words the conclusions.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .comparability import break_between, trend_years
from .design import DomainStats, domain_stats
from .design_intervals import mean_intervals, share_intervals, t_tests
from .design_tests import Contrast, between_years, rao_scott, rao_scott_means, trend, versus_rest
from .disclosure import PROTECTING, SMALL, merged_label, small_label
from .disclosure.labels import UNKNOWN
from .effect_sizes import cohens_h
from .joint_cells import merged_estimate
from .proportions import compare_shares
from .suppression import is_testable
from .target import target_check
from .wording import NO_VARIATION, display_decimals, format_ci, format_number

__all__ = ["IndicatorRows", "NOT_TESTED_FEW_CLASSES", "OMNIBUS_GROUP"]

OMNIBUS_GROUP = "Alle skoler"
NOT_TESTED_FEW_CLASSES = "Ikke testet: for få klasser til at vurdere usikkerheden"
_REST = {
    "school": "resten af kommunen",
    "grade": "de øvrige klassetrin i kommunen",
    "gender": "de øvrige elever i kommunen",
}
_SCOPE = {"school": "skoler", "grade": "klassetrin", "gender": "køn"}


def _none(value: float) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


class IndicatorRows:
    """Builds the rows of indicator ``ind`` for the table ``t`` (a ``table._Table``)."""

    def __init__(self, t: Any, ind: Any) -> None:
        self.t, self.ind = t, ind
        self.share = ind.kind == "share"
        values = t.frame.values[ind.id]
        self.stats: dict[str, DomainStats] = {
            d: domain_stats(t.design, t.pairs[d], values, self.share) for d in t.groupings
        }
        self.hidden = t.joint.protections(values, t.threshold)
        self.arrays = {d: self._estimate_arrays(d) for d in t.groupings}
        self.rows: list[dict[str, Any]] = []

    # ---------------------------------------------------------------- helpers
    def _groups(self, d: str) -> int:
        return self.stats[d].pairs.n_cols - 1

    def _scale(self, v: float) -> float:
        return 100.0 * v if self.share else v

    def _shown(self, d: str, y: int, g: int) -> bool:
        return bool(self.stats[d].n[y, g] > 0) and not self.hidden[y].is_hidden(d, g)

    def _base(self, d: str, g: int | None, year: int, comparison: str, reference: str = "") -> dict[str, Any]:
        row = dict.fromkeys(self.t.fields)
        unit = "point" if not self.share else ("%" if comparison in ("estimate", "target") else "procentpoint")
        group = OMNIBUS_GROUP if g is None else self.t.groupings[d].labels[g]
        row.update(
            indicator=self.ind.id, label=self.ind.labelled("da"), kind=self.ind.kind, dimension=d, group=group,
            year=year, comparison=comparison, reference=reference, suppressed=False, hidden_label=None,
            conclusion="", unit=unit,
        )
        return row

    def _label(self, d: str, cells: list[tuple[int, int]], compared: bool = False) -> str:
        """Why a row of these (year, group) cells is hidden: small if any of them is small (a
        comparison says that one of its groups is)."""
        reasons = {self.hidden[y].reason(d, g) for y, g in cells} | {self.hidden[y].reason("municipality", 0) for y, _g in cells}
        if SMALL not in reasons:
            return PROTECTING
        return f"skjult, fordi en af grupperne har {small_label(self.t.threshold)}" if compared else small_label(self.t.threshold)

    def _hide(self, row: dict[str, Any], label: str) -> None:
        row.update(dict.fromkeys(self.t.numbers), suppressed=True, hidden_label=label,
                   conclusion=f"{label[0].upper()}{label[1:]}.")
        self.rows.append(row)

    def _family(self, d: str, label: str, year_text: str) -> str:
        if d == "municipality":
            if self.ind.goal:
                return f"Holm: målindikatorer, kommunen, {label}, {year_text}"
            return f"Benjamini-Hochberg: øvrige indikatorer, kommunen, {label}, {year_text}"
        return f"Benjamini-Hochberg: {_SCOPE[d]} × indikatorer, {label}, {year_text}"

    # ---------------------------------------------------------------- estimates
    def _estimate_arrays(self, d: str) -> dict[str, np.ndarray]:
        """Per (year, group): the variance and df used (a row inside one class borrows the
        municipality's design effect of the year, with n - 1 df), interval, SE and deff."""
        st, k = self.stats[d], self._groups(d)
        n, mean = st.n[:, :k], st.mean[:, :k]
        var, df, srs = st.var[:, :k], st.df[:, :k].astype(float), st.srs_var[:, :k]
        muni = self.stats["municipality"].deff[:, :1]
        borrowed = np.where(np.isfinite(muni), np.maximum(muni, 1.0), 1.0)
        few = (df < 1) & (n > 0)
        var = np.where(few, np.nan_to_num(srs) * borrowed, var)
        df = np.where(few, np.maximum(n - 1.0, 1.0), df)
        if self.share:
            low, high, _ = share_intervals(np.nan_to_num(mean), np.maximum(n, 1.0), var, df, self.t.conf)
        else:
            low, high = mean_intervals(mean, var, df, self.t.conf)
        with np.errstate(invalid="ignore", divide="ignore"):
            deff = np.where(srs > 0, var / srs, np.nan)
        return {"low": low, "high": high, "var": var, "df": df, "deff": deff, "few": few}

    def estimates(self, d: str) -> None:
        e, st = self.arrays[d], self.stats[d]
        for y, year in enumerate(self.t.every):
            for g in range(self._groups(d)):
                if st.n[y, g] == 0:
                    continue
                row = self._base(d, g, year, "estimate")
                if not self._shown(d, y, g):
                    self._hide(row, self._label(d, [(y, g)]))
                    continue
                row.update(self._estimate_fields(d, y, g), test=None)
                row["conclusion"] = self._estimate_text(row)
                if e["few"][y, g]:
                    row["conclusion"] += " (svarene er fra én klasse: usikkerheden bygger på kommunens designeffekt)"
                self.rows.append(row)

    def merged(self, d: str) -> None:
        """One estimate row per year for the groups shown together ("Øvrige skoler (2)")."""
        labels = self.t.groupings[d].labels
        for y, year in enumerate(self.t.every):
            cols = self.hidden[y].merged.get(d, ())
            if not cols or self.hidden[y].total_hidden:
                continue
            names = [labels[g] if g < len(labels) else UNKNOWN for g in cols]
            row = self._base(d, None, year, "estimate", ", ".join(names))
            m = merged_estimate(self.t.design, self.stats[d], y, cols, self.share)
            var, df = m.var, m.df
            if df < 1:  # as a row inside one class (see _estimate_arrays)
                deff = self.stats["municipality"].deff[y, 0]
                var, df = m.srs_var * (max(float(deff), 1.0) if math.isfinite(deff) else 1.0), max(m.n - 1.0, 1.0)
            one = np.array([[m.mean]]), np.array([[m.n]]), np.array([[var]]), np.array([[df]])
            if self.share:
                low, high, _ = share_intervals(np.nan_to_num(one[0]), one[1], one[2], one[3], self.t.conf)
            else:
                low, high = mean_intervals(one[0], one[2], one[3], self.t.conf)
            low, high = _none(low[0, 0]), _none(high[0, 0])
            row.update(
                group=merged_label(d, names), n=int(m.n), estimate=self._scale(m.mean), df=_none(df),
                ci_low=None if low is None else self._scale(low), ci_high=None if high is None else self._scale(high),
                se=self._scale(math.sqrt(max(var, 0.0))), deff=_none(var / m.srs_var) if m.srs_var > 0 else None,
            )
            row["conclusion"] = self._estimate_text(row)
            self.rows.append(row)

    def _estimate_fields(self, d: str, y: int, g: int) -> dict[str, Any]:
        e, st = self.arrays[d], self.stats[d]
        low, high = _none(e["low"][y, g]), _none(e["high"][y, g])
        return {
            "n": int(st.n[y, g]), "estimate": self._scale(float(st.mean[y, g])),
            "ci_low": None if low is None else self._scale(low), "ci_high": None if high is None else self._scale(high),
            "deff": _none(e["deff"][y, g]), "se": self._scale(math.sqrt(max(float(e["var"][y, g]), 0.0))),
            "df": _none(e["df"][y, g]),
        }

    def _estimate_text(self, row: dict[str, Any]) -> str:
        suffix = " %" if self.share else ""
        base = 0 if self.share else 1
        if row["ci_low"] is None:
            value = format_number(row["estimate"], base)
            return f"{value}{suffix} (alle svar er ens, så der er ingen variation at beregne et interval ud fra), n = {row['n']}"
        places = display_decimals((row["ci_low"], row["ci_high"]), base) if row["ci_low"] < row["ci_high"] else base
        while places < 3 and format_number(row["ci_low"], places) == format_number(row["ci_high"], places):
            places += 1
        return (
            f"{format_number(row['estimate'], base)}{suffix} "
            f"({format_ci(row['ci_low'], row['ci_high'], places, self.t.conf)}{suffix}), n = {row['n']}"
        )

    # ---------------------------------------------------------------- omnibus
    def omnibus(self, year: int) -> None:
        """One test of "the schools differ" per year, over the schools shown."""
        if "school" not in self.t.by:
            return
        y = self.t.every.index(year)
        st = self.stats["school"]
        cols = np.array([g for g in range(self._groups("school")) if self._shown("school", y, g)], dtype=np.int64)
        if cols.size < 2 or self.hidden[y].total_hidden:
            return
        row = self._base("school", None, year, "omnibus", "mellem skolerne")
        row["n"] = int(st.n[y, cols].sum())
        test = rao_scott if self.share else rao_scott_means
        r = test(self.t.design, st, y, cols)
        if r is None:
            row["conclusion"] = f"Ikke testet: {NO_VARIATION} mellem skolerne, eller for få klasser."
            self.rows.append(row)
            return
        row.update(
            test=r.test, statistic=r.statistic, p=r.p_value, df=r.ddf,
            family=f"Benjamini-Hochberg: alle skoler samlet × indikatorer, {year}", _wording=("omnibus", ""),
        )
        self.rows.append(row)

    # ---------------------------------------------------------------- comparisons
    def versus_rest(self, d: str) -> None:
        st = self.stats[d]
        contrast = self._tested(versus_rest(self.t.design, st))
        for year in self.t.years:
            y = self.t.every.index(year)
            n_total = st.n[y].sum()
            for g in range(self._groups(d)):
                if st.n[y, g] == 0:
                    continue
                row = self._base(d, g, year, "vs_rest", _REST[d])
                if not self._shown(d, y, g) or self.hidden[y].total_hidden:
                    self._hide(row, self._label(d, [(y, g)], compared=True))
                    continue
                a = (st.n[y, g], st.total[y, g])
                b = (n_total - st.n[y, g], st.total[y].sum() - st.total[y, g])
                family = self._family(d, "mod resten af kommunen", str(year))
                self._compare(row, family, a, b, contrast, (y, g), _REST[d], (d, y, g, None))

    def between_years(self, d: str, year: int, ref: int, comparison: str) -> None:
        st = self.stats[d]
        y, r = self.t.every.index(year), self.t.every.index(ref)
        contrast = self._tested(between_years(self.t.design, st, y, r))
        label = "mod forrige år" if comparison == "vs_previous" else f"mod basisåret {ref}"
        ref_text = f"i {ref}" if comparison == "vs_previous" else f"i basisåret {ref}"
        broken = break_between(self.ind, year, ref)
        for g in range(self._groups(d)):
            here, there = st.n[y, g] > 0, st.n[r, g] > 0
            if not (here or there):
                continue
            row = self._base(d, g, year, comparison, str(ref))
            if broken is not None and not (self._shown(d, y, g) and self._shown(d, r, g)) and here and there:
                self._hide(row, self._label(d, [(y, g), (r, g)], compared=True))
                continue
            if broken is not None:
                row["conclusion"] = broken
                self.rows.append(row)
                continue
            if not (here and there):
                if (here and not self._shown(d, y, g)) or (there and not self._shown(d, r, g)):
                    self._hide(row, self._label(d, [(y, g), (r, g)], compared=True))
                else:
                    row["conclusion"] = f"Kan ikke sammenlignes: ingen svar i {year if not here else ref}."
                    self.rows.append(row)
                continue
            if not (self._shown(d, y, g) and self._shown(d, r, g)):
                self._hide(row, self._label(d, [(y, g), (r, g)], compared=True))
                continue
            a, b = (st.n[y, g], st.total[y, g]), (st.n[r, g], st.total[r, g])
            self._compare(row, self._family(d, label, str(year)), a, b, contrast, g, ref_text, (d, y, g, r))

    def _tested(self, contrast: Contrast) -> tuple[np.ndarray, ...]:
        """Per contrast, vectorised: estimate, design variance, SRS variance, df, and the t test
        (statistic, p, low, high) on the variance floored at simple random sampling: the test
        trusts the design variance only down to deff = 1, as the intervals do, because a
        variance from a school's few classes is sometimes small by chance."""
        var = np.where(np.isfinite(contrast.srs_var), np.fmax(contrast.var, contrast.srs_var), contrast.var)
        return (contrast.estimate, contrast.var, contrast.srs_var, contrast.df, *t_tests(contrast.estimate, var, contrast.df, self.t.conf))

    def _compare(self, row, family, a, b, contrast: tuple, at, ref_text: str, cells) -> None:
        d, y, g, r = cells
        st = self.stats[d]
        (n1, t1), (n2, t2) = a, b
        n1, n2 = int(n1), int(n2)
        row.update(n=n1, n_reference=n2)
        if n1 < 2 or n2 < 2:
            row["conclusion"] = "Ikke testet: en af grupperne har under 2 svar."
            self.rows.append(row)
            return
        p1, p2 = t1 / n1, t2 / n2
        row.update(estimate=self._scale(p1), estimate_reference=self._scale(p2))
        if self.share and not is_testable(n1, n2):
            deffs = [self.arrays[d]["deff"][y, g]] + ([self.arrays[d]["deff"][r, g]] if r is not None else [])
            deff = max([1.0] + [v for v in deffs if math.isfinite(v)])
            c = compare_shares(int(round(t1)), n1, int(round(t2)), n2, self.t.conf, deff, exact=True)
            row.update(
                diff=c.diff_pp, diff_ci_low=c.ci_low_pp, diff_ci_high=c.ci_high_pp, test="fisher",
                statistic=_none(c.statistic), p=c.p_value, family=family, effect_size=c.cohens_h,
                effect_size_name="cohens_h", cramers_v=c.cramers_v, deff=deff, _wording=("difference", ref_text),
            )
            self.rows.append(row)
            return
        self._t_row(row, [float(np.asarray(x)[at]) for x in contrast], family, ("difference", ref_text))
        if self.share:
            row.update(effect_size=cohens_h(min(max(p1, 0.0), 1.0), min(max(p2, 0.0), 1.0)), effect_size_name="cohens_h",
                       cramers_v=_phi(t1, n1, t2, n2))
        else:
            row.update(effect_size=_hedges_g(st, a, b, cells), effect_size_name="hedges_g")

    def _t_row(self, row, tested: list[float], family, wording) -> None:
        est, var, srs, df, t, p, lo, hi = tested
        scale = 100.0 if self.share else 1.0
        row["deff"] = var / srs if srs > 0 and math.isfinite(var) else None
        if math.isfinite(var):
            row["se"] = scale * math.sqrt(var)
        var = max(var, srs) if math.isfinite(srs) else var  # as floored for the test (see _tested)
        if not var > 0:
            row["conclusion"] = f"Ikke testet: {NO_VARIATION} (alle svar er ens i begge grupper)."
            row["diff"] = scale * est if math.isfinite(est) else None
            self.rows.append(row)
            return
        if not df >= 1:
            row["conclusion"] = f"{NOT_TESTED_FEW_CLASSES} (færre end 3 klasser i alt)."
            self.rows.append(row)
            return
        row.update(
            diff=scale * est, diff_ci_low=scale * lo, diff_ci_high=scale * hi,
            test="design-trend" if wording[0] == "trend" else "design-t", statistic=t, p=p,
            family=family, df=df, _wording=wording,
        )
        self.rows.append(row)

    def trend(self, d: str) -> None:
        st = self.stats[d]
        chosen = trend_years(self.ind, self.t.years)
        ys = [self.t.every.index(year) for year in chosen]
        used = np.zeros(st.n.shape, dtype=bool)
        for g in range(self._groups(d)):
            for y in ys:
                used[y, g] = self._shown(d, y, g)
        contrast = self._tested(trend(self.t.design, st, np.asarray(self.t.every, dtype=float), used))
        label = f"tendens {self.t.years[0]}–{self.t.years[-1]}"
        for g in range(self._groups(d)):
            if not any(st.n[y, g] > 0 for y in ys):
                continue
            years = [self.t.every[y] for y in ys if used[y, g]]
            row = self._base(d, g, self.t.years[-1], "trend", ", ".join(map(str, years)))
            if len(years) < 3:
                row["conclusion"] = "Ikke testet: færre end tre år med svar, der kan vises" + (
                    f", siden spørgsmålet blev ændret i {chosen[0]}." if chosen != list(self.t.years) else ".")
                row["reference"] = ""
                self.rows.append(row)
                continue
            row["n"] = int(sum(st.n[self.t.every.index(year), g] for year in years))
            family = self._family(d, label, f"{years[0]}–{years[-1]}")
            self._t_row(row, [float(x[g]) for x in contrast], family, ("trend", ""))

    def targets(self, d: str) -> None:
        target = self.ind.target
        op_text = {"<=": "≤", ">=": "≥", "<": "<", ">": ">"}[target.op]
        shown_value = format_number(self._scale(target.value), 0 if self.share else 1) + (" %" if self.share else "")
        st = self.stats[d]
        for y, year in enumerate(self.t.every):
            for g in range(self._groups(d)):
                if st.n[y, g] == 0:
                    continue
                row = self._base(d, g, year, "target", f"{op_text} {shown_value}")
                if not self._shown(d, y, g):
                    self._hide(row, self._label(d, [(y, g)]))
                    continue
                fields = self._estimate_fields(d, y, g)
                estimate = float(st.mean[y, g])
                low, high = self.arrays[d]["low"][y, g], self.arrays[d]["high"][y, g]
                low, high = (estimate, estimate) if not math.isfinite(low) else (float(low), float(high))
                check = target_check(
                    estimate, min(low, estimate), max(high, estimate), target.op, target.value,
                    unit="pct" if self.share else "number", decimals=0 if self.share else 1, conf=self.t.conf,
                )
                row.update(fields, test="ci-target", conclusion=check.text, verdict=check.verdict)
                self.rows.append(row)


def _phi(t1: float, n1: int, t2: float, n2: int) -> float | None:
    """|phi| (Cramer's V) of the 2 x 2 table of counts (descriptive)."""
    n, c1 = n1 + n2, t1 + t2
    if c1 <= 0 or c1 >= n:
        return 0.0
    chi2 = n * (t1 * (n2 - t2) - t2 * (n1 - t1)) ** 2 / (n1 * n2 * c1 * (n - c1))
    return math.sqrt(chi2 / n)


def _hedges_g(st: DomainStats, a, b, cells) -> float | None:
    """Hedges' g of the two groups from their counts, sums and sums of squares."""
    d, y, g, r = cells
    (n1, t1), (n2, t2) = a, b
    ss1 = float(st.sum_sq[y, g])
    ss2 = float(st.sum_sq[r, g]) if r is not None else float(st.sum_sq[y].sum()) - ss1
    m1, m2 = t1 / n1, t2 / n2
    pooled = ((ss1 - n1 * m1 * m1) + (ss2 - n2 * m2 * m2)) / (n1 + n2 - 2)
    if pooled <= 0:
        return None
    return (m1 - m2) / math.sqrt(pooled) * (1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0))
