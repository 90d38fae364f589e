"""Logging in and out, and changing the password."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from server.console._web import StaffDep, SESSION_COOKIE, SESSION_POLICY, page, session_cookie, settings_of
from server.settings import Settings
from surveys import throttle
from surveys.accounts.login import (
    DEVICE_MAX_AGE_S, DeviceTokens, LoginFailed, LoginLimits, LoginThrottled, change_password, login,
)
from surveys.accounts.sessions import end_session, end_sessions_of, prune_sessions, start_session
from surveys.errors import InvalidInput

__all__ = [
    "LOGIN_LIMITS", "change_password_form", "device_cookie_name", "login_form", "login_submit", "logout", "password_submit",
]

LOGIN_LIMITS = LoginLimits()


def device_cookie_name(settings: Settings) -> str:
    """The cookie that says "this browser has logged in to this account before" (``surveys.accounts.login``)."""
    return "__Host-trivsel_device" if settings.secure_cookies else "trivsel_device"


def _device_cookie(settings: Settings, value: str) -> Cookie:
    # A __Host- cookie must have Path=/; on plain http it only goes to the login form.
    return Cookie(key=device_cookie_name(settings), value=value, path="/" if settings.secure_cookies else "/console/login",
                  max_age=DEVICE_MAX_AGE_S, httponly=True, secure=settings.secure_cookies, samesite="lax")


def _next(value: str | None) -> str:
    """Only a console path may be the target after login (no open redirect)."""
    if value and value.startswith("/console") and not value.startswith("//") and "\\" not in value:
        return value
    return "/console"


@get("/login", name="console:login")
async def login_form(request: Request) -> Template:
    return await page("console/login.html", None, title="Log ind", next=_next(request.query_params.get("next")))


@post("/login", name="console:login-submit")
async def login_submit(request: Request) -> Template | Redirect:
    form = await request.form()
    settings = settings_of(request)
    email = str(form.get("email") or "")
    address = throttle.address_key(settings.secret_keys[-1], request.client.host if request.client else None)
    devices = DeviceTokens(settings.secret_keys)
    known = request.cookies.get(device_cookie_name(settings))
    device = devices.device_for(known, email)
    try:
        staff = await login(email, str(form.get("password") or ""), address_key=address, device=device,
                            limits=LOGIN_LIMITS)
    except (LoginFailed, LoginThrottled) as exc:
        status = 429 if isinstance(exc, LoginThrottled) else 400
        return await page(
            "console/login.html", None, status_code=status, title="Log ind", error=exc.message, email=email[:254],
            next=_next(str(form.get("next") or "")),
        )
    await prune_sessions()
    await throttle.prune()
    session_id = await start_session(staff.id, replacing=request.cookies.get(SESSION_COOKIE), policy=SESSION_POLICY)
    target = "/console/password" if staff.must_change_password else _next(str(form.get("next") or ""))
    response = Redirect(target, status_code=303)
    response.set_cookie(session_cookie(settings, session_id))
    # CSRF tokens are bound to the session (server.csrf): the new session id voids every older token.
    if device is None:
        response.set_cookie(_device_cookie(settings, devices.issue(email)))
    return response


@post("/logout", name="console:logout")
async def logout(request: Request) -> Redirect:
    await end_session(request.cookies.get(SESSION_COOKIE))
    response = Redirect("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response


@get("/password", name="console:password")
async def change_password_form(staff: StaffDep) -> Template:
    return await page("console/password.html", staff, title="Skift adgangskode")


@post("/password", name="console:password-submit")
async def password_submit(request: Request, staff: StaffDep) -> Template | Redirect:
    form = await request.form()
    try:
        await change_password(staff.id, form.get("current") or "", form.get("new") or "", form.get("repeated") or "",
                              limits=LOGIN_LIMITS)
    except (InvalidInput, LoginThrottled) as exc:
        throttled = isinstance(exc, LoginThrottled)
        return await page(
            "console/password.html", staff, status_code=429 if throttled else 422, title="Skift adgangskode",
            error=exc.message, problems={} if throttled else exc.problems,
        )
    # Every other session of this user ends; this browser gets a new one.
    await end_sessions_of(staff.id)
    session_id = await start_session(staff.id, policy=SESSION_POLICY)
    response = Redirect("/console", status_code=303)
    response.set_cookie(session_cookie(settings_of(request), session_id))
    return response
