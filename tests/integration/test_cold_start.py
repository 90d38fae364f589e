"""A class arriving at once on a server process that has read nothing yet: the municipality's
settings and the questionnaire are each read once for all of them, not once per pupil (each read
held a connection while the pupils waited), and a save of the settings still shows at once."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from server.profile import forget_profile, refresh_profile
from surveys.answering.code_sessions import CodeSessions
from surveys.answering.service import Answering
from surveys.answering.store import make_answer_store
from surveys.db.tables import Organisation
from surveys.organisation.municipality import get_organisation
from tests.conftest import TEST_KEY
from tests.integration.answering_support import make_wave, releaser, signer

pytestmark = pytest.mark.anyio


class Counted:
    """The real store, counting the reads that go to the database (and, with ``hold`` set, keeping
    a read's result back until it is set)."""

    def __init__(self, store) -> None:
        self._store = store
        self.reads: dict[str, int] = {}
        self.hold: asyncio.Event | None = None
        self.read = asyncio.Event()  # set when a read has its result

    def __getattr__(self, name: str):
        method = getattr(self._store, name)
        if name not in ("organisation", "instrument_definition"):
            return method

        async def counted(*args):
            self.reads[name] = self.reads.get(name, 0) + 1
            result = await method(*args)
            self.read.set()
            if self.hold is not None:
                await self.hold.wait()
            return result

        return counted


async def test_thirty_pupils_at_once_read_the_questionnaire_once(engine) -> None:
    setup = await make_wave(30)
    store = make_answer_store(engine, releaser())
    await store.start()
    counted = Counted(store)
    try:
        service = Answering(counted, signer(), CodeSessions((TEST_KEY,)))  # type: ignore[arg-type]
        opened = await asyncio.gather(*(service.open("s", link.token) for link in setup.links))
        assert {o.instrument.id for o in opened} == {"test-flow"}
        assert counted.reads == {"instrument_definition": 1}
        await service.open("s", setup.links[0].token)
        assert counted.reads == {"instrument_definition": 1}  # and kept
    finally:
        await store.stop()


async def test_thirty_pupils_at_once_read_the_municipality_once_and_a_save_shows_at_once(engine) -> None:
    await get_organisation("Hjørring Kommune")
    store = make_answer_store(engine, releaser())
    await store.start()
    counted = Counted(store)
    try:
        state = SimpleNamespace(answering=Answering(counted, signer(), CodeSessions((TEST_KEY,))))  # type: ignore[arg-type]
        request = SimpleNamespace(app=SimpleNamespace(state=state))
        await asyncio.gather(*(refresh_profile(request) for _ in range(30)))  # type: ignore[arg-type]
        assert counted.reads == {"organisation": 1}
        assert state.profile.name == "Hjørring Kommune"

        # A save while a read is under way: that read's (older) copy is not kept; the next request reads again.
        forget_profile(request)  # type: ignore[arg-type]
        counted.hold, counted.read = asyncio.Event(), asyncio.Event()
        reading = asyncio.ensure_future(refresh_profile(request))  # type: ignore[arg-type]
        await counted.read.wait()  # it has read the old name and is held before keeping it
        await Organisation.update({Organisation.name: "Faxe Kommune"}).where(Organisation.id > 0)
        forget_profile(request)  # type: ignore[arg-type]
        counted.hold.set()
        await reading
        await refresh_profile(request)  # type: ignore[arg-type]
        assert state.profile.name == "Faxe Kommune"
    finally:
        await store.stop()
