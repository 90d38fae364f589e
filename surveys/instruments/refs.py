"""Cross-reference checks: unique ids, show_if conditions and indicators."""

from __future__ import annotations

from typing import Any

from surveys.instruments.model import (
    DECLINE_CODE,
    Indicator,
    Question,
    Section,
    Target,
    Variable,
)
from surveys.instruments.reader import Reader

__all__ = ["check_conditions", "check_ids", "parse_indicators"]

_INDICATOR_KEYS = {
    "share": ("id", "kind", "label", "variable", "yes", "goal", "target", "population"),
    "mean": (
        "id",
        "kind",
        "label",
        "items",
        "reverse",
        "min_answered",
        "goal",
        "target",
        "population",
    ),
}
_NUMERIC_TYPES = ("likert", "matrix", "scale", "number")


def check_ids(r: Reader, sections: tuple[Section, ...]) -> None:
    """Section ids are unique; question ids, item ids and variable names share one namespace."""
    seen_sections: set[str] = set()
    names: dict[str, str] = {}

    def claim(name: str, where: str, kind: str, what: str) -> None:
        if name not in names:
            names[name] = what
        elif names[name] == what:
            r.problem(where, f"duplicate {kind} id {name!r}")
        else:
            r.problem(where, f"duplicate id: {what} clashes with {names[name]}")

    for section in sections:
        if section.id in seen_sections:
            r.problem(section.id, f"duplicate section id {section.id!r}")
        seen_sections.add(section.id)
        for q in section.questions:
            claim(q.id, q.id, "question", f"question {q.id!r}")
            for item in q.items:
                claim(item.id, q.id, "item", f"item {item.id!r}")
            if q.type == "multi":
                for variable in q.variables():
                    claim(
                        variable.name,
                        q.id,
                        "variable",
                        f"variable {variable.name!r} of multi question {q.id!r}",
                    )


def check_conditions(r: Reader, questions: list[Question]) -> None:
    """Every show_if refers back to an earlier question with options, using its codes."""
    position: dict[str, int] = {}
    owner: dict[str, Question] = {}
    for index, q in enumerate(questions):
        for name in (q.id, *(item.id for item in q.items)):
            position.setdefault(name, index)
            owner.setdefault(name, q)
    for index, q in enumerate(questions):
        condition = q.show_if
        if condition is None or condition.question in r.skipped:
            continue
        ref = condition.question
        target = owner.get(ref)
        if target is None:
            r.problem(q.id, f"show_if refers to unknown question {ref!r}")
        elif target is q:
            r.problem(q.id, "show_if refers to the question itself")
        elif position[ref] > index:
            r.problem(
                q.id,
                f"show_if refers to {ref!r}, which comes later (conditions may only look back)",
            )
        elif target.type in ("text", "number"):
            r.problem(q.id, f"show_if cannot refer to {target.type} question {ref!r}")
        elif target.type == "matrix" and ref == target.id:
            r.problem(
                q.id,
                f"show_if must refer to an item of matrix question {ref!r}, not the matrix",
            )
        else:
            low, high = target.value_range() if target.type == "scale" else (None, None)
            valid = (
                set(range(low, high + 1))
                if low is not None and high is not None
                else set(target.codes)
            )
            for code in condition.in_:
                if code not in valid:
                    r.problem(q.id, f"show_if code {code} is not an option of {ref!r}")
            if q.skip_implies is not None and target.type == "multi":
                r.problem(q.id, "skip_implies needs show_if on a question with one answer, not a multi question")
    known = [q.id for q in questions if q.known_from is not None]
    for qid in known[1:]:
        r.problem(qid, f"only one question may have known_from (also {known[0]!r})")


def parse_indicators(
    r: Reader, value: object, questions: list[Question]
) -> tuple[Indicator, ...]:
    """All ``[[indicators]]``, checked against the instrument's variables."""
    variables = {v.name: (v, q) for q in questions for v in q.variables()}
    indicators: list[Indicator] = []
    seen: set[str] = set()
    for number, t in enumerate(r.tables(value, None, "indicators"), 1):
        raw_id = t.get("id")
        iid = r.ident(
            raw_id, None if raw_id is None else str(raw_id), f"indicator {number}"
        )
        where = iid or (f"indicator {number}" if raw_id is None else str(raw_id))
        if iid in seen:
            r.problem(where, f"duplicate indicator id {iid!r}")
        if iid is not None:
            seen.add(iid)
        indicator = _indicator(r, t, where, variables)
        if indicator is not None and iid is not None:
            indicators.append(indicator)
    return tuple(indicators)


def _indicator(
    r: Reader,
    t: dict[str, Any],
    where: str,
    variables: dict[str, tuple[Variable, Question]],
) -> Indicator | None:
    kind = t.get("kind")
    if kind not in _INDICATOR_KEYS:
        r.problem(where, f"unknown indicator kind {kind!r} (share or mean)")
        return None
    r.keys(t, _INDICATOR_KEYS[kind], where, f"{kind} indicator")
    before = len(r.problems)
    label = r.text(t, "label", where)
    population = r.text(t, "population", where, required=False)
    goal = r.boolean(t, "goal", where)
    fields = (
        _share(r, t, where, variables)
        if kind == "share"
        else _mean(r, t, where, variables)
    )
    scale = fields.get("scale")
    target = _target(r, t.get("target"), where, kind, scale)
    if len(r.problems) > before or label is None:
        return None
    return Indicator(
        id=where, kind=kind, label=label, goal=goal, target=target, population=population, **fields
    )


def _variable(
    r: Reader, name: str, where: str, variables: dict[str, tuple[Variable, Question]]
) -> tuple[Variable, Question] | None:
    found = variables.get(name)
    if (
        found is None
        and name not in r.skipped
        and not name.startswith(tuple(f"{s}_" for s in r.skipped))
    ):
        r.problem(where, f"indicator refers to unknown variable {name!r}")
    return found


def _share(
    r: Reader,
    t: dict[str, Any],
    where: str,
    variables: dict[str, tuple[Variable, Question]],
) -> dict[str, Any]:
    name = t.get("variable")
    yes = r.codes(t.get("yes"), where, "yes")
    if not isinstance(name, str):
        r.problem(where, "a share indicator needs variable (a variable name)")
        return {}
    found = _variable(r, name, where, variables)
    if found is None or yes is None:
        return {}
    variable, question = found
    if question.show_if is not None and question.skip_implies is None and "population" not in t:
        r.problem(
            where,
            f"{question.id!r} is asked only when {question.show_if.question!r} allows it: "
            "say whom the share is of (population), or give the question skip_implies",
        )
    scale = None
    decline = None
    if variable.kind == "text":
        r.problem(where, f"a share cannot count text variable {name!r}")
        return {}
    if variable.kind == "int":
        scale = question.value_range()
        valid = set(range(scale[0], scale[1] + 1)) if scale else set()
    elif variable.kind == "codes01":
        valid = {0, 1}
        if question.sensitive and name != f"{question.id}_{DECLINE_CODE}":
            decline = f"{question.id}_{DECLINE_CODE}"
    else:
        valid = {code for code in question.codes if code != DECLINE_CODE}
    for code in yes:
        if code == DECLINE_CODE and variable.kind == "code":
            r.problem(
                where,
                f"yes code {DECLINE_CODE} ('Vil ikke svare') always counts as missing",
            )
        elif code not in valid:
            r.problem(where, f"yes code {code} is not a code of {name!r}")
    return {"variable": name, "yes": yes, "decline_variable": decline, "scale": scale}


def _mean(
    r: Reader,
    t: dict[str, Any],
    where: str,
    variables: dict[str, tuple[Variable, Question]],
) -> dict[str, Any]:
    items = r.names(t.get("items"), where, "items") or ()
    reverse = r.names(t.get("reverse", []), where, "reverse") or ()
    if not items:
        r.problem(where, "a mean indicator needs items")
    ranges: dict[tuple[int, int], str] = {}
    for name in items:
        found = _variable(r, name, where, variables)
        if found is None:
            continue
        question = found[1]
        value_range = question.value_range()
        if question.type not in _NUMERIC_TYPES or value_range is None:
            r.problem(
                where, f"mean item {name!r} is not numeric ({question.type} question)"
            )
        else:
            ranges.setdefault(value_range, name)
    if len(ranges) > 1:
        found_ranges = ", ".join(
            f"{name!r} is {low}..{high}" for (low, high), name in ranges.items()
        )
        r.problem(where, f"mean items must share one scale: {found_ranges}")
    for name in reverse:
        if name not in items:
            r.problem(where, f"reverse item {name!r} is not one of the items")
    min_answered = t.get("min_answered", 0.5)
    if (
        not isinstance(min_answered, (int, float))
        or isinstance(min_answered, bool)
        or not 0 < min_answered <= 1
    ):
        r.problem(
            where,
            f"min_answered must be a fraction above 0 and at most 1, not {min_answered!r}",
        )
        min_answered = 0.5
    scale = next(iter(ranges)) if len(ranges) == 1 else None
    return {
        "items": items,
        "reverse": reverse,
        "min_answered": float(min_answered),
        "scale": scale,
    }


def _target(
    r: Reader, value: object, where: str, kind: str, scale: tuple[int, int] | None
) -> Target | None:
    if value is None:
        return None
    t = r.table(value, where, "target")
    if t is None:
        return None
    r.keys(t, ("op", "value", "year", "text"), where, "target")
    op = t.get("op")
    number = t.get("value")
    year = r.integer(t, "year", where, "target.year")
    text = r.text(t, "text", where, required=False)
    if op not in ("<=", ">="):
        r.problem(where, f"target.op must be '<=' or '>=', not {op!r}")
    if not isinstance(number, (int, float)) or isinstance(number, bool):
        r.problem(where, f"target.value must be a number, not {number!r}")
        return None
    if kind == "share" and not 0 <= number <= 100:
        r.problem(
            where, f"target.value of a share is a percentage (0..100), not {number}"
        )
    if kind == "mean" and scale is not None and not scale[0] <= number <= scale[1]:
        r.problem(
            where,
            f"target.value {number} is outside the items' scale {scale[0]}..{scale[1]}",
        )
    stored = round(number / 100, 10) if kind == "share" else float(number)
    return Target(op, stored, year, text) if op in ("<=", ">=") else None
