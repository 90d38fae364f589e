"""The municipality, its schools and classes, and the waves and events held in them."""

from __future__ import annotations

import datetime as dt

from surveys.db.engine import write_transaction
from surveys.db.tables import Event, Organisation, School, SchoolClass, Wave, WaveSchool
from surveys.errors import Conflict, InvalidInput, NotFound
from surveys.instruments.catalog import instrument_for
from surveys.text import one_line

__all__ = [
    "DEFAULT_HELP_CONTACTS",
    "add_class",
    "add_school",
    "create_event",
    "create_wave",
    "find_class",
    "find_school",
    "get_organisation",
]

SCHOOL_KINDS = ("grundskole", "ungdomsuddannelse", "klub", "andet")

DEFAULT_HELP_CONTACTS = [
    {
        "name": "UNG RUS – anonym rådgivning",
        "text": "Gratis og anonym snak om alkohol, hash og andre stoffer – for dig selv eller en ven.",
        "contact": "Rusmiddelcentret",
    },
    {
        "name": "headspace",
        "text": "Gratis og anonym samtale med en frivillig, når livet er svært.",
        "contact": "headspace.dk",
    },
    {
        "name": "SSP",
        "text": "SSP-medarbejderen på din skole kan hjælpe dig videre.",
        "contact": "Spørg din lærer eller skolens kontor",
    },
]


async def get_organisation(name: str = "Demo Kommune") -> Organisation:
    """The installation's municipality, created on first use."""
    organisation = await Organisation.objects().order_by(Organisation.id).first()
    if organisation is None:
        organisation = Organisation(name=name, logo_text=name, help_contacts=DEFAULT_HELP_CONTACTS)
        await organisation.save()
    return organisation


async def add_school(name: str, *, kind: str = "grundskole", grades: str = "") -> School:
    name = _clean_name(name, "skolens navn")
    if kind not in SCHOOL_KINDS:
        raise InvalidInput(f"Ukendt skoletype {kind!r}.", {"kind": f"vælg en af {', '.join(SCHOOL_KINDS)}"})
    if await School.exists().where(School.name == name):
        raise Conflict(f"Skolen {name!r} findes allerede.")
    organisation = await get_organisation()
    school = School(organisation=organisation.id, name=name, kind=kind, grades=grades)
    await school.save()
    return school


async def find_school(name: str) -> School:
    school = await School.objects().get(School.name == name.strip())
    if school is None:
        raise NotFound(f"Skolen {name!r} findes ikke.")
    return school


async def add_class(school_name: str, name: str, *, grade: int | None, pupils: int = 0) -> SchoolClass:
    school = await find_school(school_name)
    name = _clean_name(name, "klassens navn")
    if grade is not None and not 0 <= grade <= 13:
        raise InvalidInput("Klassetrin skal være mellem 0 og 13.", {"grade": "uden for 0–13"})
    if not 0 <= pupils <= 500:
        raise InvalidInput("Antal elever skal være mellem 0 og 500.", {"pupils": "uden for 0–500"})
    if await SchoolClass.exists().where((SchoolClass.school == school.id) & (SchoolClass.name == name)):
        raise Conflict(f"Klassen {name!r} findes allerede på {school.name}.")
    school_class = SchoolClass(school=school.id, name=name, grade=grade, pupils=pupils)
    await school_class.save()
    return school_class


async def find_class(school_name: str, name: str) -> SchoolClass:
    school = await find_school(school_name)
    school_class = await SchoolClass.objects().get((SchoolClass.school == school.id) & (SchoolClass.name == name.strip()))
    if school_class is None:
        raise NotFound(f"Klassen {name!r} findes ikke på {school.name}.")
    return school_class


async def create_wave(
    instrument_key: str,
    *,
    year: int,
    name: str,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    schools: list[str] | None = None,
) -> Wave:
    """A wave of an instrument's newest version; every school takes part unless ``schools`` is given."""
    instrument = await instrument_for(instrument_key)
    if instrument.audience != "pupil":
        raise InvalidInput(f"{instrument_key} er et skema til ansatte; brug et arrangement.")
    if not 1990 <= year <= 2100:
        raise InvalidInput("Året skal være mellem 1990 og 2100.", {"year": "uden for 1990–2100"})
    if opens_on and closes_on and closes_on < opens_on:
        raise InvalidInput("Slutdatoen ligger før startdatoen.", {"closes": "før start"})
    school_rows = [await find_school(s) for s in schools] if schools else await School.objects()
    async with write_transaction(Wave._meta.db):
        wave = Wave(
            instrument=instrument.id,
            name=_clean_name(name, "målingens navn"),
            year=year,
            opens_on=opens_on,
            closes_on=closes_on,
        )
        await wave.save()
        for school in school_rows:
            await WaveSchool(wave=wave.id, school=school.id).save()
    return wave


async def create_event(instrument_key: str, *, name: str, held_on: dt.date) -> Event:
    instrument = await instrument_for(instrument_key)
    if instrument.audience != "staff":
        raise InvalidInput(f"{instrument_key} er et skema til elever; brug en måling.")
    event = Event(instrument=instrument.id, name=_clean_name(name, "arrangementets navn"), held_on=held_on)
    await event.save()
    return event


def _clean_name(value: str, what: str) -> str:
    value = one_line(value)
    if not value:
        raise InvalidInput(f"Angiv {what}.", {"name": "mangler"})
    if len(value) > 200:
        raise InvalidInput(f"{what.capitalize()} er for langt (højst 200 tegn).", {"name": "for langt"})
    return value
