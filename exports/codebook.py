"""The codebook that goes beside every export: variables, question texts, codes and labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from surveys.instruments import Instrument

from .records import Column, columns_for

__all__ = ["CODEBOOK_HEADER", "NOTE_VARIABLE", "CodebookRow", "codebook_rows"]

NOTE_VARIABLE = "_anonymisering"  # the codebook's lines that say what the export's level did

CODEBOOK_HEADER = (
    "variabel",
    "spørgsmål_id",
    "type",
    "spørgsmål",
    "variabel_label",
    "variabel_label_en",
    "kode",
    "kode_label",
    "kode_label_en",
)

_TYPES = {"int": "heltal", "code": "kode", "codes01": "0/1 (valgt)", "text": "tekst"}


@dataclass(frozen=True, slots=True)
class CodebookRow:
    """One line: a variable, or one of its codes (``code`` set)."""

    variable: str
    question_id: str
    type: str
    question: str
    label: str
    label_en: str
    code: int | None = None
    code_label: str = ""
    code_label_en: str = ""

    def cells(self) -> tuple[object, ...]:
        return (
            self.variable,
            self.question_id,
            self.type,
            self.question,
            self.label,
            self.label_en,
            self.code,
            self.code_label,
            self.code_label_en,
        )


def _rows(column: Column) -> list[CodebookRow]:
    kind = _TYPES.get(column.kind, column.kind)
    if column.question_type:
        kind = f"{kind} ({column.question_type})"
    base = dict(
        variable=column.name,
        question_id=column.question_id,
        type=kind,
        question=column.question.da if column.question else "",
        label=column.label.da,
        label_en=column.label.en,
    )
    if not column.value_labels:
        return [CodebookRow(**base)]
    return [
        CodebookRow(**base, code=option.code, code_label=option.label.da, code_label_en=option.label.en)
        for option in column.value_labels
    ]


def codebook_rows(instrument: Instrument, notes: Sequence[str] = ()) -> list[CodebookRow]:
    """One row per variable without codes, one row per code otherwise, in column order; then
    one row per note on what was done to the rows (:mod:`exports.levels`)."""
    rows = [row for column in columns_for(instrument) for row in _rows(column)]
    return rows + [CodebookRow(NOTE_VARIABLE, "", "note", note, "", "") for note in notes]
