"""The municipality over the years, with the target and published reference figures.

Estimates with markers and their values above them, the 95 % interval as a
band, the target as a line (and a star in its target year, so a target whose
year has passed is seen where it was due), and reference figures (national,
regional or the strategy's own baseline, e.g. Faxe's 36 % in 2010) as markers
in their years with a dotted line at the newest. A scale mean gets a zoomed
axis, saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis.wording import format_number

from .base import (
    OKABE_ITO,
    REFERENCE_STYLES,
    STYLE,
    RefLine,
    figure_with_margins,
    legend_rows,
    title,
    value_axis,
    value_text,
    zoomed_range,
)

__all__ = ["TrendPoint", "trend_chart"]

# a target or reference year further than this from the data stays off the axis
_REACH = 16


@dataclass(frozen=True, slots=True)
class TrendPoint:
    year: int
    estimate: float
    low: float
    high: float


def trend_chart(
    title_text: str,
    points: Sequence[TrendPoint],
    *,
    unit: str,
    target: float | None = None,
    target_label: str = "",
    target_year: int | None = None,
    scale: tuple[float, float] | None = None,
    references: Sequence[RefLine] = (),
) -> Figure:
    """The estimate per year with its band; ``scale`` (a mean's range) zooms the value axis."""
    decimals = 0 if unit == "%" else 1
    years = [p.year for p in points]
    near = (lambda y: bool(years) and min(years) - _REACH <= y <= max(years) + _REACH)
    sources = _by_source(references)
    n_legend = 2 + (target is not None) + len(sources)
    top_margin = 0.42 + legend_rows(n_legend, 2)
    bottom = 0.55 if scale is not None else 0.4
    with matplotlib.rc_context(STYLE):
        figure, ax = figure_with_margins(6.7, top_margin + bottom + 1.45, left=0.7, top=top_margin, bottom=bottom)
        title(figure, title_text)
        if points:
            ax.fill_between(years, [p.low for p in points], [p.high for p in points], color=OKABE_ITO["sky_blue"],
                            alpha=0.35, hatch="...", edgecolor=OKABE_ITO["blue"], linewidth=0, label="95 % sikkerhedsinterval")
            ax.plot(years, [p.estimate for p in points], color=OKABE_ITO["blue"], marker="o", markersize=4, linewidth=1.5,
                    markeredgecolor="black", label="Kommunen")
            for p in points:
                ax.annotate(format_number(p.estimate, decimals), (p.year, p.estimate), textcoords="offset points",
                            xytext=(0, 6), ha="center", fontsize=7)
        shown_years = list(years)
        levels = []  # the newest figure of each source, drawn as a level from its year on
        values = [v for p in points for v in (p.low, p.high)]
        if target is not None:
            ax.axhline(target, color=OKABE_ITO["green"], linestyle="-.", linewidth=1.4, label=target_label or "Mål")
            values.append(target)
            if target_year is not None and near(target_year):
                ax.plot([target_year], [target], marker="*", markersize=10, color=OKABE_ITO["green"],
                        markeredgecolor="black", linestyle="none")
                shown_years.append(target_year)
        for (label, figures), (colour, style, marker) in zip(sources.items(), REFERENCE_STYLES):
            newest = figures[-1]
            levels.append((newest, colour, style))
            inside = [f for f in figures if near(f.year)]
            for f in inside:
                low = f.value - f.low if f.low is not None else 0
                high = f.high - f.value if f.high is not None else 0
                ax.errorbar([f.year], [f.value], yerr=[[low], [high]], fmt=marker, color=colour, markeredgecolor="black",
                            markersize=5, elinewidth=0.9, capsize=2)
            shown_years += [f.year for f in inside]
            values += [f.value for f in figures]
            ax.plot([], [], color=colour, linestyle=style, marker=marker, markeredgecolor="black",
                    label=f"{label}: {', '.join(f'{value_text(f.value, unit)} i {f.year}' for f in figures[-2:])}")
        _value_range(ax, values, unit, scale)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: str(int(round(v)))))
        if shown_years:
            ax.set_xlim(min(shown_years) - 0.5, max(shown_years) + 0.5)
        right = ax.get_xlim()[1]
        for newest, colour, style in levels:
            ax.plot([max(newest.year, ax.get_xlim()[0]), right], [newest.value] * 2, color=colour, linestyle=style,
                    linewidth=1.3)
        value_axis(ax.yaxis, unit, decimals)
        ax.yaxis.grid(True, color="#DDDDDD", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.legend(loc="lower left", bbox_to_anchor=(-0.1, 1.0), ncols=2, frameon=False, fontsize=7, borderaxespad=0.3)
    return figure


def _by_source(references: Sequence[RefLine]) -> dict[str, list[RefLine]]:
    """Figures per source (at most as many sources as there are styles), oldest first."""
    sources: dict[str, list[RefLine]] = {}
    for ref in sorted(references, key=lambda r: r.year):
        sources.setdefault(ref.label, []).append(ref)
    return dict(list(sources.items())[: len(REFERENCE_STYLES)])


def _value_range(ax, values: list[float], unit: str, scale: tuple[float, float] | None) -> None:
    if scale is not None:
        ax.set_ylim(*zoomed_range(values, scale))
        ax.set_xlabel(f"Aksen er forstørret: skalaen går fra {value_text(scale[0], unit)} til {value_text(scale[1], unit)}",
                      fontsize=6.5)
        return
    top = max(values + [1])
    ax.set_ylim(0, min(100.0, top * 1.2 + 2) if unit == "%" else top * 1.2)
