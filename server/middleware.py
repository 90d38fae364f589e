"""ASGI middleware: security headers on every response, and an access log
that names the route pattern (never the token in the path) and no address."""

from __future__ import annotations

import logging
import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HSTS", "SECURITY_HEADERS", "SecurityHeadersMiddleware"]

access_log = logging.getLogger("trivsel.access")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
_NO_STORE = (b"cache-control", b"no-store")
# Browsers that have seen trivsel over https never try plain http again for two years.
HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")


class SecurityHeadersMiddleware:
    """Adds the security headers; dynamic pages are never cached (shared phones, back button).

    With ``hsts=True`` (the base URL is https) it adds ``Strict-Transport-Security``. With
    ``access_log=True`` it also logs method, route pattern, status and duration (no IP, token or
    query string): one wrapper instead of two on every request.
    """

    def __init__(self, app: ASGIApp, *, access_log: bool = False, hsts: bool = False) -> None:
        self.app = app
        self.log = access_log
        self.headers = [*SECURITY_HEADERS, HSTS] if hsts else SECURITY_HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [h for h in message.get("headers", ()) if h[0].lower() not in _OURS]
                headers.extend(self.headers)
                if not static and not any(h[0].lower() == b"cache-control" for h in headers):
                    headers.append(_NO_STORE)
                message["headers"] = headers
            await send(message)

        if not (self.log and access_log.isEnabledFor(logging.INFO)):
            await self.app(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            _log_access(scope, status, started)


_OURS = {name for name, _ in [*SECURITY_HEADERS, HSTS]}


def _log_access(scope: Scope, status: int, started: float) -> None:
    route = scope.get("path_template") or ("/static/…" if scope["path"].startswith("/static/") else "(unrouted)")
    access_log.info("%s %s %s %.1fms", scope["method"], route, status, (time.perf_counter() - started) * 1000)
