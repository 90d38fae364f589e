"""Answering a questionnaire through a single-use link, and handing links out.

``service`` (the answering flow: open, save a page, submit exactly once, enter
a typed code), ``form`` (reading a page's answers), ``links``/``issuing``
(signed tokens, codes and batches of links), ``code_sessions`` (``/k`` flow
tokens), ``class_sessions`` (one projected QR per class), ``progress``
(answer counts per school and class), ``release`` (what closing a wave or
event releases, the hourly sweep) and ``store/`` (the hot-path SQL on
PostgreSQL and SQLite, sealed drafts and held answers). May import ``surveys.db``, ``surveys.instruments`` and
the top-level helpers (``errors``, ``hashing``, ``throttle``); no other domain.
"""

from __future__ import annotations

__all__: list[str] = []
