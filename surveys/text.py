"""Cleaning one line of text typed or imported by staff (names, labels, contacts)."""

from __future__ import annotations

import unicodedata

__all__ = ["one_line"]


def one_line(value: str) -> str:
    """``value`` on one line: control characters (NUL, tabs, line breaks, escapes) become spaces,
    runs of whitespace one space, no space at either end.

    PostgreSQL refuses NUL in text and a terminal escape has no place in a school's name, so
    every name a person types or imports goes through here before it is stored.
    """
    cleaned = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    return " ".join(cleaned.split())
