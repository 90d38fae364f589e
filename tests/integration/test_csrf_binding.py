"""CSRF tokens bound to the server-side session (issue 18, item 3).

The attack that worked: plant a ``csrftoken`` cookie (any valid one: an attacker gets one by
opening the login page) in the victim's browser and post a form carrying the same value. A token
must only be good for the session it was given to.
"""

from __future__ import annotations

import re

import httpx
import pytest

from surveys.db.tables import WebSession
from tests.integration.console_world import PASSWORD, World, world  # noqa: F401

pytestmark = pytest.mark.anyio


@pytest.fixture
async def app(settings, engine):
    from server.app import create_app

    application = create_app(settings, engine=engine)
    async with application.lifespan():
        yield application


def browser(app, address: str = "192.0.2.10", base_url: str = "http://testserver.local") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url=base_url)


def page_token(html: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


async def log_in(client: httpx.AsyncClient, email: str) -> None:
    page = await client.get("/console/login")
    response = await client.post("/console/login", data={"email": email, "password": PASSWORD,
                                                         "_csrf_token": page_token(page.text)})
    assert response.status_code == 303, response.text[:300]


def _cookie_names(client: httpx.AsyncClient) -> set[str]:
    return {cookie.name for cookie in client.cookies.jar}


async def test_a_planted_csrf_cookie_and_matching_field_do_not_pass(app, world: World) -> None:
    async with browser(app, "198.51.100.66") as attacker, browser(app) as victim:
        await log_in(victim, world.emails["admin"])
        # The attacker opens the login page and gets a token and whatever cookie goes with it ...
        token = page_token((await attacker.get("/console/login")).text)
        for cookie in attacker.cookies.jar:
            if cookie.name != "trivsel_staff":
                # ... and plants that cookie in the victim's browser (a sibling subdomain, plain http).
                victim.cookies.set(cookie.name, cookie.value, domain="testserver.local", path="/")
        victim.cookies.set("csrftoken", token, domain="testserver.local", path="/")
        response = await victim.post("/console/logout", data={"_csrf_token": token})
        assert response.status_code == 403
        assert await WebSession.count() == 1
        assert (await victim.get("/console")).status_code == 200  # still logged in


async def test_a_token_from_another_session_does_not_pass(app, world: World) -> None:
    async with browser(app, "198.51.100.67") as attacker, browser(app) as victim:
        await log_in(attacker, world.emails["teacher_a"])
        await log_in(victim, world.emails["admin"])
        theirs = page_token((await attacker.get("/console")).text)
        for cookie in attacker.cookies.jar:
            if cookie.name != "trivsel_staff":
                victim.cookies.set(cookie.name, cookie.value, domain="testserver.local", path=cookie.path or "/")
        response = await victim.post("/console/schools", data={"name": "Planted Skole", "kind": "grundskole", "_csrf_token": theirs})
        assert response.status_code == 403
        assert "Planted Skole" not in (await victim.get("/console/schools")).text


async def test_a_token_from_before_the_login_does_not_pass_after_it(app, world: World) -> None:
    async with browser(app) as victim:
        before = page_token((await victim.get("/console/login")).text)
        await log_in(victim, world.emails["admin"])
        response = await victim.post("/console/schools", data={"name": "Gammel Token Skole", "kind": "grundskole", "_csrf_token": before})
        assert response.status_code == 403


async def test_the_own_sessions_token_passes(app, world: World) -> None:
    async with browser(app) as staff:
        await log_in(staff, world.emails["admin"])
        token = page_token((await staff.get("/console/schools/new")).text)
        response = await staff.post("/console/schools", data={"name": "Egen Skole", "kind": "grundskole", "_csrf_token": token})
        assert response.status_code == 303
        assert await WebSession.count() == 1


async def test_on_https_the_pre_login_cookie_is_a_host_cookie(settings, engine, world: World) -> None:
    """Before login there is no session to bind to: the pre-login token's cookie is ``__Host-`` on https
    (Secure, Path=/, no Domain), which neither plain http nor a sibling subdomain can set."""
    from server.app import create_app

    application = create_app(settings.with_(base_url="https://trivsel.example.dk"), engine=engine)
    async with application.lifespan():
        async with browser(application, base_url="https://trivsel.example.dk") as staff:
            page = await staff.get("/console/login")
            cookies = page.headers.get_list("set-cookie")
            csrf = [c for c in cookies if "csrf" in c.split("=", 1)[0].lower()]
            assert csrf and all(c.startswith("__Host-") for c in csrf), cookies
            assert all("Secure" in c and "Path=/;" in c + ";" and "Domain" not in c for c in csrf), csrf
            response = await staff.post("/console/login", data={"email": world.emails["admin"], "password": PASSWORD,
                                                                "_csrf_token": page_token(page.text)})
            assert response.status_code == 303
