"""Exactly once: many final submits of one link at the same moment leave one response."""

from __future__ import annotations

import asyncio
import socket
import threading

import httpx
import pytest
import uvicorn

from server.app import create_app
from surveys.answering.code_sessions import CodeSessions
from surveys.answering.service import Answering
from surveys.answering.store import make_answer_store
from surveys.db.tables import Draft, Link, Response
from tests.conftest import TEST_KEY
from tests.integration.answering_support import make_wave, path, release_all, releaser, signer

pytestmark = pytest.mark.anyio

CONCURRENT = 60


async def test_concurrent_submits_in_the_service_store_one_response(engine) -> None:
    setup = await make_wave(2)
    store = make_answer_store(engine, releaser())  # type: ignore[arg-type]
    await store.start()
    try:
        service = Answering(store, signer(), CodeSessions((TEST_KEY,)))
        for link in setup.links:
            first = await service.open("s", link.token)
            await service.save_page(first, 1, {"q1": ["1"]}, back=False, language="da")
        opened = [await service.open("s", setup.links[0].token) for _ in range(CONCURRENT)]
        results = await asyncio.gather(*(service.submit(o, language="da") for o in opened))
        assert all(not r.missing for r in results)
        assert sum(not r.already for r in results) == 1
        # A second link submitted while drafts of it are being saved: still one response, no draft left.
        other = await service.open("s", setup.links[1].token)
        saves = [service.save_page(other, 2, {"q5": [str(i % 10)]}, back=False, language="da") for i in range(20)]
        submits = [service.submit(other, language="da") for _ in range(20)]
        await asyncio.gather(*saves, *submits)
    finally:
        await store.stop()
    assert await release_all() == 2
    assert await Response.count() == 2
    assert await Draft.count() == 0
    assert await Link.count().where(Link.uses == 1) == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Server:
    """The real app under uvicorn in a thread: requests really run concurrently."""

    def __init__(self, settings, engine) -> None:
        app = create_app(settings, engine=engine)
        config = uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_config=None, access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.url = f"http://127.0.0.1:{config.port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    async def __aenter__(self) -> _Server:
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return self
            await asyncio.sleep(0.02)
        raise RuntimeError("server did not start")

    async def __aexit__(self, *exc: object) -> None:
        self.server.should_exit = True
        await asyncio.to_thread(self.thread.join, 10)


async def test_concurrent_final_submits_over_http_leave_exactly_one_response(settings, engine) -> None:
    setup = await make_wave(1)
    base = path(setup.links[0])
    async with _Server(settings, engine) as server:
        limits = httpx.Limits(max_connections=CONCURRENT)
        async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=30) as http:
            await http.post(base + "/p/1", data={"q1": "1"})
            replies = await asyncio.gather(*(http.post(base + "/submit") for _ in range(CONCURRENT)))
            assert [r.status_code for r in replies] == [303] * CONCURRENT
            assert {r.headers["location"] for r in replies} == {base + "/tak"}
            thanks = await http.get(base + "/tak")
            assert "Tak for dine svar!" in thanks.text
    assert await release_all() == 1
    assert await Response.count() == 1
    assert await Draft.count() == 0


async def test_the_database_itself_refuses_a_second_use(engine) -> None:
    setup = await make_wave(1)
    code = signer().stored_code(setup.links[0].code)
    await Link.update({Link.uses: 1}).where(Link.code == code)
    with pytest.raises(Exception, match="(?i)check|link_single_use"):
        await Link.update({Link.uses: 2}).where(Link.code == code)
