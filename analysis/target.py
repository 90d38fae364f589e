"""Checking an estimate against a strategy target using its confidence interval.

"met" when the whole interval lies on the good side of the target, "not_met"
when the whole interval lies on the wrong side, otherwise "uncertain"
(the interval contains the target value). Example: Faxe goal 3, share who have
tried hash at most 25 % -> ``target_check(0.22, 0.19, 0.24, "<=", 0.25)``.
The boundary follows the operator: for "<=" an upper limit equal to the
target counts as met; for "<" it does not. The verdict is decided on the unrounded
values, and the limits are printed with as many decimals as it takes (up to 3) for
no limit to round onto or across the target: the sentence never contradicts its
own numbers ("18–25,05 %" when the upper limit is 25.05 and the target 25 %).
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

from .wording import display_decimals, format_number

__all__ = ["TargetResult", "target_check", "target_on_scale"]

_OPS = {
    "<=": (operator.le, "højst"),
    "<": (operator.lt, "under"),
    ">=": (operator.ge, "mindst"),
    ">": (operator.gt, "over"),
}


@dataclass(frozen=True, slots=True)
class TargetResult:
    verdict: str  # "met" | "not_met" | "uncertain"
    text: str
    estimate: float
    ci_low: float
    ci_high: float
    op: str
    value: float


def _validate_target(
    estimate: float, ci_low: float, ci_high: float, op: str, value: float
) -> None:
    if op not in _OPS:
        raise ValueError(f"op must be one of {sorted(_OPS)}, got {op!r}")
    if not all(math.isfinite(v) for v in (estimate, ci_low, ci_high, value)):
        raise ValueError("estimate, interval and target must be finite")
    if not ci_low <= estimate <= ci_high:
        raise ValueError(
            f"need ci_low <= estimate <= ci_high, got {ci_low}, {estimate}, {ci_high}"
        )


def target_check(
    estimate: float,
    ci_low: float,
    ci_high: float,
    op: str,
    value: float,
    unit: str = "pct",
    decimals: int = 0,
    conf: float = 0.95,
) -> TargetResult:
    """Verdict and Danish sentence; ``unit="pct"`` formats proportions as per cent,
    ``unit="number"`` formats plain numbers with ``decimals``."""
    _validate_target(estimate, ci_low, ci_high, op, value)
    good, word = _OPS[op]
    if good(ci_low, value) and good(ci_high, value):
        verdict = "met"
    elif not good(ci_low, value) and not good(ci_high, value):
        verdict = "not_met"
    else:
        verdict = "uncertain"
    if unit not in ("pct", "number"):
        raise ValueError(f"unit must be 'pct' or 'number', got {unit!r}")
    scale, suffix = (100.0, " %") if unit == "pct" else (1.0, "")
    limits = display_decimals((scale * ci_low, scale * ci_high), decimals, against=scale * value)
    shown_estimate = display_decimals((scale * estimate,), decimals, against=scale * value)

    def fmt(v: float, places: int = decimals) -> str:
        return format_number(scale * v, places) + suffix

    goal = f"målet om {word} {fmt(value, display_decimals((scale * value,), decimals))}"
    lo, hi = format_number(scale * ci_low, limits), fmt(ci_high, limits)
    sep = " til " if lo.startswith("\u2212") or hi.startswith("\u2212") else "\u2013"
    shown = f"{fmt(estimate, shown_estimate)} ({format_number(100 * conf, 0)} % CI {lo}{sep}{hi})"
    text = {
        "met": f"{goal[0].upper()}{goal[1:]} er nået: {shown}.",
        "not_met": f"{goal[0].upper()}{goal[1:]} er ikke nået: {shown}.",
        "uncertain": f"Det kan endnu ikke afgøres, om {goal} er nået: {shown}; intervallet omfatter målet.",
    }[verdict]
    return TargetResult(verdict, text, estimate, ci_low, ci_high, op, value)


def target_on_scale(kind: str, value: float) -> float:
    """A target as the results table shows it: per cent for a share, scale points for a mean."""
    return 100.0 * value if kind == "share" else value
