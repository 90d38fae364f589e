"""The demo municipality: schools, classes, an open wave, a theme day and an admin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from surveys.accounts.users import create_user, hash_password, new_password
from surveys.answering.issuing import issue_links
from surveys.answering.links import IssuedLink, LinkSigner
from surveys.db.tables import Event, School, SchoolClass, StaffUser, Wave
from surveys.instruments import PUPIL_INSTRUMENT, STAFF_INSTRUMENT
from surveys.instruments.catalog import sync_instruments
from surveys.organisation.municipality import get_organisation
from surveys.organisation.schools import add_class, add_school
from surveys.organisation.waves import create_event, create_wave

__all__ = ["DemoResult", "DEMO_ADMIN_EMAIL", "seed_demo"]

DEMO_ADMIN_EMAIL = "admin@demo.trivsel.dk"
DEMO_SCHOOLS = {
    "Nordstrand Skole": [("7.a", 7, 24), ("8.a", 8, 22), ("9.a", 9, 25)],
    "Bakkeskolen": [("7.b", 7, 21), ("8.b", 8, 23), ("9.b", 9, 20)],
    "Egeskov Efterskole": [("9.x", 9, 26), ("10.x", 10, 24)],
}


@dataclass(frozen=True)
class DemoResult:
    admin_email: str
    admin_password: str
    wave_id: int
    event_id: int
    pupil_links: list[tuple[str, IssuedLink]]  # (class label, link)
    staff_links: list[IssuedLink]


async def seed_demo(signer: LinkSigner, base_url: str, *, links_per_class: int = 3, staff_links: int = 3) -> DemoResult:
    """Create whatever of the demo is missing (idempotent) and issue a few fresh links."""
    await sync_instruments()
    await get_organisation("Demo Kommune")
    for school_name, classes in DEMO_SCHOOLS.items():
        if not await School.exists().where(School.name == school_name):
            await add_school(school_name, kind="grundskole", grades="7-10")
        for class_name, grade, pupils in classes:
            school = await School.objects().get(School.name == school_name)
            exists = await SchoolClass.exists().where((SchoolClass.school == school.id) & (SchoolClass.name == class_name))
            if not exists:
                await add_class(school_name, class_name, grade=grade, pupils=pupils)

    year = dt.date.today().year
    wave = await Wave.objects().where(Wave.name == f"Trivsel og rusmidler {year}").first()
    if wave is None:
        wave = await create_wave(PUPIL_INSTRUMENT, year=year, name=f"Trivsel og rusmidler {year}")
    event = await Event.objects().where(Event.name == "Temadag UNG RUS").first()
    if event is None:
        event = await create_event(STAFF_INSTRUMENT, name="Temadag UNG RUS", held_on=dt.date.today())

    if await StaffUser.exists().where(StaffUser.email == DEMO_ADMIN_EMAIL):
        # The demo prints a working login every time it runs.
        password = new_password()
        await StaffUser.update({StaffUser.password_hash: hash_password(password)}).where(
            StaffUser.email == DEMO_ADMIN_EMAIL
        )
    else:
        _, password = await create_user(DEMO_ADMIN_EMAIL, "admin")

    pupil_links: list[tuple[str, IssuedLink]] = []
    for school in await School.objects().order_by(School.id).limit(2):
        school_class = await SchoolClass.objects().where(SchoolClass.school == school.id).order_by(SchoolClass.id).first()
        for link in await issue_links(
            signer, base_url, "pupil", links_per_class, wave=wave.id, school=school.id, school_class=school_class.id
        ):
            pupil_links.append((f"{school.name} {school_class.name}", link))
    staff = await issue_links(signer, base_url, "staff", staff_links, event=event.id)
    return DemoResult(DEMO_ADMIN_EMAIL, password, wave.id, event.id, pupil_links, staff)
