"""Cell values for spreadsheets: formula neutralisation and Danish number text.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return as a formula (OWASP "CSV injection"). Text cells that
start so get a leading apostrophe, which Excel and LibreOffice show as plain
text and never evaluate. Only *text* is touched: numbers (including negative
ones) are written as numbers and stay numbers.
"""

from __future__ import annotations

import math

__all__ = ["FORMULA_STARTS", "cell_text", "is_risky", "neutralise"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(text: str) -> bool:
    """True if a spreadsheet could read ``text`` as a formula."""
    return text.startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """``text`` made inert for spreadsheets: ``"=1+1"`` becomes ``"'=1+1"``."""
    return "'" + text if is_risky(text) else text


def cell_text(value: object, *, decimal_comma: bool = False) -> str:
    """A value as CSV cell text: ``None`` is empty, numbers are plain numbers
    (with a decimal comma if asked), text is neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        text = repr(value) if value != int(value) else str(int(value))
        return text.replace(".", ",") if decimal_comma else text
    return neutralise(str(value))
