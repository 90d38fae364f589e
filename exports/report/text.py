"""Danish formatting shared by the report's HTML and PDF."""

from __future__ import annotations

from analysis.disclosure import small_label
from analysis.wording import MINUS, format_number
from exports.filenames import file_stem

__all__ = ["NBSP", "TEST_NAMES", "count_text", "danish_date", "hidden_text", "p_text", "range_decimals", "range_text", "slug", "value_text"]

TEST_NAMES = {
    "design-t": "t-test for klyngedata",
    "design-trend": "lineær tendens (t-test for klyngedata)",
    "rao-scott": "Rao-Scott-korrigeret χ²-test",
    "rao-scott-means": "Rao-Scott-korrigeret F-test",
    "chi2": "χ²-test",
    "fisher": "Fishers eksakte test",
    "mann-whitney": "Mann-Whitney-test",
    "welch": "Welchs t-test",
    "cochran-armitage": "Cochran-Armitage-test for tendens",
    "linear-trend-t": "lineær tendens (t-test)",
    "ci-target": "sikkerhedsinterval mod målet",
    "one-sample-z": "z-test mod et offentliggjort tal (med dets usikkerhed)",
}


def hidden_text(threshold: int) -> str:
    """What a group with fewer answers than the threshold shows instead of numbers
    (:func:`analysis.disclosure.small_label`; a group hidden to protect another says so instead)."""
    return small_label(threshold)


NBSP = "\u00a0"


def value_text(value: float, share: bool) -> str:
    """``21 %`` for a share (in per cent), ``3,8`` for a mean (no line break before "%")."""
    return format_number(value, 0 if share else 1) + (f"{NBSP}%" if share else "")


def range_decimals(low: float, high: float, share: bool) -> int:
    """Whole per cent or one decimal, plus up to two more where the two ends would print alike ("3,56–3,64")."""
    decimals = 0 if share else 1
    while decimals < 2 and low < high and format_number(low, decimals) == format_number(high, decimals):
        decimals += 1
    return decimals


def range_text(low: float | None, high: float | None, share: bool) -> str:
    """An interval for a table column headed "95 % CI": ``17–26 %``, ``3,3–3,6`` or ``−2 til 4``;
    no interval (every answer the same) says so instead of "7,0–7,0"."""
    if low is None or high is None:
        return "ingen variation"
    decimals = range_decimals(low, high, share)
    lo, hi = format_number(low, decimals), format_number(high, decimals)
    sep = " til " if lo.startswith(MINUS) or hi.startswith(MINUS) else "–"
    return f"{lo}{sep}{hi}" + (f"{NBSP}%" if share else "")


def p_text(p: float) -> str:
    """``p = 0,012`` or ``p < 0,001``."""
    return "p < 0,001" if p < 0.001 else f"p = {format_number(p, 3)}"


def slug(text: str) -> str:
    """A file-name-safe version of ``text`` in any script (``exports.filenames.file_stem``)."""
    return file_stem(text) or "x"


_MONTHS = "januar februar marts april maj juni juli august september oktober november december".split()


def danish_date(day) -> str:
    """``24. november 2025``."""
    return f"{day.day}. {_MONTHS[day.month - 1]} {day.year}"


def count_text(n: int) -> str:
    """``12.345`` (Danish thousands separator)."""
    return f"{n:,}".replace(",", ".")
