"""A small municipality for console tests: two schools, their classes, a wave, an event,
and one user of every role. Imported by the ``test_console_*`` modules."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

import pytest

from surveys.accounts.users import hash_password
from surveys.db.tables import StaffUser, StaffUserSchool
from surveys.instruments.catalog import sync_instruments
from surveys.organisation.municipality import get_organisation
from surveys.organisation.schools import add_class, add_school
from surveys.organisation.waves import create_event, create_wave

PASSWORD = "correct-horse-battery-staple"
ROLES = ("admin", "coordinator_a", "coordinator_b", "analyst", "teacher_a")


@functools.cache
def _password_hash() -> str:
    return hash_password(PASSWORD)  # Argon2id is slow on purpose: hash once per test run


@dataclass(frozen=True)
class World:
    school_a: int
    school_b: int
    class_a: int
    class_b: int
    wave: int
    wave_b: int
    event: int
    emails: dict[str, str]


async def build_world() -> World:
    await sync_instruments()
    await get_organisation("Testkommune")
    school_a = await add_school("Alfa Skole", grades="0-9")
    school_b = await add_school("Beta Skole", grades="0-9")
    class_a = await add_class("Alfa Skole", "7.a", grade=7, pupils=4)
    class_b = await add_class("Beta Skole", "7.b", grade=7, pupils=3)
    wave = await create_wave("ung-trivsel-rusmidler", year=dt.date.today().year, name="Trivsel i år")
    wave_b = await create_wave("ung-trivsel-rusmidler", year=dt.date.today().year, name="Kun Beta", schools=["Beta Skole"])
    event = await create_event("temadag-evaluering", name="Temadag UNG RUS", held_on=dt.date.today())
    emails = {
        "admin": "admin@test.dk",
        "coordinator_a": "koord-a@test.dk",
        "coordinator_b": "koord-b@test.dk",
        "analyst": "analytiker@test.dk",
        "teacher_a": "laerer-a@test.dk",
    }
    for role, schools in (
        ("admin", ()),
        ("coordinator_a", (school_a.id,)),
        ("coordinator_b", (school_b.id,)),
        ("analyst", ()),
        ("teacher_a", (school_a.id,)),
    ):
        user = StaffUser(email=emails[role], password_hash=_password_hash(), role=role.split("_")[0])
        await user.save()
        for school_id in schools:
            await StaffUserSchool(user=user.id, school=school_id).save()
    return World(school_a.id, school_b.id, class_a.id, class_b.id, wave.id, wave_b.id, event.id, emails)


@pytest.fixture
async def world(engine) -> World:
    return await build_world()


@pytest.fixture
async def client(settings, engine):
    """The real app served in the test's own event loop (replaces conftest's ``client`` here).

    Litestar's AsyncTestClient runs the app on a portal thread with its own loop,
    where the PostgreSQL pool the tables use (opened in the test's loop) cannot
    be used. This client calls the app in the test's loop, runs its lifespan,
    and does not follow redirects, so tests see the 303s.
    """
    import httpx

    from server.app import create_app

    app = create_app(settings, engine=engine)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as test_client:
            yield test_client


async def csrf_token(client) -> str:
    """The CSRF token the browser would put in a form: it is bound to the browser's session (or,
    before login, to its pre-login cookie), so read it from a page, as the browser does."""
    return form_token((await client.get("/console/login")).text)


def form_token(html: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


async def post_form(client, path: str, data: dict | None = None, **kwargs):
    """POST a form the way the browser does: with the CSRF token of its session from a page."""
    return await client.post(path, data={**(data or {}), "_csrf_token": await csrf_token(client)}, **kwargs)


def session_cookie(client) -> str | None:
    for cookie in client.cookies.jar:
        if cookie.name == "trivsel_staff":
            return cookie.value
    return None


async def login(client, email: str, password: str = PASSWORD):
    page = await client.get("/console/login")
    assert page.status_code == 200
    response = await client.post(
        "/console/login", data={"email": email, "password": password, "_csrf_token": form_token(page.text)}
    )
    return response


async def login_as(client, world: World, role: str) -> None:
    response = await login(client, world.emails[role])
    assert response.status_code == 303, response.text[:500]


async def user_id(email: str) -> int:
    return (await StaffUser.select(StaffUser.id).where(StaffUser.email == email).first())["id"]
