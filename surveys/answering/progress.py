"""Response progress per wave: counts and rates per school and class, never per response.

The counts go through the one disclosure rule (:func:`analysis.disclosure.protect`, with
schools and classes as two dimensions and the answers without a class as a group of their
own in each school): counts from 1 up to the threshold are shown as "< threshold", and a
count that would give such a one away by subtraction (the school's total minus its other
classes) is shown as "skjult". A hidden count hides its rate too (it would give the count away).
A submitted answer counts at once, whether it is released into ``response`` yet or still held
(sealed, waiting for k of its class); ``held`` says how many still wait.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from piccolo.query.functions.aggregate import Count

from analysis.disclosure import PROTECT, SMALL, Protection, protect
from surveys.db.tables import HeldResponse, Organisation, Response, School, SchoolClass, WaveSchool

__all__ = ["HIDDEN_TEXT", "ClassProgress", "progress_rule", "SchoolProgress", "ShownCount", "WaveProgress", "shown_count", "threshold_for", "wave_progress"]


@dataclass(frozen=True)
class ShownCount:
    """A count as it may be shown: the text, and the rate in percent when it may be shown."""

    text: str
    rate: str


HIDDEN_TEXT = "skjult"


def shown_count(count: int, pupils: int, threshold: int, reason: str | None = None) -> ShownCount:
    """The count as shown; ``reason`` from the disclosure rule (:data:`analysis.disclosure.PROTECT`
    for a count hidden to protect a small one)."""
    if reason == SMALL or 0 < count < threshold:
        return ShownCount(f"< {threshold}", "–")
    if reason == PROTECT:
        return ShownCount(HIDDEN_TEXT, "–")
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
    school_ids = [s["id"] for s in schools]
    class_ids = [c["id"] for c in classes]
    rule = progress_rule(per_class, school_ids, class_ids, threshold)
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
                answered=shown_count(answered, pupils, threshold, rule.reason("school", school_ids.index(school["id"]))),
                classes=[
                    ClassProgress(
                        id=c["id"],
                        name=c["name"],
                        grade=c["grade"],
                        pupils=c["pupils"] or 0,
                        answered=shown_count(
                            per_class.get((school["id"], c["id"]), 0), c["pupils"] or 0, threshold,
                            rule.reason("class", class_ids.index(c["id"])),
                        ),
                    )
                    for c in school_classes
                ],
            )
        )
    total = shown_count(total_answered, total_pupils, threshold, rule.reason("municipality", 0))
    waiting = sum(row["n"] for row in held)
    return WaveProgress(threshold, total_pupils, total, result, waiting)


def progress_rule(per_class: dict[tuple[int, int | None], int], school_ids: list[int], class_ids: list[int], threshold: int) -> Protection:
    """The disclosure rule over schools x classes; answers without a class (or with a class not
    listed) are a class group of their own per school."""
    cells = [(s, c, n) for (s, c), n in per_class.items() if s in school_ids and n > 0]
    school_of = {s: i for i, s in enumerate(school_ids)}
    class_of = {c: i for i, c in enumerate(class_ids)}
    n = np.array([cell[2] for cell in cells], dtype=float)
    school = np.array([school_of[s] for s, _c, _n in cells], dtype=np.int64)
    klass = np.array([class_of.get(c, len(class_ids) + school_of[s]) for s, c, _n in cells], dtype=np.int64)
    sizes = {"school": len(school_ids) + 1, "class": len(class_ids) + len(school_ids) + 1}
    return protect(n, {"school": school, "class": klass}, sizes, threshold)
