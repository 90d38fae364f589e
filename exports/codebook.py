"""The codebook that goes beside every export: variables, question texts, codes and labels."""

from __future__ import annotations

from dataclasses import dataclass

from surveys.instruments import Instrument, Text

from .records import Column, columns_for

__all__ = ["CODEBOOK_HEADER", "CodebookRow", "codebook_header", "codebook_rows"]

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

DRAFT_NOTE = "kladde – en modersmålstalende skal gennemse oversættelsen før brug"

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
    more: tuple[str, ...] = ()  # per further language: the variable's label, then the code's

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
            *self.more,
        )


def codebook_header(instrument: Instrument) -> tuple[str, ...]:
    """The columns: those of ``CODEBOOK_HEADER``, then two per language beyond Danish and English
    (a draft translation says so in its header)."""
    extra: list[str] = []
    for lang in instrument.languages[2:]:
        note = f" ({DRAFT_NOTE})" if instrument.is_draft(lang) else ""
        extra += [f"variabel_label_{lang}{note}", f"kode_label_{lang}{note}"]
    return (*CODEBOOK_HEADER, *extra)


def _more(label: Text, code_label: Text | None, languages: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        text
        for lang in languages
        for text in (
            label.get(lang) if label.has(lang) else "",
            code_label.get(lang) if code_label is not None and code_label.has(lang) else "",
        )
    )


def _rows(column: Column, languages: tuple[str, ...]) -> list[CodebookRow]:
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
        return [CodebookRow(**base, more=_more(column.label, None, languages))]
    return [
        CodebookRow(**base, code=option.code, code_label=option.label.da, code_label_en=option.label.en,
                    more=_more(column.label, option.label, languages))
        for option in column.value_labels
    ]


def codebook_rows(instrument: Instrument) -> list[CodebookRow]:
    """One row per variable without codes, one row per code otherwise, in column order."""
    languages = instrument.languages[2:]
    return [row for column in columns_for(instrument) for row in _rows(column, languages)]
