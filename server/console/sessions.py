"""Class sessions: the teacher's screen with one big QR, and ``/q/{token}`` that hands out links.

The screen polls its counts with htmx (counts only) and has a plain refresh
link without JavaScript. ``/q/`` remembers the link it gave a device in a
cookie scoped to that session's path, so a reload on the same phone returns the
same link rather than using up another.
"""

from __future__ import annotations

import datetime as dt

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromPath
from litestar.response import Redirect, Template

from exports.slips import qr_svg, typing_address
from server.console._web import StaffDep, class_form, form_int, is_htmx, page, settings_of, tokens_of
from server.errors import no_more_links_page
from server.profile import refresh_profile
from server.pupil.routes import CLASS_QR_COOKIE, ask_device, device_choice
from surveys.accounts.access import require
from surveys.accounts.login import Staff
from surveys.answering.class_sessions import (
    DEFAULT_MINUTES,
    SessionFull,
    close_session,
    find_session,
    get_session,
    open_class_session,
    open_event_session,
    session_counts,
)
from surveys.answering.code_entry import link_for_device
from surveys.answering.links import format_code
from surveys.db.tables import ClassSession
from surveys.errors import InvalidInput, SurveyClosed
from surveys.organisation.schools import get_class, get_school
from surveys.organisation.waves import get_event, get_wave

__all__ = ["claim", "claim_chosen", "close", "open_for_class", "open_for_event", "screen", "session_form"]

DEVICE_COOKIE = CLASS_QR_COOKIE


async def _session_form(staff: Staff, school_class, *, values=None, **state) -> Template:
    return await class_form(
        "console/session_form.html", staff, school_class, title=f"Klasserunde for {school_class.name}",
        values=values or {"capacity": school_class.pupils or "", "minutes": DEFAULT_MINUTES}, **state,
    )


@get("/classes/{class_id:int}/session", name="console:session-form")
async def session_form(staff: StaffDep, class_id: FromPath[int]) -> Template:
    school_class = await get_class(class_id)
    require(staff, "sessions.run", school_class.school)
    return await _session_form(staff, school_class)


@post("/classes/{class_id:int}/sessions", name="console:session-open")
async def open_for_class(request: Request, staff: StaffDep, class_id: FromPath[int]) -> Template | Redirect:
    school_class = await get_class(class_id)
    require(staff, "sessions.run", school_class.school)
    form = await request.form()
    problems: dict[str, str] = {}
    wave_id = form_int(form, "wave", problems=problems)
    minutes = form_int(form, "minutes", problems=problems)
    capacity = form_int(form, "capacity", problems=problems)
    values = {"wave": wave_id, "minutes": form.get("minutes") or "", "capacity": form.get("capacity") or ""}
    try:
        if problems:
            raise InvalidInput("Runden blev ikke startet.", problems)
        session = await open_class_session(
            tokens_of(request), school_class_id=class_id, wave_id=wave_id, minutes=minutes, capacity=capacity
        )
    except InvalidInput as exc:
        return await _session_form(
            staff, school_class, status_code=422, error=exc.message, problems=exc.problems, values=values
        )
    return Redirect(f"/console/sessions/{session.id}", status_code=303)


@post("/events/{event_id:int}/sessions", name="console:event-session-open")
async def open_for_event(request: Request, staff: StaffDep, event_id: FromPath[int]) -> Redirect:
    require(staff, "events.manage")
    form = await request.form()
    capacity = form_int(form, "capacity")
    minutes = form_int(form, "minutes", required=False) or DEFAULT_MINUTES
    session = await open_event_session(tokens_of(request), event_id=event_id, capacity=capacity, minutes=minutes)
    return Redirect(f"/console/sessions/{session.id}", status_code=303)


async def _session_for(staff: Staff, session_id: int) -> tuple[ClassSession, str, str]:
    """The session if ``staff`` may run it, with its title and where 'back' goes."""
    session = await get_session(session_id)
    if session.event:
        require(staff, "events.manage")
        event = await get_event(session.event)
        return session, event.name, f"/console/events/{event.id}"
    school_class = await get_class(session.school_class)
    require(staff, "sessions.run", school_class.school)
    school = await get_school(school_class.school)
    wave = await get_wave(session.wave)
    return session, f"{school.name} {school_class.name} – {wave.name}", f"/console/schools/{school.id}"


@get("/sessions/{session_id:int}", name="console:session")
async def screen(request: Request, staff: StaffDep, session_id: FromPath[int]) -> Template:
    session, label, back = await _session_for(staff, session_id)
    counts = await session_counts(session_id)
    now = dt.datetime.now(dt.timezone.utc)
    live = not session.closed and session.expires_at > now
    context = {
        "session": session,
        "counts": counts,
        "live": live,
        "minutes_left": max(0, int((session.expires_at - now).total_seconds() // 60)),
    }
    if is_htmx(request):
        # 286 tells htmx to stop polling once the session is over.
        status = 200 if live else 286
        return await page(
            "console/_session_counts.html", staff, status_code=status, headers={"Vary": "HX-Request"}, **context
        )
    url = f"{settings_of(request).base_url}/q/{tokens_of(request).token(session)}"
    return await page(
        "console/session_present.html" if request.query_params.get("vis") == "tavle" else "console/session.html",
        staff,
        headers={"Vary": "HX-Request"},
        title=f"Klasserunde {label}",
        label=label,
        back=back,
        qr=qr_svg(url, scale=10) if live else "",
        code=format_code(session.code),
        address=typing_address(settings_of(request).base_url),
        **context,
    )


@post("/sessions/{session_id:int}/close", name="console:session-close")
async def close(staff: StaffDep, session_id: FromPath[int]) -> Redirect:
    await _session_for(staff, session_id)
    await close_session(session_id)
    return Redirect(f"/console/sessions/{session_id}", status_code=303)


@get("/q/{token:str}", name="claim", exclude_from_csrf=True, before_request=refresh_profile)
async def claim(request: Request, token: FromPath[str]) -> Response:
    """A device scanned the projected QR: send it to its own link. A device that holds an unanswered
    link of the session is asked first whether it is the same pupil (see :func:`claim_chosen`)."""
    return await _claim(request, token, None)


@post("/q/{token:str}", name="claim-chosen", exclude_from_csrf=True, before_request=refresh_profile)
async def claim_chosen(request: Request, token: FromPath[str]) -> Response:
    """The shared-device page's answer: "continue" the remembered link, or a "new" pupil's own link."""
    return await _claim(request, token, device_choice((await request.form()).getall("choice")))


async def _claim(request: Request, token: str, choice: str | None) -> Response:
    tokens, settings = tokens_of(request), settings_of(request)
    session = await find_session(tokens, token)
    try:
        link = await link_for_device(tokens, settings.base_url, session, request.cookies.get(DEVICE_COOKIE), choice)
    except (SessionFull, SurveyClosed) as exc:
        return no_more_links_page(request, exc)
    if link.ask:
        return ask_device(request, f"/q/{token}", [])
    response = Redirect(f"/s/{link.token}", status_code=303)
    if link.remember_for_s is not None:
        response.set_cookie(
            Cookie(
                key=DEVICE_COOKIE,
                value=link.token,
                path="/q",  # not only this session's path: a submit clears it (server.pupil.routes)
                max_age=link.remember_for_s,
                httponly=True,
                secure=settings.secure_cookies,
                samesite="lax",
            )
        )
    return response
