"""Theme-day (staff) charts: answer distributions and the priorities chosen."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
from matplotlib.figure import Figure

from analysis.wording import format_number

from .base import OKABE_ITO, STYLE, figure_with_margins, label_width, legend_rows, title, value_axis, wrap

__all__ = ["distribution_chart", "priority_chart"]


def distribution_chart(title_text: str, items: Sequence[tuple[str, Sequence[int]]], categories: Sequence[str]) -> Figure:
    """Stacked horizontal 100 % bars: one per item, one segment per answer category."""
    colours = [OKABE_ITO[k] for k in ("vermillion", "orange", "yellow", "sky_blue", "blue", "green", "purple")]
    hatches = ["xxx", "///", "", "...", "\\\\\\", "---", "ooo"]
    labels = [label for label, _ in items] if len(items) > 1 else [""]
    title_lines = title_text.count("\n") + 1
    top_margin = 0.25 + 0.17 * title_lines + legend_rows(len(categories), 3)
    with matplotlib.rc_context(STYLE):
        figure, ax = figure_with_margins(6.7, top_margin + 0.45 + 0.42 * len(items), left=max(0.4, label_width(labels)), top=top_margin)
        title(figure, title_text)
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
        value_axis(ax.xaxis, "%", 0)
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=min(len(categories), 3), frameon=False, fontsize=7,
                  borderaxespad=0.3)
    return figure


def priority_chart(title_text: str, options: Sequence[tuple[str, int]], respondents: int) -> Figure:
    """How many chose each development option, most chosen first (share of respondents)."""
    ordered = sorted(options, key=lambda o: -o[1])
    labels = [wrap(label, 60) for label, _ in ordered]
    top_margin = 0.2 + 0.17 * (title_text.count("\n") + 1)
    with matplotlib.rc_context(STYLE):
        figure, ax = figure_with_margins(6.7, top_margin + 0.45 + 0.24 * max(len(ordered), 2), left=label_width(labels), top=top_margin)
        title(figure, title_text)
        positions = list(range(len(ordered)))[::-1]
        shares = [100.0 * count / max(respondents, 1) for _, count in ordered]
        ax.barh(positions, shares, height=0.65, color=OKABE_ITO["blue"], edgecolor="black", linewidth=0.5)
        for y, share, (_label, count) in zip(positions, shares, ordered):
            ax.text(share + 1, y, f"{format_number(share, 0)} % ({count})", va="center", fontsize=6.5)
        ax.set_yticks(positions, labels)
        ax.set_xlim(0, min(100.0, max(shares + [10]) * 1.3))
        value_axis(ax.xaxis, "%", 0)
        ax.xaxis.grid(True, color="#DDDDDD", linewidth=0.5)
        ax.set_axisbelow(True)
    return figure
