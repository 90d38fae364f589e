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
        return ctx.why_compared(row)
    return row.conclusion[:1].upper() + row.conclusion[1:]


def _hidden_text(ctx: Context, ind: Any, school: str, row: Any) -> str:
    """The hidden cell's own label; a school hidden to protect a small one also gets the
    figure of the group it is shown in ("Øvrige skoler (2): 35 %")."""
    label = ctx.why(row)
    for group in ctx.rows.group_names(ind.id, "school", ctx.latest):
        joined = ctx.rows.get(ind.id, "school", group, ctx.latest, "estimate")
        if group in ctx.rows.joined and joined is not None and not joined.suppressed and joined.estimate is not None \
                and school in joined.reference.split(", ") and label != ctx.hidden:
            return f"{label}; skolen indgår i {group}: {value_text(joined.estimate, ind.kind == 'share')}"
    return label


def school_page(ctx: Context, indicators: Sequence[Any], school: str) -> SchoolPage:
    """The school's page in the latest year (hidden cells show only the hidden text)."""
    lines, sizes, labels = [], [], []
    for ind in indicators:
        row = ctx.rows.get(ind.id, "school", school, ctx.latest, "estimate")
        if row is None:
            continue
        share = ind.kind == "share"
        if row.suppressed or row.estimate is None:
            lines.append(SchoolLine(ind.labelled("da"), share, _hidden_text(ctx, ind, school, row), "", "", "", "", True))
            labels.append(ctx.why(row))
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
                shown = ctx.why(old) if old.suppressed or old.estimate is None else value_text(old.estimate, share)
                earlier.append(f"{year}: {shown}")
        previous = ctx.rows.get(ind.id, "school", school, ctx.latest, "vs_previous")
        lines.append(SchoolLine(
            ind.labelled("da"), share, f"{value_text(row.estimate, share)} ({range_text(row.ci_low, row.ci_high, share)})", rest,
            "; ".join(earlier) or "–", _conclusion(ctx, vs_rest), _conclusion(ctx, previous),
        ))
    return SchoolPage(school, ctx.latest, f"{max(sizes)}" if sizes else (labels[0] if labels else ctx.hidden), tuple(lines))
