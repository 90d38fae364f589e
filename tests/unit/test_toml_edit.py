"""In-place TOML edits (``surveys.instruments.toml_edit``) and the translation import's edge cases."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.instruments import InstrumentError, load_instrument_text
from surveys.instruments.builtin import builtin_paths
from surveys.instruments.toml_edit import Edit, apply, locate, render_string
from surveys.instruments.translation import SheetRow, TranslationSheet, import_translation, translation_sheet
from tests.unit.instrument_texts import MINIMAL

__all__: list[str] = []


def _value(data, path):
    for key in path:
        data = data[key]
    return data


@pytest.mark.parametrize("path", builtin_paths(), ids=lambda p: p.name)
def test_every_located_value_is_the_parsed_value(path) -> None:
    source = path.read_text(encoding="utf-8")
    data = tomllib.loads(source)
    found = locate(source)
    assert len(found) > 200
    for where, located in found.items():
        assert tomllib.loads("x = " + source[located.start : located.end])["x"] == _value(data, where), where


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_string_is_rendered_as_a_toml_string_that_reads_back(value: str) -> None:
    assert tomllib.loads(f"x = {render_string(value)}")["x"] == value


def test_edits_keep_comments_layout_and_line_endings() -> None:
    source = 'a = "x"  # note\r\n[t]\r\nb = """multi\r\nline"""\r\nc = { d = \'lit\', e = [1, 2] }\r\n'
    found = locate(source)
    edits = [Edit(found[("a",)].start, found[("a",)].end, '"y"'), Edit(found[("t", "c", "d")].start,
                                                                      found[("t", "c", "d")].end, '"z"')]
    result = apply(source, edits)
    assert result == source.replace('"x"', '"y"').replace("'lit'", '"z"')
    assert tomllib.loads(result)["t"]["b"] == "multi\nline"


def sheet_of(text: str, language: str, fill: dict[str, str] | None = None) -> TranslationSheet:
    sheet = translation_sheet(text, "mini.toml", language)
    rows = tuple(SheetRow(r.key, r.da, r.en, (fill or {}).get(r.key, f"[{language}] {r.en}")) for r in sheet.rows)
    return TranslationSheet(sheet.instrument, sheet.version, language, rows)


def test_a_languages_table_header_gets_the_new_language_as_a_line() -> None:
    text = MINIMAL.replace('audience = "pupil"\n', 'audience = "pupil"\n', 1)
    # The languages as a [languages] table before the option sets, written as a translator might find it.
    text = text.replace("[option_sets]", '[languages]\nda = "validated"\nen = "validated"\n\n[option_sets]')
    result = import_translation(text, "mini.toml", sheet_of(text, "uk"))
    assert 'en = "validated"\nuk = "draft"\n\n[option_sets]' in result
    assert load_instrument_text(result, "mini.toml").languages == ("da", "en", "uk")


def test_a_file_without_languages_gets_a_table_after_its_audience() -> None:
    result = import_translation(MINIMAL, "mini.toml", sheet_of(MINIMAL, "ar"))
    assert 'audience = "pupil"\nlanguages = { da = "validated", en = "validated", ar = "draft" }\n' in result
    instrument = load_instrument_text(result, "mini.toml")
    assert instrument.question("hash").text.get("ar") == "[ar] Cannabis?"
    # And back: the same sheet again changes nothing.
    assert import_translation(result, "mini.toml", sheet_of(result, "ar")) == result


def test_the_wrong_instrument_an_unknown_key_or_danish_is_refused() -> None:
    sheet = sheet_of(MINIMAL, "uk")
    wrong = TranslationSheet("mini", 2, "uk", sheet.rows + (SheetRow("question.nope.text", "x", "x", "x"),))
    with pytest.raises(InstrumentError) as error:
        import_translation(MINIMAL, "mini.toml", wrong)
    messages = [str(p) for p in error.value.problems]
    assert "mini.toml: the sheet is for mini version 2, the file is mini version 3" in messages
    assert "mini.toml: question.nope.text: the instrument has no such text (is the sheet for another version?)" in messages
    with pytest.raises(InstrumentError, match="Danish is the source language"):
        import_translation(MINIMAL, "mini.toml", TranslationSheet("mini", 3, "da", ()))
    with pytest.raises(InstrumentError, match="not a BCP 47 language tag"):
        translation_sheet(MINIMAL, "mini.toml", "Ukrainian")
