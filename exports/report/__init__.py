"""The municipality report, per-school one-pagers and theme-day reports.

``build_report`` (in :mod:`exports.report.build`) takes the results table of
:func:`analysis.table.analyse` and writes HTML, PDF, JSON, CSV and charts; it
is synchronous CPU work (call it in a worker thread from async code).
"""

from __future__ import annotations

from .build import ReportFiles, build_report
from .content import Report
from .model import build_model

__all__ = ["Report", "ReportFiles", "build_model", "build_report"]
