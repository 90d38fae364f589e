"""The codebook that goes beside every export: variables, question texts, codes and labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from surveys.instruments import DECLINE_CODE, Instrument, Text

from .records import Column, columns_for

__all__ = ["CODEBOOK_HEADER", "NOTE_VARIABLE", "CodebookRow", "codebook_header", "codebook_rows", "variable_note"]

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
    note: str = ""
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
            self.note,
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


def _rows(column: Column, languages: tuple[str, ...], note: str = "") -> list[CodebookRow]:
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
        return [CodebookRow(**base, note=note, more=_more(column.label, None, languages))]
    return [
        CodebookRow(**base, code=option.code, code_label=option.label.da, code_label_en=option.label.en,
                    note=note if i == 0 else "", more=_more(column.label, option.label, languages))
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
    """One row per variable without codes, one row per code otherwise, in column order; then one
    row per version change (what changed, and which years it keeps apart); then one row per note on
    what was done to the rows (:mod:`exports.levels`)."""
    languages = instrument.languages[2:]
    rows = [
        row
        for column in columns_for(instrument)
        for row in _rows(column, languages, variable_note(instrument, column.name))
    ]
    for change in instrument.changes:
        rows.append(CodebookRow(f"version_{change.version}", "", "ændring", f"Version {change.version}", "", "",
                                note=change.text.da, more=_more(change.text, None, languages)))
    blank = ("",) * (2 * len(languages))
    return rows + [CodebookRow(NOTE_VARIABLE, "", "note", note, "", "", more=blank) for note in notes]
