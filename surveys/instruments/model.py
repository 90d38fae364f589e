"""Instrument model: the frozen dataclasses a questionnaire file loads into.

Answers are always *canonical*: a flat ``dict`` from variable name to value
(see ``docs/instrument-format.md``). A missing key means "not answered".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

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

DECLINE_CODE = 98
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
class Text:
    """A text in Danish, English and any further languages (``more``: (BCP 47 code, text) pairs)."""

    da: str
    en: str
    more: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, values: Mapping[str, str]) -> Text:
        """A text from ``{language: text}`` (``da`` and ``en`` required)."""
        return cls(
            values["da"],
            values["en"],
            tuple((lang, value) for lang, value in values.items() if lang not in ("da", "en")),
        )

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this text is written in, Danish and English first."""
        return ("da", "en", *(lang for lang, _ in self.more))

    def as_dict(self) -> dict[str, str]:
        """``{language: text}``, Danish and English first."""
        return {"da": self.da, "en": self.en, **dict(self.more)}

    def has(self, lang: str) -> bool:
        """True if the text is written in ``lang``."""
        return lang in ("da", "en") or any(code == lang for code, _ in self.more)

    def get(self, lang: str) -> str:
        """The text in ``lang``; Danish when that language is missing."""
        if lang == "en":
            return self.en or self.da
        for code, value in self.more:
            if code == lang:
                return value
        return self.da


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
class Target:
    """A strategy target; for shares ``value`` is a fraction (the file says percent)."""

    op: Literal["<=", ">="]
    value: float
    year: int | None = None
    text: Text | None = None

    def met(self, estimate: float) -> bool:
        """True if ``estimate`` meets the target."""
        return estimate <= self.value if self.op == "<=" else estimate >= self.value


@dataclass(frozen=True)
class Indicator:
    """A derived per-respondent value: a share (1/0) or a scale mean.

    ``decline_variable`` and ``scale`` are filled in by the loader: the decline
    variable of a sensitive multi question (set => the respondent is missing) and
    the value range of the variable (share of an int) or of the mean items.
    """

    id: str
    kind: Literal["share", "mean"]
    label: Text
    variable: str | None = None
    yes: tuple[int, ...] = ()
    items: tuple[str, ...] = ()
    reverse: tuple[str, ...] = ()
    min_answered: float = 0.5
    goal: bool = False
    target: Target | None = None
    decline_variable: str | None = None
    scale: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.reverse and self.scale is None:
            raise ValueError(
                f"indicator {self.id!r}: reverse scoring needs the items' scale"
            )

    def value(self, answers: Mapping[str, object]) -> float | None:
        """Share: 1.0 / 0.0 / None (missing or declined). Mean: the mean or None."""
        if self.kind == "share":
            return self._share(answers)
        return self._mean(answers)

    def _number(self, value: object) -> int | None:
        """``value`` if it is a usable answer, else None (missing, declined, out of range)."""
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        if self.scale is not None:
            return value if self.scale[0] <= value <= self.scale[1] else None
        return None if value == DECLINE_CODE else value

    def _share(self, answers: Mapping[str, object]) -> float | None:
        if (
            self.decline_variable is not None
            and answers.get(self.decline_variable) == 1
        ):
            return None
        value = self._number(answers.get(self.variable or ""))
        if value is None:
            return None
        return 1.0 if value in self.yes else 0.0

    def _mean(self, answers: Mapping[str, object]) -> float | None:
        values: list[int] = []
        for name in self.items:
            value = self._number(answers.get(name))
            if value is None:
                continue
            if name in self.reverse and self.scale is not None:
                value = self.scale[0] + self.scale[1] - value
            values.append(value)
        if not values or len(values) < self.min_answered * len(self.items):
            return None
        return sum(values) / len(values)


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

    def clean(self, answers: Mapping[str, object]) -> dict[str, object]:
        """The answers to visible questions only (unknown keys are dropped too)."""
        cleaned: dict[str, object] = {}
        for question in self._all_questions:  # type: ignore[attr-defined]
            if not self.visible(question, answers):
                continue
            for variable in question.variables():
                if variable.name in answers:
                    cleaned[variable.name] = answers[variable.name]
        return cleaned
