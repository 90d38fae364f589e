"""CSRF protection for every form, with the token bound to the console session.

A token is an HMAC of what identifies the browser's session: the console session id (the
server-side session's key) once logged in, before that a random pre-login cookie. A token taken
from another session, or a cookie planted next to a matching form field (the double-submit
pattern's weakness), matches nothing: the attacker cannot compute the HMAC for the victim's
session. On https the pre-login cookie is a ``__Host-`` cookie, which neither plain http nor a
sibling subdomain can set. Logging in changes the session id, so tokens from before the login die.

Handlers that need no protection (the pupil flow: the token in the URL is the capability) opt out
with ``opt={"exclude_from_csrf": True}``; that is the only way to opt out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.middleware._utils import should_bypass_middleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

__all__ = ["CSRF_FIELD", "CSRF_HEADER", "EXCLUDE_KEY", "SessionCSRFMiddleware", "pre_login_cookie_name"]

CSRF_FIELD = "_csrf_token"
CSRF_HEADER = "x-csrftoken"
EXCLUDE_KEY = "exclude_from_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_PRE_LOGIN = "trivsel_csrf"


def pre_login_cookie_name(secure: bool) -> str:
    """``__Host-trivsel_csrf`` on https (Secure, Path=/, no Domain), ``trivsel_csrf`` on plain http."""
    return f"__Host-{_PRE_LOGIN}" if secure else _PRE_LOGIN


class SessionCSRFMiddleware:
    """Checks the token of every unsafe request; puts the token for this session into the scope
    (templates write it with ``{{ csrf_input }}``)."""

    def __init__(self, app: ASGIApp, *, secret: str, session_cookie: str, secure: bool) -> None:
        self.app = app
        self._secret = secret.encode()
        self._session_cookie = session_cookie
        self._secure = secure
        self._pre_login = pre_login_cookie_name(secure)

    def _token(self, kind: str, value: str) -> str:
        return hmac.new(self._secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if should_bypass_middleware(scope=scope, scopes={ScopeType.HTTP}, exclude_opt_key=EXCLUDE_KEY,
                                    exclude_path_pattern=None):
            await self.app(scope, receive, send)
            return
        request: Any = scope["litestar_app"].request_class(scope=scope, receive=receive)
        session = request.cookies.get(self._session_cookie)
        pre_login = request.cookies.get(self._pre_login)
        new_pre_login = None
        if session:
            expected = self._token("session", hashlib.sha256(session.encode()).hexdigest())
        else:
            if not pre_login or len(pre_login) > 100:
                pre_login = new_pre_login = secrets.token_urlsafe(32)
            expected = self._token("pre-login", pre_login)
        if request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER)
            content_type, _ = request.content_type
            if not sent and content_type in (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART):
                sent = (await request.form()).get(CSRF_FIELD)
            if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
                raise PermissionDeniedException("CSRF token verification failed")
        ScopeState.from_scope(scope).csrf_token = expected
        if new_pre_login is None:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = Cookie(key=self._pre_login, value=new_pre_login, path="/", secure=self._secure,
                                httponly=True, samesite="lax")
                MutableScopeHeaders.from_message(message).add("set-cookie", cookie.to_header(header=""))
            await send(message)

        await self.app(scope, receive, send_with_cookie)
