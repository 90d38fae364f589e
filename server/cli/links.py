"""Commands for the things links hang on, and the links themselves.

``schools add`` and ``classes add`` are here until the console brings CSV import.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import click

from server.cli._runtime import fail, load_settings, reports_errors, run_db
from surveys.answering.links import format_code
from surveys.instruments import PUPIL_INSTRUMENT, STAFF_INSTRUMENT

__all__ = ["register"]

ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


@click.group()
def links() -> None:
    """Single-use links (QR slips) for pupils and staff."""


@links.command(name="create")
@click.option("--wave", "wave_id", type=int, help="Wave id (pupil links).")
@click.option("--school", help="School name (pupil links).")
@click.option("--class", "class_name", help="Class name within the school (pupil links).")
@click.option("--event", "event_id", type=int, help="Event id (staff links) instead of wave/school/class.")
@click.option("--count", required=True, type=click.IntRange(1, 2000), help="How many links.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Write url,code rows here instead of printing URLs.")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Also write print-ready A4 QR slips (3 × 7 per page) here.")
@reports_errors
def create_links(wave_id: int | None, school: str | None, class_name: str | None, event_id: int | None,
                 count: int, csv_path: Path | None, pdf_path: Path | None) -> None:
    """Issue COUNT single-use links; print one URL per line or write a CSV (url,code,…)."""
    if event_id is not None and (wave_id is not None or school or class_name):
        fail("use either --event or --wave/--school/--class, not both", 2)
    if event_id is None and (wave_id is None or not school):
        fail("pupil links need --wave and --school (and usually --class); staff links need --event", 2)
    settings = load_settings()
    files = [path for path in (pdf_path, csv_path) if path is not None]

    async def issue(engine):
        from surveys.answering.issuing import issue_links_with
        from surveys.answering.links import LinkSigner
        from surveys.errors import NotFound
        from surveys.organisation.schools import find_class, find_school
        from surveys.organisation.waves import get_event, get_wave

        signer = LinkSigner(settings.secret_keys)
        try:
            held = await (get_event(event_id) if event_id is not None else get_wave(wave_id))
        except NotFound:
            what = f"Arrangement {event_id}" if event_id is not None else f"Måling {wave_id}"
            raise NotFound(f"{what} findes ikke.") from None
        where: dict = {"event": event_id}
        if event_id is None:
            school_row = await find_school(school or "")
            class_id = (await find_class(school or "", class_name)).id if class_name else None
            where = {"wave": wave_id, "school": school_row.id, "school_class": class_id}

        def write_files(issued):
            _write_files(issued, pdf_path, csv_path, heading=held.name, settings=settings, school=school,
                         class_name=class_name, event_id=event_id)
            return issued

        try:  # the files first: links are stored only if the files that carry them were written
            return await issue_links_with(write_files, signer, settings.base_url, "staff" if event_id is not None else "pupil",
                                          count, **where)
        except BaseException:
            for path in files:
                path.unlink(missing_ok=True)
            raise

    issued = run_db(settings, issue)
    if not files:
        for link in issued:
            click.echo(link.url)
    if pdf_path is not None:
        click.echo(f"wrote {len(issued)} slip(s) to {pdf_path}", err=True)
    if csv_path is not None:
        click.echo(f"wrote {len(issued)} link(s) to {csv_path}", err=True)


def _write_files(issued, pdf_path: Path | None, csv_path: Path | None, *, heading: str, settings, school: str | None,
                 class_name: str | None, event_id: int | None) -> None:
    """The slip PDF and the CSV for freshly drawn links; a file that cannot be written is a one-line error."""
    from exports.slips import Slip, slips_pdf, typing_address
    from surveys.errors import DomainError

    target = pdf_path
    try:
        if pdf_path is not None:
            label = " ".join(part for part in (school, class_name) if part) or "Evaluering"
            slips = [Slip(link, label) for link in issued]
            pdf_path.write_bytes(slips_pdf(slips, heading=heading, typing_address=typing_address(settings.base_url)))
        target = csv_path
        if csv_path is not None:
            with csv_path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["url", "code", "school", "class", "event"])
                for link in issued:
                    writer.writerow([link.url, format_code(link.code), school or "", class_name or "", event_id or ""])
    except OSError as exc:
        raise DomainError(f"cannot write {target}: {exc.strerror or exc}; no links were issued") from None


@click.group()
def wave() -> None:
    """Waves (one measurement of a pupil instrument)."""


@wave.command(name="create")
@click.option("--instrument", required=True, help=f"Instrument id, e.g. {PUPIL_INSTRUMENT}.")
@click.option("--year", required=True, type=int, help="The year the wave measures.")
@click.option("--name", required=True, help="A name, e.g. 'Trivsel og rusmidler 2026'.")
@click.option("--opens", type=ISO_DATE, help="First day to answer (YYYY-MM-DD).")
@click.option("--closes", type=ISO_DATE, help="Last day to answer (YYYY-MM-DD).")
@reports_errors
def create_wave_command(instrument: str, year: int, name: str, opens: dt.datetime | None, closes: dt.datetime | None) -> None:
    """Create a wave of the instrument's newest version; print its id."""
    settings = load_settings(require_keys=False)

    async def create(engine):
        from surveys.instruments.catalog import sync_instruments
        from surveys.organisation.waves import create_wave

        await sync_instruments()
        return await create_wave(instrument, year=year, name=name, opens_on=_date(opens), closes_on=_date(closes))

    click.echo(run_db(settings, create).id)


@click.group()
def event() -> None:
    """Events (theme days) evaluated by staff."""


@event.command(name="create")
@click.option("--instrument", required=True, help=f"Staff instrument id, e.g. {STAFF_INSTRUMENT}.")
@click.option("--name", required=True, help="A name, e.g. 'Temadag UNG RUS'.")
@click.option("--date", "held_on", required=True, type=ISO_DATE, help="The day it is held (YYYY-MM-DD).")
@reports_errors
def create_event_command(instrument: str, name: str, held_on: dt.datetime) -> None:
    """Create an event; print its id."""
    settings = load_settings(require_keys=False)

    async def create(engine):
        from surveys.instruments.catalog import sync_instruments
        from surveys.organisation.waves import create_event

        await sync_instruments()
        return await create_event(instrument, name=name, held_on=held_on.date())

    click.echo(run_db(settings, create).id)


@click.group()
def schools() -> None:
    """Schools (until the console's CSV import)."""


@schools.command(name="add")
@click.argument("name")
@reports_errors
def add_school_command(name: str) -> None:
    """Add a school; print its id."""
    settings = load_settings(require_keys=False)

    async def add(engine):
        from surveys.organisation.schools import add_school

        return await add_school(name)

    click.echo(run_db(settings, add).id)


@click.group()
def classes() -> None:
    """Classes (until the console's CSV import)."""


@classes.command(name="add")
@click.option("--school", required=True, help="The school's name.")
@click.option("--name", required=True, help="The class's name, e.g. 7.a.")
@click.option("--grade", type=click.IntRange(0, 13), help="Grade level 0–13.")
@reports_errors
def add_class_command(school: str, name: str, grade: int | None) -> None:
    """Add a class to a school; print its id."""
    settings = load_settings(require_keys=False)

    async def add(engine):
        from surveys.organisation.schools import add_class

        return await add_class(school, name, grade=grade)

    click.echo(run_db(settings, add).id)


def register(main: click.Group) -> None:
    for group in (links, wave, event, schools, classes):
        if group.name not in main.commands:
            main.add_command(group)
