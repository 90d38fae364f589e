"""The answering flow over HTTP: thin handlers around ``surveys.answering``.

``/s/<token>/...`` is reached from a slip's QR code, ``/k/<token>/...`` after
typing the slip's code at ``/k``; both run the same handlers. Every step is a
plain form POST → 303 → GET, so it works without JavaScript; htmx only swaps
the partial. The URL token is the capability, so these routes are outside
the console's CSRF protection (``PUPIL_CSRF_EXCLUDE``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from piccolo.engine.base import Engine

from server.pupil_views import field_values, flow_language, page_questions, problem_text, redirect, render, review_rows
from server.settings import Settings
from surveys.answer_form import FormInput
from surveys.answer_store import make_answer_store
from surveys.answering import Answering, FlowKind, Opened
from surveys.code_sessions import CodeSessions
from surveys.errors import LinkNotFound
from surveys.links import LinkSigner

__all__ = ["PUPIL_CSRF_EXCLUDE", "answering_lifespan", "pupil_handlers"]

PUPIL_CSRF_EXCLUDE = [r"^/s/", r"^/k$", r"^/k/"]
_OPT = {"exclude_from_csrf": True}
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


@get(_FLOW, name="flow_welcome", opt=_OPT)
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


@get([f"{path}/p/{{number:int}}" for path in _FLOW], name="flow_page", opt=_OPT)
async def get_page(request: Request, token: FromPath[str], number: FromPath[int]) -> Template:
    service, kind = _flow(request)
    opened = await service.open(kind, token)
    if opened.used:
        return await _thanks(request, service, opened, already=True)
    lang = flow_language(request, opened)
    return _page(request, opened, kind, token, number, lang=lang, answers=opened.answers)


@post([f"{path}/p/{{number:int}}" for path in _FLOW], name="flow_save_page", opt=_OPT)
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


@get([f"{path}/review" for path in _FLOW], name="flow_review", opt=_OPT)
async def get_review(request: Request, token: FromPath[str]) -> Template:
    service, kind = _flow(request)
    opened = await service.open(kind, token)
    if opened.used:
        return await _thanks(request, service, opened, already=True)
    return _review(request, opened, kind, token, flow_language(request, opened))


@post([f"{path}/submit" for path in _FLOW], name="flow_submit", opt=_OPT)
async def submit(request: Request, token: FromPath[str]) -> Template | Redirect:
    service, kind = _flow(request)
    opened = await service.open(kind, token)
    if not opened.used:
        lang = flow_language(request, opened)
        result = await service.submit(opened, language=lang)
        if result.missing:
            return _review(request, opened, kind, token, lang, result.missing)
    return redirect(kind, token, "/tak")


@get([f"{path}/tak" for path in _FLOW], name="flow_thanks", opt=_OPT)
async def get_thanks(request: Request, token: FromPath[str]) -> Template | Redirect:
    service, kind = _flow(request)
    opened = await service.open(kind, token)
    if not opened.used:
        return redirect(kind, token)
    return await _thanks(request, service, opened, already=False)


@get("/k", name="code_form", opt=_OPT)
async def get_code_form(request: Request) -> Template:
    return render(request, "code", {"error": None}, lang=flow_language(request))


@post("/k", name="code_enter", opt=_OPT)
async def enter_code(request: Request) -> Template | Redirect:
    service, _ = _flow(request)
    form = await _form(request)
    try:
        session = await service.start_code((form.get("code") or [""])[0])
    except LinkNotFound:
        lang = flow_language(request)
        return render(request, "code", {"error": "code_not_found"}, lang=lang, status_code=404)
    return redirect("k", session)


def pupil_handlers() -> list:
    return [get_welcome, get_page, save_page, get_review, submit, get_thanks, get_code_form, enter_code]
