"""One section per indicator (sentences, charts, the schools' table) and the appendix's test details."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analysis.indicator_rows import OMNIBUS_GROUP
from analysis.wording import AFTER_CORRECTION, format_number

from ..charts import Bar, RefLine, TrendPoint
from .content import Chart, Comparison, DetailLine, IndicatorSection, TableLine
from .rows import after_correction, estimate_of, significant, verdict_words
from .sentences import difference_cell, interval_words, target_words
from .story import Context, development, reference_texts, target_story, target_value
from .text import TEST_NAMES, p_text, range_text, value_text

__all__ = ["details", "section"]


def _share(ind: Any) -> bool:
    return ind.kind == "share"


def _target_label(ind: Any) -> str:
    value = target_value(ind)
    return "" if value is None else f"Mål: {target_words(ind.target.op, value, _share(ind), ind.target.year)}"


def _versus(row: Any | None) -> str:
    return row.verdict if significant(row) else "same"


def _bars(ctx: Context, ind: Any, schools: list[str]) -> list[Bar]:
    bars = []
    for school in schools:
        row = ctx.rows.get(ind.id, "school", school, ctx.latest, "estimate")
        if row.suppressed or row.estimate is None:
            bars.append(Bar(school, hidden=True, hidden_text=ctx.why(row)))
        else:
            vs = ctx.rows.get(ind.id, "school", school, ctx.latest, "vs_rest")
            low, high = (row.estimate, row.estimate) if row.ci_low is None else (row.ci_low, row.ci_high)
            bars.append(Bar(school, row.estimate, low, high, _versus(vs)))
    return bars


def _newest_per_source(figures: Sequence[Any]) -> list[Any]:
    newest: dict[str, Any] = {}
    for figure in sorted(figures, key=lambda f: f.year):
        newest[figure.source] = figure
    return list(newest.values())


def _charts(ctx: Context, ind: Any, bars: list[Bar], total: Any | None) -> list[Chart]:
    share = _share(ind)
    unit = "%" if share else "point"
    target = target_value(ind)
    scale = (float(ind.scale[0]), float(ind.scale[1])) if not share and ind.scale else None
    figures = ctx.figures.get(ind.id, [])
    lines = [RefLine(f"{f.source} {f.year}", f.year, f.value, f.ci_low, f.ci_high) for f in _newest_per_source(figures)]
    named = "".join(f", {r.label} som prikket linje" for r in lines)
    aim = " og målet som streg-prik-linje" if target is not None else ""
    charts = []
    if bars:
        kind = "Prikdiagram" if scale else "Søjlediagram"
        charts.append(Chart(
            f"{ind.id}_skoler", "school_chart",
            f"{kind}: {ind.label.da} pr. skole i {ctx.latest} med 95 % sikkerhedsintervaller, kommunens niveau som "
            f"stiplet linje{aim}{named}. Tallene står også i tabellen under diagrammet.",
            (f"{ind.label.da} pr. skole, {ctx.latest}", tuple(bars)),
            {"unit": unit, "municipality": None if total is None else total.value, "target": target,
             "target_label": _target_label(ind), "hidden_text": ctx.hidden, "scale": scale, "references": tuple(lines)},
        ))
    points = [
        TrendPoint(e.year, e.value, *e.limits)
        for e in (estimate_of(ctx.rows.town(ind.id, y)) for y in ctx.rows.town_years(ind.id)) if e is not None
    ]
    if points:
        refs = tuple(RefLine(f.source, f.year, f.value, f.ci_low, f.ci_high) for f in figures)
        charts.append(Chart(
            f"{ind.id}_udvikling", "trend_chart",
            f"Linjediagram: {ind.label.da} i kommunen {points[0].year}–{points[-1].year} med 95 % sikkerhedsbånd"
            + (" og målet som vandret linje med en stjerne i målåret" if target is not None else "")
            + "".join(f", {f.source} {f.year}: {value_text(f.value, share)}" for f in figures) + ".",
            (f"{ind.label.da}, kommunen over årene", tuple(points)),
            {"unit": unit, "target": target, "target_label": _target_label(ind),
             "target_year": ind.target.year if ind.target is not None else None, "scale": scale, "references": refs},
        ))
    return charts


def _schools_sentence(ctx: Context, ind: Any, bars: list[Bar]) -> str:
    higher = [b.label for b in bars if b.versus == "higher" and not b.hidden]
    lower = [b.label for b in bars if b.versus == "lower" and not b.hidden]
    text = ""
    omnibus = ctx.rows.get(ind.id, "school", OMNIBUS_GROUP, ctx.latest, "omnibus")
    if omnibus is not None and omnibus.conclusion and not omnibus.suppressed:
        words = verdict_words(omnibus)  # the test and its p-value are in the appendix
        text += f"Skolerne samlet: {words[:1].lower()}{words[1:]}. "
    if higher:
        text += f"Signifikant højere end resten af kommunen: {', '.join(higher)}. "
    if lower:
        text += f"Signifikant lavere end resten af kommunen: {', '.join(lower)}. "
    if not higher and not lower and bars:
        rest = [ctx.rows.get(ind.id, "school", b.label, ctx.latest, "vs_rest") for b in bars if not b.hidden]
        after = f", {AFTER_CORRECTION}" if any(after_correction(r) for r in rest) else ""
        text += f"Ingen skole adskiller sig fra resten af kommunen ud over, hvad tilfældigheder kan give{after}."
    return text.strip()


def _line(ctx: Context, ind: Any, dimension: str, group: str, *, municipality: bool = False) -> TableLine:
    share = _share(ind)
    row = ctx.rows.get(ind.id, dimension, group, ctx.latest, "estimate")
    if row is None:
        return TableLine(group, "–", "–", "", municipality=municipality)
    if row.suppressed or row.estimate is None:
        return TableLine(group, "", ctx.why(row), "", hidden=True, municipality=municipality)
    versus = difference = ""
    vs = None if municipality else ctx.rows.get(ind.id, dimension, group, ctx.latest, "vs_rest")
    if vs is not None and vs.suppressed:
        versus = ctx.why_compared(vs)
    elif vs is not None:
        versus = verdict_words(vs).replace(" end resten af kommunen", "").replace("Forskellen ligger inden", "Inden")
        if vs.diff is not None and vs.diff_ci_low is not None:
            difference = difference_cell(vs.diff, vs.diff_ci_low, vs.diff_ci_high, share)
    return TableLine(group, str(row.n), value_text(row.estimate, share), range_text(row.ci_low, row.ci_high, share),
                     versus, difference, False, municipality)


def _municipality(ctx: Context, ind: Any) -> list[Comparison]:
    out = []
    keys = [("vs_previous", f"Mod {ctx.years[-2]}" if len(ctx.years) > 1 else "")]
    if ctx.baseline is not None and ctx.baseline != ctx.latest:
        keys.append(("vs_baseline", f"Mod basisåret {ctx.baseline}"))
    keys.append(("trend", f"Tendens {ctx.years[0]}–{ctx.latest}"))
    for key, title in keys:
        row = ctx.rows.town(ind.id, ctx.latest, key)
        if row is None or not title:
            continue
        text = ctx.why_compared(row) if row.suppressed else row.conclusion
        out.append(Comparison(title, text[:1].upper() + text[1:]))
    for row in ctx.rows.references.get(ind.id, ()):
        text = f"skjult, fordi kommunens tal er skjult" if row.suppressed else row.conclusion
        out.append(Comparison(f"Mod {row.reference}", text[:1].upper() + text[1:]))
    return out


def section(ctx: Context, ind: Any) -> IndicatorSection:
    """The indicator's section: sentences, charts and the table of schools in the latest year."""
    share = _share(ind)
    schools = ctx.rows.group_names(ind.id, "school", ctx.latest)
    bars = _bars(ctx, ind, schools)
    total_row = ctx.rows.town(ind.id, ctx.latest)
    total = estimate_of(total_row)
    if total is None:
        summary = [f"Kommunen {ctx.latest}: {ctx.why(total_row) if total_row is not None else 'ingen svar'}."]
    else:
        summary = [
            f"Kommunen {ctx.latest}: {value_text(total.value, share)} "
            f"({interval_words(total.low, total.high, share)}), {total_row.n} svar. {development(ctx, ind)}".strip(),
        ]
    summary += [_schools_sentence(ctx, ind, bars), " ".join(target_story(ctx, ind).sentences), " ".join(reference_texts(ctx, ind))]
    table = [_line(ctx, ind, "municipality", "Kommunen", municipality=True)]
    table += [_line(ctx, ind, "school", s) for s in schools]
    target = target_value(ind)
    population = getattr(ind, "population", None)
    if population is not None:
        summary.append(f"Andelen er af {population.da}: spørgsmålet stilles kun til dem.")
    return IndicatorSection(
        ind.id, ind.labelled("da"), share, ind.target is not None,
        target_words(ind.target.op, target, share, ind.target.year) if target is not None else "",
        tuple(s for s in summary if s), tuple(_charts(ctx, ind, bars, total)), tuple(table),
        tuple(_municipality(ctx, ind)),
    )


def details(ctx: Context, indicators: Sequence[Any]) -> tuple[DetailLine, ...]:
    """The municipality's tested comparisons and the test of all schools together, with test, p,
    adjusted p and design effect (for the appendix)."""
    out = []
    for ind in indicators:
        rows = [ctx.rows.town(ind.id, ctx.latest, k) for k in ("vs_previous", "vs_baseline", "trend")]
        rows.append(ctx.rows.get(ind.id, "school", OMNIBUS_GROUP, ctx.latest, "omnibus"))
        rows += ctx.rows.references.get(ind.id, [])
        for row in rows:
            if row is None or row.suppressed or row.p is None or row.test is None:
                continue
            title = {"vs_previous": f"mod {row.reference}", "vs_baseline": f"mod basisåret {row.reference}",
                     "trend": f"tendens {row.reference.replace(', ', '/')}",
                     "omnibus": "alle skoler samlet"}.get(row.comparison, f"mod {row.reference}")
            method = (row.family or "").split(":")[0]
            adjusted = f"{p_text(row.p_adjusted)} ({method})" if row.p_adjusted is not None else ""
            deff = format_number(row.deff, 2) if row.deff is not None else ""
            out.append(DetailLine(ind.label.da, title, TEST_NAMES.get(row.test, row.test), p_text(row.p), adjusted, deff))
    return tuple(out)
