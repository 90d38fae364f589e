"""Waves (create, edit, open, close), their progress, and events (temadage)."""

from __future__ import annotations

import datetime as dt

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.console._web import INT_MAX, StaffDep, form_date, form_int, form_page, is_htmx, page, settings_of
from surveys.accounts.access import require, require_schools
from surveys.accounts.login import Staff
from surveys.answering.progress import wave_progress
from surveys.errors import Conflict, Forbidden, InvalidInput
from surveys.instruments.catalog import sync_instruments, version_languages
from surveys.organisation.schools import list_schools
from surveys.organisation.waves import (
    EventForm,
    WaveForm,
    create_event_from,
    create_wave_from,
    get_event,
    get_wave,
    instrument_choices,
    list_events,
    list_waves,
    set_event_status,
    set_wave_status,
    update_wave,
    wave_school_ids,
)

__all__ = [
    "create_event_submit",
    "create_wave_submit",
    "edit_wave",
    "event_page",
    "event_status",
    "events_page",
    "new_event_form",
    "new_wave_form",
    "progress_page",
    "save_wave",
    "wave_status",
    "waves_page",
]


async def _instruments(audience: str) -> list[dict]:
    choices = await instrument_choices(audience)
    if not choices:
        try:
            await sync_instruments()
        except Conflict:
            pass
        choices = await instrument_choices(audience)
    languages = await version_languages([choice["id"] for choice in choices])
    return [{**choice, "languages": languages.get(choice["id"], [])} for choice in choices]


@get("/waves", name="console:waves")
async def waves_page(staff: StaffDep) -> Template:
    require(staff, "waves.view")
    waves = await list_waves(None if staff.all_schools else staff.school_ids)
    for wave in waves:
        wave["manageable"] = staff.role in ("admin", "coordinator") and all(staff.covers(s) for s in wave["school_ids"])
    return await page("console/waves.html", staff, title="Målinger", waves=waves)


async def _wave_form(staff: Staff, wave_id: int | None, values: dict, *, error=None, problems=None) -> Template:
    return await form_page(
        "console/wave_form.html",
        staff,
        error=error,
        problems=problems,
        title="Ny måling" if wave_id is None else "Ret måling",
        wave_id=wave_id,
        values=values,
        instruments=await _instruments("pupil"),
        schools=await list_schools(None if staff.all_schools else staff.school_ids),
    )


def _parse_wave(form) -> tuple[WaveForm | None, dict, dict]:
    problems: dict[str, str] = {}
    instrument = form_int(form, "instrument", problems=problems)
    year = form_int(form, "year", problems=problems)
    opens_on = form_date(form, "opens_on", problems)
    closes_on = form_date(form, "closes_on", problems)
    try:
        school_ids = tuple(int(v) for v in form.getall("schools", []))
        if not all(0 < school_id <= INT_MAX for school_id in school_ids):
            raise ValueError("school id out of range")
    except ValueError:
        school_ids = ()
        problems["schools"] = "ukendt skole"
    values = {
        "instrument": instrument,
        "name": form.get("name") or "",
        "year": form.get("year") or "",
        "opens_on": form.get("opens_on") or "",
        "closes_on": form.get("closes_on") or "",
        "schools": set(school_ids),
    }
    if problems:
        return None, values, problems
    return WaveForm(instrument, values["name"], year, opens_on, closes_on, school_ids), values, problems


@get("/waves/new", name="console:wave-new")
async def new_wave_form(staff: StaffDep) -> Template:
    require(staff, "waves.manage")
    schools = await list_schools(None if staff.all_schools else staff.school_ids)
    values = {"year": dt.date.today().year, "schools": {school.id for school in schools}}
    return await _wave_form(staff, None, values)


@post("/waves", name="console:wave-create")
async def create_wave_submit(request: Request, staff: StaffDep) -> Template | Redirect:
    require(staff, "waves.manage")
    form, values, problems = _parse_wave(await request.form())
    try:
        if form is None:
            raise InvalidInput("Målingen blev ikke gemt.", problems)
        require_schools(staff, "waves.manage", form.school_ids)
        wave = await create_wave_from(form)
    except InvalidInput as exc:
        return await _wave_form(staff, None, values, error=exc.message, problems=exc.problems)
    return Redirect(f"/console/waves/{wave.id}/progress", status_code=303)


async def _manageable_wave(staff: Staff, wave_id: int):
    wave = await get_wave(wave_id)
    require_schools(staff, "waves.manage", await wave_school_ids(wave_id))
    return wave


@get("/waves/{wave_id:int}/edit", name="console:wave-edit")
async def edit_wave(staff: StaffDep, wave_id: FromPath[int]) -> Template:
    wave = await _manageable_wave(staff, wave_id)
    values = {
        "instrument": wave.instrument,
        "name": wave.name,
        "year": wave.year,
        "opens_on": wave.opens_on.isoformat() if wave.opens_on else "",
        "closes_on": wave.closes_on.isoformat() if wave.closes_on else "",
        "schools": await wave_school_ids(wave_id),
    }
    return await _wave_form(staff, wave_id, values)


@post("/waves/{wave_id:int}", name="console:wave-save")
async def save_wave(request: Request, staff: StaffDep, wave_id: FromPath[int]) -> Template | Redirect:
    await _manageable_wave(staff, wave_id)
    form, values, problems = _parse_wave(await request.form())
    try:
        if form is None:
            raise InvalidInput("Målingen blev ikke gemt.", problems)
        require_schools(staff, "waves.manage", form.school_ids)
        await update_wave(wave_id, form)
    except InvalidInput as exc:
        return await _wave_form(staff, wave_id, values, error=exc.message, problems=exc.problems)
    except Conflict as exc:
        return await _wave_form(staff, wave_id, values, error=exc.message, problems={"instrument": "kan ikke skiftes"})
    return Redirect("/console/waves", status_code=303)


@post("/waves/{wave_id:int}/status", name="console:wave-status")
async def wave_status(request: Request, staff: StaffDep, wave_id: FromPath[int]) -> Redirect:
    await _manageable_wave(staff, wave_id)
    status = str((await request.form()).get("status") or "")
    await set_wave_status(wave_id, status)
    if status == "closed":
        await request.app.state.releases.closed(wave=wave_id)  # everything still held, and every draft
    return Redirect("/console/waves", status_code=303)


@get("/waves/{wave_id:int}/progress", name="console:wave-progress")
async def progress_page(request: Request, staff: StaffDep, wave_id: FromPath[int]) -> Template:
    require(staff, "progress.view")
    wave = await get_wave(wave_id)
    scope = None if staff.all_schools else staff.school_ids
    if scope is not None and not (scope & await wave_school_ids(wave_id)):
        raise Forbidden("Du har ikke adgang til det her.")
    progress = await wave_progress(wave_id, school_ids=scope, minimum_threshold=settings_of(request).suppression_threshold)
    template = "console/_progress_table.html" if is_htmx(request) else "console/progress.html"
    return await page(template, staff, headers={"Vary": "HX-Request"}, title=f"Svar i {wave.name}", wave=wave, progress=progress)


@get("/events", name="console:events")
async def events_page(staff: StaffDep) -> Template:
    require(staff, "events.manage")
    return await page("console/events.html", staff, title="Temadage", events=await list_events())


@get("/events/new", name="console:event-new")
async def new_event_form(staff: StaffDep) -> Template:
    require(staff, "events.manage")
    return await _event_form(staff, {"held_on": dt.date.today().isoformat()})


async def _event_form(staff: Staff, values: dict, *, error=None, problems=None) -> Template:
    return await form_page(
        "console/event_form.html",
        staff,
        error=error,
        problems=problems,
        title="Ny temadag",
        values=values,
        instruments=await _instruments("staff"),
    )


@post("/events", name="console:event-create")
async def create_event_submit(request: Request, staff: StaffDep) -> Template | Redirect:
    require(staff, "events.manage")
    form = await request.form()
    problems: dict[str, str] = {}
    instrument = form_int(form, "instrument", problems=problems)
    held_on = form_date(form, "held_on", problems)
    if held_on is None and "held_on" not in problems:
        problems["held_on"] = "skal udfyldes"
    values = {"instrument": instrument, "name": form.get("name") or "", "held_on": form.get("held_on") or ""}
    try:
        if problems:
            raise InvalidInput("Temadagen blev ikke gemt.", problems)
        event = await create_event_from(EventForm(instrument, values["name"], held_on))
    except InvalidInput as exc:
        return await _event_form(staff, values, error=exc.message, problems=exc.problems)
    return Redirect(f"/console/events/{event.id}", status_code=303)


@get("/events/{event_id:int}", name="console:event")
async def event_page(staff: StaffDep, event_id: FromPath[int]) -> Template:
    require(staff, "events.manage")
    event = await get_event(event_id)
    return await page("console/event.html", staff, title=event.name, event=event)


@post("/events/{event_id:int}/status", name="console:event-status")
async def event_status(request: Request, staff: StaffDep, event_id: FromPath[int]) -> Redirect:
    require(staff, "events.manage")
    status = str((await request.form()).get("status") or "")
    await set_event_status(event_id, status)
    if status == "closed":
        await request.app.state.releases.closed(event=event_id)
    return Redirect(f"/console/events/{event_id}", status_code=303)
