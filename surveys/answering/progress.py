"""Response progress per wave: counts and rates per school and class, never per response.

Counts from 1 up to the suppression threshold are shown as "< threshold", and
the rate is then hidden too (it would give the count away). A submitted answer
counts at once, whether it is released into ``response`` yet or still held
(sealed, waiting for k of its class); ``held`` says how many still wait.
"""

from __future__ import annotations

from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count

from surveys.db.tables import HeldResponse, Organisation, Response, School, SchoolClass, WaveSchool

__all__ = ["ClassProgress", "SchoolProgress", "ShownCount", "WaveProgress", "shown_count", "threshold_for", "wave_progress"]


@dataclass(frozen=True)
class ShownCount:
    """A count as it may be shown: the text, and the rate in percent when it may be shown."""

    text: str
    rate: str


def shown_count(count: int, pupils: int, threshold: int) -> ShownCount:
    if 0 < count < threshold:
        return ShownCount(f"< {threshold}", "–")
    rate = f"{round(100 * count / pupils)} %" if pupils else "–"
    return ShownCount(str(count), rate)


@dataclass(frozen=True)
class ClassProgress:
    id: int
    name: str
    grade: int | None
    pupils: int
    answered: ShownCount


@dataclass(frozen=True)
class SchoolProgress:
    id: int
    name: str
    pupils: int
    answered: ShownCount
    classes: list[ClassProgress]


@dataclass(frozen=True)
class WaveProgress:
    threshold: int
    pupils: int
    answered: ShownCount
    schools: list[SchoolProgress]
    held: int = 0


async def threshold_for(minimum: int) -> int:
    """The suppression threshold: the municipality's setting, never below the installation's."""
    row = await Organisation.select(Organisation.suppression_threshold).order_by(Organisation.id).first()
    return max(minimum, row["suppression_threshold"] if row else minimum)


async def wave_progress(wave_id: int, *, school_ids: frozenset[int] | None, minimum_threshold: int) -> WaveProgress:
    """Progress of a wave over its schools (only those in ``school_ids`` unless None)."""
    threshold = await threshold_for(minimum_threshold)
    participating = [row["school"] for row in await WaveSchool.select(WaveSchool.school).where(WaveSchool.wave == wave_id)]
    if school_ids is not None:
        participating = [s for s in participating if s in school_ids]
    if not participating:
        return WaveProgress(threshold, 0, shown_count(0, 0, threshold), [])
    schools = await School.select(School.id, School.name).where(School.id.is_in(participating)).order_by(School.name)
    classes = await SchoolClass.select(SchoolClass.id, SchoolClass.school, SchoolClass.name, SchoolClass.grade, SchoolClass.pupils).where(
        SchoolClass.school.is_in(participating)
    ).order_by(SchoolClass.grade).order_by(SchoolClass.name)
    counts = await Response.select(Response.school, Response.school_class, Count(alias="n")).where(
        (Response.wave == wave_id) & Response.school.is_in(participating)
    ).group_by(Response.school, Response.school_class)
    held = await HeldResponse.select(HeldResponse.school, HeldResponse.school_class, Count(alias="n")).where(
        (HeldResponse.wave == wave_id) & HeldResponse.school.is_in(participating)
    ).group_by(HeldResponse.school, HeldResponse.school_class)
    per_class: dict[tuple, int] = {}
    for row in [*counts, *held]:
        key = (row["school"], row["school_class"])
        per_class[key] = per_class.get(key, 0) + row["n"]
    per_school: dict[int, int] = {}
    for row in [*counts, *held]:
        per_school[row["school"]] = per_school.get(row["school"], 0) + row["n"]
    result = []
    total_pupils = total_answered = 0
    for school in schools:
        school_classes = [c for c in classes if c["school"] == school["id"]]
        pupils = sum(c["pupils"] or 0 for c in school_classes)
        answered = per_school.get(school["id"], 0)
        total_pupils += pupils
        total_answered += answered
        result.append(
            SchoolProgress(
                id=school["id"],
                name=school["name"],
                pupils=pupils,
                answered=shown_count(answered, pupils, threshold),
                classes=[
                    ClassProgress(
                        id=c["id"],
                        name=c["name"],
                        grade=c["grade"],
                        pupils=c["pupils"] or 0,
                        answered=shown_count(per_class.get((school["id"], c["id"]), 0), c["pupils"] or 0, threshold),
                    )
                    for c in school_classes
                ],
            )
        )
    waiting = sum(row["n"] for row in held)
    return WaveProgress(threshold, total_pupils, shown_count(total_answered, total_pupils, threshold), result, waiting)
