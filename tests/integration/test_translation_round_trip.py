"""The translator's round trip through the real CLI and a real .xlsx: sheet out, Excel edits, sheet in."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from surveys.instruments import PUPIL_INSTRUMENT, load_instrument
from surveys.instruments.builtin import INSTRUMENT_DIR

PUPIL_FILE = INSTRUMENT_DIR / f"{PUPIL_INSTRUMENT}.toml"
STAFF_FILE = INSTRUMENT_DIR / "temadag-evaluering.toml"


def trivsel(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "server.cli", *args], capture_output=True, text=True, timeout=120)


def sheet_for(tmp_path: Path, file: Path, language: str, instrument: str = PUPIL_INSTRUMENT) -> Path:
    out = tmp_path / f"{language}.xlsx"
    result = trivsel("instruments", "translation-sheet", instrument, "--language", language, "--out", str(out),
                     "--file", str(file))
    assert result.returncode == 0, result.stderr
    return out


def fill(sheet: Path, cells: dict[str, str | None], column: int = 4) -> None:
    """Edit the target column as a translator in Excel would (``None`` empties the cell)."""
    book = load_workbook(sheet)
    texts = book["Oversættelse"]
    for row in texts.iter_rows(min_row=2):
        key = row[0].value
        if key in cells:
            texts.cell(row=row[0].row, column=column, value=cells[key])
    book.save(sheet)


@pytest.mark.parametrize("language", ["uk", "ar", "en"])
def test_an_unchanged_sheet_gives_a_byte_identical_file(tmp_path: Path, language: str) -> None:
    file = tmp_path / "pupil.toml"
    shutil.copy(PUPIL_FILE, file)
    sheet = sheet_for(tmp_path, file, language)
    book = load_workbook(sheet)
    rows = list(book["Oversættelse"].iter_rows(values_only=True))
    assert rows[0][:3] == ("key", "Dansk (da)", "English (en)")
    if language == "uk":
        assert rows[0][3] == "Українська (uk)"
        assert ("question.koen.option.2", "Pige", "A girl", "Дівчина") in rows
    book.close()
    # Opened and saved in a spreadsheet program, nothing typed: the file keeps every byte.
    fill(sheet, {})
    result = trivsel("instruments", "translation-import", str(sheet), "--file", str(file))
    assert result.returncode == 0, result.stderr
    assert "unchanged" in result.stdout
    assert file.read_bytes() == PUPIL_FILE.read_bytes()


def test_one_changed_cell_changes_one_value_and_nothing_else(tmp_path: Path) -> None:
    file = tmp_path / "pupil.toml"
    shutil.copy(PUPIL_FILE, file)
    sheet = sheet_for(tmp_path, file, "uk")
    fill(sheet, {"question.koen.option.2": "Дівчинка", "intro": 'Новий вступ з "лапками"\nі другим рядком'})
    result = trivsel("instruments", "translation-import", str(sheet), "--file", str(file))
    assert result.returncode == 0, result.stderr
    before, after = PUPIL_FILE.read_text().splitlines(), file.read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 2
    assert changed[0][1] == r'intro.uk = "Новий вступ з \"лапками\"\nі другим рядком"'
    assert 'uk = "Дівчинка"' in changed[1][1] and 'da = "Pige"' in changed[1][1]
    instrument = load_instrument(file)
    assert instrument.intro.get("uk") == 'Новий вступ з "лапками"\nі другим рядком'
    assert instrument.question("koen").options[1].label.get("uk") == "Дівчинка"


def test_a_new_language_goes_beside_its_siblings_as_a_draft(tmp_path: Path) -> None:
    file = tmp_path / "staff.toml"
    shutil.copy(STAFF_FILE, file)
    sheet = sheet_for(tmp_path, file, "pl", "temadag-evaluering")
    rows = list(load_workbook(sheet)["Oversættelse"].iter_rows(min_row=2, values_only=True))
    fill(sheet, {key: f"PL {da}" for key, da, *_ in rows})
    result = trivsel("instruments", "translation-import", str(sheet), "--file", str(file))
    assert result.returncode == 0, result.stderr
    instrument = load_instrument(file)
    assert instrument.languages == ("da", "en", "pl") and instrument.drafts == ("pl",)
    assert all(q.text.get("pl") == f"PL {q.text.da}" for q in instrument.questions())
    # Without the Polish texts and the languages line, the file is the original byte for byte.
    stripped = re.sub(r', pl = "(?:[^"\\]|\\.)*"', "", file.read_text())
    stripped = "".join(line for line in stripped.splitlines(keepends=True) if not re.match(r"[\w.]+\.pl = ", line))

    def without_languages(text: str) -> str:
        return re.sub(r"(?m)^languages = .*\n", "", text)

    assert without_languages(stripped) == without_languages(STAFF_FILE.read_text())
    # Marked validated after a native speaker's review: only the status changes.
    again = trivsel("instruments", "translation-import", str(sheet), "--file", str(file), "--status", "validated")
    assert again.returncode == 0, again.stderr
    assert load_instrument(file).drafts == ()


def test_a_sheet_missing_one_option_is_refused_and_names_it(tmp_path: Path) -> None:
    file = tmp_path / "staff.toml"
    shutil.copy(STAFF_FILE, file)
    sheet = sheet_for(tmp_path, file, "so", "temadag-evaluering")
    rows = list(load_workbook(sheet)["Oversættelse"].iter_rows(min_row=2, values_only=True))
    cells = {key: f"SO {da}" for key, da, *_ in rows}
    option_key = next(key for key in cells if ".option." in key)
    cells[option_key] = None
    fill(sheet, cells)
    result = trivsel("instruments", "translation-import", str(sheet), "--file", str(file))
    assert result.returncode == 1
    question, code = option_key.split(".")[1], option_key.split(".")[-1]
    assert f"{file}: {question}: option {code}: missing so text" in result.stderr
    assert file.read_bytes() == STAFF_FILE.read_bytes()


def test_a_sheet_whose_danish_changed_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "pupil.toml"
    shutil.copy(PUPIL_FILE, file)
    sheet = sheet_for(tmp_path, file, "ar")
    fill(sheet, {"question.koen.option.2": "Pige!"}, column=2)
    result = trivsel("instruments", "translation-import", str(sheet), "--file", str(file))
    assert result.returncode == 1
    assert "question.koen.option.2: the Danish text has changed since the sheet was made" in result.stderr
    assert file.read_bytes() == PUPIL_FILE.read_bytes()
