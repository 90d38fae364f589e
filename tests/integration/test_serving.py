"""How a server process runs the app: event loop per database, start-up objects frozen."""

from __future__ import annotations

import gc

import pytest
from litestar.testing import AsyncTestClient

from server.serving import event_loop_for, freeze_startup_objects, serving_app
from server.settings import Settings

pytestmark = pytest.mark.anyio


def test_sqlite_is_served_on_the_standard_event_loop_and_postgresql_on_uvloop(settings: Settings) -> None:
    # uvloop starved a few requests for up to 0.9 s next to the SQLite writer thread
    # (benchmarks/answering.py); on PostgreSQL it is the faster loop.
    assert event_loop_for(settings) == ("asyncio" if settings.is_sqlite else "auto")


async def test_a_served_app_freezes_what_start_up_made(settings: Settings) -> None:
    app = serving_app(settings)
    assert freeze_startup_objects in app.on_startup
    gc.unfreeze()
    try:
        async with AsyncTestClient(app=app) as client:
            # The app, its templates and modules: far more than a bare interpreter's objects.
            assert gc.get_freeze_count() > 50_000
            assert (await client.get("/healthz")).status_code == 200
    finally:
        gc.unfreeze()


async def test_a_pupils_requests_leave_no_garbage_cycles(client, settings: Settings) -> None:
    # Before, every request object and what it held (scope, headers, closures: ~36 objects) was
    # freed only by the cycle collector, whose full passes stopped the server's loop under load.
    from surveys.instruments import PUPIL_INSTRUMENT
    from surveys.answering.issuing import issue_links
    from surveys.answering.links import LinkSigner
    from surveys.organisation.schools import add_class, add_school
    from surveys.organisation.waves import create_wave
    from surveys.instruments.catalog import sync_instruments
    from tests.conftest import TEST_KEY

    await sync_instruments()
    school = await add_school("Cyklusskolen")
    klass = await add_class("Cyklusskolen", "8.a", grade=8)
    wave = await create_wave(PUPIL_INSTRUMENT, year=2026, name="Cykler")
    (link,) = await issue_links(LinkSigner((TEST_KEY,)), settings.base_url, "pupil", 1, wave=wave.id,
                                school=school.id, school_class=klass.id)
    base = f"/s/{link.token}"
    await client.get(base)  # warm: templates compiled, instrument read
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(5):
            assert (await client.get(base)).status_code == 200
            assert (await client.post(f"{base}/p/1", data={"koen": "2"})).status_code == 200
            assert (await client.get("/k")).status_code == 200
        gc.collect()
        left = [o for o in gc.garbage if type(o).__module__.split(".")[0] in ("litestar", "litestar_htmx", "server", "surveys")]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert [type(o).__qualname__ for o in left] == []
