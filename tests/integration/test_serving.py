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
