"""The SQLite group-commit writer: grouped, isolated per job, durable on acknowledge."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from surveys.answering.store.sqlite_writer import SQLiteWriter

pytestmark = pytest.mark.anyio


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "w.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)")
    connection.close()
    return str(path)


async def test_jobs_are_grouped_and_a_failing_job_is_rolled_back_alone(database) -> None:
    writer = SQLiteWriter(database)
    writer.start()
    try:
        def insert(value):
            return lambda c: c.execute("INSERT INTO t (v) VALUES (?)", (value,)).rowcount

        jobs = [writer.run(insert(f"v{i}")) for i in range(200)] + [writer.run(insert("v0"))]
        results = await asyncio.gather(*jobs, return_exceptions=True)
    finally:
        await writer.stop()
    assert results[:200] == [1] * 200
    assert isinstance(results[200], sqlite3.IntegrityError)
    assert writer.batches < writer.jobs  # grouped
    with sqlite3.connect(database) as check:
        assert check.execute("SELECT count(*) FROM t").fetchone() == (200,)


async def test_stop_finishes_queued_jobs_and_refuses_new_ones(database) -> None:
    writer = SQLiteWriter(database)
    writer.start()
    pending = [asyncio.ensure_future(writer.run(lambda c, i=i: c.execute("INSERT INTO t (v) VALUES (?)", (str(i),)).rowcount)) for i in range(20)]
    await asyncio.sleep(0)
    await writer.stop()
    assert await asyncio.gather(*pending) == [1] * 20
    with pytest.raises(RuntimeError):
        await writer.run(lambda c: None)
