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
from surveys.answering.store.contract import Held, NewResponse, new_response_id
from surveys.answering.store.sealing import Sealer, draft_key
from surveys.db.tables import Draft, HeldResponse, Link, Response
from surveys.db.urls import is_sqlite
from tests.conftest import TEST_KEY
from tests.integration.answering_support import make_wave, release_all, releaser, signer

pytestmark = pytest.mark.anyio
SEALER = Sealer((TEST_KEY,))


async def _started(engine):
    store = make_answer_store(engine, releaser())
    await store.start()
    return store, Answering(store, signer(), CodeSessions((TEST_KEY,)))


def _held(opened, number: int, **changes) -> tuple[int, str, Held]:
    """What the service hands the store for a submit: the link, the draft's key, the sealed response."""
    context = opened.context
    response = NewResponse(
        id=new_response_id(), instrument=context.instrument_version, wave=context.wave, event=context.event,
        school=context.school, school_class=context.school_class, class_name=context.class_name, grade=context.grade,
        year=context.year, language="da", submitted_on=dt.date.today(), answers={"q1": 1, "n": number},
    )
    held = Held(wave=context.wave, event=context.event, school=context.school, school_class=context.school_class,
                sealed=SEALER.seal(response.payload()))
    return context.link_id, draft_key(opened.secret), replace(held, **changes)


async def _opened(service: Answering, links, *, draft: bool = True) -> list:
    opened_links = []
    for link in links:
        opened = await service.open("s", link.token)
        if draft:
            await service.save_page(opened, 1, {"q1": ["1"]}, back=False, language="da")
        opened_links.append(opened)
    return opened_links


def _batches(store) -> int:
    return store.writer.batches if hasattr(store, "writer") else store.submits.batches


def _answers(value) -> dict:
    return json.loads(value) if isinstance(value, str) else value


async def test_concurrent_submits_of_different_links_share_one_transaction(engine) -> None:
    setup = await make_wave(40)
    store, service = await _started(engine)
    try:
        opened = await _opened(service, setup.links)
        before = _batches(store)
        stored = await asyncio.gather(*(store.submit(*_held(o, n)) for n, o in enumerate(opened)))
        assert stored == [True] * 40
        assert _batches(store) == before + 1  # one group, one commit
    finally:
        await store.stop()
    assert await HeldResponse.count() == 0  # 40 of one class: released at once
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
        (opened,) = await _opened(service, setup.links)
        results = await asyncio.gather(*(store.submit(*_held(opened, n)) for n in range(60)))
    finally:
        await store.stop()
    assert sum(results) == 1
    assert await HeldResponse.count() == 1 and await Response.count() == 0  # one of a class: held
    assert await release_all() == 1
    assert await Response.count() == 1
    assert await Draft.count() == 0
    assert await Link.count().where(Link.uses == 1) == 1


async def test_a_refused_submission_does_not_sink_the_others_in_its_group(engine) -> None:
    setup = await make_wave(11)
    store, service = await _started(engine)
    try:
        opened = await _opened(service, setup.links)
        bad = opened[5]
        jobs = [
            # A wave that does not exist: the database refuses this held row (foreign key).
            store.submit(*(_held(o, n, wave=987654) if o is bad else _held(o, n)))
            for n, o in enumerate(opened)
        ]
        before = _batches(store)
        results = await asyncio.gather(*jobs, return_exceptions=True)
        assert _batches(store) - before <= 2  # one group (PostgreSQL may run it a second time, carefully)
        assert isinstance(results[5], Exception)
        assert [r for i, r in enumerate(results) if i != 5] == [True] * 10
        # The refused link is still unused, with its draft, and can be submitted properly afterwards.
        assert not (await Link.objects().get(Link.id == bad.context.link_id)).uses
        assert await Draft.count() == 1
        assert await store.submit(*_held(bad, 5)) is True
    finally:
        await store.stop()
    await release_all()
    assert await Response.count() == 11
    assert await Draft.count() == 0
    assert sorted(_answers(r["answers"])["n"] for r in await Response.select(Response.answers)) == list(range(11))


# Transaction ids on rows (xmin) are a PostgreSQL matter: this test runs there only.
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_no_link_row_carries_the_transaction_id_of_its_response(engine) -> None:
    assert not is_sqlite(engine)
    setup = await make_wave(6)
    store, service = await _started(engine)
    try:
        opened = await _opened(service, setup.links)
        # Lone submits at a quiet moment, each a group of one: held until the fifth releases them together.
        for n, o in enumerate(opened[:4]):
            assert await store.submit(*_held(o, n)) is True
        assert await Response.count() == 0 and await HeldResponse.count() == 4
        assert await store.submit(*_held(opened[4], 4)) is True
        for _ in range(100):  # the release follows the commit (and the caller's answer) at once
            if await Response.count() == 5:
                break
            await asyncio.sleep(0.02)
        assert await Response.count() == 5 and await HeldResponse.count() == 0
    finally:
        await store.stop()
    response_xids = {row["x"] for row in await Response.raw("SELECT xmin::text AS x FROM response")}
    link_xids = {row["x"] for row in await Link.raw("SELECT xmin::text AS x FROM link WHERE uses = 1")}
    assert len(response_xids) == 1 and len(link_xids) == 5  # released together, by a transaction of its own
    assert not response_xids & link_xids
