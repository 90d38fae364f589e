"""Throttling guesses, not successes (issue 18, items 4 and 5).

- Guesses of the current password on the password-change form count with the login failures.
- A correct password from a throttled address still logs in: a pupil behind the school's shared
  address cannot lock out its teachers.
"""

from __future__ import annotations

import re

import httpx
import pytest

from surveys import throttle
from tests.integration.console_world import PASSWORD, World, world  # noqa: F401

pytestmark = pytest.mark.anyio

SCHOOL_ADDRESS = "192.0.2.10"


@pytest.fixture(autouse=True)
def _one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    start = throttle._window(900, None)
    monkeypatch.setattr(throttle, "_window", lambda window_s, now: start)


@pytest.fixture
def quick_limits(monkeypatch: pytest.MonkeyPatch):
    """The real rules with a small address limit and a short queue, so a test need not wait minutes."""
    from server.console import auth
    from surveys.accounts.login import LoginLimits

    monkeypatch.setattr(auth, "LOGIN_LIMITS", LoginLimits(per_address=8, address_every_s=1, address_max_wait_s=3))


@pytest.fixture
async def app(settings, engine):
    from server.app import create_app

    application = create_app(settings, engine=engine)
    async with application.lifespan():
        yield application


def browser(app, address: str = SCHOOL_ADDRESS) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local")


def page_token(html: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


async def try_login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    page = await client.get("/console/login")
    return await client.post("/console/login", data={"email": email, "password": password,
                                                     "_csrf_token": page_token(page.text)})


async def change_password(client: httpx.AsyncClient, current: str, new: str = "a-brand-new-passphrase") -> httpx.Response:
    page = await client.get("/console/password")
    return await client.post("/console/password", data={"current": current, "new": new, "repeated": new,
                                                        "_csrf_token": page_token(page.text)})


async def test_guessing_the_current_password_on_the_change_form_is_throttled(app, world: World) -> None:
    async with browser(app) as staff:
        assert (await try_login(staff, world.emails["analyst"])).status_code == 303
        statuses = [(await change_password(staff, f"guess number {n}")).status_code for n in range(25)]
        assert 429 in statuses, statuses
        assert statuses.index(429) <= 5, statuses  # after the same limit as logins
        # ... and a correct password is not checked during the wait either (no oracle).
        assert (await change_password(staff, PASSWORD)).status_code == 429


async def test_password_change_guesses_count_with_the_login_failures(app, world: World) -> None:
    async with browser(app) as staff, browser(app, "198.51.100.20") as elsewhere:
        assert (await try_login(staff, world.emails["analyst"])).status_code == 303
        for n in range(3):
            assert (await change_password(staff, f"guess number {n}")).status_code == 422
        for n in range(2):
            assert (await try_login(elsewhere, world.emails["analyst"], f"wrong {n}")).status_code == 400
        # five failures for the account in all: the next guess, on either form, waits
        assert (await try_login(elsewhere, world.emails["analyst"], "wrong again")).status_code == 429


async def test_a_correct_password_from_a_throttled_address_still_logs_in(app, world: World, quick_limits) -> None:
    """A pupil behind the school's address tries 12 e-mail addresses; then a teacher logs in."""
    async with browser(app) as pupil, browser(app) as teacher:
        statuses = [(await try_login(pupil, f"guess{n}@skole.dk", "password123")).status_code for n in range(12)]
        assert statuses[-1] == 429, statuses  # the address is throttled: guesses are refused
        response = await try_login(teacher, world.emails["teacher_a"])
        assert response.status_code == 303, response.text[:300]
        assert (await teacher.get("/console")).status_code == 200


async def test_a_pupil_guessing_a_teachers_password_does_not_lock_the_teacher_out(app, world: World) -> None:
    """The pupil knows the teacher's e-mail; the teacher has logged in from this browser before."""
    async with browser(app) as pupil, browser(app) as teacher:
        assert (await try_login(teacher, world.emails["teacher_a"])).status_code == 303
        await teacher.post("/console/logout", data={"_csrf_token": page_token((await teacher.get("/console")).text)})
        statuses = [(await try_login(pupil, world.emails["teacher_a"], f"guess {n}")).status_code for n in range(20)]
        assert statuses[-1] == 429, statuses  # the guesses are throttled ...
        response = await try_login(teacher, world.emails["teacher_a"])  # ... the teacher is not
        assert response.status_code == 303, response.text[:300]


async def test_a_throttled_guess_is_still_refused_and_says_why(app, world: World, quick_limits) -> None:
    async with browser(app, "198.51.100.30") as attacker:
        for n in range(12):
            response = await try_login(attacker, f"spray{n}@skole.dk", "Sommer2026!")
        assert response.status_code == 429 and "For mange" in response.text
        for n in range(8):
            response = await try_login(attacker, world.emails["admin"], f"wrong {n}")
        assert response.status_code == 429
