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

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Request, Response, Router, get, post
from litestar.datastructures import Cookie, State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template
from piccolo.engine.base import Engine

from server.errors import RETRY_AFTER_S, no_more_links_page
from server.profile import refresh_profile
from server.pupil.privacy import privacy_notice
from server.pupil.views import (
    VARY, field_values, flow_language, page_questions, posted_answers, problem_text, redirect, render, review_rows,
)
from server.settings import Settings
from surveys.answering.class_sessions import SessionFull
from surveys.answering.code_entry import CodeRateLimited
from surveys.answering.form import FormInput
from surveys.answering.service import Answering, FlowKind, Opened
from surveys.answering.release import Releases
from surveys.answering.store import make_answer_store
from surveys.answering.store.contract import Releaser
from surveys.answering.store.sealing import Sealer
from surveys.errors import LinkNotFound, StoreUnavailable, SurveyClosed

__all__ = [
    "CLASS_QR_COOKIE",
    "SESSION_DEVICE_COOKIE",
    "AnsweringDep",
    "answering_lifespan",
    "ask_device",
    "device_choice",
    "provide_answering",
    "pupil_router",
]

log = logging.getLogger("trivsel.answering")
SWEEP_EVERY_S = 3600
# Remembers the link a class-session code gave this device, so typing the code again returns it.
SESSION_DEVICE_COOKIE = "trivsel_k"
# The same for a scanned class QR (``/q/<token>``, set by ``server.console.sessions``).
CLASS_QR_COOKIE = "trivsel_q"
_NO_CSRF = {"exclude_from_csrf": True}  # the token in the URL is the capability
_FLOW = ["/s/{token:str}", "/k/{token:str}"]

AnsweringDep = NamedDependency[Answering]
"""A handler parameter ``service: AnsweringDep`` is the app's answering service (see :func:`pupil_router`)."""
SettingsDep = NamedDependency[Settings]


def answering_lifespan(settings: Settings, engine: Engine):
    """Starts the answering store (the SQLite writer thread, …) and the service with the app, stops them after."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        releaser = Releaser(Sealer(settings.secret_keys), settings.suppression_threshold)
        store = make_answer_store(engine, releaser)
        await store.start()
        app.state.answering = Answering.with_keys(store, settings.secret_keys, settings.base_url)
        app.state.releases = releases = Releases(engine, releaser)
        sweeper = asyncio.create_task(_sweep_hourly(releases), name="trivsel-sweep")
        try:
            yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            await store.stop()

    return lifespan


async def _sweep_hourly(releases: Releases) -> None:
    """Release what closed waves and events still hold, delete their and stale drafts: now, then hourly."""
    while True:
        try:
            await releases.sweep()
        except Exception as exc:  # noqa: BLE001 - a database that is away: try again next time
            log.warning("sweeping drafts and held answers failed (%s); will retry", type(exc).__name__)
        await asyncio.sleep(SWEEP_EVERY_S)


def provide_answering(state: State) -> Answering:
    """The app's answering service (made by :func:`answering_lifespan`), for a handler's ``service``."""
    return state.answering


def _kind(request: Request) -> FlowKind:
    return "k" if request.scope["path"].startswith("/k/") else "s"


async def _form(request: Request) -> FormInput:
    form = await request.form()
    return {key: [v if isinstance(v, str) else "" for v in form.getall(key)] for key in form.keys()}


async def _thanks(request: Request, service: Answering, opened: Opened | None, *, already: bool) -> Template:
    lang = flow_language(request, opened)
    return render(request, "thanks", {"already": already, "opened": opened}, lang=lang)


def _base(kind: FlowKind, token: str) -> str:
    return f"/{kind}/{token}"


@get(_FLOW, name="flow_welcome", opt=_NO_CSRF)
async def get_welcome(request: Request, service: AnsweringDep, token: FromPath[str]) -> Template:
    kind = _kind(request)
    opened = await service.open(kind, token)
    if opened.used:
        return await _thanks(request, service, opened, already=True)
    lang = flow_language(request, opened)
    resume = opened.draft_page if opened.draft is not None else 0
    context = {"opened": opened, "base": _base(kind, token), "resume": resume, "instrument": opened.instrument}
    return render(request, "welcome", context, lang=lang)


def _unsaved(response: Template) -> Template:
    """A page shown again because the database is away: 503, try again in a moment."""
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def _kept(request: Request, kind: FlowKind, token: str, suffix: str, form: FormInput) -> Template:
    """503 when not even the link could be read: the posted form kept in hidden fields, one tap to send it again."""
    fields = [(name, value) for name, values in form.items() for value in values]
    context = {"action": f"{_base(kind, token)}{suffix}", "fields": fields}
    return _unsaved(render(request, "kept", context, lang=flow_language(request), status_code=503, full_page=True))


def _page(request: Request, opened: Opened, kind: FlowKind, token: str, number: int, *,
          lang: str, answers: dict, problems: dict | None = None, form: FormInput | None = None,
          unsaved: bool = False) -> Template:
    section = opened.section(number)
    questions = page_questions(opened, section, answers)
    for entry in questions:
        entry["values"] = field_values(entry["q"], answers, form)
    messages = {qid: problem_text(problem, lang) for qid, problem in (problems or {}).items()}
    context = {
        "opened": opened, "base": _base(kind, token), "number": number, "pages": opened.pages,
        "section": section, "questions": questions, "problems": messages, "unsaved": unsaved,
    }
    if unsaved:
        return _unsaved(render(request, "page", context, lang=lang, status_code=503, full_page=True))
    return render(request, "page", context, lang=lang, status_code=422 if problems else 200)


@get([f"{path}/p/{{number:int}}" for path in _FLOW], name="flow_page", opt=_NO_CSRF)
async def get_page(request: Request, service: AnsweringDep, token: FromPath[str], number: FromPath[int]) -> Template:
    kind = _kind(request)
    opened = await service.open(kind, token)
    if opened.used:
        return await _thanks(request, service, opened, already=True)
    lang = flow_language(request, opened)
    return _page(request, opened, kind, token, number, lang=lang, answers=opened.answers)


@post([f"{path}/p/{{number:int}}" for path in _FLOW], name="flow_save_page", opt=_NO_CSRF)
async def save_page(
    request: Request, service: AnsweringDep, token: FromPath[str], number: FromPath[int]
) -> Template | Redirect:
    kind = _kind(request)
    form = await _form(request)  # first: what the pupil typed is shown again even if the link cannot be read
    try:
        opened = await service.open(kind, token)
    except StoreUnavailable:
        return _kept(request, kind, token, f"/p/{number}", form)
    if opened.used:
        return redirect(kind, token, "/tak")
    opened.section(number)  # 404 for a page that does not exist
    lang = flow_language(request, opened)
    back = form.get("nav", [""])[-1] == "back"
    try:
        result = await service.save_page(opened, number, form, back=back, language=lang)
    except StoreUnavailable:
        return _page(request, opened, kind, token, number, lang=lang, answers=posted_answers(opened, number, form),
                     form=form, unsaved=True)
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


def _review(request: Request, opened: Opened, kind: FlowKind, token: str, lang: str, missing=(),
            *, unsaved: bool = False) -> Template:
    t_missing = {question.id for question in missing}
    context = {"opened": opened, "base": _base(kind, token), "pages": review_rows(opened, lang),
               "missing": t_missing, "page_count": opened.pages, "unsaved": unsaved}
    if unsaved:
        return _unsaved(render(request, "review", context, lang=lang, status_code=503, full_page=True))
    return render(request, "review", context, lang=lang, status_code=422 if missing else 200)


@get([f"{path}/review" for path in _FLOW], name="flow_review", opt=_NO_CSRF)
async def get_review(request: Request, service: AnsweringDep, token: FromPath[str]) -> Template:
    kind = _kind(request)
    opened = await service.open(kind, token)
    if opened.used:
        return await _thanks(request, service, opened, already=True)
    return _review(request, opened, kind, token, flow_language(request, opened))


@post([f"{path}/submit" for path in _FLOW], name="flow_submit", opt=_NO_CSRF)
async def submit(request: Request, service: AnsweringDep, token: FromPath[str]) -> Template | Redirect:
    kind = _kind(request)
    try:
        opened = await service.open(kind, token)
    except StoreUnavailable:
        return _kept(request, kind, token, "/submit", {})
    if not opened.used:
        lang = flow_language(request, opened)
        try:
            result = await service.submit(opened, language=lang)
        except StoreUnavailable:  # nothing was stored (or, if the reply was lost, a retry finds it stored)
            return _review(request, opened, kind, token, lang, unsaved=True)
        if result.missing:
            return _review(request, opened, kind, token, lang, result.missing)
    response = redirect(kind, token, "/tak")
    # The device forgets the link a class session gave it (the cookies are scoped to /k and /q, so
    # they are not sent here: cleared unasked): the next pupil gets a fresh one.
    for cookie in _forget_device(request.app.state.settings.secure_cookies):
        response.set_cookie(cookie)
    return response


class _FixedCookie(Cookie):
    """A cookie that is always the same: its header is encoded once, not at every response."""

    def to_encoded_header(self) -> tuple[bytes, bytes]:
        header = self.__dict__.get("_header")
        if header is None:
            header = self.__dict__["_header"] = super().to_encoded_header()
        return header


@functools.cache
def _forget_device(secure: bool) -> tuple[Cookie, ...]:
    """The cookies that clear what a class session left on the device."""
    return tuple(
        _FixedCookie(key=key, value="", path=cookie_path, max_age=0, httponly=True, samesite="lax", secure=secure)
        for key, cookie_path in ((SESSION_DEVICE_COOKIE, "/k"), (CLASS_QR_COOKIE, "/q"))
    )


@get([f"{path}/tak" for path in _FLOW], name="flow_thanks", opt=_NO_CSRF)
async def get_thanks(request: Request, service: AnsweringDep, token: FromPath[str]) -> Template | Redirect:
    kind = _kind(request)
    opened = await service.open(kind, token)
    if not opened.used:
        return redirect(kind, token)
    return await _thanks(request, service, opened, already=False)


@get("/k", name="code_form", opt=_NO_CSRF)
async def get_code_form(request: Request) -> Template:
    return render(request, "code", {"error": None}, lang=flow_language(request))


@post("/k", name="code_enter", opt=_NO_CSRF)
async def enter_code(request: Request, service: AnsweringDep, settings: SettingsDep) -> Response:
    """A typed code: a slip's own code, or the shared code of a class session on the board
    (the policy, throttling included, is ``Answering.enter_code``)."""
    form = await _form(request)
    lang = flow_language(request)
    typed = (form.get("code") or [""])[0]
    try:
        entered = await service.enter_code(
            typed,
            address=request.client.host if request.client else None,
            remembered=request.cookies.get(SESSION_DEVICE_COOKIE),
            choice=device_choice(form.get("choice")),
        )
    except CodeRateLimited as exc:
        error = "code_paused" if exc.everyone else "code_rate_limited"
        response = render(request, "code", {"error": error, "code": typed}, lang=lang, status_code=429)
        response.headers["Retry-After"] = str(exc.retry_after_s)
        return response
    except LinkNotFound:
        return render(request, "code", {"error": "code_not_found", "code": typed}, lang=lang, status_code=404)
    except (SessionFull, SurveyClosed) as exc:
        return no_more_links_page(request, exc)
    if entered.flow_token is not None:
        return redirect("k", entered.flow_token)
    link = entered.link
    if link.ask:
        return ask_device(request, "/k", [("code", typed)])
    response = Redirect(f"/s/{link.token}", status_code=303, headers=VARY)
    if link.remember_for_s is not None:
        response.set_cookie(Cookie(
            key=SESSION_DEVICE_COOKIE, value=link.token, path="/k", max_age=link.remember_for_s, httponly=True,
            secure=settings.secure_cookies, samesite="lax",
        ))
    return response


def device_choice(values: list[str] | None) -> str | None:
    """What the pupil chose on the shared-device page ("continue" or "new"), if anything."""
    value = (values or [""])[-1]
    return value if value in ("continue", "new") else None


def ask_device(request: Request, action: str, fields: list[tuple[str, str]]) -> Template:
    """The shared-device page: "Fortsæt dine svar" or "Jeg er en ny elev", two buttons of one POST form."""
    return render(request, "device", {"action": action, "fields": fields}, lang=flow_language(request))


def provide_settings(state: State) -> Settings:
    return state.settings


def pupil_router() -> Router:
    """The flow's handlers, with the answering service and settings provided to them."""
    return Router(
        path="/",
        route_handlers=[
            get_welcome, get_page, save_page, get_review, submit, get_thanks, get_code_form, enter_code, privacy_notice,
        ],
        before_request=refresh_profile,
        dependencies={
            "service": Provide(provide_answering, sync_to_thread=False),
            "settings": Provide(provide_settings, sync_to_thread=False),
        },
    )
