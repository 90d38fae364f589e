"""The database side of answering: a handful of statements on the hot path.

Two stores share this interface: ``PostgresAnswerStore`` (raw SQL on an
asyncpg pool of its own, below; final submits are grouped into shared
transactions by ``surveys.answering.store.postgres_submits``) and ``SQLiteAnswerStore`` (a
long-lived read connection and one group-committing writer thread,
``surveys.answering.store.sqlite``).
Both keep the rule of PRODUCT.md: the step that marks a link used, the insert
of the response and the deletion of the draft are one transaction, the mark
is a conditional update (never read-then-write), and nothing in the response
points back to the link.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from piccolo.engine.base import Engine

__all__ = [
    "AnswerStore",
    "LinkContext",
    "LinkKey",
    "NewResponse",
    "PostgresAnswerStore",
    "context_sql",
    "dump_json",
    "load_json",
    "make_answer_store",
    "new_response_id",
]

LinkKey = Literal["id_hash", "code", "id"]

_CONTEXT_SQL = """
SELECT l.id, l.purpose, l.uses, l.wave, l.event, l.school, l.school_class,
       COALESCE(w.instrument, e.instrument), COALESCE(w.status, e.status),
       w.year, w.opens_on, w.closes_on, e.held_on, c.name, c.grade,
       d.answers, d.page, d.language
FROM link l
LEFT JOIN wave w ON w.id = l.wave
LEFT JOIN event e ON e.id = l.event
LEFT JOIN school_class c ON c.id = l.school_class
LEFT JOIN draft d ON d.link = l.id
WHERE l.{key} = {param}
"""

DRAFT_UPSERT_SQL = """
INSERT INTO draft (link, answers, page, language)
SELECT {p1}, {p2}, {p3}, {p4} WHERE EXISTS (SELECT 1 FROM link WHERE id = {p1} AND uses = 0{lock})
ON CONFLICT (link) DO UPDATE SET answers = excluded.answers, page = excluded.page, language = excluded.language
"""

RESPONSE_COLUMNS = (
    "id, instrument, wave, event, school, school_class, class_name, grade, year, language, submitted_on, source, answers"
)


@dataclass(frozen=True)
class LinkContext:
    """A link with what answering needs: its wave or event, class and draft."""

    link_id: int
    purpose: str
    used: bool
    wave: int | None
    event: int | None
    school: int | None
    school_class: int | None
    instrument_version: int
    status: str
    year: int
    opens_on: dt.date | None
    closes_on: dt.date | None
    class_name: str
    grade: int | None
    draft: dict[str, object] | None
    draft_page: int
    draft_language: str | None

    @classmethod
    def from_row(cls, row: Any) -> LinkContext:
        (link_id, purpose, uses, wave, event, school, school_class, instrument, status, wave_year,
         opens_on, closes_on, held_on, class_name, grade, answers, page, language) = tuple(row)
        held_on = _date(held_on)
        return cls(
            link_id=link_id, purpose=purpose, used=bool(uses), wave=wave, event=event, school=school,
            school_class=school_class, instrument_version=instrument, status=status or "open",
            year=wave_year if wave_year is not None else (held_on or dt.date.today()).year,
            opens_on=_date(opens_on),
            closes_on=_date(closes_on), class_name=class_name or "", grade=grade,
            draft=None if answers is None else load_json(answers), draft_page=page or 0, draft_language=language,
        )


@dataclass(frozen=True)
class NewResponse:
    """The anonymous response row: context for analysis, answers, and a date at most."""

    id: int
    instrument: int
    wave: int | None
    event: int | None
    school: int | None
    school_class: int | None
    class_name: str
    grade: int | None
    year: int
    language: str
    submitted_on: dt.date
    answers: dict[str, object]
    source: str = "online"

    def values(self) -> tuple[object, ...]:
        return (self.id, self.instrument, self.wave, self.event, self.school, self.school_class, self.class_name,
                self.grade, self.year, self.language, self.submitted_on, self.source, dump_json(self.answers))


class AnswerStore(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def link_context(self, key: LinkKey, value: str | int) -> LinkContext | None: ...
    async def instrument_definition(self, version_id: int) -> dict[str, Any] | None: ...
    async def help_contacts(self) -> list[dict[str, str]]: ...
    async def save_draft(self, link_id: int, answers: dict[str, object], page: int, language: str) -> bool: ...
    async def submit(self, link_id: int, response: NewResponse) -> bool: ...


def new_response_id() -> int:
    """A random positive 63-bit id: says nothing about when or in which order a response came."""
    return secrets.randbits(63)


def context_sql(key: LinkKey, param: str) -> str:
    if key not in ("id_hash", "code", "id"):
        raise ValueError(key)
    return _CONTEXT_SQL.format(key=key, param=param)


def dump_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def load_json(value: object) -> Any:
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value)[:10])


class PostgresAnswerStore:
    """Raw SQL on an asyncpg pool of the store's own.

    The pool is opened in ``start`` on the serving event loop (the engine's
    pool may belong to another loop, as in the test client), sized for a
    worker process; ``--workers N`` gives each process its own.
    """

    def __init__(self, engine: Engine, *, pool_size: int = 20) -> None:
        self._dsn = engine.config.get("dsn")  # type: ignore[attr-defined]
        self._pool_size = pool_size
        self._pool: Any = None
        self.submits: Any = None
        self._lookups: dict[str, _Lookups] = {}

    async def start(self) -> None:
        import asyncpg

        from surveys.answering.store.postgres_submits import PostgresSubmitter

        if self._pool is None:
            # ``reset``: the store never changes session state (no SET, LISTEN or advisory locks), so
            # a connection goes back to the pool without asyncpg's RESET ALL round trip per query
            # (an open transaction is still rolled back).
            self._pool = await asyncpg.create_pool(
                dsn=self._dsn, min_size=2, max_size=self._pool_size, reset=_no_reset
            )
            self.submits = PostgresSubmitter(self._pool)
            self.submits.start()

    async def stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await self.submits.stop()
            await pool.close()
        self._lookups.clear()

    async def link_context(self, key: LinkKey, value: str | int) -> LinkContext | None:
        lookups = self._lookups.get(key)
        if lookups is None:
            lookups = self._lookups[key] = _Lookups(self._pool, key)
        return await lookups.get(value)

    async def instrument_definition(self, version_id: int) -> dict[str, Any] | None:
        value = await self._pool.fetchval("SELECT definition FROM instrument WHERE id = $1", version_id)
        return None if value is None else load_json(value)

    async def help_contacts(self) -> list[dict[str, str]]:
        value = await self._pool.fetchval("SELECT help_contacts FROM organisation ORDER BY id LIMIT 1")
        return [] if value is None else list(load_json(value))

    async def save_draft(self, link_id: int, answers: dict[str, object], page: int, language: str) -> bool:
        # FOR SHARE: a draft save waits for a concurrent submit of the link and then sees it used.
        sql = DRAFT_UPSERT_SQL.format(p1="$1::int", p2="$2::json", p3="$3::int", p4="$4::varchar", lock=" FOR SHARE")
        status = await self._pool.execute(sql, link_id, dump_json(answers), page, language)
        return status.endswith(" 1")

    async def submit(self, link_id: int, response: NewResponse) -> bool:
        """Mark used (only if unused), insert the response, delete the draft: one transaction,
        shared with the other submits of the moment (``surveys.answering.store.postgres_submits``)."""
        return await self.submits.submit(link_id, response)


class _Lookups:
    """Link lookups of one kind that arrive together are one query (``= ANY($1)``).

    Lookups asked for in the same turn of the event loop are sent together at
    the end of the turn: under load one round trip (and one pool checkout)
    serves many requests; alone, a lookup costs what a single query does.
    """

    def __init__(self, pool: Any, key: LinkKey) -> None:
        self._pool = pool
        self._pending: list[tuple[str | int, asyncio.Future]] = []
        self._running: set[asyncio.Future] = set()  # strong references to the fetches in flight
        self._sql = _CONTEXT_SQL.replace("SELECT l.id,", f"SELECT l.{key} AS lookup_key, l.id,", 1).format(
            key=key, param="ANY($1::int[])" if key == "id" else "ANY($1::varchar[])"
        )

    async def get(self, value: str | int) -> LinkContext | None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        if not self._pending:
            loop.call_soon(self._flush)
        self._pending.append((value, future))
        return await future

    def _flush(self) -> None:
        batch, self._pending = self._pending, []
        if batch:
            task = asyncio.ensure_future(self._fetch(batch))
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _fetch(self, batch: list[tuple[str | int, asyncio.Future]]) -> None:
        try:
            rows = await self._pool.fetch(self._sql, list({value for value, _ in batch}))
        except BaseException as exc:  # noqa: BLE001 - every waiting request gets the error
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc if isinstance(exc, Exception) else RuntimeError("lookup cancelled"))
            if not isinstance(exc, Exception):
                raise
            return
        found = {row[0]: LinkContext.from_row(row[1:]) for row in rows}
        for value, future in batch:
            if not future.done():
                future.set_result(found.get(value))


async def _no_reset(connection: Any) -> None:
    return None


def make_answer_store(engine: Engine) -> AnswerStore:
    """The store for ``engine``'s database."""
    from surveys.db.engine import is_sqlite

    if is_sqlite(engine):
        from surveys.answering.store.sqlite import SQLiteAnswerStore

        return SQLiteAnswerStore(engine.path)  # type: ignore[attr-defined]
    return PostgresAnswerStore(engine)
