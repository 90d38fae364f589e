"""The municipality and what surveys are held in: schools, classes, waves, theme days.

One service per rule, used by the CLI and the console alike: ``schools``
(schools and classes), ``waves`` (waves and events), ``municipality`` (the
installation's municipality and its settings) and ``school_import`` (CSV
import of schools and classes). May import ``surveys.db``,
``surveys.instruments`` and the top-level helpers (``errors``, ``text``).
"""

from __future__ import annotations

__all__: list[str] = []
