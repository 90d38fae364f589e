"""One page per school for its leaders: the school against the rest of the municipality and its own earlier years."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .content import SchoolLine, SchoolPage
from .story import Context
from .text import range_text, value_text

__all__ = ["school_page"]


def _conclusion(ctx: Context, row: Any | None) -> str:
    if row is None:
        return "–"
    if row.suppressed:
        return f"skjult, fordi en af grupperne har {ctx.hidden}"
    return row.conclusion[:1].upper() + row.conclusion[1:]


def school_page(ctx: Context, indicators: Sequence[Any], school: str) -> SchoolPage:
    """The school's page in the latest year (hidden cells show only the hidden text)."""
    lines, sizes = [], []
    for ind in indicators:
        row = ctx.rows.get(ind.id, "school", school, ctx.latest, "estimate")
        if row is None:
            continue
        share = ind.kind == "share"
        if row.suppressed or row.estimate is None:
            lines.append(SchoolLine(ind.labelled("da"), share, ctx.hidden, "", "", "", "", True))
            continue
        sizes.append(row.n)
        vs_rest = ctx.rows.get(ind.id, "school", school, ctx.latest, "vs_rest")
        rest = "" if vs_rest is None or vs_rest.suppressed or vs_rest.estimate_reference is None else value_text(
            vs_rest.estimate_reference, share
        )
        earlier = []
        for year in ctx.every:
            old = ctx.rows.get(ind.id, "school", school, year, "estimate") if year != ctx.latest else None
            if old is not None:
                shown = ctx.hidden if old.suppressed or old.estimate is None else value_text(old.estimate, share)
                earlier.append(f"{year}: {shown}")
        previous = ctx.rows.get(ind.id, "school", school, ctx.latest, "vs_previous")
        lines.append(SchoolLine(
            ind.labelled("da"), share, f"{value_text(row.estimate, share)} ({range_text(row.ci_low, row.ci_high, share)})", rest,
            "; ".join(earlier) or "–", _conclusion(ctx, vs_rest), _conclusion(ctx, previous),
        ))
    return SchoolPage(school, ctx.latest, f"{max(sizes)}" if sizes else ctx.hidden, tuple(lines))
