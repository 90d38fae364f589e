"""What one indicator's numbers say, in sentences: now, since then, against the target and the country.

Shared by the front page (:mod:`.goals`) and the indicator sections
(:mod:`.sections`); the wording itself is in :mod:`.sentences`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analysis.target import target_on_scale

from .results import nearest_year
from .rows import Rows, after_correction, estimate_of, significant, target_key
from .sentences import (
    Verdict,
    change_sentence,
    interval_words,
    reference_sentence,
    subject,
    target_sentences,
)
from .text import hidden_text, value_text

__all__ = ["Context", "TargetStory", "comparability_sentence", "development", "headline", "reference_texts", "target_story", "target_value"]


@dataclass
class Context:
    """The report's settings and the results table, shared while the report is built."""

    rows: Rows
    instrument: Any
    years: list[int]
    baseline: int | None
    threshold: int
    figures: dict[str, list[Any]] = field(default_factory=dict)  # indicator -> published figures

    @property
    def latest(self) -> int:
        return self.years[-1]

    @property
    def every(self) -> list[int]:
        return sorted(set(self.years) | ({self.baseline} if self.baseline is not None else set()))

    @property
    def hidden(self) -> str:
        return hidden_text(self.threshold)

    def why(self, row: Any | None) -> str:
        """What a hidden cell says: its own true label from the results table
        ("færre end 5 svar" or "skjult for at beskytte en lille gruppe")."""
        return getattr(row, "hidden_label", None) or self.hidden

    def why_compared(self, row: Any | None) -> str:
        """What a hidden comparison says."""
        label = self.why(row)
        return f"skjult, fordi en af grupperne har {label}" if label == self.hidden else label


def _share(ind: Any) -> bool:
    return ind.kind == "share"


def target_value(ind: Any) -> float | None:
    """The target in display units (per cent for a share)."""
    return None if ind.target is None else target_on_scale(ind.kind, ind.target.value)


def headline(ctx: Context, ind: Any) -> tuple[str, str]:
    """``("22 % i 2026", "mellem 20 og 24 %")``; the hidden text when the figure is hidden."""
    row = ctx.rows.town(ind.id, ctx.latest)
    now = estimate_of(row)
    if now is None:
        return (ctx.why(row) if row is not None else f"ingen svar i {ctx.latest}"), ""
    return f"{value_text(now.value, _share(ind))} i {ctx.latest}", interval_words(now.low, now.high, _share(ind))


def comparability_sentence(ctx: Context, ind: Any) -> str:
    """Where a change in how the question is asked breaks the comparison with the report's
    earlier years (:mod:`surveys.responses.comparability`); "" when it does not."""
    since = getattr(ind, "comparable_from", None)
    earliest = min([*ctx.years, *([ctx.baseline] if ctx.baseline is not None else [])])
    if since is None or not earliest < since <= ctx.latest:
        return ""
    note = getattr(ind, "change_note", None)
    why = f" ({note.da})" if note is not None else ""
    return (f"Spørgsmålet stilles anderledes fra {since}{why}, så tallene fra {since} kan ikke sammenlignes "
            f"med årene før; udviklingen vises kun fra {since}.")


def development(ctx: Context, ind: Any) -> str:
    """The change since the baseline (or the first chosen year) in one sentence."""
    share = _share(ind)
    last = estimate_of(ctx.rows.town(ind.id, ctx.latest))
    if last is None:
        return ""
    broken = comparability_sentence(ctx, ind)
    if broken:
        return broken
    direction = None
    if ctx.baseline is not None and ctx.baseline != ctx.latest:
        test, start = ctx.rows.town(ind.id, ctx.latest, "vs_baseline"), ctx.baseline
    elif len(ctx.years) >= 3:
        test = ctx.rows.town(ind.id, ctx.latest, "trend")
        used = [int(y) for y in (test.reference.split(", ") if test is not None and test.reference else [])]
        start = used[0] if used else ctx.years[0]
        direction = test.diff if test is not None and test.diff is not None else None
    elif len(ctx.years) == 2:
        test, start = ctx.rows.town(ind.id, ctx.latest, "vs_previous"), ctx.years[0]
    else:
        return f"Der er kun tal fra {ctx.latest} i rapporten."
    first = estimate_of(ctx.rows.town(ind.id, start))
    if first is None:
        return f"Udviklingen siden {start} kan ikke vises, fordi tallet for {start} er skjult eller mangler."
    return change_sentence(subject(ind.label.da, share), share, first, last, significant=significant(test),
                           direction=direction, after_correction=after_correction(test),
                           not_tested=test.conclusion if test is not None and not test.suppressed else "")


@dataclass(frozen=True)
class TargetStory:
    sentences: tuple[str, ...]
    status: str  # a short verdict for the front page, e.g. "Mål 2020: nået (målt 2022)"
    key: str  # met | not_met | uncertain | hidden | none
    judged_year: int | None  # the year the status speaks of


def target_story(ctx: Context, ind: Any) -> TargetStory:
    """The target in its target year (or the nearest year with data) and now."""
    if ind.target is None:
        return TargetStory((), "", "none", None)
    share, t = _share(ind), ind.target
    now_row = ctx.rows.town(ind.id, ctx.latest, "target")
    now_key = target_key(now_row)
    now = Verdict(now_key, estimate_of(now_row)) if now_key != "hidden" and estimate_of(now_row) else None
    passed = t.year is not None and t.year < ctx.latest
    then = None
    if passed:
        shown = [y for y in ctx.rows.town_years(ind.id) if estimate_of(ctx.rows.town(ind.id, y, "target"))]
        year = nearest_year(shown, t.year)
        if year is not None and year != ctx.latest:
            row = ctx.rows.town(ind.id, year, "target")
            then = Verdict(target_key(row), estimate_of(row))
        elif year == ctx.latest:
            then = now
    sentences = target_sentences(t.op, target_value(ind), share, t.year, ctx.latest, now=now, then=then)
    judged = then if passed else now
    if judged is None:
        return TargetStory(sentences, ctx.why(now_row) if now_row is not None else "Ingen tal", "hidden", None)
    year = judged.estimate.year
    early = t.year is not None and t.year > ctx.latest
    word = {
        "met": "nået",
        "not_met": "endnu ikke nået" if early else "ikke nået",
        "uncertain": "kan endnu ikke afgøres" if early or not passed else "kan ikke afgøres",
    }[judged.key]
    status = f"Mål {t.year}: {word}" if t.year else f"Mål: {word}"
    if passed and year != t.year:
        status += f" (målt {year})"
    return TargetStory(sentences, status, judged.key, year)


def reference_texts(ctx: Context, ind: Any) -> tuple[str, ...]:
    """One sentence per published figure compared in the results table (source and year named)."""
    share = _share(ind)
    out = []
    figures = {f"{f.source} {f.year}": f for f in ctx.figures.get(ind.id, ())}
    for row in ctx.rows.references.get(ind.id, ()):
        figure = figures.get(row.reference)
        if figure is None:
            continue
        if row.suppressed:
            out.append(f"{row.reference}: {value_text(figure.value, share)}. Kommunens tal er skjult, så de sammenlignes ikke.")
            continue
        out.append(reference_sentence(
            figure.source, figure.year, figure.value, share, diff=row.diff, low=row.diff_ci_low, high=row.diff_ci_high,
            significant=significant(row), ours=row.year, after_correction=after_correction(row),
        ))
    return tuple(out)
