"""The levels of a response export, as the statistics offices have them.

* ``standard`` (the default, for admins and analysts): k-anonymous on the
  quasi-identifiers year, school, class, grade, gender and language
  (:func:`analysis.disclosure.k_anonymise`: class dropped, then grade, then gender
  coarsened and dropped, language, school - only where a combination is shared by
  fewer than k rows; rows that never reach k are left out). Free text is taken out of
  the answer rows and given apart, in random order, without school or class, and only
  from schools with at least k answers that year. :attr:`StandardExport.notes` say what was
  done; they go into the codebook.
* ``raw`` (admins only, with a reason; every one is audited): one row per response
  as stored, free text included.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.disclosure import Step, k_anonymise, smallest_group
from surveys.instruments import DECLINE_CODE, Instrument

from .records import ResponseRecord, columns_for

__all__ = [
    "LEVELS",
    "OTHER_SCHOOLS",
    "QUASI_IDENTIFIERS",
    "FreeText",
    "StandardExport",
    "quasi_identifiers",
    "standard_export",
]

LEVELS = ("standard", "raw")
QUASI_IDENTIFIERS = ("year", "school", "class", "grade", "gender", "language")
GENDER_VARIABLE = "koen"
OTHER_GENDER = 3  # "Andet"
OTHER_SCHOOLS = "Øvrige skoler"
_STEPS = (
    Step("klassen fjernet", "class", lambda v: ""),
    Step("klassetrinnet fjernet", "grade", lambda v: None),
    Step("køn \"Andet\" og \"Vil ikke svare\" sat til ikke oplyst", "gender",
         lambda v: None if v in (OTHER_GENDER, DECLINE_CODE) else v),
    Step("kønnet fjernet", "gender", lambda v: None),
    Step("sproget fjernet", "language", lambda v: ""),
    Step(f"skolen samlet som \"{OTHER_SCHOOLS}\"", "school", lambda v: OTHER_SCHOOLS),
)


@dataclass(frozen=True, slots=True)
class FreeText:
    """One free-text answer, apart from its response: the variable and the text."""

    variable: str
    question: str
    text: str


@dataclass(frozen=True, slots=True)
class StandardExport:
    records: list[ResponseRecord]
    free_text: list[FreeText]
    notes: list[str]
    threshold: int


def quasi_identifiers(record: ResponseRecord) -> dict[str, object]:
    """A record's quasi-identifiers (gender from the answers; None when not stated)."""
    gender = record.answers.get(GENDER_VARIABLE)
    return {
        "year": record.year, "school": record.school, "class": record.class_name or "", "grade": record.grade,
        "gender": gender if isinstance(gender, int) and not isinstance(gender, bool) else None,
        "language": record.language or "",
    }


def _apply(record: ResponseRecord, qi: dict[str, object], text_variables: set[str]) -> ResponseRecord:
    answers = {k: v for k, v in record.answers.items() if k not in text_variables}
    if qi["gender"] is None:
        answers.pop(GENDER_VARIABLE, None)
    else:
        answers[GENDER_VARIABLE] = qi["gender"]
    return dataclasses.replace(
        record, school=str(qi["school"]), class_name=str(qi["class"]), grade=qi["grade"],  # type: ignore[arg-type]
        language=str(qi["language"]), answers=answers,
    )


def standard_export(records: Sequence[ResponseRecord], instrument: Instrument, threshold: int) -> StandardExport:
    """The default level of a response export (module docstring)."""
    columns = columns_for(instrument)
    text_columns = [c for c in columns if c.kind == "text" and c.question_id]
    text_variables = {c.name for c in text_columns}
    result = k_anonymise([quasi_identifiers(r) for r in records], QUASI_IDENTIFIERS, _STEPS, threshold)
    kept = [_apply(records[i], dict(qi), text_variables) for i, qi in zip(result.kept, result.values)]
    school_years = Counter((r.year, r.school) for r in records)
    free = [
        FreeText(c.name, c.question.da if c.question else c.label.da, str(r.answers[c.name]).strip())
        for r in records if school_years[(r.year, r.school)] >= threshold
        for c in text_columns if str(r.answers.get(c.name) or "").strip()
    ]
    random.SystemRandom().shuffle(free)
    smallest = smallest_group([quasi_identifiers(r) for r in kept], QUASI_IDENTIFIERS)
    notes = [
        f"Standardudtræk, k-anonymt med k = {threshold}: hver kombination af år, skole, klasse, klassetrin, køn og "
        f"sprog deles af mindst {threshold} rækker (den mindste gruppe har {smallest}).",
        *(f"I {n} rækker er {name}, fordi deres kombination ellers var delt af færre end {threshold} rækker."
          for name, n in result.changed.items() if n),
    ]
    if result.left_out:
        notes.append(f"{result.left_out} rækker er udeladt: de var i en gruppe under {threshold}, selv uden klasse, "
                     f"klassetrin, køn, sprog og skole.")
    if text_variables:
        notes.append(
            f"Fritekst ({', '.join(sorted(text_variables))}) er taget ud af svarrækkerne og står for sig selv i "
            f"tilfældig rækkefølge uden skole og klasse, kun fra skoler med mindst {threshold} svar i året "
            f"({len(free)} tekster)."
        )
    return StandardExport(kept, free, notes, threshold)
