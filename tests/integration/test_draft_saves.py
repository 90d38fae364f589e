"""Draft saves that arrive together are written together (PostgreSQL: one statement,
``surveys.answering.store.postgres_drafts``; SQLite: the writer's group commit), and each
still keeps the rule of a single save: committed before it is acknowledged, never for a
used link, one draft per link, and one refused save sinks no other."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import replace

import pytest

from surveys.answering.code_sessions import CodeSessions
from surveys.answering.service import Answering
from surveys.answering.store import make_answer_store
from surveys.answering.store.sealing import draft_key, seal_draft
from surveys.db.tables import Draft, HeldResponse, Link
from surveys.db.urls import is_sqlite
from tests.conftest import TEST_KEY
from tests.integration.answering_support import draft_answers, make_wave, releaser, signer

pytestmark = pytest.mark.anyio


async def _started(engine):
    store = make_answer_store(engine, releaser())
    await store.start()
    return store, Answering(store, signer(), CodeSessions((TEST_KEY,)))


def _page(n: int) -> dict[str, list[str]]:
    return {"q1": ["1"], "q2": [f"elev {n}"]}


async def test_forty_saves_at_once_are_one_statement_and_each_keeps_its_own_answers(engine) -> None:
    setup = await make_wave(40)
    store, service = await _started(engine)
    try:
        opened = [await service.open("s", link.token) for link in setup.links]
        before = store.drafts.statements if not is_sqlite(engine) else store.writer.batches
        results = await asyncio.gather(
            *(service.save_page(o, 1, _page(n), back=False, language="da") for n, o in enumerate(opened))
        )
        assert [r.used for r in results] == [False] * 40 and {r.next_page for r in results} == {2}
        if not is_sqlite(engine):
            assert store.drafts.statements == before + 1  # one statement, one commit
        else:
            assert store.writer.batches - before <= 2  # one group commit (a second if the first was under way)
    finally:
        await store.stop()
    assert await Draft.count() == 40
    for n, link in enumerate(setup.links):
        assert (await draft_answers(link))["q2"] == f"elev {n}"


async def test_the_same_draft_saved_twice_at_once_keeps_one_row_and_the_later_answers(engine) -> None:
    setup = await make_wave(1)
    store, service = await _started(engine)
    try:
        opened = await service.open("s", setup.links[0].token)
        results = await asyncio.gather(*(service.save_page(opened, 1, _page(n), back=False, language="da") for n in range(5)))
        assert [r.used for r in results] == [False] * 5
    finally:
        await store.stop()
    assert await Draft.count() == 1
    assert (await draft_answers(setup.links[0]))["q2"] == "elev 4"


async def test_a_save_racing_the_submit_of_its_link_leaves_no_draft(engine) -> None:
    setup = await make_wave(20)
    store, service = await _started(engine)
    try:
        opened = []
        for n, link in enumerate(setup.links):
            first = await service.open("s", link.token)
            await service.save_page(first, 1, _page(n), back=False, language="da")
            opened.append(await service.open("s", link.token))
        # Each link's submit and a late page save from a second phone, at the same moment.
        outcomes = await asyncio.gather(*(
            job for o in opened
            for job in (service.submit(o, language="da"), service.save_page(o, 1, _page(99), back=False, language="da"))
        ))
        assert all(not s.missing and not s.already for s in outcomes[0::2])  # every submit stored
        assert await Draft.count() == 0  # a save before the submit was deleted by it; one after it was refused
        # After the submit, every save is refused and says so.
        late = await asyncio.gather(*(service.save_page(o, 1, _page(7), back=False, language="da") for o in opened))
        assert [r.used for r in late] == [True] * 20
    finally:
        await store.stop()
    assert await Draft.count() == 0
    assert await Link.count().where(Link.uses == 1) == 20
    assert await HeldResponse.count() == 0  # 20 of one class: released


async def test_a_refused_save_does_not_sink_the_others_saved_with_it(engine) -> None:
    setup = await make_wave(9)
    store, service = await _started(engine)
    try:
        opened = [await service.open("s", link.token) for link in setup.links]
        today = dt.date.today()

        def save(n: int, o):
            context = replace(o.context, wave=987654) if n == 4 else o.context  # a wave that does not exist
            sealed = seal_draft(o.secret, {"answers": {"q2": f"elev {n}"}, "page": 2, "language": "da"})
            return store.save_draft(o.context.link_id, draft_key(o.secret), sealed, context, today)

        results = await asyncio.gather(*(save(n, o) for n, o in enumerate(opened)), return_exceptions=True)
        assert isinstance(results[4], Exception)  # the database refused that row (foreign key)
        assert [r for n, r in enumerate(results) if n != 4] == [True] * 8
    finally:
        await store.stop()
    assert await Draft.count() == 8
    for n, link in enumerate(setup.links):
        assert (await draft_answers(link)) == (None if n == 4 else {"q2": f"elev {n}"})


# Row locks are a PostgreSQL matter (SQLite's one writer does one transaction at a time).
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_save_during_an_uncommitted_submit_waits_for_it_and_is_refused(engine) -> None:
    import asyncpg

    setup = await make_wave(3)
    store, service = await _started(engine)
    submitter = await asyncpg.connect(engine.config["dsn"])
    try:
        opened = [await service.open("s", link.token) for link in setup.links]
        target = opened[1]
        # A submit of link 2 under way: its link marked used, its transaction not yet committed.
        transaction = submitter.transaction()
        await transaction.start()
        await submitter.execute("UPDATE link SET uses = 1 WHERE id = $1", target.context.link_id)
        saves = asyncio.gather(*(service.save_page(o, 1, _page(n), back=False, language="da") for n, o in enumerate(opened)))
        await asyncio.sleep(0.3)
        assert not saves.done()  # the save of link 2 waits for the submit (and the others with it)
        await submitter.execute("DELETE FROM draft WHERE key = $1", draft_key(target.secret))
        await transaction.commit()
        results = await saves
        assert [r.used for r in results] == [False, True, False]
    finally:
        await submitter.close()
        await store.stop()
    assert await Draft.count() == 2
    assert await draft_answers(setup.links[1]) is None
