"""A translator's round trip: every text of an instrument file as rows, and one language written back.

``translation_sheet`` lists each text (key, Danish, English, the target language or empty);
``import_translation`` writes the target language into the file's text, editing only the values
that changed (``toml_edit``) and only after the whole result passes the validator. An unchanged
sheet gives back the same bytes.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

from surveys.instruments.builtin import builtin_paths
from surveys.instruments.languages import LANGUAGE_STATUSES, LANGUAGE_TAG_MAX, LANGUAGE_TAG_RE
from surveys.instruments.loader import load_instrument_text
from surveys.instruments.reader import InstrumentError, Problem
from surveys.instruments.toml_edit import Edit, Located, Path, apply, locate, render_string

__all__ = [
    "SheetRow",
    "TextEntry",
    "TranslationSheet",
    "import_translation",
    "instrument_file",
    "text_entries",
    "translation_sheet",
]


@dataclass(frozen=True)
class TextEntry:
    """One text of an instrument file: its sheet key, where its table is, and its languages."""

    key: str
    path: Path
    values: dict[str, str]


@dataclass(frozen=True)
class SheetRow:
    """A row of the sheet; ``target`` is empty where the language has no text yet."""

    key: str
    da: str
    en: str
    target: str


@dataclass(frozen=True)
class TranslationSheet:
    """The texts of one instrument version for translation into ``language``."""

    instrument: str
    version: int
    language: str
    rows: tuple[SheetRow, ...]


def instrument_file(instrument_id: str) -> FilePath:
    """The built-in file of ``instrument_id``; ``InstrumentError`` if there is none."""
    for path in builtin_paths():
        try:
            if tomllib.loads(path.read_text(encoding="utf-8")).get("id") == instrument_id:
                return path
        except tomllib.TOMLDecodeError:
            continue
    raise InstrumentError([Problem(instrument_id, None, "no built-in instrument has this id")])


def _values(table: object, exclude: tuple[str, ...] = ()) -> dict[str, str] | None:
    if not isinstance(table, dict):
        return None
    return {
        key: value
        for key, value in table.items()
        if key not in exclude and isinstance(value, str) and LANGUAGE_TAG_RE.fullmatch(key)
    }


def text_entries(data: Mapping[str, Any]) -> list[TextEntry]:
    """Every text of a parsed instrument file, in file order, with a key a translator can read."""
    found: list[TextEntry] = []

    def add(key: str, path: Path, table: object, exclude: tuple[str, ...] = ()) -> None:
        values = _values(table, exclude)
        if values is not None:
            found.append(TextEntry(key, path, values))

    for name in ("title", "intro", "decline_label"):
        add(name, (name,), data.get(name))
    for set_name, options in (data.get("option_sets") or {}).items():
        for index, option in enumerate(options or ()):
            add(f"option_set.{set_name}.{option.get('code')}", ("option_sets", set_name, index), option, ("code",))
    for s_index, section in enumerate(data.get("sections") or ()):
        for field in ("title", "intro"):
            add(f"section.{section.get('id')}.{field}", ("sections", s_index, field), section.get(field))
        for q_index, question in enumerate(section.get("questions") or ()):
            base: Path = ("sections", s_index, "questions", q_index)
            qid = question.get("id")
            for field in ("text", "help", "min_label", "max_label"):
                add(f"question.{qid}.{field}", (*base, field), question.get(field))
            if isinstance(question.get("options"), list):
                for index, option in enumerate(question["options"]):
                    add(f"question.{qid}.option.{option.get('code')}", (*base, "options", index), option, ("code",))
            for index, item in enumerate(question.get("items") or ()):
                add(f"question.{qid}.item.{item.get('id')}", (*base, "items", index), item, ("id",))
    for index, indicator in enumerate(data.get("indicators") or ()):
        add(f"indicator.{indicator.get('id')}.label", ("indicators", index, "label"), indicator.get("label"))
        add(f"indicator.{indicator.get('id')}.population", ("indicators", index, "population"),
            indicator.get("population"))
        target = indicator.get("target")
        if isinstance(target, dict):
            add(f"indicator.{indicator.get('id')}.target.text", ("indicators", index, "target", "text"), target.get("text"))
    for index, change in enumerate(data.get("changes") or ()):
        add(f"change.{change.get('version')}.text", ("changes", index, "text"), change.get("text"))
    return found


def _check_language(language: str, source: str) -> None:
    if len(language) > LANGUAGE_TAG_MAX or not LANGUAGE_TAG_RE.fullmatch(language):
        raise InstrumentError([Problem(source, None, f"{language!r} is not a BCP 47 language tag such as uk or ar")])
    if language == "da":
        raise InstrumentError([Problem(source, None, "Danish is the source language: edit the file itself")])


def translation_sheet(text: str, source: str, language: str) -> TranslationSheet:
    """The rows for translating the instrument file ``text`` into ``language``."""
    _check_language(language, source)
    instrument = load_instrument_text(text, source)
    data = tomllib.loads(text)
    rows = tuple(
        SheetRow(entry.key, entry.values.get("da", ""), entry.values.get("en", ""), entry.values.get(language, ""))
        for entry in text_entries(data)
    )
    return TranslationSheet(instrument.id, instrument.version, language, rows)


def _insert(siblings: list[Located], tag: str, value: str, source: str) -> Edit:
    """An edit adding ``tag = value`` after the last of its sibling languages, written as they are."""
    last = max(siblings, key=lambda located: located.end)
    if last.inline:
        return Edit(last.end, last.end, f", {tag} = {value}")
    prefix = last.key[: len(last.key) - len(str(last.path[-1]))]
    line = f"{last.indent}{prefix}{tag} = {value}\n"
    if last.line_end == len(source) and not source.endswith("\n"):
        line = "\n" + line[:-1]
    return Edit(last.line_end, last.line_end, line)


def _language_edit(data: Mapping[str, Any], found: dict[Path, Located], language: str, status: str | None,
                   source: str) -> Edit | None:
    declared = data.get("languages")
    if isinstance(declared, dict):
        if language in declared:
            if status is None or declared[language] == status:
                return None
            return Edit(found[("languages", language)].start, found[("languages", language)].end, f'"{status}"')
        siblings = [found[("languages", tag)] for tag in declared if ("languages", tag) in found]
        return _insert(siblings, language, f'"{status or "draft"}"', source)
    tags = dict.fromkeys(declared if isinstance(declared, list) else ("da", "en"), "validated")
    tags[language] = status or "draft"
    table = "{ " + ", ".join(f'{tag} = "{value}"' for tag, value in tags.items()) + " }"
    if ("languages",) in found:
        return Edit(found[("languages",)].start, found[("languages",)].end, table)
    anchor = found[("audience",)] if ("audience",) in found else found[("id",)]
    return Edit(anchor.line_end, anchor.line_end, f"languages = {table}\n")


def import_translation(
    text: str,
    source: str,
    sheet: TranslationSheet,
    *,
    status: str | None = None,
) -> str:
    """The instrument file ``text`` with ``sheet.language`` written in; ``InstrumentError`` lists
    every problem (sheet rows, then the validator's) and nothing changes then."""
    _check_language(sheet.language, source)
    if status is not None and status not in LANGUAGE_STATUSES:
        raise InstrumentError([Problem(source, None, f"status must be validated or draft, not {status!r}")])
    instrument = load_instrument_text(text, source)
    problems: list[Problem] = []
    if (sheet.instrument, sheet.version) != (instrument.id, instrument.version):
        problems.append(Problem(source, None, f"the sheet is for {sheet.instrument} version {sheet.version}, "
                                              f"the file is {instrument.id} version {instrument.version}"))
    data = tomllib.loads(text)
    found = locate(text)
    entries = {entry.key: entry for entry in text_entries(data)}
    edits: list[Edit] = []
    for row in sheet.rows:
        entry = entries.get(row.key)
        if entry is None:
            problems.append(Problem(source, row.key, "the instrument has no such text (is the sheet for another version?)"))
            continue
        if row.da.strip() != entry.values.get("da", "").strip():
            problems.append(Problem(source, row.key, "the Danish text has changed since the sheet was made: make a new sheet"))
            continue
        value, old = row.target, entry.values.get(sheet.language)
        if not value.strip():
            if old is not None:
                problems.append(Problem(source, row.key, f"the sheet's {sheet.language} cell is empty, the file has a text"))
            continue
        if old is not None:
            if value != old:
                located = found[(*entry.path, sheet.language)]
                edits.append(Edit(located.start, located.end, render_string(value)))
            continue
        siblings = [found[(*entry.path, tag)] for tag in entry.values if (*entry.path, tag) in found]
        edits.append(_insert(siblings, sheet.language, render_string(value), text))
    if problems:
        raise InstrumentError(problems)
    language = _language_edit(data, found, sheet.language, status, text)
    result = apply(text, [*edits, *([language] if language else [])])
    load_instrument_text(result, source)  # raises with the validator's problems: nothing is written
    return result
