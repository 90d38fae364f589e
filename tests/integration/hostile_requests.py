"""What a hostile case is (:class:`Case`) and the payloads the cases share."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CLIENT_ERROR", "IMG", "RAW_MARKERS", "SQLI", "SVG", "XSS", "Case"]

XSS = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = "<svg/onload=alert(1)>"
SQLI = "' OR '1'='1'; DROP TABLE response; --"
RAW_MARKERS = (XSS, IMG, SVG, "<script>alert", "onerror=alert(1)>")

CLIENT_ERROR = (400, 499)


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    who: str = "anon"  # anon | admin | coordinator | analyst | teacher
    data: dict | list | None = None  # form fields (values may hold placeholders)
    content: bytes | None = None  # a raw body instead of form fields
    files: dict | None = None
    headers: dict = field(default_factory=dict)
    csrf: bool = True  # console POSTs carry the client's CSRF token unless False
    status: tuple[int, int] | int = CLIENT_ERROR
    stored: bool = False  # accepted: may store rows
    then: str | None = None  # GET this afterwards: the echo there must be escaped
    location: str | None = None  # a 3xx must point here
