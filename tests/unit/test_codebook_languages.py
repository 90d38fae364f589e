"""The codebook beside every export carries each further language's labels and flags drafts."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from exports.codebook import CODEBOOK_HEADER, codebook_header, codebook_rows
from exports.records import ResponseRecord
from exports.xlsx_export import responses_xlsx
from surveys.instruments import PUPIL_INSTRUMENT, STAFF_INSTRUMENT, builtin_instruments

__all__: list[str] = []

PUPIL = builtin_instruments()[PUPIL_INSTRUMENT]


def test_two_columns_per_further_language_with_the_draft_note() -> None:
    header = codebook_header(PUPIL)
    assert header[: len(CODEBOOK_HEADER)] == CODEBOOK_HEADER
    extra = header[len(CODEBOOK_HEADER):]
    assert [name.split(" ")[0] for name in extra] == [
        "variabel_label_uk", "kode_label_uk", "variabel_label_ar", "kode_label_ar"]
    assert all("kladde – en modersmålstalende skal gennemse oversættelsen før brug" in name for name in extra)
    assert codebook_header(builtin_instruments()[STAFF_INSTRUMENT]) == CODEBOOK_HEADER


def test_rows_carry_the_labels_in_every_language() -> None:
    rows = {(row.variable, row.code): row.cells() for row in codebook_rows(PUPIL)}
    width = len(codebook_header(PUPIL))
    assert all(len(cells) == width for cells in rows.values())
    girl = rows[("koen", 2)]
    assert girl[-4:] == ("Ти …", "Дівчина", "هل أنت …", "بنت")
    decline = rows[("koen", 98)]
    assert decline[-3] == "Не хочу відповідати" and decline[-1] == "أفضّل عدم الإجابة"
    ticked = rows[("kender_tilbud_2", 1)]  # a multi question's 0/1 variable: question and option together
    assert ticked[-4].endswith(": headspace") and ticked[-3] == "Вибрано" and ticked[-1] == "مختار"


def test_the_xlsx_codebook_sheet_has_them_too() -> None:
    record = ResponseRecord(2026, "Skole", "7.a", 7, "ar", {"koen": 2})
    book = load_workbook(io.BytesIO(responses_xlsx([record], PUPIL)), read_only=True)
    answers = list(book["Svar"].iter_rows(values_only=True))
    assert answers[1][answers[0].index("language")] == "ar"
    sheet = list(book["Kodebog"].iter_rows(values_only=True))
    assert sheet[0] == codebook_header(PUPIL)
    assert any(row[0] == "koen" and row[6] == 2 and row[-1] == "بنت" for row in sheet[1:])
