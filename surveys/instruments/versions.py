"""Comparing two versions of an instrument: which indicators keep their meaning.

Codes never change meaning, so an indicator is comparable across versions
unless one of its variables is asked differently: other answer options (adding
"Vil ikke svare" broke year comparisons in the national trivselsmåling), another
condition for being asked, or an answer implied by a skip. Wording alone does not
break a comparison (the file's ``[[changes]]`` note says what was reworded).
"""

from __future__ import annotations

from surveys.instruments.model import DECLINE_CODE, Indicator, Instrument, Question, Text

__all__ = ["changed_indicators", "indicator_change", "variable_change"]


def _signature(question: Question) -> tuple[object, ...]:
    condition = question.show_if
    return (
        question.type,
        question.codes,
        None if condition is None else (condition.question, condition.in_),
        question.skip_implies,
    )


def variable_change(old: Question, new: Question) -> Text | None:
    """Why ``new`` is not asked as ``old`` was (None when it is)."""
    if _signature(old) == _signature(new):
        return None
    if old.codes != new.codes:
        if set(new.codes) - set(old.codes) == {DECLINE_CODE}:
            return Text("»Vil ikke svare« er tilføjet", "»Prefer not to say« was added")
        return Text("svarmulighederne er ændret", "the answer options changed")
    if (old.show_if, old.skip_implies) != (new.show_if, new.skip_implies):
        return Text("hvem der får spørgsmålet, er ændret", "who is asked the question changed")
    return Text("spørgsmålstypen er ændret", "the question type changed")


def _variables(indicator: Indicator) -> tuple[str, ...]:
    return (indicator.variable,) if indicator.kind == "share" and indicator.variable else tuple(indicator.items)


def indicator_change(old: Instrument, new: Instrument, indicator: Indicator) -> Text | None:
    """Why ``indicator``'s variables are not asked in ``new`` as in ``old`` (None when they are)."""
    before = {v.name: v.question_id for v in old.variables()}
    after = {v.name: v.question_id for v in new.variables()}
    for name in _variables(indicator):
        if name not in after:
            continue
        if name not in before:
            return Text("spørgsmålet er nyt", "the question is new")
        why = variable_change(old.question(before[name]), new.question(after[name]))
        if why is not None:
            return why
    return None


def changed_indicators(old: Instrument, new: Instrument) -> dict[str, Text]:
    """``new``'s indicators whose variables ``old`` asked differently (or did not have), with why."""
    changed = {ind.id: indicator_change(old, new, ind) for ind in new.indicators}
    return {key: why for key, why in changed.items() if why is not None}
