"""Guessing codes at ``/k`` (issue 18, item 2): IPv6 limits keyed on the /64, a global failure
budget across all addresses, and codes that stop working when their wave or event closes."""

from __future__ import annotations

import logging

import httpx
import pytest

from surveys import throttle
from surveys.answering.class_sessions import SessionTokens, open_class_session
from surveys.answering.code_entry import CODE_FAILURES_PER_WINDOW, CODE_GLOBAL_FAILURES_PER_WINDOW
from surveys.db.tables import ClassSession, Event, Link, Throttle, Wave
from surveys.organisation.waves import set_event_status, set_wave_status
from tests.conftest import TEST_KEY
from tests.integration.answering_support import make_event_links, make_wave

pytestmark = pytest.mark.anyio

WRONG = "ACEF-HJKM"  # well-formed, issued to nobody


@pytest.fixture(autouse=True)
def _one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every attempt of a test falls in the same window, even across a window boundary."""
    start = throttle._window(600, None)
    monkeypatch.setattr(throttle, "_window", lambda window_s, now: start)


@pytest.fixture
async def app(settings, engine):
    from server.app import create_app

    application = create_app(settings, engine=engine)
    async with application.lifespan():
        yield application


def from_address(app, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local")


async def _guess(app, address: str, code: str = WRONG) -> httpx.Response:
    async with from_address(app, address) as client:
        return await client.post("/k", data={"code": code})


async def test_ipv6_addresses_of_one_64_share_one_limit(app) -> None:
    """One /64 is one subscriber (65,536 × 2^48 addresses): it gets the limit of one address."""
    setup = await make_wave(1)
    for number in range(CODE_FAILURES_PER_WINDOW):
        response = await _guess(app, f"2001:db8:1:2::{number + 1:x}")
        assert response.status_code == 404, number
    blocked = await _guess(app, "2001:db8:1:2:ffff:ffff:ffff:fffe", setup.links[0].code)
    assert blocked.status_code == 429
    # A neighbour in another /64, and an IPv4 address, are not affected.
    assert (await _guess(app, "2001:db8:1:3::1")).status_code == 404
    assert (await _guess(app, "192.0.2.7")).status_code == 404


async def test_ipv4_addresses_keep_their_own_limits(app) -> None:
    for number in range(CODE_FAILURES_PER_WINDOW):
        assert (await _guess(app, "198.51.100.1")).status_code == 404
    assert (await _guess(app, "198.51.100.1")).status_code == 429
    assert (await _guess(app, "198.51.100.2")).status_code == 404  # the next address is another school


async def test_a_global_failure_budget_stops_guessing_from_many_addresses(app, caplog) -> None:
    """Guesses spread over many networks, each far below its own limit, still meet a budget for all."""
    setup = await make_wave(1)
    per_address = 50
    addresses = [f"2001:db8:{n:x}::1" for n in range(CODE_GLOBAL_FAILURES_PER_WINDOW // per_address + 1)]
    caplog.set_level(logging.INFO)
    statuses: dict[int, int] = {}
    for address in addresses:
        async with from_address(app, address) as client:
            for _ in range(per_address):
                status = (await client.post("/k", data={"code": WRONG})).status_code
                statuses[status] = statuses.get(status, 0) + 1
    assert statuses.get(404) == CODE_GLOBAL_FAILURES_PER_WINDOW and statuses.get(429), statuses
    # Now every address, even a fresh one with a real code, gets the calm Danish page.
    paused = await _guess(app, "203.0.113.77", setup.links[0].code)
    assert paused.status_code == 429
    assert "Retry-After" in paused.headers
    assert "QR-koden" in paused.text and 'action="/k"' in paused.text
    # One line for the operator, without any address.
    lines = [record.getMessage() for record in caplog.records if "budget" in record.getMessage()]
    assert len(lines) == 1, lines
    assert not any(part in lines[0] for part in ("2001:db8", "203.0.113", "testclient"))


async def test_codes_stop_working_when_their_wave_closes(app) -> None:
    setup = await make_wave(2)
    session = await open_class_session(SessionTokens((TEST_KEY,)), school_class_id=setup.class_id, wave_id=setup.wave_id,
                                       capacity=5)
    await set_wave_status(setup.wave_id, "closed")
    async with from_address(app, "192.0.2.50") as client:
        for code in (setup.links[0].code, session.code):
            response = await client.post("/k", data={"code": code}, follow_redirects=False)
            assert response.status_code == 404, code  # the same answer as a code that never existed
    assert await Link.count().where(Link.class_session == session.id) == 0
    assert (await ClassSession.objects().get(ClassSession.id == session.id)).issued == 0
    rows = await throttle_rows()
    assert rows == 2  # and it counts as a wrong guess


async def test_codes_stop_working_when_their_closing_date_has_passed(app) -> None:
    import datetime as dt

    setup = await make_wave(1)
    await Wave.update({Wave.closes_on: dt.date.today() - dt.timedelta(days=1)}).where(Wave.id == setup.wave_id)
    response = await _guess(app, "192.0.2.51", setup.links[0].code)
    assert response.status_code == 404


async def test_staff_codes_stop_working_when_their_event_closes(app) -> None:
    links = await make_event_links(1)
    event_id = (await Event.select(Event.id).first())["id"]
    await set_event_status(event_id, "closed")
    response = await _guess(app, "192.0.2.52", links[0].code)
    assert response.status_code == 404


async def throttle_rows() -> int:
    rows = await Throttle.select(Throttle.key, Throttle.count).where(Throttle.key.like("code:addr:%"))
    return sum(row["count"] for row in rows)
