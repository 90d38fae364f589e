"""Report charts with matplotlib (``Figure`` objects on the Agg canvas, never pyplot).

:mod:`.groups` draws one indicator across schools, :mod:`.trend` the
municipality over the years, :mod:`.staff` the theme-day charts; :mod:`.base`
holds the palette, style and rendering they share. The report model names a
chart by its function here (``Chart.kind``).
"""

from __future__ import annotations

from .base import OKABE_ITO, RefLine, danish_formatter, render, zoomed_range
from .groups import Bar, school_chart
from .staff import distribution_chart, priority_chart
from .trend import TrendPoint, trend_chart

__all__ = [
    "OKABE_ITO",
    "Bar",
    "RefLine",
    "TrendPoint",
    "danish_formatter",
    "distribution_chart",
    "priority_chart",
    "render",
    "school_chart",
    "trend_chart",
    "zoomed_range",
]
