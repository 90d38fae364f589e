"""What every report chart shares: palette, style, figure margins, Danish ticks, rendering.

Charts are ``Figure`` objects on the Agg canvas, never pyplot. They read in
black-and-white print and for colour-blind readers: the Okabe-Ito palette
(Okabe & Ito 2008, "Color Universal Design"), hatching and marker shapes as
well as colour, distinct line styles, direct labels. Numbers use Danish
formatting (decimal comma, U+2212 minus) through :func:`analysis.format_number`.
Every function is synchronous CPU work: call it in a worker thread from async code.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg", force=False)

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from analysis.wording import format_number  # noqa: E402

__all__ = [
    "GREY",
    "OKABE_ITO",
    "REFERENCE_STYLES",
    "STYLE",
    "RefLine",
    "danish_formatter",
    "figure_with_margins",
    "label_width",
    "legend_rows",
    "render",
    "title",
    "unit_suffix",
    "value_axis",
    "value_text",
    "wrap",
    "zoomed_range",
]

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
GREY = "#BBBBBB"
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "trivsel",
    "hatch.linewidth": 0.6,
}
# published reference figures: (colour, line style, marker), one per source
REFERENCE_STYLES = (
    (OKABE_ITO["purple"], ":", "D"),
    (OKABE_ITO["orange"], (0, (5, 2, 1, 2, 1, 2)), "^"),
    ("#555555", (0, (1, 3)), "v"),
)


@dataclass(frozen=True, slots=True)
class RefLine:
    """A published figure to draw: ``label`` names source and year ("Skolebørnsundersøgelsen 2022")."""

    label: str
    year: int
    value: float
    low: float | None = None
    high: float | None = None


def danish_formatter(decimals: int = 0, suffix: str = "") -> FuncFormatter:
    """Tick labels with a decimal comma: 12.5 -> "12,5 %"."""
    return FuncFormatter(lambda value, _pos: format_number(value, decimals) + suffix)


def unit_suffix(unit: str) -> str:
    return " %" if unit == "%" else ""


def value_text(value: float, unit: str) -> str:
    """``35 %`` or ``3,6``."""
    return format_number(value, 0 if unit == "%" else 1) + unit_suffix(unit)


_CHAR_IN = 0.06  # average width of a character at 8 pt, in inches


def label_width(labels: Sequence[str]) -> float:
    """Inches needed for the longest (line of a) label at 8 pt."""
    longest = max((len(line) for label in labels for line in label.split("\n")), default=4)
    return 0.2 + _CHAR_IN * longest


def figure_with_margins(width: float, height: float, *, left: float, top: float, bottom: float = 0.4, right: float = 0.25):
    """A figure with one axes and fixed margins in inches (cheaper than a layout engine)."""
    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    figure.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height)
    return figure, ax


def title(figure: Figure, text: str) -> None:
    figure.text(0.1 / figure.get_figwidth(), 1 - 0.08 / figure.get_figheight(), text, ha="left", va="top",
                fontweight="bold", fontsize=9)


def legend_rows(count: int, columns: int) -> float:
    """Inches a legend of ``count`` entries in ``columns`` columns needs."""
    return 0.19 * -(-count // columns)


def render(figure: Figure, dpi: int = 200) -> tuple[bytes, bytes]:
    """PNG and SVG bytes of ``figure`` (metadata without dates, so output is reproducible)."""
    with matplotlib.rc_context(STYLE):
        png, svg = io.BytesIO(), io.BytesIO()
        figure.savefig(png, format="png", dpi=dpi, metadata={"Software": None})
        figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return png.getvalue(), svg.getvalue()


def value_axis(axis, unit: str, decimals: int) -> None:
    axis.set_major_formatter(danish_formatter(decimals, unit_suffix(unit)))


def zoomed_range(values: Iterable[float], scale: tuple[float, float], *, minimum: float | None = None) -> tuple[float, float]:
    """An axis range around ``values`` inside ``scale``: small differences on a 1–5 scale
    become visible. At least ``minimum`` wide (a tenth of the scale by default), on
    half-steps of a tenth of the scale."""
    low_end, high_end = scale
    values = [v for v in values if v is not None and math.isfinite(v)]
    if not values:
        return scale
    step = (high_end - low_end) / 20
    minimum = minimum if minimum is not None else (high_end - low_end) / 10
    lo, hi = min(values), max(values)
    pad = max((hi - lo) * 0.12, step / 2)
    lo, hi = lo - pad, hi + pad
    if hi - lo < minimum:
        middle = (lo + hi) / 2
        lo, hi = middle - minimum / 2, middle + minimum / 2
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    return max(low_end, lo), min(high_end, hi)


def wrap(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
