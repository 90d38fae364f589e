"""The schema on both engines: migrations, WAL, constraints, anonymity of responses."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio

from surveys.db.engine import pending_migrations, write_transaction
from surveys.db.tables import Link, Response
from surveys.db.urls import is_sqlite


async def test_migrations_are_all_applied(engine) -> None:
    assert await pending_migrations(engine) == []


async def test_engine_is_prepared_for_serving(engine) -> None:
    if is_sqlite(engine):
        rows = await engine.run_ddl("PRAGMA journal_mode")
        assert rows[0]["journal_mode"] == "wal"
        assert engine.connection_kwargs["timeout"] >= 5
    else:
        assert engine.pool is not None


async def test_a_link_can_be_used_only_once_by_constraint(engine) -> None:
    link = Link(id_hash="a" * 64, code="ACEFHJKM", purpose="pupil")
    await link.save()
    await Link.update({Link.uses: 1}).where(Link.id == link.id)
    with pytest.raises(Exception, match="link_single_use|CHECK|check"):
        async with write_transaction(engine):
            await Link.update({Link.uses: Link.uses + 1}).where(Link.id == link.id)
    assert (await Link.select(Link.uses).where(Link.id == link.id).first())["uses"] == 1


async def test_response_table_has_no_link_device_address_or_time_column(engine) -> None:
    columns = {column._meta.db_column_name: column for column in Response._meta.columns}
    assert not {"link", "link_id", "ip", "user_agent", "created_at", "submitted_at", "token"} & set(columns)
    time_like = [name for name, column in columns.items() if "Timestamp" in type(column).__name__]
    assert time_like == []
    assert type(columns["submitted_on"]).__name__ == "Date"

