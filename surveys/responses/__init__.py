"""Stored responses in bulk: ``csv_format`` (the response CSV, defined once),
``importing`` (all-or-nothing imports), ``frame`` (reading responses into an
``analysis.frame.ResponseFrame``), ``synthetic`` (demo data with planted
effects) and ``comparability`` (which years an indicator is compared across,
from the stored instrument versions). May import ``surveys.db``, ``surveys.instruments``,
``surveys.organisation``, the top-level helpers and ``analysis``.
"""

from __future__ import annotations

__all__: list[str] = []
