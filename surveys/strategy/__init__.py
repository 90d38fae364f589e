"""The municipality's strategy: its targets for the indicators and published figures to compare with.

One service per rule, used by the CLI, the console and the report alike:
``targets`` (a target per indicator, set in the console; the instrument's
target is the default), ``references`` (reference figures imported from CSV,
e.g. national figures from Skolebørnsundersøgelsen or Ungeprofilen) and
``reference_csv`` (that CSV format). May import ``surveys.db``,
``surveys.instruments`` and the top-level helpers (``errors``, ``text``).
"""

from __future__ import annotations

__all__: list[str] = []
