"""Staff accounts: ``users`` (roles, passwords, schools), ``login`` (throttled
sign-in, who is logged in), ``sessions`` (server-side console sessions) and
``access`` (what each role may do). May import ``surveys.db`` and the top-level
helpers (``errors``, ``hashing``, ``throttle``); no other domain.
"""

from __future__ import annotations

__all__: list[str] = []
