"""Class sessions: one projected QR that hands each device its own fresh single-use link.

The session's token is ``LinkSigner`` purpose "session". Its random id is derived
from a secret key and the session's short code, so any authorised screen can
show the QR again while the database keeps only the id's hash. Handing out a
link is one conditional update (``issued < capacity``, not closed, not expired)
and the link insert, in one transaction: never more links than the capacity,
whatever the concurrency; the table's check constraint backs that up.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from surveys.answering.issuing import link_url
from surveys.answering.links import IssuedLink, LinkSigner, new_code, normalise_code
from surveys.db.engine import write_transaction
from surveys.db.tables import ClassSession, Event, Link, SchoolClass, Wave, WaveSchool
from surveys.errors import DomainError, InvalidInput, LinkNotFound, NotFound, SurveyClosed
from surveys.hashing import hash_id

__all__ = [
    "DEFAULT_MINUTES",
    "SessionCounts",
    "SessionFull",
    "SessionTokens",
    "claim_link",
    "close_session",
    "device_link_is_of",
    "find_session",
    "get_session",
    "open_class_session",
    "open_event_session",
    "resolve_session_code",
    "session_counts",
]

DEFAULT_MINUTES = 60
MAX_MINUTES = 8 * 60
MAX_CAPACITY = 500
_RANDOM_ID_CHARS = 16


class SessionFull(DomainError):
    """Every link of the session has been handed out."""


@dataclass(frozen=True)
class SessionCounts:
    capacity: int
    issued: int
    answered: int


class SessionTokens:
    """Signs session tokens whose random id is derived from a secret key and the code."""

    def __init__(self, secret_keys: tuple[str, ...] | list[str]) -> None:
        self._keys = list(secret_keys)
        self.signer = LinkSigner(self._keys)

    @staticmethod
    def _random_id(key: str, code: str) -> str:
        digest = hmac.new(key.encode(), b"trivsel.class-session:" + code.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii")[:_RANDOM_ID_CHARS]

    def new_hash(self, code: str) -> str:
        """The token hash stored for a new session (derived with the newest key)."""
        return hash_id(self._random_id(self._keys[-1], code))

    def token(self, session: ClassSession) -> str:
        """The token of an existing session; keys are tried newest first, so rotation keeps screens working."""
        for key in reversed(self._keys):
            random_id = self._random_id(key, session.code)
            if hmac.compare_digest(hash_id(random_id), session.token_hash):
                return self.signer.token_for("session", random_id)
        raise LinkNotFound()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _minutes(minutes: int) -> dt.timedelta:
    if not 5 <= minutes <= MAX_MINUTES:
        raise InvalidInput(f"Varigheden skal være mellem 5 og {MAX_MINUTES} minutter.", {"minutes": "uden for grænsen"})
    return dt.timedelta(minutes=minutes)


def _capacity(capacity: int) -> int:
    if not 1 <= capacity <= MAX_CAPACITY:
        raise InvalidInput(
            f"Antal deltagere skal være mellem 1 og {MAX_CAPACITY}. Er klassens elevtal sat?",
            {"capacity": "uden for grænsen"},
        )
    return capacity


async def _insert_session(tokens: SessionTokens, **values: object) -> ClassSession:
    for _ in range(5):
        code = new_code()
        if await ClassSession.exists().where(ClassSession.code == code) or await Link.exists().where(
            Link.code == tokens.signer.stored_code(code)
        ):
            continue
        session = ClassSession(token_hash=tokens.new_hash(code), code=code, **values)
        await session.save()
        return session
    raise RuntimeError("could not draw a unique session code")


async def open_class_session(
    tokens: SessionTokens,
    *,
    school_class_id: int,
    wave_id: int,
    minutes: int = DEFAULT_MINUTES,
    capacity: int | None = None,
) -> ClassSession:
    """Open a session for a class in an open wave; capacity is the class size unless given."""
    school_class = await SchoolClass.objects().get(SchoolClass.id == school_class_id)
    if school_class is None:
        raise NotFound("Klassen findes ikke.")
    wave = await Wave.objects().get(Wave.id == wave_id)
    if wave is None:
        raise NotFound("Målingen findes ikke.")
    if wave.status != "open":
        raise InvalidInput("Målingen er lukket.", {"wave": "lukket"})
    if not await WaveSchool.exists().where((WaveSchool.wave == wave_id) & (WaveSchool.school == school_class.school)):
        raise InvalidInput("Skolen deltager ikke i denne måling.", {"wave": "skolen deltager ikke"})
    duration = _minutes(minutes)
    return await _insert_session(
        tokens,
        wave=wave_id,
        school_class=school_class_id,
        capacity=_capacity(school_class.pupils if capacity is None else capacity),
        expires_at=_now() + duration,
    )


async def open_event_session(
    tokens: SessionTokens, *, event_id: int, capacity: int, minutes: int = DEFAULT_MINUTES
) -> ClassSession:
    """Open a session for the participants of an event (the QR on the last slide)."""
    event = await Event.objects().get(Event.id == event_id)
    if event is None:
        raise NotFound("Arrangementet findes ikke.")
    if event.status != "open":
        raise InvalidInput("Arrangementet er lukket.", {"event": "lukket"})
    duration = _minutes(minutes)
    return await _insert_session(tokens, event=event_id, capacity=_capacity(capacity), expires_at=_now() + duration)


async def get_session(session_id: int) -> ClassSession:
    session = await ClassSession.objects().get(ClassSession.id == session_id)
    if session is None:
        raise NotFound("Runden findes ikke.")
    return session


async def find_session(tokens: SessionTokens, token: str) -> ClassSession:
    """The session of a projected token; LinkNotFound for anything else."""
    token_hash = tokens.signer.verify(token, "session")
    session = await ClassSession.objects().get(ClassSession.token_hash == token_hash)
    if session is None:
        raise LinkNotFound()
    return session


async def resolve_session_code(code: str) -> ClassSession | None:
    """The session whose short code was typed (for ``/k``), or None."""
    try:
        cleaned = normalise_code(code)
    except LinkNotFound:
        return None
    return await ClassSession.objects().get(ClassSession.code == cleaned)


def _unavailable(session: ClassSession, now: dt.datetime) -> DomainError:
    if session.closed:
        return SurveyClosed("Læreren har lukket denne runde. Spørg din lærer, hvis du mangler at svare.")
    if session.expires_at <= now:
        return SurveyClosed("Denne QR-kode er udløbet. Spørg din lærer om en ny.")
    return SessionFull("Alle links til denne runde er delt ud. Spørg din lærer om en seddel med din egen kode.")


async def claim_link(tokens: SessionTokens, base_url: str, session: ClassSession) -> IssuedLink:
    """Hand out one fresh single-use link of the session, or raise why not."""
    now = _now()
    purpose = "staff" if session.event else "pupil"
    school_id = None
    if session.school_class:
        school_id = (await SchoolClass.select(SchoolClass.school).where(SchoolClass.id == session.school_class).first())[
            "school"
        ]
    for _ in range(5):
        code = new_code()
        stored = tokens.signer.stored_code(code)
        if await Link.exists().where(Link.code == stored) or await ClassSession.exists().where(ClassSession.code == code):
            continue
        break
    token, id_hash = tokens.signer.for_code(purpose, code)
    # A random row id: ids in scan order would tell which phone took which link.
    link_id = secrets.randbelow(2**30) + 2**30
    async with write_transaction(ClassSession._meta.db):
        taken = await ClassSession.update({ClassSession.issued: ClassSession.issued + 1}).where(
            (ClassSession.id == session.id)
            & (ClassSession.issued < ClassSession.capacity)
            & (ClassSession.closed == False)  # noqa: E712
            & (ClassSession.expires_at > now)
        ).returning(ClassSession.id)
        if taken:
            await Link(
                id=link_id,
                id_hash=id_hash,
                code=stored,
                purpose=purpose,
                wave=session.wave,
                event=session.event,
                school=school_id,
                school_class=session.school_class,
                class_session=session.id,
            ).save()
    if not taken:
        fresh = await ClassSession.objects().get(ClassSession.id == session.id)
        raise _unavailable(fresh or session, now)
    return IssuedLink(token=token, code=code, url=link_url(base_url, token))


async def device_link_is_of(tokens: SessionTokens, link_token: str | None, session: ClassSession) -> bool:
    """Whether a link token remembered on a device was handed out by this session and is still unanswered
    (an answered one is forgotten: the next pupil on the device gets a fresh link)."""
    if not link_token:
        return False
    try:
        _, id_hash = tokens.signer.identify(link_token, ("pupil", "staff"))
    except LinkNotFound:
        return False
    return await Link.exists().where(
        (Link.id_hash == id_hash) & (Link.class_session == session.id) & (Link.uses == 0)
    )


async def session_counts(session_id: int) -> SessionCounts:
    """How many links the session handed out and how many of them were answered (counts only)."""
    row = await ClassSession.select(ClassSession.capacity, ClassSession.issued).where(ClassSession.id == session_id).first()
    if row is None:
        raise NotFound("Runden findes ikke.")
    answered = await Link.count().where((Link.class_session == session_id) & (Link.uses == 1))
    return SessionCounts(capacity=row["capacity"], issued=row["issued"], answered=answered)


async def close_session(session_id: int) -> None:
    await ClassSession.update({ClassSession.closed: True}).where(ClassSession.id == session_id)
