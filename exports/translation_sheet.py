"""The translation sheet as an Excel file: written with xlsxwriter, read back with openpyxl.

Sheet "Oversættelse" has one row per text: key, Danish, English and the target language
(empty where the file has no text yet); sheet "trivsel" names the instrument, its version and
the language. Texts are written as they are (no formula neutralising: a translator's
spreadsheet must give the same strings back).
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from surveys.errors import InvalidInput
from surveys.instruments import language_name, text_direction
from surveys.instruments.translation import SheetRow, TranslationSheet

__all__ = ["read_translation_sheet", "write_translation_sheet"]

_TEXTS, _META = "Oversættelse", "trivsel"
_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def write_translation_sheet(target: str | Path, sheet: TranslationSheet) -> None:
    """Write ``sheet`` to an .xlsx file."""
    book = xlsxwriter.Workbook(str(target), _OPTIONS)
    try:
        bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        target_format = book.add_format({"text_wrap": True, "valign": "top", "bg_color": "#FFF7D6",
                                         "reading_order": 2 if text_direction(sheet.language) == "rtl" else 1})
        texts = book.add_worksheet(_TEXTS)
        header = ["key", "Dansk (da)", "English (en)"]
        target_column = 2
        if sheet.language != "en":
            header.append(f"{language_name(sheet.language)} ({sheet.language})")
            target_column = 3
        for column, width in enumerate([34, 50, 50, 50][: len(header)]):
            texts.set_column(column, column, width, target_format if column == target_column else wrap)
        texts.freeze_panes(1, 1)
        for column, title in enumerate(header):
            texts.write_string(0, column, title, bold)
        for number, row in enumerate(sheet.rows, start=1):
            cells = [row.key, row.da, row.en] + ([row.target] if sheet.language != "en" else [])
            if sheet.language == "en":
                cells[2] = row.target
            for column, value in enumerate(cells):
                if value:
                    texts.write_string(number, column, value, target_format if column == target_column else wrap)
        meta = book.add_worksheet(_META)
        meta.set_column(0, 0, 14)
        meta.set_column(1, 1, 90)
        for number, (key, value) in enumerate([
            ("instrument", sheet.instrument),
            ("version", str(sheet.version)),
            ("language", sheet.language),
            ("note", f"Write the {language_name(sheet.language)} texts in column {'CD'[target_column - 2]} of "
                     f"'{_TEXTS}'. Do not change the keys or the Danish. Keep {{n}}-style placeholders."),
        ]):
            meta.write_string(number, 0, key, bold)
            meta.write_string(number, 1, value)
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_translation_sheet(source: str | Path) -> TranslationSheet:
    """Read a sheet written by ``write_translation_sheet`` (and filled in in Excel)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(str(source), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not a workbook
        raise InvalidInput(f"{source}: not an Excel file ({exc})") from None
    try:
        if _TEXTS not in book.sheetnames or _META not in book.sheetnames:
            raise InvalidInput(f"{source}: not a translation sheet (sheets {_TEXTS!r} and {_META!r} are needed)")
        meta = {_cell(row[0]): _cell(row[1]) for row in book[_META].iter_rows(values_only=True) if row and row[0]}
        language = meta.get("language", "")
        try:
            version = int(meta.get("version", ""))
        except ValueError:
            raise InvalidInput(f"{source}: the sheet {_META!r} has no version") from None
        target_column = 2 if language == "en" else 3
        rows = []
        for cells in book[_TEXTS].iter_rows(min_row=2, values_only=True):
            cells = [_cell(value) for value in cells] + [""] * 4
            if not cells[0]:
                continue
            rows.append(SheetRow(cells[0], cells[1], cells[2], cells[target_column]))
        return TranslationSheet(meta.get("instrument", ""), version, language, tuple(rows))
    finally:
        book.close()
