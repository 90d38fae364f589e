"""The app shell: pages, friendly errors, security headers, htmx served by us."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio


async def test_front_page_is_danish_and_offers_the_code_form(client) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert '<html lang="da">' in response.text
    assert 'action="/k"' in response.text
    assert "/static/vendor/htmx.min.js" in response.text


async def test_front_page_in_english(client) -> None:
    response = await client.get("/?lang=en")
    assert '<html lang="en">' in response.text
    assert "Code from your slip" in response.text


async def test_htmx_is_served_locally(client) -> None:
    response = await client.get("/static/vendor/htmx.min.js")
    assert response.status_code == 200
    assert "htmx" in response.text[:2000]
    assert len(response.content) > 10_000


async def test_unknown_page_is_a_friendly_danish_404(client) -> None:
    response = await client.get("/no/such/page")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.text
    assert "Traceback" not in response.text


async def test_wrong_method_is_a_friendly_405(client) -> None:
    response = await client.delete("/")
    assert response.status_code == 405
    assert "Det kan man ikke her" in response.text


@pytest.mark.parametrize("path", ["/", "/no/such/page", "/static/trivsel.css"])
async def test_security_headers_on_every_response(client, path: str) -> None:
    response = await client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_dynamic_pages_are_not_cached(client) -> None:
    response = await client.get("/")
    assert response.headers["cache-control"] == "no-store"
