"""The answer stores: the few statements on the answering hot path, per database.

``contract`` (the ``AnswerStore`` protocol, the row types and the SQL both
stores share), ``postgres`` and ``postgres_submits`` (asyncpg, grouped final
submits), ``sqlite`` and ``sqlite_writer`` (a read connection and one
group-committing writer thread), ``sealing`` (sealed drafts and held answers), ``guard`` (a database that is away becomes
``StoreUnavailable``, whichever store). May import ``surveys.db`` and
``surveys.errors`` only.
"""

from __future__ import annotations

from piccolo.engine.base import Engine

from surveys.answering.store.contract import AnswerStore, Releaser
from surveys.answering.store.guard import GuardedStore
from surveys.answering.store.postgres import PostgresAnswerStore
from surveys.answering.store.sqlite import SQLiteAnswerStore
from surveys.db.urls import is_sqlite

__all__ = ["make_answer_store"]


def make_answer_store(engine: Engine, releaser: Releaser) -> AnswerStore:
    """The store for ``engine``'s database; its database errors of the moment are ``StoreUnavailable``.
    ``releaser`` opens held responses (the server's keys) and knows the minimum k."""
    store: AnswerStore = (
        SQLiteAnswerStore(engine.path, releaser) if is_sqlite(engine) else PostgresAnswerStore(engine, releaser)  # type: ignore[attr-defined]
    )
    return GuardedStore(store)  # type: ignore[return-value]
