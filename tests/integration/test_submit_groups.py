"""Final submits grouped into shared transactions (PostgreSQL: ``surveys.answering.store.postgres_submits``;
SQLite: the writer thread): all stored, exactly once, one refused submission sinks
no other, and on PostgreSQL no link row carries the transaction id of its response."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import replace

import pytest

from surveys.answering.code_sessions import CodeSessions
from surveys.answering.service import Answering
from surveys.answering.store import make_answer_store
from surveys.answering.store.contract import NewResponse, new_response_id
from surveys.db.tables import Draft, Link, Response
from surveys.db.urls import is_sqlite
from tests.conftest import TEST_KEY
from tests.integration.answering_support import make_wave, signer

pytestmark = pytest.mark.anyio


async def _started(engine):
    store = make_answer_store(engine)
    await store.start()
    return store, Answering(store, signer(), CodeSessions((TEST_KEY,)))


def _response(context, number: int) -> NewResponse:
    return NewResponse(
        id=new_response_id(), instrument=context.instrument_version, wave=context.wave, event=context.event,
        school=context.school, school_class=context.school_class, class_name=context.class_name, grade=context.grade,
        year=context.year, language="da", submitted_on=dt.date.today(), answers={"q1": 1, "n": number},
    )


async def _contexts(service: Answering, links, *, draft: bool = True) -> list:
    contexts = []
    for link in links:
        opened = await service.open("s", link.token)
        if draft:
            await service.save_page(opened, 1, {"q1": ["1"]}, back=False, language="da")
        contexts.append(opened.context)
    return contexts


def _batches(store) -> int:
    return store.writer.batches if hasattr(store, "writer") else store.submits.batches


def _answers(value) -> dict:
    return json.loads(value) if isinstance(value, str) else value


async def test_concurrent_submits_of_different_links_share_one_transaction(engine) -> None:
    setup = await make_wave(40)
    store, service = await _started(engine)
    try:
        contexts = await _contexts(service, setup.links)
        before = _batches(store)
        stored = await asyncio.gather(*(store.submit(c.link_id, _response(c, n)) for n, c in enumerate(contexts)))
        assert stored == [True] * 40
        assert _batches(store) == before + 1  # one group, one commit
    finally:
        await store.stop()
    assert await Response.count() == 40
    assert await Link.count().where(Link.uses == 1) == 40
    assert await Draft.count() == 0
    if not is_sqlite(engine):
        rows = await Response.raw("SELECT xmin::text AS x, answers FROM response ORDER BY ctid")
        assert len({row["x"] for row in rows}) == 1  # one transaction id for the whole group
        physical = [_answers(row["answers"])["n"] for row in rows]
        assert physical != list(range(40)) and sorted(physical) == list(range(40))  # inserted in a random order


async def test_sixty_concurrent_submits_of_one_link_store_one_response(engine) -> None:
    setup = await make_wave(1)
    store, service = await _started(engine)
    try:
        (context,) = await _contexts(service, setup.links)
        results = await asyncio.gather(*(store.submit(context.link_id, _response(context, n)) for n in range(60)))
    finally:
        await store.stop()
    assert sum(results) == 1
    assert await Response.count() == 1
    assert await Draft.count() == 0
    assert await Link.count().where(Link.uses == 1) == 1


async def test_a_refused_submission_does_not_sink_the_others_in_its_group(engine) -> None:
    setup = await make_wave(11)
    store, service = await _started(engine)
    try:
        contexts = await _contexts(service, setup.links)
        bad = contexts[5]
        jobs = [
            # An instrument version that does not exist: the database refuses this response (foreign key).
            store.submit(c.link_id, replace(_response(c, n), instrument=987654) if c is bad else _response(c, n))
            for n, c in enumerate(contexts)
        ]
        before = _batches(store)
        results = await asyncio.gather(*jobs, return_exceptions=True)
        assert _batches(store) - before <= 2  # one group (PostgreSQL may run it a second time, carefully)
        assert isinstance(results[5], Exception)
        assert [r for i, r in enumerate(results) if i != 5] == [True] * 10
        # The refused link is still unused, with its draft, and can be submitted properly afterwards.
        assert not (await Link.objects().get(Link.id == bad.link_id)).uses
        assert await Draft.count() == 1
        assert await store.submit(bad.link_id, _response(bad, 5)) is True
    finally:
        await store.stop()
    assert await Response.count() == 11
    assert await Draft.count() == 0
    assert sorted(_answers(r["answers"])["n"] for r in await Response.select(Response.answers)) == list(range(11))


# Transaction ids on rows (xmin) are a PostgreSQL matter: this test runs there only.
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_no_link_row_carries_the_transaction_id_of_its_response(engine) -> None:
    assert not is_sqlite(engine)
    setup = await make_wave(3)
    store, service = await _started(engine)
    try:
        contexts = await _contexts(service, setup.links)
        # A lone submit at a quiet moment: a group of one.
        assert await store.submit(contexts[0].link_id, _response(contexts[0], 0)) is True
        await asyncio.sleep(1.5)  # the re-stamp follows about a second after the commit
        assert store.submits.restamps >= 1
        # Two more, and a shutdown right after: stop() re-stamps what is pending.
        await asyncio.gather(*(store.submit(c.link_id, _response(c, n)) for n, c in enumerate(contexts[1:], 1)))
    finally:
        await store.stop()
    response_xids = {row["x"] for row in await Response.raw("SELECT xmin::text AS x FROM response")}
    link_xids = {row["x"] for row in await Link.raw("SELECT xmin::text AS x FROM link WHERE uses = 1")}
    assert len(response_xids) == 2 and len(link_xids) == 1  # every used link of the class shares the last re-stamp
    assert not response_xids & link_xids
