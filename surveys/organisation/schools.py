"""Schools and classes: the rules for them, checked here once for the CLI, the console
and the CSV import alike. The console works by id, the CLI by name."""

from __future__ import annotations

from dataclasses import dataclass

from surveys.db.tables import School, SchoolClass
from surveys.errors import InvalidInput, NotFound
from surveys.organisation.municipality import get_organisation
from surveys.text import checked_line, one_line

__all__ = [
    "SCHOOL_KINDS",
    "SchoolRow",
    "add_class",
    "add_class_to",
    "add_school",
    "class_name",
    "find_class",
    "find_school",
    "get_class",
    "get_school",
    "grade_level",
    "grades_text",
    "list_classes",
    "list_schools",
    "pupil_count",
    "school_kind",
    "school_name",
    "update_class",
    "update_school",
]

SCHOOL_KINDS = ("grundskole", "ungdomsuddannelse", "klub", "andet")
# The columns' lengths (surveys.db.tables).
SCHOOL_NAME_MAX = 200
CLASS_NAME_MAX = 100
GRADES_MAX = 100
PUPILS_MAX = 500


@dataclass(frozen=True)
class SchoolRow:
    id: int
    name: str
    kind: str
    grades: str
    classes: int
    pupils: int


# ---------------------------------------------------------------- rules
def school_name(value: str) -> str:
    return checked_line(value, "Skolens navn", SCHOOL_NAME_MAX)


def class_name(value: str) -> str:
    return checked_line(value, "Klassens navn", CLASS_NAME_MAX)


def grades_text(value: str) -> str:
    """The grades a school has, as free text (``0-9``)."""
    return checked_line(value, "Klassetrin", GRADES_MAX, field="grades", required=False)


def school_kind(kind: str) -> str:
    if kind not in SCHOOL_KINDS:
        kinds = ", ".join(SCHOOL_KINDS)
        raise InvalidInput(f"Ukendt skoletype {kind!r}; brug {kinds}.", {"kind": f"vælg en af {kinds}"})
    return kind


def grade_level(grade: int | None) -> int | None:
    if grade is not None and not 0 <= grade <= 13:
        raise InvalidInput("Klassetrin skal være mellem 0 og 13.", {"grade": "uden for 0–13"})
    return grade


def pupil_count(pupils: int) -> int:
    if not 0 <= pupils <= PUPILS_MAX:
        raise InvalidInput(f"Antal elever skal være mellem 0 og {PUPILS_MAX}.", {"pupils": f"uden for 0–{PUPILS_MAX}"})
    return pupils


# ---------------------------------------------------------------- schools
async def list_schools(school_ids: frozenset[int] | None = None) -> list[SchoolRow]:
    """Schools (all, or those in ``school_ids``) with their number of classes and pupils."""
    query = School.select(School.id, School.name, School.kind, School.grades).order_by(School.name)
    if school_ids is not None:
        if not school_ids:
            return []
        query = query.where(School.id.is_in(list(school_ids)))
    schools = await query
    classes = await SchoolClass.select(SchoolClass.school, SchoolClass.pupils)
    totals: dict[int, tuple[int, int]] = {}
    for row in classes:
        count, pupils = totals.get(row["school"], (0, 0))
        totals[row["school"]] = (count + 1, pupils + (row["pupils"] or 0))
    return [
        SchoolRow(s["id"], s["name"], s["kind"], s["grades"], *totals.get(s["id"], (0, 0)))
        for s in schools
    ]


async def get_school(school_id: int) -> School:
    school = await School.objects().get(School.id == school_id)
    if school is None:
        raise NotFound("Skolen findes ikke.")
    return school


async def find_school(name: str) -> School:
    school = await School.objects().get(School.name == one_line(name))
    if school is None:
        raise NotFound(f"Skolen {name!r} findes ikke.")
    return school


async def add_school(name: str, *, kind: str = "grundskole", grades: str = "") -> School:
    name, kind, grades = school_name(name), school_kind(kind), grades_text(grades)
    if await School.exists().where(School.name == name):
        raise InvalidInput(f"Skolen {name!r} findes allerede.", {"name": "findes allerede"})
    organisation = await get_organisation()
    school = School(organisation=organisation.id, name=name, kind=kind, grades=grades)
    await school.save()
    return school


async def update_school(school_id: int, *, name: str, kind: str, grades: str) -> School:
    school = await get_school(school_id)
    name, kind, grades = school_name(name), school_kind(kind), grades_text(grades)
    if name != school.name and await School.exists().where(School.name == name):
        raise InvalidInput(f"Skolen {name!r} findes allerede.", {"name": "findes allerede"})
    await School.update({School.name: name, School.kind: kind, School.grades: grades}).where(School.id == school_id)
    return await get_school(school_id)


# ---------------------------------------------------------------- classes
async def get_class(class_id: int) -> SchoolClass:
    school_class = await SchoolClass.objects().get(SchoolClass.id == class_id)
    if school_class is None:
        raise NotFound("Klassen findes ikke.")
    return school_class


async def find_class(school: str, name: str) -> SchoolClass:
    """A class by its school's name and its own (the CLI's way)."""
    school_row = await find_school(school)
    school_class = await SchoolClass.objects().get(
        (SchoolClass.school == school_row.id) & (SchoolClass.name == one_line(name))
    )
    if school_class is None:
        raise NotFound(f"Klassen {name!r} findes ikke på {school_row.name}.")
    return school_class


async def list_classes(school_id: int) -> list[SchoolClass]:
    return await SchoolClass.objects().where(SchoolClass.school == school_id).order_by(SchoolClass.grade).order_by(
        SchoolClass.name
    )


async def add_class_to(school_id: int, *, name: str, grade: int | None, pupils: int = 0) -> SchoolClass:
    school = await get_school(school_id)
    name, grade, pupils = class_name(name), grade_level(grade), pupil_count(pupils)
    if await SchoolClass.exists().where((SchoolClass.school == school.id) & (SchoolClass.name == name)):
        raise InvalidInput(f"Klassen {name!r} findes allerede på {school.name}.", {"name": "findes allerede"})
    school_class = SchoolClass(school=school.id, name=name, grade=grade, pupils=pupils)
    await school_class.save()
    return school_class


async def add_class(school: str, name: str, *, grade: int | None, pupils: int = 0) -> SchoolClass:
    """:func:`add_class_to` by the school's name (the CLI's way)."""
    return await add_class_to((await find_school(school)).id, name=name, grade=grade, pupils=pupils)


async def update_class(class_id: int, *, name: str, grade: int | None, pupils: int) -> SchoolClass:
    school_class = await get_class(class_id)
    name, grade, pupils = class_name(name), grade_level(grade), pupil_count(pupils)
    clash = await SchoolClass.exists().where(
        (SchoolClass.school == school_class.school) & (SchoolClass.name == name) & (SchoolClass.id != class_id)
    )
    if clash:
        raise InvalidInput(f"Klassen {name!r} findes allerede på skolen.", {"name": "findes allerede"})
    await SchoolClass.update({SchoolClass.name: name, SchoolClass.grade: grade, SchoolClass.pupils: pupils}).where(
        SchoolClass.id == class_id
    )
    return await get_class(class_id)
