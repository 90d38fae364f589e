"""The codebook that goes beside every export: variables, question texts, codes and labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from surveys.instruments import DECLINE_CODE, Instrument

from .records import Column, columns_for

__all__ = ["CODEBOOK_HEADER", "NOTE_VARIABLE", "CodebookRow", "codebook_rows", "variable_note"]

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
    "bemærkning",
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
    note: str = ""

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
            self.note,
        )


def _rows(column: Column, note: str = "") -> list[CodebookRow]:
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
        return [CodebookRow(**base, note=note)]
    return [
        CodebookRow(**base, code=option.code, code_label=option.label.da, code_label_en=option.label.en,
                    note=note if i == 0 else "")
        for i, option in enumerate(column.value_labels)
    ]


def variable_note(instrument: Instrument, name: str) -> str:
    """How a variable is asked, when that is not simply "everyone is asked": the grade taken from
    the class, conditions, answers implied by a skip, "Vil ikke svare", indicators of a sub-population."""
    try:
        question = instrument.question(_question_id(instrument, name))
    except KeyError:
        return ""
    notes = []
    if question.known_from == "class":
        notes.append("Udfyldt fra klassens klassetrin, når linket hører til en klasse (spørgsmålet stilles så ikke)")
    condition = question.show_if
    if condition is not None:
        codes = ", ".join(str(c) for c in condition.in_)
        notes.append(f"Stilles kun, når {condition.question} er {codes}")
        if question.skip_implies is not None:
            notes.append(f"ellers gemt som kode {question.skip_implies}, når {condition.question} er besvaret "
                         "(ikke ved 98)")
    if question.sensitive:
        notes.append(f"{DECLINE_CODE} = Vil ikke svare (tæller som ubesvaret)")
    for ind in instrument.indicators:
        if ind.population is not None and name in (ind.variable, *ind.items):
            notes.append(f"Indikatoren »{ind.labelled('da')}«")
    return "; ".join(notes) + ("." if notes else "")


def _question_id(instrument: Instrument, name: str) -> str:
    for variable in instrument.variables():
        if variable.name == name:
            return variable.question_id
    return name


def codebook_rows(instrument: Instrument, notes: Sequence[str] = ()) -> list[CodebookRow]:
    """One row per variable without codes, one row per code otherwise, in column order (with a note
    on how it is asked); then one row per version change (what changed, and which years it keeps
    apart); then one row per note on what was done to the rows (:mod:`exports.levels`)."""
    rows = [row for column in columns_for(instrument) for row in _rows(column, variable_note(instrument, column.name))]
    for change in instrument.changes:
        rows.append(CodebookRow(f"version_{change.version}", "", "ændring", f"Version {change.version}", "", "",
                                note=change.text.da))
    return rows + [CodebookRow(NOTE_VARIABLE, "", "note", note, "", "") for note in notes]
