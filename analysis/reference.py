"""The municipality against a published reference figure (national or regional).

A published figure (e.g. Skolebørnsundersøgelsen 2022: 18 % have tried hash)
is itself an estimate. :func:`compare_with_reference` tests the municipality's
estimate against it with a one-sample z-test whose variance is the sum of both
variances:

* ours from the results table's 95 % interval, ``se = (high - low) / (2 z)``
  (Cochrane Handbook 6.5.2.2: back-calculating a standard error from an
  interval), so the class design effect or design-based variance of the table
  is carried over unchanged;
* the reference's from its published interval the same way, or for a share
  with only ``n`` from the binomial ``sqrt(p (100 - p) / n)`` (simple random
  sampling: a published survey's own design effect makes it larger, so the test
  errs on the liberal side - say so where it matters); a figure published
  without either is treated as exact (``se = 0``).

``z = (estimate - reference) / sqrt(se² + se_ref²)``, two-sided p from the
normal distribution, and the difference's interval ``diff ± z·sqrt(...)``.
Shares are in per cent (differences in percentage points), means in points.
:func:`reference_tests` adds these comparisons to the results table
(``comparison = "vs_reference"``, through ``analyse(..., references=...)``),
Holm-adjusted as one family, or with every other test under ``--correction report``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scipy.stats import norm

__all__ = ["ReferenceComparison", "compare_with_reference", "reference_se", "reference_tests"]


@dataclass(frozen=True, slots=True)
class ReferenceComparison:
    diff: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    se: float
    se_reference: float
    conf: float


def _z(conf: float) -> float:
    if not 0 < conf < 1:
        raise ValueError(f"conf must be in (0, 1), got {conf}")
    return float(norm.ppf(0.5 + conf / 2))


def reference_se(
    value: float,
    *,
    share: bool,
    n: int | None = None,
    ci: tuple[float, float] | None = None,
    conf: float = 0.95,
) -> float:
    """The standard error of a published figure: from its interval, else (shares) from ``n``, else 0."""
    if ci is not None:
        low, high = ci
        if not low <= value <= high:
            raise ValueError(f"the interval {low}–{high} does not contain the value {value}")
        return (high - low) / (2 * _z(conf))
    if n is not None and share:
        if n < 1:
            raise ValueError(f"n must be positive, got {n}")
        return math.sqrt(value * (100.0 - value) / n)
    return 0.0


def compare_with_reference(
    estimate: float,
    ci_low: float,
    ci_high: float,
    reference: float,
    *,
    share: bool,
    reference_n: int | None = None,
    reference_ci: tuple[float, float] | None = None,
    conf: float = 0.95,
) -> ReferenceComparison:
    """One-sample z-test of ``estimate`` (with its ``conf`` interval) against a published ``reference``."""
    values = (estimate, ci_low, ci_high, reference)
    if not all(math.isfinite(v) for v in values):
        raise ValueError("estimate, interval and reference must be finite")
    if not ci_low <= estimate <= ci_high:
        raise ValueError(f"need ci_low <= estimate <= ci_high, got {ci_low}, {estimate}, {ci_high}")
    z_crit = _z(conf)
    se = (ci_high - ci_low) / (2 * z_crit)
    se_ref = reference_se(reference, share=share, n=reference_n, ci=reference_ci, conf=conf)
    total = math.hypot(se, se_ref)
    diff = estimate - reference
    if total == 0:
        z = 0.0 if diff == 0 else math.copysign(math.inf, diff)
        p = 1.0 if diff == 0 else 0.0
    else:
        z = diff / total
        p = float(2 * norm.sf(abs(z)))
    return ReferenceComparison(diff, diff - z_crit * total, diff + z_crit * total, z, p, se, se_ref, conf)


def reference_tests(table: Any, figures: Sequence[Any], year: int, conf: float = 0.95) -> list[dict[str, Any]]:
    """``vs_reference`` rows, not yet corrected for multiple testing: the municipality in ``year``
    against the newest published figure of each source for each indicator (``figures``: source,
    year, indicator, value, n, ci_low, ci_high).

    ``table`` is the :class:`analysis.table._Table` being built (its ``rows``, ``fields`` and
    ``hidden_text``); :func:`analysis.table.analyse` corrects the rows with the rest of the table:
    Holm as one family ("Holm: landstal, kommunen, <year>"), or with every test under
    ``correction="report"``. A hidden municipality estimate gives a hidden row; every answer
    alike (no interval) counts as an exact estimate."""
    newest: dict[tuple[str, str], Any] = {}
    for figure in sorted(figures, key=lambda f: f.year):
        newest[(figure.indicator, figure.source)] = figure
    estimates = {
        r["indicator"]: r for r in table.rows
        if r["comparison"] == "estimate" and r["dimension"] == "municipality" and r["year"] == year
    }
    out: list[dict[str, Any]] = []
    family = f"Holm: landstal, kommunen, {year}"
    for (indicator, _source), figure in sorted(newest.items()):
        own = estimates.get(indicator)
        if own is None:
            continue
        share = own["kind"] == "share"
        row = dict.fromkeys(table.fields)
        reference = f"{figure.source} {figure.year}"
        row.update(
            indicator=indicator, label=own["label"], kind=own["kind"], dimension="municipality", group=own["group"],
            year=year, comparison="vs_reference", reference=reference, suppressed=own["suppressed"],
            unit="procentpoint" if share else "point", conclusion="",
        )
        if own["suppressed"] or own["estimate"] is None:
            row.update(conclusion=own["conclusion"], hidden_label=own["hidden_label"])
            out.append(row)
            continue
        low = own["estimate"] if own["ci_low"] is None else own["ci_low"]
        high = own["estimate"] if own["ci_high"] is None else own["ci_high"]
        r = compare_with_reference(
            own["estimate"], low, high, figure.value, share=share, reference_n=figure.n,
            reference_ci=figure.interval, conf=conf,
        )
        row.update(
            n=own["n"], estimate=own["estimate"], ci_low=own["ci_low"], ci_high=own["ci_high"], n_reference=figure.n,
            estimate_reference=figure.value, diff=r.diff, diff_ci_low=r.ci_low, diff_ci_high=r.ci_high,
            test="one-sample-z", statistic=r.z if math.isfinite(r.z) else None, p=r.p_value, family=family,
            deff=own["deff"], se=math.hypot(r.se, r.se_reference), _wording=("difference", reference),
        )
        out.append(row)
    return out
