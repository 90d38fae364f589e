"""Draft saves that arrive together are written together (PostgreSQL: one statement,
``surveys.answering.store.postgres_drafts``; SQLite: the writer's group commits), and each
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
        before = store.drafts.statements if not is_sqlite(engine) else 0
        results = await asyncio.gather(
            *(service.save_page(o, 1, _page(n), back=False, language="da") for n, o in enumerate(opened))
        )
        assert [r.used for r in results] == [False] * 40 and {r.next_page for r in results} == {2}
        if not is_sqlite(engine):  # (SQLite's writer thread groups what it finds queued: timing decides)
            assert store.drafts.statements == before + 1  # one statement, one commit
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


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_submit_group_locks_its_links_in_id_order_as_draft_batches_do(engine) -> None:
    """A draft batch holds link A (lower id) and wants link B; a submit group marks A and B. If the
    group took B first (a plain UPDATE locks in the order its scan meets rows, not by id), the two
    would wait on each other until PostgreSQL's deadlock check stops one of them."""
    import asyncpg

    from tests.integration.test_submit_groups import _held

    setup = await make_wave(400)
    store, service = await _started(engine)
    batch = await asyncpg.connect(engine.config["dsn"])
    try:
        opened = sorted([await service.open("s", link.token) for link in setup.links], key=lambda o: o.context.link_id)
        low, high = opened[0], opened[200]
        # A new version of the lower link's row, on a later page (its own is full): a scan of the table,
        # or of the index's bitmap, now meets it after the higher one.
        await batch.execute("UPDATE link SET id_hash = id_hash || '' WHERE id = $1", low.context.link_id)
        order = [r[0] for r in await batch.fetch("SELECT id FROM link WHERE id = ANY($1::int[]) ORDER BY ctid",
                                                  [low.context.link_id, high.context.link_id])]
        assert order == [high.context.link_id, low.context.link_id]
        transaction = batch.transaction()
        await transaction.start()
        await batch.execute("SET LOCAL lock_timeout = '3s'")
        await batch.execute("SELECT 1 FROM link WHERE id = $1 FOR SHARE", low.context.link_id)
        submits = asyncio.gather(store.submit(*_held(low, 0)), store.submit(*_held(high, 1)))
        await asyncio.sleep(0.3)  # the group is waiting for the lower link
        started = asyncio.get_running_loop().time()
        await batch.execute("SELECT 1 FROM link WHERE id = $1 FOR SHARE", high.context.link_id)
        assert asyncio.get_running_loop().time() - started < 0.5  # the group did not hold the higher link
        await transaction.commit()
        assert await submits == [True, True]
    finally:
        await batch.close()
        await store.stop()
    assert await Link.count().where(Link.uses == 1) == 2


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_later_save_of_a_draft_lands_after_an_earlier_one_still_being_written(engine) -> None:
    import asyncpg

    setup = await make_wave(2)
    store, service = await _started(engine)
    other = await asyncpg.connect(engine.config["dsn"])
    try:
        first, second = sorted([await service.open("s", link.token) for link in setup.links],
                               key=lambda o: o.context.link_id)
        # Someone holds the first link for a moment, so the statement with both saves waits there,
        # before it reaches the second link's draft.
        transaction = other.transaction()
        await transaction.start()
        await other.execute("SELECT 1 FROM link WHERE id = $1 FOR NO KEY UPDATE", first.context.link_id)
        earlier = asyncio.gather(
            service.save_page(first, 1, _page(1), back=False, language="da"),
            service.save_page(second, 1, _page(2), back=False, language="da"),  # "elev 2"
        )
        await asyncio.sleep(0.2)
        later = asyncio.ensure_future(service.save_page(second, 1, _page(3), back=False, language="da"))  # "elev 3"
        await asyncio.sleep(0.3)
        await transaction.rollback()
        await earlier
        assert not (await later).used
    finally:
        await other.close()
        await store.stop()
    second_link = next(link for link in setup.links if link.token.split(".")[0] == second.secret)
    assert (await draft_answers(second_link))["q2"] == "elev 3"


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_closing_a_wave_that_meets_draft_saves_in_another_order_tries_again(engine) -> None:
    """A batch of draft saves holds one draft of the wave and wants another, which the close's
    DELETE took first: PostgreSQL stops the close (it waited longest), and the close tries again."""
    import asyncpg

    from surveys.answering.release import release_closed

    setup = await make_wave(2)
    store, service = await _started(engine)
    saves = await asyncpg.connect(engine.config["dsn"])
    try:
        for n, link in enumerate(setup.links):
            await service.save_page(await service.open("s", link.token), 1, _page(n), back=False, language="da")
        first, second = [r[0] for r in await saves.fetch("SELECT key FROM draft ORDER BY ctid")]
        transaction = saves.transaction()
        await transaction.start()
        await saves.execute("SELECT 1 FROM draft WHERE key = $1 FOR UPDATE", second)
        closing = asyncio.ensure_future(release_closed(engine, releaser(), wave=setup.wave_id))
        await asyncio.sleep(0.2)  # the close holds the first draft and waits for the second
        await saves.execute("SELECT 1 FROM draft WHERE key = $1 FOR UPDATE", first)  # a deadlock: the close is stopped
        await transaction.rollback()
        await closing
    finally:
        await saves.close()
        await store.stop()
    assert await Draft.count() == 0
