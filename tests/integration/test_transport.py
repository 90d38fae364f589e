"""Transport security headers (issue 18, item 7): HSTS when the base URL is https, and the
other security headers as they were."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.anyio


async def _get(settings, engine, base_url: str, path: str) -> httpx.Response:
    from server.app import create_app

    app = create_app(settings.with_(base_url=base_url), engine=engine)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            return await client.get(path)


@pytest.mark.parametrize("path", ["/", "/console/login", "/no/such/page", "/static/trivsel.css", "/k"])
async def test_https_sends_strict_transport_security(settings, engine, path: str) -> None:
    response = await _get(settings, engine, "https://trivsel.example.dk", path)
    hsts = response.headers.get("strict-transport-security", "")
    assert hsts.startswith("max-age=") and int(hsts.split("=")[1].split(";")[0]) >= 31_536_000, hsts
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    if not path.startswith("/static/"):
        assert response.headers["cache-control"] == "no-store"


async def test_plain_http_sends_no_strict_transport_security(settings, engine) -> None:
    response = await _get(settings, engine, "http://127.0.0.1:8000", "/")
    assert "strict-transport-security" not in response.headers
    assert response.headers["referrer-policy"] == "no-referrer"
