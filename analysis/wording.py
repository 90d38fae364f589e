"""Plain-language Danish conclusions and Danish number formatting.

Numbers use a decimal comma, "." as thousands separator, the minus sign
U+2212, and round half away from zero ("7,25" -> "7,3"). A non-significant
result is never described as "ingen forskel": it is "forskellen ligger inden
for, hvad tilfældigheder kan give" - absence of evidence is not evidence of
absence (Altman & Bland 1995, BMJ 311:485).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from .means import WelchResult
from .proportions import CompareSharesResult
from .trend import TrendResult

__all__ = [
    "AFTER_CORRECTION",
    "CHANCE",
    "NO_VARIATION",
    "describe_difference",
    "describe_mean_comparison",
    "describe_share_comparison",
    "describe_trend",
    "display_decimals",
    "format_ci",
    "format_number",
    "format_pct",
]

CHANCE = "forskellen ligger inden for, hvad tilfældigheder kan give"
AFTER_CORRECTION = "efter korrektion for mange sammenligninger"
NO_VARIATION = "ingen variation i svarene at teste"
MINUS = "\u2212"
_DANISH = str.maketrans(",.", ".,")  # thousands dot, decimal comma


def format_number(value: float, decimals: int = 1) -> str:
    """Danish number: ``format_number(-1234.56, 1) == "−1.234,6"``."""
    if not math.isfinite(value):
        raise ValueError(f"cannot format non-finite value {value!r}")
    text = repr(float(value))
    whole, _, fraction = text.partition(".")
    if "e" in text or (len(fraction) == decimals + 1 and fraction[-1] == "5"):
        return _format_decimal(value, decimals)  # a tie (or tiny/huge): round half up exactly
    rounded = f"{abs(value):,.{decimals}f}"  # not a tie: the same as rounding the shortest repr
    danish = rounded.translate(_DANISH)
    return (MINUS + danish) if value < 0 and rounded.strip("0.,") else danish


def _format_decimal(value: float, decimals: int) -> str:
    q = Decimal(repr(float(value))).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )
    text = f"{abs(q):,.{decimals}f}".translate(_DANISH)
    return (MINUS + text) if q < 0 else text


def format_pct(p: float, decimals: int = 0) -> str:
    """A proportion as Danish per cent: ``format_pct(0.075, 1) == "7,5 %"``."""
    return f"{format_number(100.0 * p, decimals)} %"


def display_decimals(values, decimals: int, most: int = 3, against: float = 0.0) -> int:
    """The fewest decimals (from ``decimals`` up to ``most``) at which no value rounds onto
    ``against`` (0, or a target) or across it: an interval that excludes 0 never prints
    "0", and a limit just above a target never prints as the target itself."""
    # rounding moves a value by at most half a unit of the last decimal: one farther than two
    # units from ``against`` keeps its side at every d (floats below 1e12 are exact enough)
    far = 2.0 * 10.0 ** -decimals
    near = [v for v in values if not (abs(float(v)) < 1e12 and abs(float(against)) < 1e12
                                      and abs(float(v) - float(against)) > far)]
    ref = Decimal(repr(float(against)))
    for d in range(decimals, most + 1):
        scale = Decimal(1).scaleb(-d)
        if all(
            (Decimal(repr(float(v))).quantize(scale, rounding=ROUND_HALF_UP) - ref).compare(Decimal(0))
            == (Decimal(repr(float(v))) - ref).compare(Decimal(0))
            for v in near
        ):
            return d
    return most


def format_ci(
    low: float, high: float, decimals: int = 0, conf: float = 0.95, suffix: str = ""
) -> str:
    """``"95 % CI 3–11"``; written with "til" when an end is negative (``"95 % CI −20 til 12"``)."""
    lo, hi = format_number(low, decimals), format_number(high, decimals)
    sep = " til " if (lo.startswith(MINUS) or hi.startswith(MINUS)) else "\u2013"
    return f"{format_number(100.0 * conf, 0)} % CI {lo}{suffix}{sep}{hi}{suffix}"


def describe_difference(
    diff: float,
    ci_low: float,
    ci_high: float,
    p_value: float,
    reference: str,
    unit: str = "procentpoint",
    decimals: int = 0,
    alpha: float = 0.05,
    conf: float = 0.95,
    p_raw: float | None = None,
) -> str:
    """ "signifikant højere/lavere end {reference} (forskel …, 95 % CI …)" when
    ``p_value < alpha`` and the interval excludes 0, otherwise the chance wording. Pass
    an adjusted p-value (Holm/BH) when the comparison is one of many, and the raw one as
    ``p_raw``: a difference significant before but not after the correction (its
    interval excludes 0) says so ("efter korrektion for mange sammenligninger")."""
    detail = f"(forskel {format_number(diff, decimals)} {unit}, {format_ci(ci_low, ci_high, decimals, conf)})"
    excludes_zero = ci_low > 0 or ci_high < 0
    if p_value < alpha and diff != 0 and excludes_zero:
        direction = "højere" if diff > 0 else "lavere"
        return f"signifikant {direction} end {reference} {detail}"
    if p_raw is not None and p_raw < alpha and excludes_zero:
        return f"{CHANCE}, {AFTER_CORRECTION} {detail}"
    return f"{CHANCE} {detail}"


def describe_share_comparison(
    result: CompareSharesResult,
    reference: str,
    p_value: float | None = None,
    alpha: float = 0.05,
    decimals: int = 0,
) -> str:
    """Wording for :func:`analysis.compare_shares` (``p_value`` overrides, e.g. Holm-adjusted)."""
    p = result.p_value if p_value is None else p_value
    return describe_difference(
        result.diff_pp,
        result.ci_low_pp,
        result.ci_high_pp,
        p,
        reference,
        "procentpoint",
        decimals,
        alpha,
        result.conf,
    )


def describe_mean_comparison(
    result: WelchResult,
    reference: str,
    unit: str = "point",
    p_value: float | None = None,
    alpha: float = 0.05,
    decimals: int = 1,
) -> str:
    """Wording for :func:`analysis.welch_test`."""
    p = result.p_value if p_value is None else p_value
    return describe_difference(
        result.diff,
        result.ci_low,
        result.ci_high,
        p,
        reference,
        unit,
        decimals,
        alpha,
        result.conf,
    )


def describe_trend(
    result: TrendResult, per: str = "om året", alpha: float = 0.05, decimals: int = 1
) -> str:
    """ "signifikant stigende/faldende tendens (… procentpoint om året, 95 % CI …)"."""
    detail = (
        f"({format_number(result.slope_pp, decimals)} procentpoint {per}, "
        f"{format_ci(result.ci_low_pp, result.ci_high_pp, decimals, result.conf)})"
    )
    if result.p_value < alpha and result.slope_pp != 0:
        return f"signifikant {'stigende' if result.slope_pp > 0 else 'faldende'} tendens {detail}"
    return f"udviklingen ligger inden for, hvad tilfældigheder kan give {detail}"
