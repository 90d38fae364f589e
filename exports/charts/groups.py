"""One indicator across groups (schools): bars for shares, a dot plot for scale means.

Each group's value stands in a column to the right of the plot (never at the
end of the interval whisker, where it reads as the whisker's end). Shares are
bars from 0 with 95 % interval whiskers; a scale mean (e.g. 1–5) is a dot with
its interval on a zoomed axis, because bars of 3,4–3,7 from 1 all look alike.
The municipality, the target and published reference figures are vertical lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .base import (
    GREY,
    OKABE_ITO,
    REFERENCE_STYLES,
    STYLE,
    RefLine,
    figure_with_margins,
    label_width,
    legend_rows,
    title,
    value_axis,
    value_text,
    wrap,
    zoomed_range,
)

__all__ = ["Bar", "school_chart"]

# (fill colour, hatch, dot marker) per comparison with the rest of the municipality
_LOOK = {
    "higher": (OKABE_ITO["vermillion"], "////", "s"),
    "lower": (OKABE_ITO["sky_blue"], "....", "D"),
    "same": (GREY, "", "o"),
}
_TEXT = {
    "higher": "signifikant højere end resten af kommunen",
    "lower": "signifikant lavere end resten af kommunen",
    "same": "forskellen ligger inden for, hvad tilfældigheder kan give",
}
_WIDTH = 6.7
_VALUE_COLUMN = 0.62  # inches right of the plot for the values


@dataclass(frozen=True, slots=True)
class Bar:
    """A group's bar or dot; ``hidden`` groups get ``hidden_text`` instead of numbers."""

    label: str
    estimate: float | None = None
    low: float | None = None
    high: float | None = None
    versus: str = "same"  # higher | lower | same
    hidden: bool = False
    hidden_text: str = ""  # its own label; the chart's ``hidden_text`` if empty


def school_chart(
    title_text: str,
    bars: Sequence[Bar],
    *,
    unit: str,
    municipality: float | None,
    target: float | None = None,
    target_label: str = "",
    hidden_text: str = "færre end 5 svar",
    scale: tuple[float, float] | None = None,
    references: Sequence[RefLine] = (),
) -> Figure:
    """Groups with 95 % intervals, their values in a column, the municipality, target and reference lines.
    With ``scale`` (a mean's range, e.g. (1, 5)) it is a dot plot on a zoomed axis."""
    decimals = 0 if unit == "%" else 1
    dots = scale is not None
    labels = [wrap(b.label, 34) for b in bars]
    shown = [(y, b) for y, b in zip(range(len(bars) - 1, -1, -1), bars) if not b.hidden and b.estimate is not None]
    used = [k for k in ("higher", "lower", "same") if any(b.versus == k for _, b in shown)]
    n_legend = len(used) + (municipality is not None) + (target is not None) + len(references)
    top_margin = 0.42 + legend_rows(n_legend, 2)
    bottom = 0.55 if dots else 0.4
    left = label_width(labels)
    with matplotlib.rc_context(STYLE):
        height = top_margin + bottom + 0.2 * max(len(bars), 3)
        figure, ax = figure_with_margins(_WIDTH, height, left=left, top=top_margin, bottom=bottom, right=_VALUE_COLUMN)
        title(figure, title_text)
        lines = [v for v in (municipality, target, *(r.value for r in references)) if v is not None]
        if dots:
            lo_lim, hi_lim = zoomed_range([*(b.low for _, b in shown), *(b.high for _, b in shown), *lines], scale)
        else:
            top = max([*(b.high for _, b in shown), *lines, 1])
            lo_lim, hi_lim = 0.0, (min(100.0, top * 1.2 + 2) if unit == "%" else top * 1.2)
        pad = 0.01 * (hi_lim - lo_lim)
        for y, bar in zip(range(len(bars) - 1, -1, -1), bars):
            if bar.hidden or bar.estimate is None:
                ax.text(lo_lim + pad, y, bar.hidden_text or hidden_text, va="center", fontsize=7, style="italic")
        for key in used:
            group = [(y, b) for y, b in shown if b.versus == key]
            colour, hatch, marker = _LOOK[key]
            xs, ys = [b.estimate for _, b in group], [y for y, _ in group]
            errors = [[b.estimate - b.low for _, b in group], [b.high - b.estimate for _, b in group]]
            if dots:
                ax.errorbar(xs, ys, xerr=errors, fmt=marker, color="black", markerfacecolor=colour, markeredgecolor="black",
                            markersize=5.5, elinewidth=0.9, capsize=2.5, zorder=3)
            else:
                ax.barh(ys, xs, height=0.7, color=colour, hatch=hatch, edgecolor="black", linewidth=0.5)
                ax.errorbar(xs, ys, xerr=errors, fmt="none", ecolor="black", elinewidth=0.8, capsize=2)
        value_column = ax.get_yaxis_transform()
        ax.text(1.02, len(bars) - 0.45, "Andel" if unit == "%" else "Gns.", transform=value_column, fontsize=6.5,
                fontweight="bold", va="bottom", clip_on=False)
        for y, bar in shown:
            ax.text(1.02, y, value_text(bar.estimate, unit), transform=value_column, va="center", fontsize=7, clip_on=False)
        handles = _lines(ax, municipality, target, target_label, references, unit)
        for key in used:
            colour, hatch, marker = _LOOK[key]
            if dots:
                handles.append(Line2D([], [], color="black", marker=marker, markerfacecolor=colour, linestyle="none",
                                      label=_TEXT[key]))
            else:
                handles.append(Patch(facecolor=colour, hatch=hatch, edgecolor="black", linewidth=0.5, label=_TEXT[key]))
        ax.set_yticks(range(len(bars) - 1, -1, -1), labels)
        ax.set_ylim(-0.7, len(bars) - 0.3)
        ax.set_xlim(lo_lim, hi_lim)
        value_axis(ax.xaxis, unit, decimals)
        if dots:
            ax.set_xlabel(f"Aksen er forstørret: skalaen går fra {value_text(scale[0], unit)} til {value_text(scale[1], unit)}",
                          fontsize=6.5)
        ax.xaxis.grid(True, color="#DDDDDD", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(-left / _WIDTH * 0.9, 1.0), ncols=2,
                  frameon=False, fontsize=7, borderaxespad=0.3)
    return figure


def _lines(ax, municipality, target, target_label, references, unit) -> list:
    handles = []
    if municipality is not None:
        ax.axvline(municipality, color="black", linestyle="--", linewidth=1)
        handles.append(Line2D([], [], color="black", linestyle="--", label=f"Kommunen: {value_text(municipality, unit)}"))
    if target is not None:
        ax.axvline(target, color=OKABE_ITO["green"], linestyle="-.", linewidth=1.4)
        handles.append(Line2D([], [], color=OKABE_ITO["green"], linestyle="-.", linewidth=1.4, label=target_label or "Mål"))
    for ref, (colour, style, _marker) in zip(references, REFERENCE_STYLES):
        ax.axvline(ref.value, color=colour, linestyle=style, linewidth=1.5)
        handles.append(Line2D([], [], color=colour, linestyle=style, linewidth=1.5,
                              label=f"{ref.label}: {value_text(ref.value, unit)}"))
    return handles
