"""Every error becomes a friendly page (or JSON for API clients); never a stack trace.

A database that is away for the moment (``StoreUnavailable`` from the answer store, or a
connection, I/O, read-only or lock error anywhere else: ``surveys.db.availability``) is a 503 with
``Retry-After`` and one log line, here, for every route; the pupil's page handlers show the page
they were given again instead (``server.pupil.routes``).
"""

from __future__ import annotations

import logging

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException
from litestar.response import Template
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_405_METHOD_NOT_ALLOWED,
    HTTP_409_CONFLICT,
    HTTP_410_GONE,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from server.i18n import request_language, translator
from server.profile import profile_of
from surveys import errors
from surveys.answering.class_sessions import SessionFull
from surveys.db.availability import is_unavailable

__all__ = ["EXCEPTION_HANDLERS", "RETRY_AFTER_S", "error_page", "unavailable_page"]

log = logging.getLogger("trivsel.errors")

# status -> (heading key, text key)
_PAGES = {
    HTTP_400_BAD_REQUEST: ("bad_request_title", "bad_request_text"),
    HTTP_403_FORBIDDEN: ("forbidden_title", "forbidden_text"),
    HTTP_404_NOT_FOUND: ("not_found_title", "not_found_text"),
    HTTP_405_METHOD_NOT_ALLOWED: ("method_not_allowed_title", "method_not_allowed_text"),
    HTTP_409_CONFLICT: ("bad_request_title", "bad_request_text"),
    HTTP_410_GONE: ("error_title", "bad_request_text"),
    HTTP_413_REQUEST_ENTITY_TOO_LARGE: ("too_large_title", "too_large_text"),
    HTTP_422_UNPROCESSABLE_ENTITY: ("bad_request_title", "bad_request_text"),
    HTTP_429_TOO_MANY_REQUESTS: ("rate_limited_title", "rate_limited_text"),
    HTTP_500_INTERNAL_SERVER_ERROR: ("error_title", "server_error_text"),
    HTTP_503_SERVICE_UNAVAILABLE: ("unavailable_title", "unavailable_text"),
}


def error_page(
    request: Request,
    status_code: int,
    *,
    heading: str | None = None,
    message: str | None = None,
    detail: str | None = None,
) -> Response:
    """A friendly HTML error page, or a small JSON body when the client asked for JSON."""
    lang = request_language(request)
    t = translator(lang)
    heading_key, text_key = _PAGES.get(status_code, ("error_title", "bad_request_text"))
    heading = heading or t(heading_key)
    message = message or t(text_key)
    accept = request.headers.get("accept", "")
    if "application/json" in accept and "text/html" not in accept:
        body = {"status_code": status_code, "detail": message}
        if detail:
            body["reason"] = detail
        return Response(body, status_code=status_code)
    context = {"lang": lang, "t": t, "heading": heading, "message": message, "detail": detail, "title": heading}
    municipality = profile_of(request)  # the copy pupil pages keep: no database read on an error path
    if municipality is not None and municipality.brand:
        context["organisation_name"] = municipality.brand
    return Template(template_name="errors/error.html", context=context, status_code=status_code)


def _domain(status_code: int, heading_key: str | None = None, text_key: str | None = None):
    def handler(request: Request, exc: errors.DomainError) -> Response:
        t = translator(request_language(request))
        heading = t(heading_key) if heading_key else None
        message = exc.message or (t(text_key) if text_key else None)
        return error_page(request, status_code, heading=heading, message=message)

    return handler


def _http(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if status >= 500:
        log.error("http error %s: %s", status, type(exc).__name__)
        status = HTTP_500_INTERNAL_SERVER_ERROR
    detail = None
    if status in (HTTP_400_BAD_REQUEST, HTTP_422_UNPROCESSABLE_ENTITY, HTTP_403_FORBIDDEN) and exc.detail:
        detail = str(exc.detail)[:300]
    response = error_page(request, status, detail=detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def no_more_links_page(request: Request, exc: errors.DomainError) -> Response:
    """A class session that hands out no more links: 409 when it is full, 410 when closed or expired."""
    status = HTTP_409_CONFLICT if isinstance(exc, SessionFull) else HTTP_410_GONE
    return error_page(request, status, heading=translator(request_language(request))("no_more_links_title"),
                      message=exc.message)


# How soon a client may try again after a 503: a database restart takes a few seconds.
RETRY_AFTER_S = 5


def unavailable_page(request: Request) -> Response:
    """503: the database is away for a moment; try again (``Retry-After``)."""
    t = translator(request_language(request))
    message = t("store_unavailable") if request.method == "POST" else None
    response = error_page(request, HTTP_503_SERVICE_UNAVAILABLE, message=message)
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def _unavailable(request: Request, exc: errors.StoreUnavailable) -> Response:
    return unavailable_page(request)  # the answer store logged it


def _crash(request: Request, exc: Exception) -> Response:
    # Only the exception type: messages can carry answers or tokens.
    route = request.scope.get("path_template", "?")
    if is_unavailable(exc):
        log.warning("database unavailable on %s %s (%s); answered 503", request.method, route, type(exc).__name__)
        return unavailable_page(request)
    log.error("unhandled %s on %s %s", type(exc).__name__, request.method, route)
    return error_page(request, HTTP_500_INTERNAL_SERVER_ERROR)


EXCEPTION_HANDLERS = {
    errors.LinkNotFound: _domain(HTTP_404_NOT_FOUND, "link_not_found_title", "link_not_found_text"),
    errors.NotFound: _domain(HTTP_404_NOT_FOUND),
    errors.NotOpenYet: _domain(HTTP_403_FORBIDDEN, "not_open_title", "not_open_text"),
    errors.SurveyClosed: _domain(HTTP_410_GONE, "closed_title", "closed_text"),
    errors.Forbidden: _domain(HTTP_403_FORBIDDEN),
    errors.Conflict: _domain(HTTP_409_CONFLICT),
    errors.InvalidInput: _domain(HTTP_422_UNPROCESSABLE_ENTITY),
    errors.StoreUnavailable: _unavailable,
    NotFoundException: _http,
    HTTPException: _http,
    Exception: _crash,
}
