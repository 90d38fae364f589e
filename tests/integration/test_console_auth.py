"""Console login: sessions renewed at login and gone after logout, timeouts, throttling, CSRF, cookies."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from surveys.accounts.sessions import SessionPolicy, load_session, start_session
from surveys.accounts.users import create_user
from surveys.db.tables import Throttle, WebSession
from tests.integration.console_world import (  # noqa: F401
    PASSWORD,
    World,
    client,
    login,
    login_as,
    post_form,
    session_cookie,
    world,
)

pytestmark = pytest.mark.anyio


async def test_login_page_sets_a_csrf_cookie_and_form_field(client) -> None:
    response = await client.get("/console/login")
    assert response.status_code == 200
    assert 'name="_csrf_token"' in response.text
    cookie = response.headers["set-cookie"]  # the pre-login token is bound to this cookie (server.csrf)
    assert "trivsel_csrf=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie


async def test_anonymous_is_sent_to_login(client, world: World) -> None:
    response = await client.get("/console", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login"


async def test_login_sets_a_strict_session_cookie(client, world: World) -> None:
    response = await login(client, world.emails["admin"])
    assert response.status_code == 303
    assert response.headers["location"] == "/console"
    staff_cookie = [c for c in response.headers.get_list("set-cookie") if c.startswith("trivsel_staff=")][0]
    assert "HttpOnly" in staff_cookie and "SameSite=lax" in staff_cookie and "Path=/console" in staff_cookie
    assert "Secure" not in staff_cookie  # served over http in this test
    assert (await client.get("/console")).status_code == 200


async def test_session_id_is_renewed_at_login_and_the_old_one_dies(client, world: World) -> None:
    await login_as(client, world, "admin")
    first = session_cookie(client)
    await login_as(client, world, "admin")
    second = session_cookie(client)
    assert first and second and first != second
    assert await WebSession.count() == 1  # the old session row was deleted
    client.cookies.set("trivsel_staff", first, domain="testserver.local", path="/console")
    response = await client.get("/console", follow_redirects=False)
    assert response.status_code == 303


async def test_a_session_id_planted_before_login_is_not_kept(client, world: World) -> None:
    client.cookies.set("trivsel_staff", "planted-by-attacker", domain="testserver.local", path="/console")
    await login_as(client, world, "admin")
    assert session_cookie(client) != "planted-by-attacker"


async def test_logout_ends_the_session(client, world: World) -> None:
    await login_as(client, world, "teacher_a")
    old = session_cookie(client)
    response = await post_form(client, "/console/logout")
    assert response.status_code == 303
    assert session_cookie(client) is None
    assert await WebSession.count() == 0
    client.cookies.set("trivsel_staff", old, domain="testserver.local", path="/console")
    assert (await client.get("/console", follow_redirects=False)).status_code == 303


async def test_logout_without_csrf_token_is_refused(client, world: World) -> None:
    await login_as(client, world, "admin")
    response = await client.post("/console/logout", data={})
    assert response.status_code == 403
    assert (await client.get("/console")).status_code == 200  # still logged in


async def test_login_post_without_csrf_token_is_refused(client, world: World) -> None:
    await client.get("/console/login")
    response = await client.post("/console/login", data={"email": world.emails["admin"], "password": PASSWORD})
    assert response.status_code == 403


async def test_post_with_a_forged_csrf_token_is_refused(client, world: World) -> None:
    await login_as(client, world, "admin")
    response = await client.post("/console/schools", data={"name": "X", "_csrf_token": "0" * 128})
    assert response.status_code == 403


async def test_wrong_password_is_a_plain_refusal(client, world: World) -> None:
    response = await login(client, world.emails["admin"], "wrong password!")
    assert response.status_code == 400
    assert "Forkert e-mail eller adgangskode" in response.text
    unknown = await login(client, "nobody@test.dk", "wrong password!")
    assert "Forkert e-mail eller adgangskode" in unknown.text
    assert session_cookie(client) is None


async def test_login_is_throttled_per_account(client, world: World) -> None:
    for _ in range(5):
        assert (await login(client, world.emails["analyst"], "wrong password!")).status_code == 400
    blocked = await login(client, world.emails["analyst"])  # even the right password
    assert blocked.status_code == 429
    assert "For mange" in blocked.text
    # another account from the same address still gets in
    assert (await login(client, world.emails["admin"])).status_code == 303


async def test_login_is_throttled_per_address(client, world: World, monkeypatch) -> None:
    from server.console import auth
    from surveys.accounts.login import LoginLimits

    monkeypatch.setattr(auth, "LOGIN_LIMITS", LoginLimits(per_account=5, per_address=8, address_every_s=1))
    for n in range(8):
        assert (await login(client, f"guess{n}@test.dk", "wrong password!")).status_code == 400
    # Guesses from the address are refused now; a correct password still gets in (issue 18, item 5).
    assert (await login(client, "guess9@test.dk", "wrong password!")).status_code == 429
    assert (await login(client, world.emails["admin"])).status_code == 303


async def test_successes_do_not_use_up_the_address_limit(client, world: World) -> None:
    # a whole staff room behind one school address logs in: only failures count
    await login(client, world.emails["admin"], "wrong password!")
    for role in ("admin", "teacher_a", "analyst"):
        assert (await login(client, world.emails[role])).status_code == 303
    counts = {row["key"].split(":")[1]: row["count"] for row in await Throttle.select(Throttle.key, Throttle.count)}
    assert counts["addr"] == 1


async def test_throttle_keeps_no_address_or_email(client, world: World) -> None:
    await login(client, world.emails["admin"], "wrong password!")
    keys = [row["key"] for row in await Throttle.select(Throttle.key)]
    assert keys and not any("@" in key or "192.0.2.10" in key or "testclient" in key for key in keys)


async def _age_session(seconds_idle: int, seconds_old: int) -> None:
    row = await WebSession.select().first()
    data = json.loads(row["data"])
    now = dt.datetime.now(dt.timezone.utc).timestamp()
    data["seen"], data["created"] = now - seconds_idle, now - seconds_old
    await WebSession.update({WebSession.data: json.dumps(data)}).where(WebSession.id == row["id"])


async def test_idle_timeout_logs_out(client, world: World) -> None:
    await login_as(client, world, "admin")
    await _age_session(seconds_idle=31 * 60, seconds_old=31 * 60)
    assert (await client.get("/console", follow_redirects=False)).status_code == 303
    assert await WebSession.count() == 0


async def test_absolute_timeout_logs_out_even_when_active(client, world: World) -> None:
    await login_as(client, world, "admin")
    await _age_session(seconds_idle=10, seconds_old=10 * 3600 + 60)
    assert (await client.get("/console", follow_redirects=False)).status_code == 303


async def test_activity_keeps_the_session_alive(engine) -> None:
    policy = SessionPolicy(idle=dt.timedelta(minutes=30), absolute=dt.timedelta(hours=10))
    start = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.timezone.utc)
    session_id = await start_session(1, policy=policy, now=start)
    for minutes in (20, 40, 60, 80):
        assert await load_session(session_id, policy=policy, now=start + dt.timedelta(minutes=minutes))
    assert await load_session(session_id, policy=policy, now=start + dt.timedelta(minutes=111)) is None


async def test_htmx_request_without_session_gets_a_client_redirect(client, world: World) -> None:
    response = await client.get("/console/waves/1/progress", headers={"HX-Request": "true"})
    assert response.headers["hx-redirect"] == "/console/login"


async def test_one_time_password_must_be_changed_first(client, world: World) -> None:
    _, one_time = await create_user("ny@test.dk", "analyst")
    response = await login(client, "ny@test.dk", one_time)
    assert response.headers["location"] == "/console/password"
    assert (await client.get("/console", follow_redirects=False)).headers["location"] == "/console/password"
    bad = await post_form(client, "/console/password", {"current": one_time, "new": "short", "repeated": "short"})
    assert bad.status_code == 422 and "mindst 12 tegn" in bad.text
    done = await post_form(
        client, "/console/password", {"current": one_time, "new": "a-new-long-passphrase", "repeated": "a-new-long-passphrase"}
    )
    assert done.status_code == 303
    assert (await client.get("/console")).status_code == 200


async def test_next_only_goes_to_console_pages(client, world: World) -> None:
    page = await client.get("/console/login?next=https://evil.example/")
    assert 'value="/console"' in page.text
