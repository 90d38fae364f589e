"""The response CSV format: demo data round-trips; every bad cell is reported with line and column."""

from __future__ import annotations

import io

import pytest

from surveys.errors import InvalidInput
from surveys.instruments import builtin_instruments
from surveys.responses.csv_format import CONTEXT_COLUMNS, CsvResponse, csv_columns, read_responses_csv, write_responses_csv
from surveys.responses.synthetic import synthetic_responses

INSTRUMENT = builtin_instruments()["ung-trivsel-rusmidler"]
HEADER = ",".join(csv_columns(INSTRUMENT))


def _read(text: str, **kwargs) -> list[CsvResponse]:
    return read_responses_csv(io.StringIO(text), INSTRUMENT, **kwargs)


def _problems(text: str, **kwargs) -> dict[str, str]:
    with pytest.raises(InvalidInput) as info:
        _read(text, **kwargs)
    assert "intet er importeret" in info.value.message
    return info.value.problems


def test_demo_data_round_trips():
    data = synthetic_responses(INSTRUMENT, schools=3, years=[2010, 2026], pupils=30, seed=4)
    original = list(data.rows())
    buffer = io.StringIO()
    assert write_responses_csv(buffer, INSTRUMENT, original) == len(original)
    assert buffer.getvalue().splitlines()[0] == HEADER
    assert _read(buffer.getvalue()) == original


def test_text_answers_and_formula_like_names_round_trip():
    response = CsvResponse(2025, "=Skole", "-7.a", 7, "en", {"besked": '=cmd|" /C calc"!A0\nto linjer', "koen": 98})
    buffer = io.StringIO()
    write_responses_csv(buffer, INSTRUMENT, [response])
    assert "'=Skole" in buffer.getvalue()
    assert _read(buffer.getvalue()) == [response]


def test_semicolons_bom_and_missing_question_columns_are_accepted():
    text = "\ufeffyear;school;hash_nogensinde\n2010;Skole 01;2\n2010;Skole 02;\n"
    rows = _read(text.lstrip("\ufeff"))
    assert rows == [CsvResponse(2010, "Skole 01", "", None, "da", {"hash_nogensinde": 2}), CsvResponse(2010, "Skole 02")]


def test_bad_code_is_reported_with_line_column_and_valid_codes():
    text = "year,school,hash_nogensinde,koen\n2024,A,1,1\n2024,A,1,2\n2024,A,7,1\n"
    problems = _problems(text)
    assert problems == {"linje 4, kolonne hash_nogensinde": "koden 7 findes ikke (gyldige: 1, 2, 3, 98)"}


@pytest.mark.parametrize(
    ("line", "key", "reason"),
    [
        ("abc,A,,,,", "linje 2, kolonne year", "'abc' er ikke et årstal"),
        ("1890,A,,,,", "linje 2, kolonne year", "årstallet 1890 ligger uden for 1990–2100"),
        ("2024,,,,,", "linje 2, kolonne school", "skolens navn mangler"),
        ("2024,A,,14,,", "linje 2, kolonne grade", "klassetrin skal være et helt tal fra 0 til 13, ikke '14'"),
        ("2024,A,,,Dansk,", "linje 2, kolonne language", "sproget skal være en sprogkode som da, en, uk eller ar, ikke 'Dansk'"),
        ("2024,A,,,,11", "linje 2, kolonne livstilfredshed", "11 ligger uden for 0–10"),
        ("2024,A,,,,ja", "linje 2, kolonne livstilfredshed", "'ja' er ikke et helt tal"),
        ("2024,A,,", "linje 2", "4 felter, men overskriften har 6"),
    ],
)
def test_each_kind_of_bad_cell(line, key, reason):
    assert _problems(f"year,school,class,grade,language,livstilfredshed\n{line}\n") == {key: reason}


def test_multi_questions_need_every_option_or_none():
    names = [f"kender_tilbud_{c}" for c in (1, 2, 3, 4, 5)]
    text = f"year,school,{','.join(names)}\n2024,A,1,0,0,0,0\n2024,A,,,,,\n2024,A,1,,0,0,2\n"
    problems = _problems(text)
    assert problems["linje 4, kolonne kender_tilbud_2"].startswith("mangler: når kender_tilbud er besvaret")
    assert problems["linje 4, kolonne kender_tilbud_5"] == "'2' skal være 0 eller 1"


def test_header_problems_stop_before_the_rows():
    problems = _problems("year,skole,hash_ever,hash_ever\n2024,A,1,1\n")
    assert set(problems) == {"linje 1, kolonne skole", "linje 1, kolonne hash_ever", "linje 1, kolonne school"}


def test_unknown_schools_reported_once_on_their_first_line():
    text = "year,school\n2024,A\n2024,B\n2024,B\n"
    assert _problems(text, schools={"A"}) == {
        "linje 3, kolonne school": "skolen 'B' findes ikke (brug --create-schools for at oprette den)"
    }


def test_empty_file_and_many_problems():
    assert _problems("year,school\n") == {}
    lines = "\n".join(f"2024,A,{9}" for _ in range(80))
    with pytest.raises(InvalidInput) as info:
        _read(f"year,school,hash_nogensinde\n{lines}\n")
    assert len(info.value.problems) == 50 and info.value.message.startswith("80 fejl")


def test_context_columns_come_first():
    assert tuple(csv_columns(INSTRUMENT)[:5]) == CONTEXT_COLUMNS
