"""Report charts with matplotlib: ``Figure`` objects on the Agg canvas, never pyplot.

Readable in black-and-white print and for colour-blind readers: the Okabe-Ito
palette (Okabe & Ito 2008, "Color Universal Design"), hatching on bars that
differ from the rest, distinct line styles and markers, and direct labels.
Numbers use Danish formatting (decimal comma, U+2212 minus) through
:func:`analysis.format_number`. Every function is synchronous CPU work: call it
in a worker thread from async code.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg", force=False)

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from analysis.wording import format_number  # noqa: E402

__all__ = [
    "OKABE_ITO",
    "Bar",
    "TrendPoint",
    "danish_formatter",
    "distribution_chart",
    "priority_chart",
    "render",
    "school_chart",
    "trend_chart",
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
_STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "trivsel",
    "hatch.linewidth": 0.6,
}
# (fill colour, hatch) per comparison with the rest of the municipality
_BAR = {
    "higher": (OKABE_ITO["vermillion"], "////"),
    "lower": (OKABE_ITO["sky_blue"], "...."),
    "same": (GREY, ""),
}
_BAR_TEXT = {
    "higher": "signifikant højere end resten af kommunen",
    "lower": "signifikant lavere end resten af kommunen",
    "same": "forskellen ligger inden for, hvad tilfældigheder kan give",
}


@dataclass(frozen=True, slots=True)
class Bar:
    """A group's bar; ``hidden`` groups get ``hidden_text`` instead of numbers."""

    label: str
    estimate: float | None = None
    low: float | None = None
    high: float | None = None
    versus: str = "same"  # higher | lower | same
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class TrendPoint:
    year: int
    estimate: float
    low: float
    high: float


def danish_formatter(decimals: int = 0, suffix: str = "") -> FuncFormatter:
    """Tick labels with a decimal comma: 12.5 -> "12,5 %"."""
    return FuncFormatter(lambda value, _pos: format_number(value, decimals) + suffix)


_CHAR_IN = 0.06  # average width of a character at 8 pt, in inches


def _label_width(labels: Sequence[str]) -> float:
    """Inches needed for the longest (line of a) label at 8 pt."""
    longest = max((len(line) for label in labels for line in label.split("\n")), default=4)
    return 0.2 + _CHAR_IN * longest


def _figure(width: float, height: float, *, left: float, top: float, bottom: float = 0.4, right: float = 0.25):
    """A figure with one axes and fixed margins in inches (cheaper than a layout engine)."""
    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    figure.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height)
    return figure, ax


def _title(figure: Figure, title: str) -> None:
    figure.text(0.1 / figure.get_figwidth(), 1 - 0.08 / figure.get_figheight(), title, ha="left", va="top",
                fontweight="bold", fontsize=9)


def _legend_rows(count: int, columns: int) -> float:
    return 0.19 * -(-count // columns)


def render(figure: Figure, dpi: int = 200) -> tuple[bytes, bytes]:
    """PNG and SVG bytes of ``figure`` (metadata without dates, so output is reproducible)."""
    with matplotlib.rc_context(_STYLE):
        png, svg = io.BytesIO(), io.BytesIO()
        figure.savefig(png, format="png", dpi=dpi, metadata={"Software": None})
        figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return png.getvalue(), svg.getvalue()


def _value_axis(axis, unit: str, decimals: int) -> None:
    axis.set_major_formatter(danish_formatter(decimals, " %" if unit == "%" else ""))


def school_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    unit: str,
    municipality: float | None,
    target: float | None = None,
    target_label: str = "",
    hidden_text: str = "færre end 5 svar",
    scale: tuple[float, float] | None = None,
) -> Figure:
    """Horizontal bars per group with 95 % CI error bars, the municipality line and the target."""
    decimals = 0 if unit == "%" else 1
    labels = [_wrap(b.label, 34) for b in bars]
    used = [k for k in ("higher", "lower", "same") if any(b.versus == k and not b.hidden and b.estimate is not None for b in bars)]
    n_legend = len(used) + (municipality is not None) + (target is not None)
    top_margin = 0.4 + _legend_rows(n_legend, 2)
    with matplotlib.rc_context(_STYLE):
        height = top_margin + 0.45 + 0.2 * max(len(bars), 3)
        figure, ax = _figure(6.7, height, left=_label_width(labels), top=top_margin)
        _title(figure, title)
        positions = list(range(len(bars)))[::-1]
        highs = [b.high for b in bars if not b.hidden and b.high is not None]
        top = max([*highs, municipality or 0, target or 0, 1])
        if scale is not None:
            lo_lim, hi_lim = scale
        else:
            lo_lim, hi_lim = 0.0, (min(100.0, top * 1.25 + 2) if unit == "%" else top * 1.2)
        pad = 0.01 * (hi_lim - lo_lim)
        shown = [(y, b) for y, b in zip(positions, bars) if not b.hidden and b.estimate is not None]
        for y, bar in zip(positions, bars):
            if bar.hidden or bar.estimate is None:
                ax.text(lo_lim + pad, y, hidden_text, va="center", fontsize=7, style="italic")
        for key in used:
            group = [(y, b) for y, b in shown if b.versus == key]
            colour, hatch = _BAR[key]
            ax.barh([y for y, _ in group], [b.estimate - lo_lim for _, b in group], left=lo_lim, height=0.7,
                    color=colour, hatch=hatch, edgecolor="black", linewidth=0.5)
        if shown:
            ax.errorbar(
                [b.estimate for _, b in shown], [y for y, _ in shown],
                xerr=[[b.estimate - b.low for _, b in shown], [b.high - b.estimate for _, b in shown]],
                fmt="none", ecolor="black", elinewidth=0.8, capsize=2,
            )
        for y, bar in shown:
            ax.text(bar.high + pad, y, format_number(bar.estimate, decimals), va="center", fontsize=6.5)
        handles = []
        if municipality is not None:
            ax.axvline(municipality, color="black", linestyle="--", linewidth=1)
            handles.append(Line2D([], [], color="black", linestyle="--", label=f"Kommunen: {format_number(municipality, decimals)}{' %' if unit == '%' else ''}"))
        if target is not None:
            ax.axvline(target, color=OKABE_ITO["green"], linestyle="-.", linewidth=1.4)
            handles.append(Line2D([], [], color=OKABE_ITO["green"], linestyle="-.", linewidth=1.4, label=target_label or "Mål"))
        for key in used:
            colour, hatch = _BAR[key]
            handles.append(Patch(facecolor=colour, hatch=hatch, edgecolor="black", linewidth=0.5, label=_BAR_TEXT[key]))
        ax.set_yticks(positions, labels)
        ax.set_ylim(-0.7, len(bars) - 0.3)
        ax.set_xlim(lo_lim, hi_lim)
        _value_axis(ax.xaxis, unit, decimals)
        ax.xaxis.grid(True, color="#DDDDDD", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(-_label_width(labels) / 6.7 * 0.9, 1.0), ncols=2,
                  frameon=False, fontsize=7, borderaxespad=0.3)
    return figure


def trend_chart(
    title: str,
    points: Sequence[TrendPoint],
    *,
    unit: str,
    target: float | None = None,
    target_label: str = "",
    scale: tuple[float, float] | None = None,
) -> Figure:
    """The municipality over the years: estimate with markers, 95 % CI band, target line.
    ``scale`` fixes the value axis (e.g. 1-5 for a scale mean); shares start at 0."""
    decimals = 0 if unit == "%" else 1
    with matplotlib.rc_context(_STYLE):
        figure, ax = _figure(6.7, 2.6, left=0.7, top=0.62)
        _title(figure, title)
        years = [p.year for p in points]
        if points:
            ax.fill_between(
                years, [p.low for p in points], [p.high for p in points],
                color=OKABE_ITO["sky_blue"], alpha=0.35, hatch="...", edgecolor=OKABE_ITO["blue"], linewidth=0,
                label="95 % sikkerhedsinterval",
            )
            ax.plot(years, [p.estimate for p in points], color=OKABE_ITO["blue"], marker="o", markersize=4, linewidth=1.5,
                    markeredgecolor="black", label="Kommunen")
            for p in points:
                ax.annotate(format_number(p.estimate, decimals), (p.year, p.estimate), textcoords="offset points",
                            xytext=(0, 6), ha="center", fontsize=7)
        if target is not None:
            ax.axhline(target, color=OKABE_ITO["green"], linestyle="-.", linewidth=1.4, label=target_label or "Mål")
        values = [p.high for p in points] + ([target] if target is not None else [])
        top = max(values + [1])
        if scale is not None:
            ax.set_ylim(*scale)
        else:
            ax.set_ylim(0, min(100.0, top * 1.25 + 2) if unit == "%" else top * 1.2)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: str(int(round(v)))))
        if years:
            ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
        _value_axis(ax.yaxis, unit, decimals)
        ax.yaxis.grid(True, color="#DDDDDD", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.legend(loc="lower left", bbox_to_anchor=(-0.05, 1.0), ncols=3, frameon=False, fontsize=7, borderaxespad=0.3)
    return figure


def distribution_chart(title: str, items: Sequence[tuple[str, Sequence[int]]], categories: Sequence[str]) -> Figure:
    """Stacked horizontal 100 % bars: one per item, one segment per answer category."""
    colours = [OKABE_ITO[k] for k in ("vermillion", "orange", "yellow", "sky_blue", "blue", "green", "purple")]
    hatches = ["xxx", "///", "", "...", "\\\\\\", "---", "ooo"]
    labels = [label for label, _ in items] if len(items) > 1 else [""]
    title_lines = title.count("\n") + 1
    top_margin = 0.25 + 0.17 * title_lines + _legend_rows(len(categories), 3)
    with matplotlib.rc_context(_STYLE):
        figure, ax = _figure(6.7, top_margin + 0.45 + 0.42 * len(items), left=max(0.4, _label_width(labels)), top=top_margin)
        _title(figure, title)
        positions = list(range(len(items)))[::-1]
        for y, (_label, counts) in zip(positions, items):
            total = sum(counts) or 1
            left = 0.0
            for k, count in enumerate(counts):
                share = 100.0 * count / total
                ax.barh(y, share, left=left, height=0.65, color=colours[k % len(colours)], hatch=hatches[k % len(hatches)],
                        edgecolor="black", linewidth=0.5, label=categories[k] if y == positions[0] else None)
                if share >= 7:
                    ax.text(left + share / 2, y, format_number(share, 0), ha="center", va="center", fontsize=6.5,
                            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
                left += share
        ax.set_yticks(positions, labels)
        ax.set_ylim(-0.6, len(items) - 0.4)
        ax.set_xlim(0, 100)
        _value_axis(ax.xaxis, "%", 0)
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=min(len(categories), 3), frameon=False, fontsize=7,
                  borderaxespad=0.3)
    return figure


def priority_chart(title: str, options: Sequence[tuple[str, int]], respondents: int) -> Figure:
    """How many chose each development option, most chosen first (share of respondents)."""
    ordered = sorted(options, key=lambda o: -o[1])
    labels = [_wrap(label, 60) for label, _ in ordered]
    top_margin = 0.2 + 0.17 * (title.count("\n") + 1)
    with matplotlib.rc_context(_STYLE):
        figure, ax = _figure(6.7, top_margin + 0.45 + 0.24 * max(len(ordered), 2), left=_label_width(labels), top=top_margin)
        _title(figure, title)
        positions = list(range(len(ordered)))[::-1]
        shares = [100.0 * count / max(respondents, 1) for _, count in ordered]
        ax.barh(positions, shares, height=0.65, color=OKABE_ITO["blue"], edgecolor="black", linewidth=0.5)
        for y, share, (_label, count) in zip(positions, shares, ordered):
            ax.text(share + 1, y, f"{format_number(share, 0)} % ({count})", va="center", fontsize=6.5)
        ax.set_yticks(positions, labels)
        ax.set_xlim(0, min(100.0, max(shares + [10]) * 1.3))
        _value_axis(ax.xaxis, "%", 0)
        ax.xaxis.grid(True, color="#DDDDDD", linewidth=0.5)
        ax.set_axisbelow(True)
    return figure


def _wrap(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
