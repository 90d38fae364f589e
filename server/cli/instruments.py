"""Instrument file commands: validate, and the translation round trip through an Excel sheet."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from server.cli._runtime import fail, reports_errors

__all__ = ["register"]


@click.group()
def instruments() -> None:
    """Instrument file commands."""


def _print_problems(problems: list) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


@instruments.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def validate(paths: tuple[str, ...]) -> None:
    """Validate instrument files; print every problem with file, question and reason."""
    from surveys.instruments import validate_paths

    problems = validate_paths(list(paths))
    _print_problems(problems)
    if problems:
        fail(f"{len(problems)} problem(s) in {len(paths)} file(s)")
    click.echo(f"{len(paths)} file(s) OK")


def _instrument_path(instrument_id: str | None, file: str | None) -> Path:
    from surveys.instruments.translation import instrument_file

    return Path(file) if file else instrument_file(instrument_id or "")


@instruments.command("translation-sheet")
@click.argument("instrument_id")
@click.option("--language", "language", required=True, help="BCP 47 tag of the target language, e.g. uk or ar.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="The .xlsx file to write.")
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False),
              help="An instrument file outside the built-in ones (its id must be INSTRUMENT_ID).")
@reports_errors
def translation_sheet_command(instrument_id: str, language: str, out: str, file: str | None) -> None:
    """Write an Excel sheet with one row per text of INSTRUMENT_ID: key, Danish, English and LANGUAGE
    (empty where there is no text yet), for a translator to fill in."""
    from exports.translation_sheet import write_translation_sheet
    from surveys.instruments import InstrumentError
    from surveys.instruments.translation import translation_sheet

    path = _instrument_path(instrument_id, file)
    try:
        sheet = translation_sheet(path.read_bytes().decode("utf-8"), str(path), language)
    except InstrumentError as exc:
        _print_problems(exc.problems)
        fail(f"{len(exc.problems)} problem(s); no sheet written")
        return
    if sheet.instrument != instrument_id:
        fail(f"{path} is instrument {sheet.instrument!r}, not {instrument_id!r}")
    write_translation_sheet(out, sheet)
    missing = sum(1 for row in sheet.rows if not row.target)
    click.echo(f"{out}: {len(sheet.rows)} texts of {sheet.instrument} version {sheet.version}, "
               f"{missing} without a {language} text")


@instruments.command("translation-import")
@click.argument("sheet_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False),
              help="The instrument file to write into (default: the built-in file of the sheet's instrument).")
@click.option("--status", type=click.Choice(["draft", "validated"]),
              help="Mark the language (default: a new language is a draft; an existing one keeps its status).")
@reports_errors
def translation_import_command(sheet_path: str, file: str | None, status: str | None) -> None:
    """Write the language of a filled-in translation sheet into the instrument file, only if the
    result passes validation; only the changed texts are touched."""
    from exports.translation_sheet import read_translation_sheet
    from surveys.instruments import InstrumentError
    from surveys.instruments.translation import import_translation

    sheet = read_translation_sheet(sheet_path)
    path = _instrument_path(sheet.instrument, file)
    before = path.read_bytes().decode("utf-8")  # bytes: line endings stay as they are
    try:
        after = import_translation(before, str(path), sheet, status=status)
    except InstrumentError as exc:
        _print_problems(exc.problems)
        fail(f"{len(exc.problems)} problem(s); {path} is unchanged")
        return
    if after == before:
        click.echo(f"{path}: unchanged ({sheet.language} was already as in the sheet)")
        return
    path.write_bytes(after.encode("utf-8"))
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    touched = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    click.echo(f"{path}: {sheet.language} written ({touched} line(s) added or changed)")


def register(main: click.Group) -> None:
    main.add_command(instruments)
