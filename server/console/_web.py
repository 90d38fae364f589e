"""What every console controller shares: the logged-in staff member, pages, forms, cookies."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from server.i18n import translator
from server.settings import Settings
from surveys.accounts.access import allowed
from surveys.accounts.login import Staff, staff_for
from surveys.accounts.sessions import SessionPolicy, load_session
from surveys.answering.class_sessions import SessionTokens
from surveys.answering.links import LinkSigner
from surveys.db.tables import SchoolClass
from surveys.errors import InvalidInput
from surveys.organisation.municipality import brand
from surveys.organisation.schools import get_school
from surveys.organisation.waves import open_waves_for

__all__ = [
    "INT_MAX",
    "INT_MIN",
    "SESSION_COOKIE",
    "StaffDep",
    "LoginRequired",
    "class_form",
    "csrf_secret",
    "form_date",
    "form_int",
    "form_page",
    "is_htmx",
    "login_required_handler",
    "page",
    "provide_staff",
    "session_cookie",
    "settings_of",
    "signer_of",
    "tokens_of",
]

SESSION_COOKIE = "trivsel_staff"
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
ROLE_NAMES = {"admin": "administrator", "coordinator": "koordinator", "analyst": "analytiker", "teacher": "lærer"}
SESSION_POLICY = SessionPolicy()


StaffDep = NamedDependency[Staff]
"""A handler parameter ``staff: StaffDep`` is the logged-in staff member."""


class LoginRequired(Exception):
    """No live console session: send the browser to the login page."""


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def signer_of(request: Request) -> LinkSigner:
    return LinkSigner(settings_of(request).secret_keys)


def tokens_of(request: Request) -> SessionTokens:
    return SessionTokens(settings_of(request).secret_keys)


def csrf_secret(settings: Settings) -> str:
    """The CSRF signing secret, derived from the newest secret key (never the key itself)."""
    return hmac.new(settings.secret_keys[-1].encode(), b"trivsel.csrf", hashlib.sha256).hexdigest()


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


async def provide_staff(request: Request) -> Staff:
    """The logged-in staff member (a dependency of every console page but the login page)."""
    state = await load_session(request.cookies.get(SESSION_COOKIE), policy=SESSION_POLICY)
    staff = await staff_for(state.user_id) if state else None
    if staff is None:
        raise LoginRequired()
    if staff.must_change_password and request.url.path not in ("/console/password", "/console/logout"):
        raise LoginRequired("password")
    return staff


def login_required_handler(request: Request, exc: LoginRequired) -> Response:
    target = "/console/password" if exc.args and exc.args[0] == "password" else "/console/login"
    if is_htmx(request):
        return Response(b"", status_code=200, headers={"HX-Redirect": target})
    response = Redirect(target, status_code=303)
    if target == "/console/login" and request.cookies.get(SESSION_COOKIE):
        response.delete_cookie(SESSION_COOKIE, path="/console")
    return response


def session_cookie(settings: Settings, value: str) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=value,
        path="/console",
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
    )


async def page(
    template: str, staff: Staff | None, *, status_code: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> Template:
    """A console page: Danish, with the municipality's name and the menu for ``staff``'s role."""
    context.setdefault("title", "trivsel")
    return Template(
        template_name=template,
        context={
            "lang": "da",
            "t": translator("da"),
            "organisation_name": await brand(),
            "staff": staff,
            "role_names": ROLE_NAMES,
            "can": (lambda action: allowed(staff, action)) if staff else (lambda action: False),
            **context,
        },
        status_code=status_code,
        headers=headers,
    )


async def form_page(
    template: str,
    staff: Staff,
    *,
    error: str | None = None,
    problems: dict[str, str] | None = None,
    status_code: int | None = None,
    **context: Any,
) -> Template:
    """A console form: 422 with ``error`` and the fields' ``problems`` when there is an error."""
    status = status_code if status_code is not None else 422 if error else 200
    return await page(template, staff, status_code=status, error=error, problems=problems or {}, **context)


async def class_form(
    template: str, staff: Staff, school_class: SchoolClass, *, title: str, values: dict, **context: Any
) -> Template:
    """A form about one class, offering the open waves its school takes part in (slips, a class session)."""
    school = await get_school(school_class.school)
    waves = await open_waves_for(school.id)
    return await form_page(
        template, staff, title=title, school=school, school_class=school_class, waves=waves, values=values, **context
    )


def form_int(form: Any, name: str, *, required: bool = True, problems: dict[str, str] | None = None) -> int | None:
    """An integer form field; a bad value is noted in ``problems`` (or raises InvalidInput)."""
    raw = (form.get(name) or "").strip()
    if not raw:
        if required:
            _problem(problems, name, "skal udfyldes")
        return None
    try:
        value = int(raw)
    except ValueError:
        _problem(problems, name, "skal være et helt tal")
        return None
    if not INT_MIN <= value <= INT_MAX:  # ids and counts are 32-bit integers in the database
        _problem(problems, name, "er uden for det tilladte interval")
        return None
    return value


def form_date(form: Any, name: str, problems: dict[str, str] | None = None) -> dt.date | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        _problem(problems, name, "skal være en dato (åååå-mm-dd)")
        return None


def _problem(problems: dict[str, str] | None, name: str, reason: str) -> None:
    if problems is None:
        raise InvalidInput("Formularen har fejl.", {name: reason})
    problems[name] = reason
