"""The database side of answering: a handful of statements on the hot path.

Two stores share this interface: ``PostgresAnswerStore`` (raw SQL on an
asyncpg pool of its own, ``surveys.answering.store.postgres``; final submits
are grouped into shared transactions by ``surveys.answering.store.postgres_submits``)
and ``SQLiteAnswerStore`` (a long-lived read connection and one group-committing
writer thread, ``surveys.answering.store.sqlite``). This module holds what both
share: the protocol, the row types and the SQL.
Both keep the rule of PRODUCT.md: the step that marks a link used, the store
of the answers and the deletion of the draft are one transaction, the mark
is a conditional update (never read-then-write), and nothing in the response
points back to the link. Since issue 12 the answers of a submit go, sealed, to
``held_response``; the same transaction releases a group (wave and class, or
event) into ``response`` once at least k are held for it: opened, shuffled,
with fresh random ids (:class:`Releaser`). Drafts are sealed and keyed by an
HMAC of the link's secret id (``sealing``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from surveys.answering.store.sealing import Sealer

__all__ = [
    "CONTEXT_SQL",
    "DRAFT_UPSERT_SQL",
    "ORGANISATION_SQL",
    "RESPONSE_COLUMNS",
    "AnswerStore",
    "Held",
    "LinkContext",
    "LinkKey",
    "NewResponse",
    "Releaser",
    "context_sql",
    "dump_json",
    "load_json",
    "new_response_id",
    "organisation_row",
    "secure_shuffle",
    "stored_order",
]

LinkKey = Literal["id_hash", "code", "id"]

CONTEXT_SQL = """
SELECT l.id, l.purpose, l.uses, l.wave, l.event, l.school, l.school_class,
       COALESCE(w.instrument, e.instrument), COALESCE(w.status, e.status),
       w.year, w.opens_on, w.closes_on, e.held_on, c.name, c.grade,
       d.sealed
FROM link l
LEFT JOIN wave w ON w.id = l.wave
LEFT JOIN event e ON e.id = l.event
LEFT JOIN school_class c ON c.id = l.school_class
LEFT JOIN draft d ON d.key = {draft}
WHERE l.{key} = {param}
"""

# The link is named only in the condition: the draft row never holds it.
DRAFT_UPSERT_SQL = """
INSERT INTO draft (key, sealed, wave, event, saved_on)
SELECT {p1}, {p2}, {p3}, {p4}, {p5} WHERE EXISTS (SELECT 1 FROM link WHERE id = {p6} AND uses = 0)
ON CONFLICT (key) DO UPDATE SET sealed = excluded.sealed, saved_on = excluded.saved_on
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
    sealed_draft: bytes | None

    @classmethod
    def from_row(cls, row: Any) -> LinkContext:
        (link_id, purpose, uses, wave, event, school, school_class, instrument, status, wave_year,
         opens_on, closes_on, held_on, class_name, grade, sealed) = tuple(row)
        held_on = _date(held_on)
        return cls(
            link_id=link_id, purpose=purpose, used=bool(uses), wave=wave, event=event, school=school,
            school_class=school_class, instrument_version=instrument, status=status or "open",
            year=wave_year if wave_year is not None else (held_on or dt.date.today()).year,
            opens_on=_date(opens_on),
            closes_on=_date(closes_on), class_name=class_name or "", grade=grade,
            sealed_draft=None if sealed is None else bytes(sealed),
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

    def payload(self) -> list[object]:
        """What is sealed into the hold: the row without its id (drawn at release), the date as text."""
        values = list(self.values())[1:]
        values[9] = self.submitted_on.isoformat()
        return values


@dataclass(frozen=True)
class Held:
    """A submit as the store keeps it until release: its group and the sealed response."""

    wave: int | None
    event: int | None
    school: int | None
    school_class: int | None
    sealed: bytes

    def values(self) -> tuple[object, ...]:
        return (self.wave, self.event, self.school, self.school_class, self.sealed)

    @property
    def group(self) -> tuple[int | None, int | None, int | None]:
        return (self.wave, self.event, self.school_class)


class Releaser:
    """Opens held responses and shuffles them into rows for ``response``, each with a fresh random id."""

    def __init__(self, sealer: Sealer, minimum_threshold: int) -> None:
        self.sealer = sealer
        self.minimum_threshold = minimum_threshold

    def threshold(self, organisation_threshold: int | None) -> int:
        return max(self.minimum_threshold, organisation_threshold or 0)

    def rows(self, sealed: list[bytes]) -> list[list[object]]:
        """Response rows (id first, the date as text) in a random order."""
        rows = [[new_response_id(), *self.sealer.open(blob)] for blob in sealed]
        secure_shuffle(rows)
        return rows


secure_shuffle = random.SystemRandom().shuffle


def stored_order(link_ids: list[int], marked: set[int]) -> list[int]:
    """Which submits of a group store their answers: the index of the first submit of each link
    this transaction marked used (a repeat stores nothing), in a random order, so the order of
    the held rows says nothing about the order of the submits."""
    first: dict[int, int] = {}
    for index, link_id in enumerate(link_ids):
        if link_id in marked and link_id not in first:
            first[link_id] = index
    order = list(first.values())
    secure_shuffle(order)
    return order


class AnswerStore(Protocol):
    async def start(self) -> None: ...
    async def organisation(self) -> dict[str, Any] | None: ...
    async def stop(self) -> None: ...
    async def link_context(self, key: LinkKey, value: str | int, draft_key: str = "") -> LinkContext | None: ...
    async def instrument_definition(self, version_id: int) -> dict[str, Any] | None: ...
    async def help_contacts(self) -> list[dict[str, str]]: ...
    async def save_draft(self, link_id: int, draft_key: str, sealed: bytes, context: LinkContext, today: dt.date) -> bool: ...
    async def submit(self, link_id: int, draft_key: str, held: Held) -> bool: ...


ORGANISATION_SQL = "SELECT name, logo_text, help_contacts, notice FROM organisation ORDER BY id LIMIT 1"


def organisation_row(row: tuple[Any, ...]) -> dict[str, Any]:
    """The row of :data:`ORGANISATION_SQL` by name, its JSON columns decoded."""
    name, logo_text, contacts, notice = row
    return {"name": name or "", "logo_text": logo_text or "", "help_contacts": load_json(contacts) if contacts else [],
            "notice": load_json(notice) if notice else {}}


def new_response_id() -> int:
    """A random positive 63-bit id: says nothing about when or in which order a response came."""
    return secrets.randbits(63)


def context_sql(key: LinkKey, param: str, draft: str) -> str:
    if key not in ("id_hash", "code", "id"):
        raise ValueError(key)
    return CONTEXT_SQL.format(key=key, param=param, draft=draft)


def dump_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def load_json(value: object) -> Any:
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value)[:10])
