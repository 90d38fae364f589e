"""The demo municipality: schools, classes, an open wave, a theme day, an admin, and five years
of synthetic answers (``source = "demo"``, so the report says they are demo data) with example
targets and reference figures, so that Console → Rapport works at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from surveys.accounts.users import create_user, hash_password, new_password
from surveys.answering.issuing import issue_links
from surveys.answering.links import IssuedLink, LinkSigner
from surveys.db.tables import Event, IndicatorTarget, ReferenceFigure, Response, School, SchoolClass, StaffUser, Wave
from surveys.instruments import PUPIL_INSTRUMENT, STAFF_INSTRUMENT
from surveys.instruments.catalog import sync_instruments
from surveys.organisation.municipality import get_organisation
from surveys.organisation.schools import add_class, add_school
from surveys.organisation.waves import create_event, create_wave
from surveys.responses.importing import insert_responses, stored_instrument
from surveys.responses.synthetic import synthetic_responses
from surveys.strategy.references import import_references
from surveys.strategy.targets import TargetChoice, save_target

__all__ = ["DEMO_ADMIN_EMAIL", "DEMO_PUPILS", "DEMO_YEARS", "DemoResult", "seed_demo", "seed_demo_answers"]

DEMO_ADMIN_EMAIL = "admin@demo.trivsel.dk"
DEMO_SCHOOLS = {
    "Nordstrand Skole": [("7.a", 7, 24), ("8.a", 8, 22), ("9.a", 9, 25)],
    "Bakkeskolen": [("7.b", 7, 21), ("8.b", 8, 23), ("9.b", 9, 20)],
    "Egeskov Efterskole": [("9.x", 9, 26), ("10.x", 10, 24)],
}

DEMO_YEARS = 5  # the current year and the four before it
DEMO_PUPILS = 300  # per school and year (about a school of grades 7–9)


@dataclass(frozen=True)
class DemoResult:
    admin_email: str
    admin_password: str
    wave_id: int
    event_id: int
    pupil_links: list[tuple[str, IssuedLink]]  # (class label, link)
    staff_links: list[IssuedLink]
    answers: int = 0  # synthetic answers added by this run (0 when they were there already)


async def seed_demo(
    signer: LinkSigner, base_url: str, *, links_per_class: int = 3, staff_links: int = 3, answers: bool = True
) -> DemoResult:
    """Create whatever of the demo is missing (idempotent) and issue a few fresh links; with
    ``answers``, also the synthetic answers, example targets and reference figures."""
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
        # The demo prints a working one-time login every time it runs (the first login asks for a new password).
        password = new_password()
        await StaffUser.update(
            {StaffUser.password_hash: hash_password(password), StaffUser.must_change_password: True}
        ).where(StaffUser.email == DEMO_ADMIN_EMAIL)
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
    added = await seed_demo_answers(year) if answers else 0
    return DemoResult(DEMO_ADMIN_EMAIL, password, wave.id, event.id, pupil_links, staff, added)


async def seed_demo_answers(year: int, *, pupils: int = DEMO_PUPILS, seed: int = 2026) -> int:
    """Synthetic answers for the demo schools in ``year`` and the four years before (with the
    planted effects of :mod:`surveys.responses.synthetic`), marked ``source = "demo"``; example
    targets and reference figures. Only what is missing; returns the number of answers added."""
    version_id, instrument = await stored_instrument(PUPIL_INSTRUMENT)
    added = 0
    if not await Response.exists().where(Response.source == "demo"):
        years = list(range(year - DEMO_YEARS + 1, year + 1))
        data = synthetic_responses(instrument, schools=len(DEMO_SCHOOLS), years=years, pupils=pupils, seed=seed)
        data = dataclasses.replace(data, school_names=tuple(DEMO_SCHOOLS))
        added = (await insert_responses(version_id, data.rows(), source="demo")).imported
    if not await IndicatorTarget.exists().where(IndicatorTarget.instrument_key == PUPIL_INSTRUMENT):
        for indicator, op, value, due in (
            ("foeler_sig_ofte_ensom", "<=", 12.0, year + 2),
            ("drukket_sig_fuld_seneste_maaned", "<=", 20.0, year - 1),
            ("ved_hvor_man_kan_faa_hjaelp", ">=", 75.0, year),
        ):
            await save_target(instrument, TargetChoice(indicator, op, value, due))
    if not await ReferenceFigure.exists().where(ReferenceFigure.instrument_key == PUPIL_INSTRUMENT):
        await import_references(_demo_references(year), instrument)
    return added


def _demo_references(year: int) -> str:
    """Example figures, named as examples: a national level and the strategy's own baseline."""
    national = "Landstal (opdigtet eksempel)"
    return "\n".join([
        "source,year,indicator,value,n,ci_low,ci_high",
        "Strategiens udgangspunkt (eksempel),2010,har_proevet_hash,36,,,",
        f"{national},{year - 4},har_proevet_hash,18,3500,,",
        f"{national},{year - 1},drukket_sig_fuld_seneste_maaned,22,,20.5,23.5",
        f"{national},{year - 1},trivsel_skala,3.8,,3.78,3.82",
    ]) + "\n"
