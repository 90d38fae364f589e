"""Class sessions: one projected QR, a fresh single-use link per device, never more than the capacity."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import pytest

from surveys.answering.class_sessions import (
    SessionFull,
    SessionTokens,
    claim_link,
    open_class_session,
    open_event_session,
    resolve_session_code,
    session_counts,
)
from surveys.db.tables import ClassSession, Draft, Link
from surveys.errors import InvalidInput, SurveyClosed
from tests.conftest import TEST_KEY
from tests.integration.console_world import World, client, login_as, post_form, world  # noqa: F401

pytestmark = pytest.mark.anyio

BASE = "http://testserver.local"
TOKENS = SessionTokens((TEST_KEY,))


async def _open_via_console(client, world: World, capacity: int = 4) -> tuple[int, str]:
    await login_as(client, world, "teacher_a")
    form = await client.get(f"/console/classes/{world.class_a}/session")
    assert form.status_code == 200 and 'value="4"' in form.text  # capacity defaults to the class size
    response = await post_form(
        client, f"/console/classes/{world.class_a}/sessions", {"wave": str(world.wave), "capacity": str(capacity), "minutes": "45"}
    )
    assert response.status_code == 303
    session_id = int(response.headers["location"].rsplit("/", 1)[1])
    session = await ClassSession.objects().get(ClassSession.id == session_id)
    return session_id, TOKENS.token(session)


async def test_screen_shows_a_big_qr_the_code_and_live_counts(client, world: World) -> None:
    session_id, _ = await _open_via_console(client, world)
    screen = await client.get(f"/console/sessions/{session_id}")
    assert screen.status_code == 200
    session = await ClassSession.objects().get(ClassSession.id == session_id)
    assert f"{session.code[:4]}-{session.code[4:]}" in screen.text
    assert "<svg" in screen.text
    assert 'hx-trigger="every 3s"' in screen.text
    assert "0 af 4 har svaret" in " ".join(re.sub(r"<[^>]+>", " ", screen.text).split())
    assert 'action="/console/sessions/%d/close"' % session_id in screen.text
    assert screen.headers["vary"] == "HX-Request"
    partial = await client.get(f"/console/sessions/{session_id}", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.text and "har svaret" in partial.text and "<svg" not in partial.text


async def test_each_device_gets_its_own_link_and_a_reload_gets_the_same(client, world: World) -> None:
    _, token = await _open_via_console(client, world)
    first = await client.get(f"/q/{token}")
    assert first.status_code == 303 and first.headers["location"].startswith("/s/")
    assert "trivsel_q=" in first.headers["set-cookie"] and "Path=/q;" in first.headers["set-cookie"]
    again = await client.get(f"/q/{token}")  # the same phone reloads before answering anything
    assert again.headers["location"] == first.headers["location"]
    assert (await client.post(first.headers["location"] + "/p/4", data={"besked": "x"})).status_code == 303
    asked = await client.get(f"/q/{token}")  # answered something: whoever scans now is asked first
    assert asked.status_code == 200 and "Fortsæt dine svar" in asked.text and "Jeg er en ny elev" in asked.text
    assert '<span class="brand">Testkommune</span>' in asked.text  # the municipality's name, as on every pupil page
    assert first.headers["location"] not in asked.text and await Link.count() == 1
    same = await client.post(f"/q/{token}", data={"choice": "continue"})
    assert same.status_code == 303 and same.headers["location"] == first.headers["location"]
    client.cookies.delete("trivsel_q")  # another phone
    second = await client.get(f"/q/{token}")
    assert second.headers["location"] != first.headers["location"]
    assert (await client.get(second.headers["location"])).status_code == 200
    assert await Link.count() == 2


async def test_a_shared_device_asks_and_a_new_pupil_never_gets_the_earlier_link(client, world: World) -> None:
    _, token = await _open_via_console(client, world)
    first = (await client.get(f"/q/{token}")).headers["location"]
    assert (await client.post(first + "/p/4", data={"besked": "hemmeligt"}, follow_redirects=False)).status_code == 303
    assert await Draft.count() == 1
    new = await client.post(f"/q/{token}", data={"choice": "new"})
    assert new.status_code == 303 and new.headers["location"] != first
    # The earlier pupil's unsent draft is gone: even their address from the browser's history shows nothing.
    assert await Draft.count() == 0
    assert "hemmeligt" not in (await client.get(first + "/p/4")).text
    # The device now remembers the new pupil's link; the first pupil's stays as it was, unanswered.
    again = await client.post(f"/q/{token}", data={"choice": "continue"})
    assert again.headers["location"] == new.headers["location"]
    # After a submit the device forgets its link: the next scan hands out a fresh one without asking.
    await client.post(new.headers["location"] + "/p/1", data={"q1": "1"}, follow_redirects=False)
    submitted = await client.post(new.headers["location"] + "/submit", follow_redirects=False)
    assert submitted.status_code == 303 and "trivsel_q=" in submitted.headers.get("set-cookie", "")
    fresh = await client.get(f"/q/{token}")
    assert fresh.status_code == 303 and fresh.headers["location"] not in (first, new.headers["location"])
    assert await Link.count() == 3


async def test_capacity_is_never_exceeded_and_then_a_clear_page(client, world: World) -> None:
    _, token = await _open_via_console(client, world, capacity=2)
    for _ in range(2):
        client.cookies.delete("trivsel_q")
        assert (await client.get(f"/q/{token}")).status_code == 303
    client.cookies.delete("trivsel_q")
    full = await client.get(f"/q/{token}")
    assert full.status_code == 409
    assert "delt ud" in full.text
    assert await Link.count() == 2


async def test_closed_and_expired_sessions_give_clear_pages(client, world: World) -> None:
    session_id, token = await _open_via_console(client, world)
    closed = await post_form(client, f"/console/sessions/{session_id}/close", {})
    assert closed.status_code == 303
    response = await client.get(f"/q/{token}")
    assert response.status_code == 410 and "lukket" in response.text
    screen = await client.get(f"/console/sessions/{session_id}")
    assert "Runden er lukket" in screen.text and "<svg" not in screen.text
    stop = await client.get(f"/console/sessions/{session_id}", headers={"HX-Request": "true"})
    assert stop.status_code == 286  # htmx stops polling

    other = await open_class_session(TOKENS, school_class_id=world.class_a, wave_id=world.wave)
    await ClassSession.update({ClassSession.expires_at: dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)}).where(
        ClassSession.id == other.id
    )
    expired = await client.get(f"/q/{TOKENS.token(other)}")
    assert expired.status_code == 410 and "udløbet" in expired.text


async def test_close_needs_the_csrf_token(client, world: World) -> None:
    session_id, _ = await _open_via_console(client, world)
    assert (await client.post(f"/console/sessions/{session_id}/close")).status_code == 403
    assert not (await ClassSession.objects().get(ClassSession.id == session_id)).closed


async def test_forged_or_pupil_tokens_are_not_sessions(client, world: World) -> None:
    _, token = await _open_via_console(client, world)
    assert (await client.get(f"/q/{token[:-2]}xx")).status_code == 404
    pupil_token = (await client.get(f"/q/{token}")).headers["location"].removeprefix("/s/")
    assert (await client.get(f"/q/{pupil_token}")).status_code == 404


async def test_counts_follow_answers(client, world: World) -> None:
    session_id, token = await _open_via_console(client, world)
    location = (await client.get(f"/q/{token}")).headers["location"]
    counts = await session_counts(session_id)
    assert (counts.capacity, counts.issued, counts.answered) == (4, 1, 0)
    await Link.update({Link.uses: 1}).where(Link.class_session == session_id)
    assert (await session_counts(session_id)).answered == 1
    assert location.startswith("/s/")


async def test_concurrent_scans_never_exceed_the_capacity(world: World) -> None:
    session = await open_class_session(TOKENS, school_class_id=world.class_a, wave_id=world.wave, capacity=7)

    async def scan():
        try:
            return await claim_link(TOKENS, BASE, session)
        except SessionFull:
            return None

    results = await asyncio.gather(*(scan() for _ in range(25)))
    handed_out = [r for r in results if r is not None]
    assert len(handed_out) == 7
    assert len({link.token for link in handed_out}) == 7
    assert await Link.count().where(Link.class_session == session.id) == 7
    assert (await ClassSession.select(ClassSession.issued).where(ClassSession.id == session.id).first())["issued"] == 7


async def test_the_database_refuses_issued_above_capacity(world: World) -> None:
    session = await open_class_session(TOKENS, school_class_id=world.class_a, wave_id=world.wave, capacity=1)
    with pytest.raises(Exception, match="class_session_capacity|CHECK|check"):
        await ClassSession.update({ClassSession.issued: 2}).where(ClassSession.id == session.id)


async def test_session_rules(world: World) -> None:
    with pytest.raises(InvalidInput):
        await open_class_session(TOKENS, school_class_id=world.class_a, wave_id=world.wave_b)  # school not in the wave
    with pytest.raises(InvalidInput):
        await open_class_session(TOKENS, school_class_id=world.class_a, wave_id=world.wave, minutes=1)
    session = await open_class_session(TOKENS, school_class_id=world.class_a, wave_id=world.wave)
    assert (await resolve_session_code(session.code.lower())).id == session.id
    assert await resolve_session_code("NOPE") is None
    staff_session = await open_event_session(TOKENS, event_id=world.event, capacity=2)
    link = await claim_link(TOKENS, BASE, staff_session)
    TOKENS.signer.verify(link.token, "staff")
    await ClassSession.update({ClassSession.closed: True}).where(ClassSession.id == staff_session.id)
    with pytest.raises(SurveyClosed):
        await claim_link(TOKENS, BASE, staff_session)


async def test_screen_survives_key_rotation(world: World) -> None:
    session = await open_class_session(TOKENS, school_class_id=world.class_a, wave_id=world.wave)
    rotated = SessionTokens((TEST_KEY, "a-newer-key-" + "y" * 40))
    token = rotated.token(session)
    assert rotated.signer.verify(token, "session") == session.token_hash


async def test_links_a_session_hands_out_have_random_ids_and_hashed_codes(client, world: World) -> None:
    """Row ids in scan order would tell which phone took which link; a code in clear would open it."""
    _, token = await _open_via_console(client, world, capacity=4)
    for _ in range(4):
        client.cookies.delete("trivsel_q")
        assert (await client.get(f"/q/{token}")).status_code == 303
    rows = await Link.select(Link.id, Link.code).order_by(Link.id)
    ids = [row["id"] for row in rows]
    assert len(ids) == 4 and all(i >= 2**30 for i in ids) and max(ids) - min(ids) > 1000
    assert all(len(row["code"]) == 16 and all(c in "0123456789abcdef" for c in row["code"]) for row in rows)
