"""File names made from names people typed: schools, classes, events, in any script.

One rule for every file trivsel names (downloads in the console, the report's per-school and
per-event files): letters and digits of any script are kept (``Łódź``, ``Україна``, ``النور``),
everything else becomes ``-``, so no name can climb out of a folder, break a header or hide an
extension. :func:`ascii_name` gives the plain-ASCII spelling that old clients need beside it
(RFC 6266's ``filename`` fallback): Danish and other Latin letters are spelled out, other scripts
drop out and leave the fixed words of the name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["ascii_name", "file_name", "file_stem", "unique_stem"]

_MAX_PART = 60
# Letters that NFKD does not take apart into a base letter and a mark.
_SPELLED = str.maketrans({
    "æ": "ae", "Æ": "Ae", "ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa", "ß": "ss", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "œ": "oe", "Œ": "Oe", "ı": "i",
})
# Names Windows will not create, whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}


def _dashes(text: str) -> str:
    return re.sub(r"-{2,}", "-", text).strip("-")


def file_stem(text: str) -> str:
    """``Łódź Skole`` → ``łódź-skole``: lower case, letters, digits and marks of any script, ``-`` between."""
    text = unicodedata.normalize("NFC", text).lower()
    kept = "".join(ch if ch.isalnum() or unicodedata.category(ch).startswith("M") else "-" for ch in text)
    stem = _dashes(kept)[:_MAX_PART].strip("-")
    return f"{stem}-" if stem in _RESERVED else stem


def ascii_name(name: str) -> str:
    """The ASCII spelling of a file name: ``sedler-ærø-7-a.pdf`` → ``sedler-aeroe-7-a.pdf``."""
    spelled = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", name).translate(_SPELLED))
    plain = "".join(ch for ch in spelled if not unicodedata.combining(ch))
    stem, dot, extension = plain.rpartition(".") if "." in plain else (plain, "", "")
    cleaned = _dashes(re.sub(r"[^A-Za-z0-9-]+", "-", stem))
    return f"{cleaned or 'fil'}{dot}{re.sub(r'[^A-Za-z0-9]', '', extension)}"


def file_name(parts: Iterable[str], extension: str) -> str:
    """``file_name(["sedler", "Łódź Skole", "7.a"], "pdf")`` → ``sedler-łódź-skole-7-a.pdf``."""
    stems = [stem for stem in (file_stem(part) for part in parts) if stem]
    return f"{'-'.join(stems) or 'fil'}.{extension}"


def unique_stem(stem: str, taken: set[str]) -> str:
    """``stem``, or ``stem-2``, ``stem-3``, … if it is taken; the result is added to ``taken``."""
    candidate, number = stem, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}"
    taken.add(candidate)
    return candidate
