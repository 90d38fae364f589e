"""The answering flow over HTTP: thin handlers around ``surveys.answering.service``.

``/s/<token>/...`` is reached from a slip's QR code, ``/k/<token>/...`` after
typing the slip's code at ``/k``; both run the same handlers. The shared code
of a class session, typed at ``/k``, hands the device a fresh link of the
session (``/s/<token>``), as scanning the projected QR does. Every step is a
plain form POST → 303 → GET, so it works without JavaScript; htmx only swaps
the partial. The URL token is the capability, so these routes are outside
the console's CSRF protection: each opts out with ``exclude_from_csrf`` (the
app's only CSRF exclusion mechanism).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromPath
from litestar.response import Redirect, Template
from piccolo.engine.base import Engine

from server.errors import error_page
from server.pupil.views import (
    VARY, field_values, flow_language, page_questions, problem_text, redirect, render, review_rows,
)
from server.settings import Settings
from surveys import throttle
from surveys.answering.class_sessions import SessionFull, SessionTokens, claim_link, device_link_is_of, resolve_session_code
from surveys.answering.code_sessions import CodeSessions
from surveys.answering.form import FormInput
from surveys.answering.links import LinkSigner
from surveys.answering.service import Answering, FlowKind, Opened
from surveys.answering.store import make_answer_store
from surveys.db.tables import ClassSession
from surveys.errors import LinkNotFound, SurveyClosed

__all__ = [
    "CODE_FAILURES_PER_WINDOW", "CODE_WINDOW_S", "SESSION_DEVICE_COOKIE", "answering_lifespan",
    "pupil_handlers",
]

# Wrong codes per client address per window: several classes behind one school IP may each
# mistype a few codes, while guessing ~34-bit codes at 200 per 10 minutes takes months per hit.
CODE_FAILURES_PER_WINDOW = 200
CODE_WINDOW_S = 600
# Remembers the link a class-session code gave this device, so typing the code again returns it.
SESSION_DEVICE_COOKIE = "trivsel_k"
_NO_CSRF = {"exclude_from_csrf": True}  # the token in the URL is the capability
_FLOW = ["/s/{token:str}", "/k/{token:str}"]


def answering_lifespan(settings: Settings, engine: Engine):
    """Starts the answering store (the SQLite writer thread, …) with the app and stops it after."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        store = make_answer_store(engine)
        await store.start()
        signer = LinkSigner(settings.secret_keys)
        app.state.answering = Answering(store, signer, CodeSessions(settings.secret_keys))
        try:
            yield
        finally:
            await store.stop()

    return lifespan


def _flow(request: Request) -> tuple[Answering, FlowKind]:
    kind: FlowKind = "k" if request.scope["path"].startswith("/k/") else "s"
    return request.app.state.answering, kind


async def _form(request: Request) -> FormInput:
    form = await request.form()
    return {key: [v if isinstance(v, str) else "" for v in form.getall(key)] for key in form.keys()}


async def _thanks(request: Request, service: Answering, opened: Opened | None, *, already: bool) -> Template:
    lang = flow_language(request, opened)
    contacts = await service.help_contacts()
    return render(request, "thanks", {"already": already, "contacts": contacts}, lang=lang)


def _base(kind: FlowKind, token: str) -> str:
    return f"/{kind}/{token}"


@get(_FLOW, name="flow_welcome", opt=_NO_CSRF)
async def get_welcome(request: Request, token: FromPath[str]) -> Template:
    service, kind = _flow(request)
    opened = await service.open(kind, token)
    if opened.used:
        return await _thanks(request, service, opened, already=True)
    lang = flow_language(request, opened)
    resume = opened.context.draft_page if opened.context.draft is not None else 0
    context = {"opened": opened, "base": _base(kind, token), "resume": resume, "instrument": opened.instrument}
    return render(request, "welcome", context, lang=lang)


def _page(request: Request, opened: Opened, kind: FlowKind, token: str, number: int, *,
          lang: str, answers: dict, problems: dict | None = None, form: FormInput | None = None) -> Template:
    section = opened.section(number)
    questions = page_questions(opened, section, answers)
    for entry in questions:
        entry["values"] = field_values(entry["q"], answers, form)
    messages = {qid: problem_text(problem, lang) for qid, problem in (problems or {}).items()}
    context = {
        "opened": opened, "base": _base(kind, token), "number": number, "pages": opened.pages,
        "section": section, "questions": questions, "problems": messages,
    }
    return render(request, "page", context, lang=lang, status_code=422 if problems else 200)


@get([f"{path}/p/{{number:int}}" for path in _FLOW], name="flow_page", opt=_NO_CSRF)
async def get_page(request: Request, token: FromPath[str], number: FromPath[int]) -> Template:
    service, kind = _flow(request)
    opened = await service.open(kind, token)
    if opened.used:
        return await _thanks(request, service, opened, already=True)
    lang = flow_language(request, opened)
    return _page(request, opened, kind, token, number, lang=lang, answers=opened.answers)


@post([f"{path}/p/{{number:int}}" for path in _FLOW], name="flow_save_page", opt=_NO_CSRF)
async def save_page(request: Request, token: FromPath[str], number: FromPath[int]) -> Template | Redirect:
    service, kind = _flow(request)
    opened = await service.open(kind, token)
    if opened.used:
        return redirect(kind, token, "/tak")
    opened.section(number)  # 404 before reading the body for a page that does not exist
    form = await _form(request)
    lang = flow_language(request, opened)
    back = form.get("nav", [""])[-1] == "back"
    result = await service.save_page(opened, number, form, back=back, language=lang)
    if result.problems:
        return _page(request, opened, kind, token, number, lang=lang, answers=result.answers,
                     problems=result.problems, form=form)
    if result.used:
        return redirect(kind, token, "/tak")
    if result.next_page == 0:
        return redirect(kind, token)
    if result.next_page > opened.pages:
        return redirect(kind, token, "/review")
    return redirect(kind, token, f"/p/{result.next_page}")


def _review(request: Request, opened: Opened, kind: FlowKind, token: str, lang: str, missing=()) -> Template:
    t_missing = {question.id for question in missing}
    context = {"opened": opened, "base": _base(kind, token), "pages": review_rows(opened, lang),
               "missing": t_missing, "page_count": opened.pages}
    return render(request, "review", context, lang=lang, status_code=422 if missing else 200)


@get([f"{path}/review" for path in _FLOW], name="flow_review", opt=_NO_CSRF)
async def get_review(request: Request, token: FromPath[str]) -> Template:
    service, kind = _flow(request)
    opened = await service.open(kind, token)
    if opened.used:
        return await _thanks(request, service, opened, already=True)
    return _review(request, opened, kind, token, flow_language(request, opened))


@post([f"{path}/submit" for path in _FLOW], name="flow_submit", opt=_NO_CSRF)
async def submit(request: Request, token: FromPath[str]) -> Template | Redirect:
    service, kind = _flow(request)
    opened = await service.open(kind, token)
    if not opened.used:
        lang = flow_language(request, opened)
        result = await service.submit(opened, language=lang)
        if result.missing:
            return _review(request, opened, kind, token, lang, result.missing)
    return redirect(kind, token, "/tak")


@get([f"{path}/tak" for path in _FLOW], name="flow_thanks", opt=_NO_CSRF)
async def get_thanks(request: Request, token: FromPath[str]) -> Template | Redirect:
    service, kind = _flow(request)
    opened = await service.open(kind, token)
    if not opened.used:
        return redirect(kind, token)
    return await _thanks(request, service, opened, already=False)


@get("/k", name="code_form", opt=_NO_CSRF)
async def get_code_form(request: Request) -> Template:
    return render(request, "code", {"error": None}, lang=flow_language(request))


@post("/k", name="code_enter", opt=_NO_CSRF)
async def enter_code(request: Request) -> Response:
    """A typed code: a slip's own code, or the shared code of a class session on the board.

    Guessing codes (about 34 bits) is throttled per client address, counting
    only codes that do not exist: a class of 30 behind one school address who
    all type their (valid) codes never comes near the limit. Once the limit is
    reached every attempt from the address gets 429 until the window ends, so
    a guesser cannot tell a hit from a refusal.
    """
    service, _ = _flow(request)
    settings: Settings = request.app.state.settings
    form = await _form(request)
    typed = (form.get("code") or [""])[0]
    lang = flow_language(request)
    key = "code:addr:" + throttle.address_key(settings.secret_keys[-1], request.client.host if request.client else None)
    # Counted first and taken back on success: concurrent guesses can never slip past the limit together.
    if await throttle.hit(key, window_s=CODE_WINDOW_S) > CODE_FAILURES_PER_WINDOW:
        response = render(request, "code", {"error": "code_rate_limited"}, lang=lang, status_code=429)
        response.headers["Retry-After"] = str(CODE_WINDOW_S - int(time.time()) % CODE_WINDOW_S)
        return response
    try:
        session = await service.start_code(typed)
    except LinkNotFound:
        class_session = await resolve_session_code(typed)
        if class_session is None:
            return render(request, "code", {"error": "code_not_found"}, lang=lang, status_code=404)
        await throttle.undo(key)
        return await _claim_for_device(request, settings, class_session)
    await throttle.undo(key)
    return redirect("k", session)


async def _claim_for_device(request: Request, settings: Settings, class_session: ClassSession) -> Response:
    """A fresh link of the class session, or the one this device already got (a re-typed code)."""
    tokens = SessionTokens(settings.secret_keys)
    remembered = request.cookies.get(SESSION_DEVICE_COOKIE)
    if await device_link_is_of(tokens, remembered, class_session):
        return Redirect(f"/s/{remembered}", status_code=303, headers=VARY)
    try:
        link = await claim_link(tokens, settings.base_url, class_session)
    except (SessionFull, SurveyClosed) as exc:
        heading = {"da": "Der er ikke flere links her", "en": "No more links here"}[flow_language(request)]
        return error_page(request, 409 if isinstance(exc, SessionFull) else 410, heading=heading, message=exc.message)
    response = Redirect(f"/s/{link.token}", status_code=303, headers=VARY)
    remaining = int((class_session.expires_at - dt.datetime.now(dt.timezone.utc)).total_seconds()) + 4 * 3600
    response.set_cookie(Cookie(
        key=SESSION_DEVICE_COOKIE, value=link.token, path="/k", max_age=max(60, remaining), httponly=True,
        secure=settings.secure_cookies, samesite="lax",
    ))
    return response


def pupil_handlers() -> list:
    return [get_welcome, get_page, save_page, get_review, submit, get_thanks, get_code_form, enter_code]
