"""Cleaning one line of text typed or imported by staff (names, labels, contacts)."""

from __future__ import annotations

import unicodedata

from surveys.errors import InvalidInput

__all__ = ["checked_line", "one_line"]


def one_line(value: str) -> str:
    """``value`` on one line: control characters (NUL, tabs, line breaks, escapes) become spaces,
    runs of whitespace one space, no space at either end.

    PostgreSQL refuses NUL in text and a terminal escape has no place in a school's name, so
    every name a person types or imports goes through here before it is stored.
    """
    cleaned = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    return " ".join(cleaned.split())


def checked_line(value: str, what: str, limit: int, *, field: str = "name", required: bool = True) -> str:
    """``one_line(value)``, or InvalidInput naming ``what`` when it is empty (and ``required``)
    or longer than ``limit`` characters (the column's length)."""
    value = one_line(value)
    if required and not value:
        raise InvalidInput(f"{what} mangler.", {field: "mangler"})
    if len(value) > limit:
        raise InvalidInput(f"{what} er for langt (højst {limit} tegn).", {field: f"for langt (højst {limit} tegn)"})
    return value
