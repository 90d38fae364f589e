"""Staff accounts in the console: only admins, one-time passwords, deactivation, no lock-out."""

from __future__ import annotations

import re

import httpx
import pytest

from surveys.accounts.users import verify_password
from surveys.db.tables import StaffUser, StaffUserSchool
from tests.integration.console_world import (  # noqa: F401
    PASSWORD,
    World,
    client,
    login,
    login_as,
    post_form,
    user_id,
    world,
)

pytestmark = pytest.mark.anyio


def _one_time_password(html: str) -> str:
    match = re.search(r'aria-label="Engangskode ([a-z0-9-]+)"', html)
    assert match, html[:1000]
    return match.group(1)


def _second_browser(client) -> httpx.AsyncClient:
    """Another browser on the same app (its own cookies)."""
    return httpx.AsyncClient(transport=client._transport, base_url="http://testserver.local")


@pytest.mark.parametrize("role", ["coordinator_a", "analyst", "teacher_a"])
async def test_only_admins_manage_users(client, world: World, role: str) -> None:
    await login_as(client, world, role)
    admin = await user_id(world.emails["admin"])
    assert (await client.get("/console/users")).status_code == 403
    assert (await client.get("/console/users/new")).status_code == 403
    assert (await client.get(f"/console/users/{admin}")).status_code == 403
    created = await post_form(client, "/console/users", {"email": "x@test.dk", "role": "admin"})
    assert created.status_code == 403
    demoted = await post_form(client, f"/console/users/{admin}", {"role": "teacher", "schools": str(world.school_a)})
    assert demoted.status_code == 403
    assert (await post_form(client, f"/console/users/{admin}/password")).status_code == 403
    assert "/console/users" not in (await client.get("/console")).text
    assert not await StaffUser.exists().where(StaffUser.email == "x@test.dk")
    assert (await StaffUser.select(StaffUser.role).where(StaffUser.id == admin).first())["role"] == "admin"


async def test_admin_creates_a_teacher_whose_one_time_password_must_be_changed(client, world: World) -> None:
    await login_as(client, world, "admin")
    listing = await client.get("/console/users")
    assert listing.status_code == 200 and world.emails["teacher_a"] in listing.text
    assert "/console/users" in (await client.get("/console")).text
    assert (await client.get("/console/users/new")).status_code == 200

    page = await post_form(client, "/console/users", {
        "email": " Ny.Laerer@Test.dk ", "role": "teacher", "schools": [str(world.school_a), str(world.school_b)],
    })
    assert page.status_code == 200, page.text[:500]
    password = _one_time_password(page.text)
    user = await StaffUser.objects().get(StaffUser.email == "ny.laerer@test.dk")
    assert user.role == "teacher" and user.must_change_password and user.active
    assert password not in user.password_hash and user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, password)
    schools = {r["school"] for r in await StaffUserSchool.select(StaffUserSchool.school).where(StaffUserSchool.user == user.id)}
    assert schools == {world.school_a, world.school_b}

    async with _second_browser(client) as browser:
        response = await login(browser, "ny.laerer@test.dk", password)
        assert response.status_code == 303
        assert (await browser.get("/console")).headers["location"] == "/console/password"


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"email": "ikke-en-adresse", "role": "analyst"}, "email"),
        ({"email": "a@test.dk", "role": "teacher"}, "school"),
        ({"email": "a@test.dk", "role": "owner"}, "role"),
        ({"email": "a@test.dk", "role": "teacher", "schools": "999999"}, "school"),
        ({"email": "a@test.dk", "role": "teacher", "schools": "abc"}, "schools"),
    ],
)
async def test_a_bad_new_user_is_a_422_form_that_says_why(client, world: World, form: dict, field: str) -> None:
    await login_as(client, world, "admin")
    page = await post_form(client, "/console/users", form)
    assert page.status_code == 422, page.text[:500]
    assert f'id="f-{field}-error"' in page.text or "errors-summary" in page.text
    assert not await StaffUser.exists().where(StaffUser.email == "a@test.dk")


async def test_an_existing_e_mail_is_refused(client, world: World) -> None:
    await login_as(client, world, "admin")
    page = await post_form(client, "/console/users", {"email": world.emails["analyst"].upper(), "role": "analyst"})
    assert page.status_code == 422 and "findes allerede" in page.text
    assert await StaffUser.count().where(StaffUser.email == world.emails["analyst"]) == 1


async def test_deactivating_a_user_logs_them_out_at_once(client, world: World) -> None:
    teacher = await user_id(world.emails["teacher_a"])
    async with _second_browser(client) as browser:
        assert (await login(browser, world.emails["teacher_a"], PASSWORD)).status_code == 303
        assert (await browser.get("/console")).status_code == 200

        await login_as(client, world, "admin")
        saved = await post_form(client, f"/console/users/{teacher}", {"role": "teacher", "schools": str(world.school_a)})
        assert saved.status_code == 303  # the "Må logge ind" box left unticked
        assert not (await StaffUser.select(StaffUser.active).where(StaffUser.id == teacher).first())["active"]
        assert (await browser.get("/console")).headers["location"] == "/console/login"
        assert (await login(browser, world.emails["teacher_a"], PASSWORD)).status_code != 303
        assert "deaktiveret" in (await client.get("/console/users")).text


async def test_role_and_schools_change_and_an_analyst_loses_school_rows(client, world: World) -> None:
    await login_as(client, world, "admin")
    coordinator = await user_id(world.emails["coordinator_a"])
    saved = await post_form(client, f"/console/users/{coordinator}",
                            {"role": "analyst", "schools": str(world.school_a), "active": "on"})
    assert saved.status_code == 303
    row = await StaffUser.select(StaffUser.role, StaffUser.active).where(StaffUser.id == coordinator).first()
    assert row == {"role": "analyst", "active": True}
    assert await StaffUserSchool.count().where(StaffUserSchool.user == coordinator) == 0


async def test_an_admin_cannot_lock_themselves_or_the_municipality_out(client, world: World) -> None:
    await login_as(client, world, "admin")
    admin = await user_id(world.emails["admin"])
    page = await post_form(client, f"/console/users/{admin}", {"role": "analyst", "active": "on"})
    assert page.status_code == 422 and "din egen administratoradgang" in page.text
    page = await post_form(client, f"/console/users/{admin}", {"role": "admin"})  # unticked: deactivate self
    assert page.status_code == 422
    assert (await StaffUser.select(StaffUser.role, StaffUser.active).where(StaffUser.id == admin).first()) == {
        "role": "admin", "active": True
    }
    assert (await post_form(client, f"/console/users/{admin}/password")).status_code == 422

    # A second admin may demote the first, but not the last one standing.
    page = await post_form(client, "/console/users", {"email": "admin2@test.dk", "role": "admin"})
    second_password = _one_time_password(page.text)
    async with _second_browser(client) as browser:
        assert (await login(browser, "admin2@test.dk", second_password)).status_code == 303
        changed = await post_form(browser, "/console/password", {
            "current": second_password, "new": "another-long-password", "repeated": "another-long-password",
        })
        assert changed.status_code == 303
        assert (await post_form(browser, f"/console/users/{admin}", {"role": "analyst", "active": "on"})).status_code == 303
        second = await user_id("admin2@test.dk")
        last = await post_form(browser, f"/console/users/{second}", {"role": "analyst", "active": "on"})
        assert last.status_code == 422 and "din egen" in last.text
    assert await StaffUser.count().where(StaffUser.role == "admin", StaffUser.active == True) == 1  # noqa: E712


async def test_a_password_reset_ends_the_old_password_and_sessions(client, world: World) -> None:
    analyst = await user_id(world.emails["analyst"])
    async with _second_browser(client) as browser:
        assert (await login(browser, world.emails["analyst"], PASSWORD)).status_code == 303
        await login_as(client, world, "admin")
        page = await post_form(client, f"/console/users/{analyst}/password")
        assert page.status_code == 200
        password = _one_time_password(page.text)
        assert (await browser.get("/console")).headers["location"] == "/console/login"
        assert (await login(browser, world.emails["analyst"], PASSWORD)).status_code != 303
        assert (await login(browser, world.emails["analyst"], password)).status_code == 303
        assert (await browser.get("/console")).headers["location"] == "/console/password"


async def test_unknown_users_are_404(client, world: World) -> None:
    await login_as(client, world, "admin")
    assert (await client.get("/console/users/987654")).status_code == 404
    assert (await post_form(client, "/console/users/987654", {"role": "analyst", "active": "on"})).status_code == 404
    assert (await post_form(client, "/console/users/987654/password")).status_code == 404


async def test_two_admins_demoting_each_other_at_once_leave_one(world: World, engine) -> None:
    import asyncio

    from surveys.accounts.users import create_user, update_user
    from surveys.errors import InvalidInput

    first = await user_id(world.emails["admin"])
    second, _ = await create_user("admin2@test.dk", "admin")
    results = await asyncio.gather(
        update_user(first, role="analyst", school_ids=[], active=True, acting_user_id=second.id),
        update_user(second.id, role="analyst", school_ids=[], active=True, acting_user_id=first),
        return_exceptions=True,
    )
    assert sum(isinstance(r, InvalidInput) for r in results) == 1, results
    assert await StaffUser.count().where(StaffUser.role == "admin", StaffUser.active == True) == 1  # noqa: E712
