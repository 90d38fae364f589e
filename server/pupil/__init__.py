"""The pupils' and staff's answering flow over HTTP (``/s/``, ``/k``): ``routes``
(thin handlers around ``surveys.answering``) and ``views`` (rendering pages
and partials)."""

from __future__ import annotations

__all__: list[str] = []
