"""Files and reports, no HTTP: response exports (CSV, XLSX, SPSS, Stata) with a
codebook, QR slips, charts and ``report/`` (the municipality report). May import
``surveys`` and ``analysis``."""

from __future__ import annotations

__all__: list[str] = []
