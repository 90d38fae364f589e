"""Schools and classes as the console edits them (by id; organisation.py works by name)."""

from __future__ import annotations

from dataclasses import dataclass

from surveys.db.tables import School, SchoolClass
from surveys.errors import Conflict, InvalidInput, NotFound
from surveys.organisation.by_name import SCHOOL_KINDS, add_class, add_school
from surveys.text import one_line

__all__ = [
    "SchoolRow",
    "add_class_to",
    "get_class",
    "get_school",
    "list_classes",
    "list_schools",
    "new_school",
    "update_class",
    "update_school",
]


@dataclass(frozen=True)
class SchoolRow:
    id: int
    name: str
    kind: str
    grades: str
    classes: int
    pupils: int


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


async def get_class(class_id: int) -> SchoolClass:
    school_class = await SchoolClass.objects().get(SchoolClass.id == class_id)
    if school_class is None:
        raise NotFound("Klassen findes ikke.")
    return school_class


async def list_classes(school_id: int) -> list[SchoolClass]:
    return await SchoolClass.objects().where(SchoolClass.school == school_id).order_by(SchoolClass.grade).order_by(
        SchoolClass.name
    )


async def new_school(name: str, kind: str, grades: str) -> School:
    return await add_school(name, kind=kind, grades=_grades(grades))


async def update_school(school_id: int, *, name: str, kind: str, grades: str) -> School:
    school = await get_school(school_id)
    name = one_line(name)
    if not name or len(name) > 200:
        raise InvalidInput("Angiv skolens navn (højst 200 tegn).", {"name": "mangler eller for langt"})
    if kind not in SCHOOL_KINDS:
        raise InvalidInput("Ukendt skoletype.", {"kind": f"vælg en af {', '.join(SCHOOL_KINDS)}"})
    if name != school.name and await School.exists().where(School.name == name):
        raise InvalidInput(f"Skolen {name!r} findes allerede.", {"name": "findes allerede"})
    await School.update({School.name: name, School.kind: kind, School.grades: _grades(grades)}).where(
        School.id == school_id
    )
    return await get_school(school_id)


async def add_class_to(school_id: int, *, name: str, grade: int | None, pupils: int) -> SchoolClass:
    school = await get_school(school_id)
    try:
        return await add_class(school.name, name, grade=grade, pupils=pupils)
    except Conflict as exc:
        raise InvalidInput(exc.message, {"name": "findes allerede"}) from None


async def update_class(class_id: int, *, name: str, grade: int | None, pupils: int) -> SchoolClass:
    school_class = await get_class(class_id)
    name = one_line(name)
    if not name or len(name) > 100:
        raise InvalidInput("Angiv klassens navn (højst 100 tegn).", {"name": "mangler eller for langt"})
    if grade is not None and not 0 <= grade <= 13:
        raise InvalidInput("Klassetrin skal være mellem 0 og 13.", {"grade": "uden for 0–13"})
    if not 0 <= pupils <= 500:
        raise InvalidInput("Antal elever skal være mellem 0 og 500.", {"pupils": "uden for 0–500"})
    clash = await SchoolClass.exists().where(
        (SchoolClass.school == school_class.school) & (SchoolClass.name == name) & (SchoolClass.id != class_id)
    )
    if clash:
        raise InvalidInput(f"Klassen {name!r} findes allerede på skolen.", {"name": "findes allerede"})
    await SchoolClass.update({SchoolClass.name: name, SchoolClass.grade: grade, SchoolClass.pupils: pupils}).where(
        SchoolClass.id == class_id
    )
    return await get_class(class_id)


def _grades(value: str) -> str:
    value = one_line(value)
    if len(value) > 100:
        raise InvalidInput("Klassetrin er for langt.", {"grades": "højst 100 tegn"})
    return value
