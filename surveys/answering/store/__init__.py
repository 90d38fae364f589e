"""The answer stores: the few statements on the answering hot path, per database.

``contract`` (the ``AnswerStore`` protocol, the row types and the SQL both
stores share), ``postgres`` and ``postgres_submits`` (asyncpg, grouped final
submits), ``sqlite`` and ``sqlite_writer`` (a read connection and one
group-committing writer thread). May import ``surveys.db`` only.
"""

from __future__ import annotations

__all__: list[str] = []
