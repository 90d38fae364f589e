"""Typing a code at ``/k``: guessing is throttled per address (wrong codes only), and the
shared code of a class session hands each device its own fresh link."""

from __future__ import annotations

import datetime as dt

import pytest

from server.pupil.routes import SESSION_DEVICE_COOKIE
from surveys import throttle
from surveys.answering.class_sessions import SessionTokens, close_session, open_class_session
from surveys.answering.code_entry import CODE_FAILURES_PER_WINDOW
from surveys.answering.links import format_code
from surveys.db.tables import ClassSession, Link, Throttle
from tests.conftest import TEST_KEY
from tests.integration.answering_support import make_wave

pytestmark = pytest.mark.anyio

TOKENS = SessionTokens((TEST_KEY,))
WRONG = "ACEF-HJKM"  # well-formed, issued to nobody


@pytest.fixture(autouse=True)
def _one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every attempt of a test falls in the same window, even across a window boundary."""
    start = throttle._window(600, None)
    monkeypatch.setattr(throttle, "_window", lambda window_s, now: start)


async def _failures() -> int:
    rows = await Throttle.select(Throttle.key, Throttle.count).where(Throttle.key.like("code:addr:%"))
    return sum(row["count"] for row in rows)


async def test_wrong_codes_are_limited_per_address_and_then_nothing_gets_through(client) -> None:
    setup = await make_wave(1)
    for _ in range(CODE_FAILURES_PER_WINDOW):
        response = await client.post("/k", data={"code": WRONG})
        assert response.status_code == 404
    blocked = await client.post("/k", data={"code": WRONG})
    assert blocked.status_code == 429
    assert "Vent lidt (højst 10 minutter)" in blocked.text and 'action="/k"' in blocked.text
    assert 0 < int(blocked.headers["retry-after"]) <= 600
    # Over the limit even a real code is refused: a guesser cannot tell a hit from a refusal.
    valid = await client.post("/k", data={"code": setup.links[0].code}, follow_redirects=False)
    assert valid.status_code == 429
    english = await client.post("/k?lang=en", data={"code": WRONG})
    assert english.status_code == 429 and "Too many wrong codes" in english.text
    # The key is a keyed hash of the address, never the address.
    keys = [row["key"] for row in await Throttle.select(Throttle.key)]
    assert keys and all("testclient" not in key for key in keys)


async def test_a_class_behind_one_address_is_never_throttled(client) -> None:
    """Thirty pupils typing their codes (and some typos) from one school address all get in."""
    setup = await make_wave(30)
    for _ in range(CODE_FAILURES_PER_WINDOW - 1):  # a bad morning: the address is one typo from the limit
        assert (await client.post("/k", data={"code": WRONG})).status_code == 404
    for link in setup.links:
        entered = await client.post("/k", data={"code": format_code(link.code).lower()}, follow_redirects=False)
        assert entered.status_code == 303 and entered.headers["location"].startswith("/k/")
    assert await _failures() == CODE_FAILURES_PER_WINDOW - 1  # successes are not counted
    assert (await client.post("/k", data={"code": WRONG})).status_code == 404  # the 60th failure is still allowed
    assert (await client.post("/k", data={"code": WRONG})).status_code == 429


async def test_a_class_session_code_hands_out_a_fresh_link_per_device(client) -> None:
    setup = await make_wave(2)
    session = await open_class_session(TOKENS, school_class_id=setup.class_id, wave_id=setup.wave_id, capacity=2)
    typed = format_code(session.code).lower()
    first = await client.post("/k", data={"code": typed}, follow_redirects=False)
    assert first.status_code == 303
    location = first.headers["location"]
    assert location.startswith("/s/") and session.code not in location
    welcome = await client.get(location)
    assert welcome.status_code == 200 and "Dine svar er anonyme" in welcome.text
    # The same phone typing the code again is asked whose turn it is; "continue" gives the same link back.
    asked = await client.post("/k", data={"code": session.code}, follow_redirects=False)
    assert asked.status_code == 200 and "Jeg er en ny elev" in asked.text and location not in asked.text
    again = await client.post("/k", data={"code": session.code, "choice": "continue"}, follow_redirects=False)
    assert again.headers["location"] == location
    # Another phone gets its own link.
    client.cookies.delete(SESSION_DEVICE_COOKIE)
    second = await client.post("/k", data={"code": session.code}, follow_redirects=False)
    assert second.status_code == 303 and second.headers["location"] not in (location,)
    assert await Link.count().where(Link.class_session == session.id) == 2
    assert (await ClassSession.objects().get(ClassSession.id == session.id)).issued == 2
    # Capacity reached: a clear page, and nothing more is handed out.
    client.cookies.delete(SESSION_DEVICE_COOKIE)
    full = await client.post("/k", data={"code": session.code})
    assert full.status_code == 409 and "Der er ikke flere links her" in full.text
    assert await Link.count().where(Link.class_session == session.id) == 2
    assert await _failures() == 0  # real codes never count towards the limit


async def test_a_closed_or_expired_class_session_code_gives_a_clear_page(client) -> None:
    setup = await make_wave(3)
    closed = await open_class_session(TOKENS, school_class_id=setup.class_id, wave_id=setup.wave_id)
    await close_session(closed.id)
    response = await client.post("/k", data={"code": closed.code})
    assert response.status_code == 410 and "lukket denne runde" in response.text
    expired = await open_class_session(TOKENS, school_class_id=setup.class_id, wave_id=setup.wave_id)
    await ClassSession.update({ClassSession.expires_at: dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)}).where(
        ClassSession.id == expired.id
    )
    response = await client.post("/k", data={"code": expired.code})
    assert response.status_code == 410 and "udløbet" in response.text
    assert await Link.count().where(Link.class_session.is_not_null()) == 0


async def test_a_slip_printed_before_codes_were_hashed_still_works_by_its_code(client) -> None:
    """A link row from before issue 12 keeps its code in clear and a random secret id: typing the code
    still leads to its flow, with a draft of its own."""
    from surveys.db.tables import Link

    setup = await make_wave(1)
    await Link.update({Link.code: "ACEFHJKM"}).where(Link.id > 0)
    entered = await client.post("/k", data={"code": "ACEF-HJKM"}, follow_redirects=False)
    assert entered.status_code == 303 and entered.headers["location"].startswith("/k/")
    flow = entered.headers["location"]
    assert (await client.post(flow + "/p/1", data={"q1": "2", "q3": "1", "_shown": "q3"}, follow_redirects=False)).status_code == 303
    page = await client.get(flow + "/p/1")
    assert 'name="q1" value="2" checked' in page.text
