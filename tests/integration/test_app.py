"""The app shell: pages, friendly errors, security headers, htmx served by us."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio


async def test_front_page_is_danish_and_offers_the_code_form(client) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert '<html lang="da" dir="ltr">' in response.text
    assert 'action="/k"' in response.text
    assert "/static/vendor/htmx.min.js" in response.text


async def test_front_page_in_english(client) -> None:
    response = await client.get("/?lang=en")
    assert '<html lang="en" dir="ltr">' in response.text
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


async def test_one_csrf_mechanism_only_the_token_routes_opt_out(client, settings) -> None:
    """Every POST is CSRF-checked unless its handler opts out; only the answering flow (the token
    in the URL is the capability) and the class-session claim do. No path patterns beside them."""
    from server.app import create_app

    from server.csrf import SessionCSRFMiddleware

    app = create_app(settings)
    assert app.csrf_config is None  # Litestar's own (double-submit) CSRF is off: ours binds tokens to the session
    [csrf] = [m for m in app.middleware if getattr(m, "middleware", None) is SessionCSRFMiddleware]
    assert set(csrf.kwargs) == {"secret", "session_cookie", "secure"}  # no path patterns
    opted_out = sorted(
        path
        for route in app.routes
        for handler in getattr(route, "route_handlers", ())
        if handler.opt.get("exclude_from_csrf")
        for path in handler.paths
    )
    assert opted_out and all(path == "/k" or path.startswith(("/s/", "/k/", "/q/")) for path in opted_out), opted_out
    assert "/q/{token:str}" in opted_out and "/k" in opted_out
    refused = await client.post("/console/login", data={"email": "a@b.dk", "password": "x"})
    assert refused.status_code == 403


async def test_the_answering_service_reaches_the_flow_through_dependency_injection(settings) -> None:
    from server.app import create_app
    from server.pupil.routes import provide_answering

    app = create_app(settings)
    flow = {
        handler.name: handler
        for route in app.routes
        for handler in getattr(route, "route_handlers", ())
        if any(path == "/k" or path.startswith(("/s/", "/k/")) for path in handler.paths) and handler.name not in (None, "code_form")
    }
    assert len(flow) == 7
    for handler in flow.values():
        provided = handler.resolve_dependencies()["service"]
        assert provided.dependency is provide_answering, handler.name
