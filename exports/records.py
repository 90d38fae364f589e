"""What a response export holds: anonymous records and their columns.

A record carries only what analysis needs (year, school, class, grade,
language) and the canonical answers. No response id, link, date or time is
exported, and records are written sorted by year, school and class, so row
order says nothing about who answered when. The column layout is the wide
format of ``surveys/responses/csv_format.py``, which ``trivsel import responses`` reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from surveys.instruments import Instrument, Text, Variable
from surveys.responses.csv_format import CONTEXT_COLUMNS as CONTEXT_NAMES
from surveys.responses.csv_format import CsvResponse

__all__ = [
    "CONTEXT_COLUMNS",
    "Column",
    "ResponseRecord",
    "columns_for",
    "record_values",
    "sorted_records",
]


ResponseRecord = CsvResponse  # the same record the import reads


@dataclass(frozen=True, slots=True)
class Column:
    """An export column: ``kind`` is ``int``, ``code``, ``codes01`` or ``text``;
    ``question`` is the question text (for matrix items the question's stem)."""

    name: str
    label: Text
    kind: str
    question_id: str = ""
    question: Text | None = None
    question_type: str = ""
    value_labels: tuple = ()

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


_CONTEXT = {
    "year": (Text("År", "Year"), "int"),
    "school": (Text("Skole", "School"), "text"),
    "class": (Text("Klasse", "Class"), "text"),
    "grade": (Text("Klassetrin", "Grade"), "int"),
    "language": (Text("Sprog (BCP 47: da, en, uk, ar …)", "Language (BCP 47: da, en, uk, ar …)"), "text"),
}
CONTEXT_COLUMNS: tuple[Column, ...] = tuple(Column(n, *_CONTEXT[n]) for n in CONTEXT_NAMES)


def _variable_column(instrument: Instrument, variable: Variable) -> Column:
    question = instrument.question(variable.question_id)
    return Column(
        variable.name,
        variable.label,
        variable.kind,
        variable.question_id,
        question.text,
        question.type,
        variable.value_labels,
    )


def columns_for(instrument: Instrument) -> list[Column]:
    """The context columns, then one column per instrument variable in questionnaire order."""
    return [*CONTEXT_COLUMNS, *(_variable_column(instrument, v) for v in instrument.variables())]


def _context_value(record: ResponseRecord, name: str) -> object:
    return {
        "year": record.year,
        "school": record.school,
        "class": record.class_name,
        "grade": record.grade,
        "language": record.language,
    }.get(name)


def _answer(column: Column, value: object) -> object:
    if value is None:
        return None
    if column.kind == "text":
        return str(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None  # not a usable code; exported as "not answered"
    return value


def record_values(columns: list[Column], record: ResponseRecord) -> list[object]:
    """The record's cells in column order: ``int``, ``str`` or ``None`` (not answered)."""
    out: list[object] = []
    for column in columns:
        if column.question_id:
            out.append(_answer(column, record.answers.get(column.name)))
        else:
            out.append(_context_value(record, column.name))
    return out


def sorted_records(records: Iterable[ResponseRecord]) -> Iterator[ResponseRecord]:
    """Records by year, school, class and grade (a stable order that reveals nothing)."""
    return iter(sorted(records, key=lambda r: (r.year, r.school, r.class_name, r.grade or 0)))
