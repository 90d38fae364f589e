"""Reading one page of answers from a submitted form, and checking them.

The form speaks HTML: a single, likert or scale question is one field named
after the question, a matrix has one field per item, a multi question repeats
its field once per ticked code, a number or text question is one field. The
result is the instrument's canonical flat answers (see ``surveys.instruments``):
``int`` codes and numbers, ``str`` text, and ``<id>_<code>`` 0/1 for every
option of an answered multi question.

Problems are codes with parameters, not sentences: the web layer words them
in the pupil's language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from surveys.instruments import DECLINE_CODE, TEXT_DEFAULT_LENGTH, Instrument, Question, Section

__all__ = [
    "META_FIELDS",
    "FieldProblem",
    "FormInput",
    "PageAnswers",
    "is_answered",
    "missing_required",
    "parse_form",
]

META_FIELDS = frozenset({"nav", "_shown"})
"""Form fields that steer the flow and are not answers."""

FormInput = Mapping[str, list[str]]


@dataclass(frozen=True)
class FieldProblem:
    """Why a field was not accepted: ``code`` names the message, ``params`` fill it in."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class PageAnswers:
    """The canonical answers read from one page and the problems found, by question id."""

    answers: dict[str, object]
    problems: dict[str, FieldProblem]


def parse_form(instrument: Instrument, section: Section, form: FormInput, earlier: Mapping[str, object]) -> PageAnswers:
    """Read the answers to ``section`` from ``form``; ``earlier`` are the answers already saved.

    Every field must belong to the section; hidden questions (by their
    conditions, judged on the merged answers) are dropped and never required.
    """
    answers: dict[str, object] = {}
    problems: dict[str, FieldProblem] = {}
    known = {name for question in section.questions for name in _field_names(question)}
    unknown = [name for name in form if name not in known and name not in META_FIELDS]
    if unknown:
        problems["_form"] = FieldProblem("unknown_field", {"count": len(unknown)})
    for question in section.questions:
        try:
            answers.update(_read(question, form))
        except _Rejected as rejected:
            problems[question.id] = rejected.problem
    merged = {**_without_section(earlier, section), **answers}
    for question in section.questions:
        if question.id in problems:
            continue
        if not instrument.visible(question, merged):
            continue
        if question.required and not is_answered(question, merged):
            problems[question.id] = FieldProblem("required")
    return PageAnswers(answers=answers, problems=problems)


def is_answered(question: Question, answers: Mapping[str, object]) -> bool:
    """True if ``answers`` hold an answer to ``question`` (the decline code counts)."""
    if question.type == "matrix":
        return all(item.id in answers for item in question.items)
    if question.type == "multi":
        return any(answers.get(f"{question.id}_{code}") == 1 for code in question.codes)
    return question.id in answers


def missing_required(instrument: Instrument, answers: Mapping[str, object]) -> list[Question]:
    """The visible required questions without an answer, in questionnaire order."""
    return [
        question
        for question in instrument.questions()
        if question.required and instrument.visible(question, answers) and not is_answered(question, answers)
    ]


def _without_section(answers: Mapping[str, object], section: Section) -> dict[str, object]:
    names = {variable.name for question in section.questions for variable in question.variables()}
    return {key: value for key, value in answers.items() if key not in names}


def _field_names(question: Question) -> Iterable[str]:
    if question.type == "matrix":
        return [item.id for item in question.items]
    return [question.id]


class _Rejected(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.problem = FieldProblem(code, params)


def _read(question: Question, form: FormInput) -> dict[str, object]:
    if question.type == "matrix":
        return {item.id: code for item in question.items if (code := _code(question, form.get(item.id))) is not None}
    values = [value for value in form.get(question.id, []) if value.strip() != ""]
    if question.type == "multi":
        return _multi(question, values)
    if question.type == "text":
        return _text(question, values)
    if question.type in ("scale", "number"):
        return _number(question, values)
    code = _code(question, values)
    return {} if code is None else {question.id: code}


def _one(values: list[str] | None) -> str | None:
    values = [value for value in (values or []) if value.strip() != ""]
    if not values:
        return None
    if len(set(values)) > 1:
        raise _Rejected("one_answer")
    return values[0].strip()


def _int(raw: str) -> int:
    if len(raw) > 12 or not raw.lstrip("-").isdigit() or not raw.isascii():
        raise ValueError(raw)
    return int(raw)


def _code(question: Question, values: list[str] | None) -> int | None:
    raw = _one(values)
    if raw is None:
        return None
    try:
        code = _int(raw)
    except ValueError:
        raise _Rejected("invalid_choice") from None
    if code not in question.codes:
        raise _Rejected("invalid_choice")
    return code


def _number(question: Question, values: list[str]) -> dict[str, object]:
    raw = _one(values)
    if raw is None:
        return {}
    low, high = question.value_range() or (0, 10**9)
    try:
        value = _int(raw)
    except ValueError:
        raise _Rejected("not_a_number", min=low, max=high) from None
    if not low <= value <= high:
        raise _Rejected("out_of_range", min=low, max=high)
    return {question.id: value}


def _text(question: Question, values: list[str]) -> dict[str, object]:
    if len(values) > 1:
        raise _Rejected("one_answer")
    if not values:
        return {}
    text = "".join(ch for ch in values[0] if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = text.replace("\r", "").strip()
    limit = question.max_length or TEXT_DEFAULT_LENGTH
    if len(text) > limit:
        raise _Rejected("too_long", max=limit)
    return {question.id: text} if text else {}


def _multi(question: Question, values: list[str]) -> dict[str, object]:
    chosen: set[int] = set()
    for raw in values:
        try:
            code = _int(raw.strip())
        except ValueError:
            raise _Rejected("invalid_choice") from None
        if code not in question.codes:
            raise _Rejected("invalid_choice")
        chosen.add(code)
    if not chosen:
        return {}
    if DECLINE_CODE in chosen and question.sensitive and len(chosen) > 1:
        raise _Rejected("decline_alone")
    if question.max_choices is not None and len(chosen) > question.max_choices:
        raise _Rejected("too_many", max=question.max_choices)
    return {f"{question.id}_{code}": int(code in chosen) for code in question.codes}
