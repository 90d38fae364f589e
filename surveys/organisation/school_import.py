"""CSV import of schools (name, type, grades) and classes (school, class, grade, pupils).

A file is checked as a whole first; if any line is wrong nothing is written and
every problem is reported by line number. Existing schools and classes are
updated, new ones added, all in one transaction. Excel's Danish CSV (semicolons,
a BOM, Windows-1252) is read as readily as plain UTF-8 with commas.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from surveys.db.engine import write_transaction
from surveys.db.tables import School, SchoolClass
from surveys.errors import InvalidInput
from surveys.organisation.municipality import get_organisation
from surveys.organisation.schools import class_name, grade_level, grades_text, pupil_count, school_kind, school_name

__all__ = ["ImportResult", "import_classes", "import_schools", "read_csv"]

MAX_ROWS = 5000
SCHOOL_HEADERS = {"name": ("name", "navn", "skole"), "type": ("type", "kind", "skoletype"), "grades": ("grades", "klassetrin", "trin")}
CLASS_HEADERS = {
    "school": ("school", "skole"),
    "class": ("class", "klasse", "name", "navn"),
    "grade": ("grade", "klassetrin", "trin"),
    "pupils": ("pupils", "elever", "antal elever", "antal"),
}


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


def _decode(data: bytes) -> str:
    if b"\x00" in data:  # UTF-16 ("Unicode text" from Excel) or not text at all
        raise InvalidInput("Filen kunne ikke læses som tekst: den indeholder NUL-tegn. Gem den som CSV (UTF-8).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("Filen kunne ikke læses som tekst (brug UTF-8).")


def read_csv(data: bytes, headers: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """``(line number, {field: value})`` for each non-empty line; InvalidInput for a wrong header."""
    text = _decode(data)
    if not text.strip():
        raise InvalidInput("Filen er tom.", {"fil": "ingen linjer"})
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
    positions: dict[str, int] = {}
    for field, names in headers.items():
        for index, cell in enumerate(header):
            if cell in names:
                positions[field] = index
                break
    missing = [field for field in required if field not in positions]
    if missing:
        expected = ", ".join(headers[field][0] for field in headers)
        raise InvalidInput(
            f"Første linje skal være overskrifter: {expected}.", {"linje 1": f"mangler kolonne: {', '.join(missing)}"}
        )
    rows = []
    for line_no, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise InvalidInput(f"Filen har mere end {MAX_ROWS} linjer.")
        rows.append((line_no, {field: (cells[i].strip() if i < len(cells) else "") for field, i in positions.items()}))
    if not rows:
        raise InvalidInput("Filen har ingen linjer under overskrifterne.", {"fil": "ingen linjer"})
    return rows


def _int(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(f"{what} skal være et helt tal, ikke {value!r}") from None


def _reason(exc: InvalidInput) -> str:
    """A line's problem, as the line-by-line list shows it (no full stop)."""
    return exc.message.rstrip(".")


async def import_schools(data: bytes) -> ImportResult:
    """Add or update schools from a CSV file; all or nothing."""
    rows = read_csv(data, SCHOOL_HEADERS, ("name",))
    problems: dict[str, str] = {}
    parsed: dict[str, tuple[str, str]] = {}
    for line_no, row in rows:
        try:
            name = school_name(row["name"])
            kind = school_kind((row.get("type") or "grundskole").lower())
            grades = grades_text(row.get("grades", ""))
            if name in parsed:
                raise InvalidInput(f"{name} står flere gange i filen")
            parsed[name] = (kind, grades)
        except InvalidInput as exc:
            problems[f"linje {line_no}"] = _reason(exc)
    if problems:
        raise InvalidInput(f"Filen blev ikke importeret: {len(problems)} linje(r) har fejl.", problems)
    organisation = await get_organisation()
    added = updated = 0
    async with write_transaction(School._meta.db):
        for name, (kind, grades) in parsed.items():
            if await School.exists().where(School.name == name):
                await School.update({School.kind: kind, School.grades: grades}).where(School.name == name)
                updated += 1
            else:
                await School(organisation=organisation.id, name=name, kind=kind, grades=grades).save()
                added += 1
    return ImportResult(added, updated)


async def import_classes(data: bytes, *, allowed_school_ids: frozenset[int] | None = None) -> ImportResult:
    """Add or update classes from a CSV file; all or nothing.

    ``allowed_school_ids`` (a coordinator's schools) makes a line for any other
    school an error; None allows every school.
    """
    rows = read_csv(data, CLASS_HEADERS, ("school", "class", "pupils"))
    schools = {row["name"]: row["id"] for row in await School.select(School.id, School.name)}
    problems: dict[str, str] = {}
    parsed: dict[tuple[int, str], tuple[int | None, int]] = {}
    for line_no, row in rows:
        try:
            school = school_name(row["school"])
            school_id = schools.get(school)
            if school_id is None:
                raise InvalidInput(f"skolen {school!r} findes ikke")
            if allowed_school_ids is not None and school_id not in allowed_school_ids:
                raise InvalidInput(f"du har ikke adgang til {school}")
            name = class_name(row["class"])
            grade = grade_level(_int(row["grade"], "Klassetrin")) if row.get("grade") else None
            pupils = pupil_count(_int(row["pupils"], "Antal elever"))
            if (school_id, name) in parsed:
                raise InvalidInput(f"{name} på {school} står flere gange i filen")
            parsed[(school_id, name)] = (grade, pupils)
        except InvalidInput as exc:
            problems[f"linje {line_no}"] = _reason(exc)
    if problems:
        raise InvalidInput(f"Filen blev ikke importeret: {len(problems)} linje(r) har fejl.", problems)
    added = updated = 0
    async with write_transaction(SchoolClass._meta.db):
        for (school_id, name), (grade, pupils) in parsed.items():
            where = (SchoolClass.school == school_id) & (SchoolClass.name == name)
            if await SchoolClass.exists().where(where):
                await SchoolClass.update({SchoolClass.grade: grade, SchoolClass.pupils: pupils}).where(where)
                updated += 1
            else:
                await SchoolClass(school=school_id, name=name, grade=grade, pupils=pupils).save()
                added += 1
    return ImportResult(added, updated)
