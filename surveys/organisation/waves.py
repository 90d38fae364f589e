"""Waves and theme days (events): create, edit, open, close. The rules are checked once,
in :func:`create_wave_from` / :func:`update_wave` / :func:`create_event_from`; the CLI's
:func:`create_wave` and :func:`create_event` name the instrument by its key and go through them.

A wave's instrument is fixed once it has responses: answers are only
comparable within the instrument version they were given in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from surveys.db.engine import write_transaction
from surveys.db.tables import Event, InstrumentVersion, Response, School, Wave, WaveSchool
from surveys.errors import Conflict, InvalidInput, NotFound
from surveys.instruments.catalog import instrument_for
from surveys.organisation.schools import find_school
from surveys.text import checked_line

__all__ = [
    "EventForm",
    "WaveForm",
    "create_event",
    "create_event_from",
    "create_wave",
    "create_wave_from",
    "get_event",
    "get_wave",
    "instrument_choices",
    "list_events",
    "list_waves",
    "open_waves_for",
    "set_event_status",
    "set_wave_status",
    "update_wave",
    "wave_school_ids",
]

STATUSES = ("open", "closed")
NAME_MAX = 200  # the columns' length


@dataclass(frozen=True)
class WaveForm:
    instrument_id: int
    name: str
    year: int
    opens_on: dt.date | None
    closes_on: dt.date | None
    school_ids: tuple[int, ...]


@dataclass(frozen=True)
class EventForm:
    instrument_id: int
    name: str
    held_on: dt.date


async def instrument_choices(audience: str) -> list[dict]:
    return await InstrumentVersion.select(
        InstrumentVersion.id, InstrumentVersion.key, InstrumentVersion.version, InstrumentVersion.title
    ).where(InstrumentVersion.audience == audience).order_by(InstrumentVersion.key).order_by(
        InstrumentVersion.version, ascending=False  # the newest first: a new form preselects it
    )


async def _check_instrument(instrument_id: int | None, audience: str) -> None:
    row = await InstrumentVersion.select(InstrumentVersion.key, InstrumentVersion.audience).where(
        InstrumentVersion.id == instrument_id
    ).first()
    if row is None:
        raise InvalidInput("Vælg et spørgeskema.", {"instrument": "vælg et spørgeskema"})
    if row["audience"] != audience:
        use = "et arrangement" if row["audience"] == "staff" else "en måling"
        whom = "ansatte" if row["audience"] == "staff" else "elever"
        raise InvalidInput(f"{row['key']} er et skema til {whom}; brug {use}.", {"instrument": "vælg et spørgeskema"})


def _checked(problems: dict[str, str], field: str, rule, *args):
    """``rule(*args)``, or None with the reason noted in ``problems`` under ``field``."""
    try:
        return rule(*args)
    except InvalidInput as exc:
        problems[field] = next(iter(exc.problems.values()), exc.message)
        return None


async def _check_wave_form(form: WaveForm) -> str:
    """The wave's cleaned name, or InvalidInput with every problem of the form."""
    problems: dict[str, str] = {}
    name = _checked(problems, "name", checked_line, form.name, "Målingens navn", NAME_MAX)
    if not 1990 <= form.year <= 2100:
        problems["year"] = "året skal være mellem 1990 og 2100"
    if form.opens_on and form.closes_on and form.closes_on < form.opens_on:
        problems["closes_on"] = "slutdatoen ligger før startdatoen"
    if not form.school_ids:
        problems["schools"] = "vælg mindst én skole"
    elif await School.count().where(School.id.is_in(list(form.school_ids))) != len(set(form.school_ids)):
        problems["schools"] = "ukendt skole"
    if problems:
        raise InvalidInput("Målingen kunne ikke gemmes.", problems)
    await _check_instrument(form.instrument_id, "pupil")
    return name


async def list_waves(school_ids: frozenset[int] | None = None) -> list[dict]:
    """Waves, newest first, each with its instrument and school ids (only those touching ``school_ids``)."""
    waves = await Wave.select(
        Wave.all_columns(), Wave.instrument.key.as_alias("instrument_key"), Wave.instrument.version.as_alias("instrument_version")
    ).order_by(Wave.year, ascending=False).order_by(Wave.id, ascending=False)
    links = await WaveSchool.select(WaveSchool.wave, WaveSchool.school)
    by_wave: dict[int, set[int]] = {}
    for row in links:
        by_wave.setdefault(row["wave"], set()).add(row["school"])
    result = []
    for wave in waves:
        wave["school_ids"] = by_wave.get(wave["id"], set())
        if school_ids is None or wave["school_ids"] & school_ids:
            result.append(wave)
    return result


async def get_wave(wave_id: int) -> Wave:
    wave = await Wave.objects().get(Wave.id == wave_id)
    if wave is None:
        raise NotFound("Målingen findes ikke.")
    return wave


async def wave_school_ids(wave_id: int) -> set[int]:
    return {row["school"] for row in await WaveSchool.select(WaveSchool.school).where(WaveSchool.wave == wave_id)}


async def open_waves_for(school_id: int) -> list[dict]:
    """Open waves that the school takes part in, newest first."""
    wave_ids = [row["wave"] for row in await WaveSchool.select(WaveSchool.wave).where(WaveSchool.school == school_id)]
    if not wave_ids:
        return []
    return await Wave.select(Wave.id, Wave.name, Wave.year).where(
        Wave.id.is_in(wave_ids) & (Wave.status == "open")
    ).order_by(Wave.year, ascending=False).order_by(Wave.id, ascending=False)


async def create_wave_from(form: WaveForm) -> Wave:
    name = await _check_wave_form(form)
    async with write_transaction(Wave._meta.db):
        wave = Wave(
            instrument=form.instrument_id,
            name=name,
            year=form.year,
            opens_on=form.opens_on,
            closes_on=form.closes_on,
        )
        await wave.save()
        for school_id in sorted(set(form.school_ids)):
            await WaveSchool(wave=wave.id, school=school_id).save()
    return wave


async def update_wave(wave_id: int, form: WaveForm) -> Wave:
    """Change a wave; the instrument only while it has no responses."""
    wave = await get_wave(wave_id)
    name = await _check_wave_form(form)
    if form.instrument_id != wave.instrument and await Response.exists().where(Response.wave == wave_id):
        raise Conflict("Spørgeskemaet kan ikke skiftes: målingen har allerede svar.")
    async with write_transaction(Wave._meta.db):
        await Wave.update(
            {
                Wave.instrument: form.instrument_id,
                Wave.name: name,
                Wave.year: form.year,
                Wave.opens_on: form.opens_on,
                Wave.closes_on: form.closes_on,
            }
        ).where(Wave.id == wave_id)
        current = await wave_school_ids(wave_id)
        wanted = set(form.school_ids)
        for school_id in current - wanted:
            await WaveSchool.delete().where((WaveSchool.wave == wave_id) & (WaveSchool.school == school_id))
        for school_id in sorted(wanted - current):
            await WaveSchool(wave=wave_id, school=school_id).save()
    return await get_wave(wave_id)


async def set_wave_status(wave_id: int, status: str) -> None:
    if status not in STATUSES:
        raise InvalidInput("Ukendt status.")
    await get_wave(wave_id)
    await Wave.update({Wave.status: status}).where(Wave.id == wave_id)


async def list_events() -> list[dict]:
    return await Event.select(
        Event.all_columns(), Event.instrument.key.as_alias("instrument_key"), Event.instrument.version.as_alias("instrument_version")
    ).order_by(Event.held_on, ascending=False)


async def get_event(event_id: int) -> Event:
    event = await Event.objects().get(Event.id == event_id)
    if event is None:
        raise NotFound("Arrangementet findes ikke.")
    return event


async def create_event_from(form: EventForm) -> Event:
    problems: dict[str, str] = {}
    name = _checked(problems, "name", checked_line, form.name, "Arrangementets navn", NAME_MAX)
    if problems:
        raise InvalidInput("Arrangementet kunne ikke gemmes.", problems)
    await _check_instrument(form.instrument_id, "staff")
    event = Event(instrument=form.instrument_id, name=name, held_on=form.held_on)
    await event.save()
    return event


async def set_event_status(event_id: int, status: str) -> None:
    if status not in STATUSES:
        raise InvalidInput("Ukendt status.")
    await get_event(event_id)
    await Event.update({Event.status: status}).where(Event.id == event_id)


async def create_wave(
    instrument_key: str,
    *,
    year: int,
    name: str,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    schools: list[str] | None = None,
) -> Wave:
    """A wave of the instrument's newest version (the CLI's way); every school takes part unless
    ``schools`` names them."""
    instrument = await instrument_for(instrument_key)
    school_ids = [(await find_school(s)).id for s in schools] if schools else [row["id"] for row in await School.select(School.id)]
    return await create_wave_from(WaveForm(instrument.id, name, year, opens_on, closes_on, tuple(school_ids)))


async def create_event(instrument_key: str, *, name: str, held_on: dt.date) -> Event:
    """A theme day evaluated with the staff instrument's newest version (the CLI's way)."""
    instrument = await instrument_for(instrument_key)
    return await create_event_from(EventForm(instrument.id, name, held_on))
