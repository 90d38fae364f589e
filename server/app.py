"""The Litestar application: ``create_app(settings)`` builds it, nothing else reads the environment."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Request, get
from litestar.exceptions import NotFoundException
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.response import Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from piccolo.engine.base import Engine

from exports.report.jobs import stop_report_jobs
from server.console import console_handlers, csrf_secret
from server.console._web import SESSION_COOKIE
from server.csrf import SessionCSRFMiddleware
from server.errors import EXCEPTION_HANDLERS
from server.i18n import LANGUAGES, language_choices, request_language, translator
from server.middleware import SecurityHeadersMiddleware
from server.profile import profile_of, refresh_profile
from server.pupil.routes import answering_lifespan, pupil_router
from server.settings import Settings
from surveys.db.engine import close_database, open_database
from surveys.instruments import text_direction
from surveys.db.urls import make_engine
import templates

__all__ = ["create_app", "route_handlers"]


@get("/", name="home", sync_to_thread=False, before_request=refresh_profile)
def home(request: Request) -> Template:
    """Front page: type the code from a slip; staff log in."""
    lang = request_language(request)
    municipality = profile_of(request)
    context = {"lang": lang, "t": translator(lang), "municipality": municipality}
    if municipality is not None and municipality.brand:
        context["organisation_name"] = municipality.brand
    return Template("home.html", context=context)


_ID_RANGE = range(-(2**31), 2**31)


def reject_out_of_range_ids(request: Request) -> None:
    """A number in a path beyond the database's 32-bit ids names nothing: 404, before the
    database sees it (SQLite and asyncpg raise on such a parameter instead of finding no row)."""
    for value in request.path_params.values():
        if isinstance(value, int) and value not in _ID_RANGE:
            raise NotFoundException()


@get("/healthz", name="health", sync_to_thread=False, include_in_schema=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


def route_handlers() -> list:
    """Every controller of the app. Feature modules add themselves here."""
    return [
        home,
        health,
        pupil_router(),
        *console_handlers(),
        create_static_files_router(path="/static", directories=[templates.STATIC_DIR]),
    ]


@asynccontextmanager
async def report_jobs(app: Litestar) -> AsyncIterator[None]:
    """Reports still being built when the app stops are cancelled and marked failed (before the
    database closes: lifespans exit in reverse order)."""
    try:
        yield
    finally:
        await stop_report_jobs()


def _template_globals(engine: JinjaTemplateEngine) -> None:
    engine.engine.globals.update(
        text_direction=text_direction, language_choices=language_choices, ui_languages=LANGUAGES
    )


def create_app(settings: Settings, *, engine: Engine | None = None) -> Litestar:
    """Build the app for ``settings``.

    The app opens and closes its database engine with its lifespan, unless an
    open ``engine`` is handed in: then the caller owns it (tests do this so that
    the pool lives in their event loop).
    """
    owns_engine = engine is None
    engine = engine or make_engine(settings.database_url)

    @asynccontextmanager
    async def database(app: Litestar) -> AsyncIterator[None]:
        if owns_engine:
            await open_database(engine)
        try:
            yield
        finally:
            if owns_engine:
                await close_database(engine)

    logging.getLogger("trivsel").setLevel(settings.log_level)
    app = Litestar(
        route_handlers=route_handlers(),
        lifespan=[database, answering_lifespan(settings, engine), report_jobs],
        state=State({"settings": settings, "engine": engine}),
        template_config=TemplateConfig(directory=templates.TEMPLATE_DIR, engine=JinjaTemplateEngine,
                                       engine_callback=_template_globals),
        middleware=[DefineMiddleware(SessionCSRFMiddleware, secret=csrf_secret(settings), session_cookie=SESSION_COOKIE,
                                     secure=settings.secure_cookies)],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        before_request=reject_out_of_range_ids,
        request_max_body_size=settings.max_body_bytes,
        openapi_config=None,
        debug=False,
    )
    app.asgi_handler = SecurityHeadersMiddleware(  # type: ignore[assignment]
        app.asgi_handler, access_log=True, hsts=settings.secure_cookies
    )
    return app
