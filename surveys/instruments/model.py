"""Instrument model: the frozen dataclasses a questionnaire file loads into.

Answers are always *canonical*: a flat ``dict`` from variable name to value
(see ``docs/instrument-format.md``). A missing key means "not answered".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from surveys.instruments.indicator import DECLINE_CODE, Indicator, Target
from surveys.instruments.texts import Text

__all__ = [
    "DECLINE_CODE",
    "DECLINE_LABEL",
    "OPTION_TYPES",
    "QUESTION_TYPES",
    "SCALE_MAX",
    "SCALE_MIN",
    "SELECTED_LABELS",
    "TEXT_DEFAULT_LENGTH",
    "TEXT_MAX_LENGTH",
    "Change",
    "Condition",
    "Indicator",
    "Instrument",
    "Item",
    "Option",
    "Question",
    "Section",
    "Target",
    "Text",
    "Variable",
]

QuestionType = Literal["single", "multi", "likert", "scale", "number", "text", "matrix"]
VariableKind = Literal["code", "codes01", "int", "text"]

QUESTION_TYPES: tuple[str, ...] = (
    "single",
    "multi",
    "likert",
    "scale",
    "number",
    "text",
    "matrix",
)
OPTION_TYPES = frozenset({"single", "multi", "likert", "matrix"})
SCALE_MIN, SCALE_MAX = 0, 10
TEXT_DEFAULT_LENGTH, TEXT_MAX_LENGTH = 500, 2000


@dataclass(frozen=True)
class Option:
    """An answer option; ``code`` never changes meaning across versions."""

    code: int
    label: Text


# Built-in texts in every language trivsel ships; an instrument in another language names its
# own "Vil ikke svare" (``decline_label`` in the file).
DECLINE_LABEL = Text(
    "Vil ikke svare", "Prefer not to say", (("uk", "Не хочу відповідати"), ("ar", "أفضّل عدم الإجابة"))
)
SELECTED_LABELS = (
    Option(0, Text("Ikke valgt", "Not selected", (("uk", "Не вибрано"), ("ar", "غير مختار")))),
    Option(1, Text("Valgt", "Selected", (("uk", "Вибрано"), ("ar", "مختار")))),
)


@dataclass(frozen=True)
class Item:
    """A row of a matrix question; its id is also its variable name."""

    id: str
    text: Text


@dataclass(frozen=True)
class Condition:
    """``show_if``: the question is shown when ``question`` has a code in ``in_``."""

    question: str
    in_: tuple[int, ...]

    def holds(self, answers: Mapping[str, object]) -> bool:
        """True if the answer (or, for a multi question, any selected code) is in ``in_``."""
        value = answers.get(self.question)
        if value is not None:
            return value in self.in_
        return any(answers.get(f"{self.question}_{code}") == 1 for code in self.in_)


@dataclass(frozen=True)
class Variable:
    """One column in exports and one key in canonical answers."""

    name: str
    question_id: str
    label: Text
    kind: VariableKind
    value_labels: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Question:
    """A question; which fields apply depends on ``type``."""

    id: str
    type: QuestionType
    text: Text
    help: Text | None = None
    required: bool = False
    sensitive: bool = False
    options: tuple[Option, ...] = ()
    items: tuple[Item, ...] = ()
    min: int | None = None
    max: int | None = None
    min_label: Text | None = None
    max_label: Text | None = None
    max_length: int | None = None
    max_choices: int | None = None
    show_if: Condition | None = None
    skip_implies: int | None = None
    known_from: Literal["class"] | None = None

    @property
    def codes(self) -> tuple[int, ...]:
        """The option codes, including ``DECLINE_CODE`` on sensitive questions."""
        return tuple(option.code for option in self.options)

    def value_range(self) -> tuple[int, int] | None:
        """The numeric range of a likert, matrix, scale or number answer (decline excluded)."""
        if self.type in ("likert", "matrix"):
            codes = [code for code in self.codes if code != DECLINE_CODE]
            return (min(codes), max(codes)) if codes else None
        if (
            self.type in ("scale", "number")
            and self.min is not None
            and self.max is not None
        ):
            return (self.min, self.max)
        return None

    def variables(self) -> tuple[Variable, ...]:
        """The canonical variables this question answers into (built once per question)."""
        cached = self.__dict__.get("_variables")
        if cached is None:
            cached = self._build_variables()
            self.__dict__["_variables"] = cached  # not a field: eq, hash, repr and asdict ignore it
        return cached

    def _build_variables(self) -> tuple[Variable, ...]:
        if self.type == "multi":
            return tuple(
                Variable(
                    f"{self.id}_{option.code}",
                    self.id,
                    Text.of(
                        {
                            lang: f"{self.text.get(lang)}: {option.label.get(lang)}"
                            for lang in self.text.languages
                        }
                    ),
                    "codes01",
                    SELECTED_LABELS,
                )
                for option in self.options
            )
        if self.type == "matrix":
            return tuple(
                Variable(item.id, self.id, item.text, "code", self.options)
                for item in self.items
            )
        if self.type in ("single", "likert"):
            return (Variable(self.id, self.id, self.text, "code", self.options),)
        kind: VariableKind = "text" if self.type == "text" else "int"
        return (Variable(self.id, self.id, self.text, kind),)


@dataclass(frozen=True)
class Section:
    """A page of questions."""

    id: str
    title: Text
    intro: Text | None = None
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Change:
    """A note of what changed in ``version`` (the codebook and report print it)."""

    version: int
    text: Text


@dataclass(frozen=True)
class Instrument:
    """A versioned questionnaire with its indicators."""

    id: str
    version: int
    audience: Literal["pupil", "staff"]
    title: Text
    intro: Text
    sections: tuple[Section, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    languages: tuple[str, ...] = ("da", "en")
    drafts: tuple[str, ...] = ()  # languages not yet reviewed by a native speaker
    decline_label: Text | None = None  # the file's own "Vil ikke svare", if it has one
    changes: tuple[Change, ...] = ()
    _owners: dict[str, Question] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        # Not a field (eq, hash, repr and asdict ignore it): asked for on every answering request.
        questions = tuple(question for section in self.sections for question in section.questions)
        object.__setattr__(self, "_all_questions", questions)
        owners: dict[str, Question] = {}
        for question in questions:
            owners.setdefault(question.id, question)
            for item in question.items:
                owners.setdefault(item.id, question)
        object.__setattr__(self, "_owners", owners)
        object.__setattr__(self, "_known", {})

    def is_draft(self, lang: str) -> bool:
        """True if ``lang`` is a draft translation (a native speaker must review it before use)."""
        return lang in self.drafts

    def questions(self) -> list[Question]:
        """All questions in questionnaire order."""
        return list(self._all_questions)  # type: ignore[attr-defined]

    def question(self, id: str) -> Question:
        """The question with this id (or owning this matrix item id); KeyError if none."""
        return self._owners[id]

    def variables(self) -> list[Variable]:
        """All variables in questionnaire order."""
        return [
            variable
            for question in self.questions()
            for variable in question.variables()
        ]

    def indicator(self, id: str) -> Indicator:
        """The indicator with this id; KeyError if none."""
        for indicator in self.indicators:
            if indicator.id == id:
                return indicator
        raise KeyError(id)

    def visible(self, question: Question | str, answers: Mapping[str, object]) -> bool:
        """True if ``question`` is shown: its condition holds and its condition's question is shown."""
        if isinstance(question, str):
            question = self.question(question)
        condition = question.show_if
        if condition is None:
            return True
        parent = self._owners.get(condition.question)
        if (
            parent is not None
            and parent is not question
            and not self.visible(parent, answers)
        ):
            return False
        return condition.holds(answers)

    def known_answers(self, grade: int | None) -> dict[str, int]:
        """The answers a link's class already gives: a ``known_from = "class"`` question's code equal
        to the class's grade, or its highest code for a grade above it (the open-ended top option,
        e.g. "Ungdomsuddannelse" for grades 11-13); none for a lower grade (the question is asked)."""
        known = {}
        for q in self._all_questions:  # type: ignore[attr-defined]
            codes = [code for code in q.codes if code != DECLINE_CODE]
            if q.known_from != "class" or grade is None or not codes or grade < min(codes):
                continue
            if grade in codes or grade > max(codes):
                known[q.id] = grade if grade in codes else max(codes)
        return known

    def with_known(self, known: Mapping[str, int]) -> Instrument:
        """This instrument without the questions ``known`` answers (they are not asked);
        :meth:`clean` keeps those answers, so conditions on them still hold."""
        if not known:
            return self
        sections = tuple(
            replace(section, questions=tuple(q for q in section.questions if q.id not in known))
            for section in self.sections
        )
        asked = replace(self, sections=sections)
        object.__setattr__(asked, "_known", dict(known))
        return asked

    def complete(self, answers: Mapping[str, object]) -> dict[str, object]:
        """The answers to store: :meth:`clean`, plus ``skip_implies`` for a question skipped
        because of an earlier answer (never for a declined or unanswered one)."""
        done = self.clean(answers)
        for question in self._all_questions:  # type: ignore[attr-defined]
            condition = question.show_if
            if question.skip_implies is None or condition is None or self.visible(question, done):
                continue
            parent = self._owners.get(condition.question)
            value = done.get(condition.question)
            if (parent is None or self.visible(parent, done)) and isinstance(value, int) \
                    and value != DECLINE_CODE and value not in condition.in_:
                done[question.id] = question.skip_implies
        return done

    def clean(self, answers: Mapping[str, object]) -> dict[str, object]:
        """The answers to visible questions only (unknown keys are dropped too), with the known ones."""
        known: dict[str, object] = self._known  # type: ignore[attr-defined]
        answers = {**answers, **known} if known else answers
        cleaned: dict[str, object] = dict(known)
        for question in self._all_questions:  # type: ignore[attr-defined]
            if not self.visible(question, answers):
                continue
            for variable in question.variables():
                if variable.name in answers:
                    cleaned[variable.name] = answers[variable.name]
        return cleaned
