"""Server-side console sessions in the database (shared by every app process).

The browser holds only a random session id; the table stores its SHA-256, so a
copy of the database opens no session. A session ends after ``idle`` without
requests or ``absolute`` after login, whichever comes first. Logging in always
creates a new id (and deletes the old session), logging out deletes the row.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass

from surveys.db.tables import WebSession
from surveys.hashing import hash_id

__all__ = [
    "SessionPolicy",
    "SessionState",
    "end_session",
    "end_sessions_of",
    "load_session",
    "prune_sessions",
    "start_session",
]

_TOUCH_EVERY = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class SessionPolicy:
    idle: dt.timedelta = dt.timedelta(minutes=30)
    absolute: dt.timedelta = dt.timedelta(hours=10)


@dataclass(frozen=True)
class SessionState:
    user_id: int
    created: dt.datetime
    seen: dt.datetime


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _expiry(state: SessionState, policy: SessionPolicy) -> dt.datetime:
    return min(state.seen + policy.idle, state.created + policy.absolute)


def _dump(state: SessionState) -> str:
    return json.dumps({"user": state.user_id, "created": state.created.timestamp(), "seen": state.seen.timestamp()})


def _load(data: str) -> SessionState:
    raw = json.loads(data)
    to_dt = lambda value: dt.datetime.fromtimestamp(float(value), dt.timezone.utc)  # noqa: E731
    return SessionState(user_id=int(raw["user"]), created=to_dt(raw["created"]), seen=to_dt(raw["seen"]))


async def start_session(
    user_id: int, *, replacing: str | None = None, policy: SessionPolicy = SessionPolicy(), now: dt.datetime | None = None
) -> str:
    """A new session for ``user_id``; returns the id for the cookie. ``replacing`` is deleted."""
    now = now or _utcnow()
    if replacing:
        await end_session(replacing)
    session_id = secrets.token_urlsafe(32)
    state = SessionState(user_id=user_id, created=now, seen=now)
    await WebSession(key=hash_id(session_id), data=_dump(state), expires_at=_expiry(state, policy)).save()
    return session_id


async def load_session(
    session_id: str | None, *, policy: SessionPolicy = SessionPolicy(), now: dt.datetime | None = None
) -> SessionState | None:
    """The live session for ``session_id``, refreshed; None if unknown or timed out (then deleted)."""
    if not session_id or len(session_id) > 100:
        return None
    now = now or _utcnow()
    key = hash_id(session_id)
    row = await WebSession.select(WebSession.data, WebSession.expires_at).where(WebSession.key == key).first()
    if row is None:
        return None
    try:
        state = _load(row["data"])
    except (ValueError, KeyError, TypeError):
        state = None
    if state is None or row["expires_at"] <= now or _expiry(state, policy) <= now:
        await WebSession.delete().where(WebSession.key == key)
        return None
    if now - state.seen >= _TOUCH_EVERY:
        state = SessionState(user_id=state.user_id, created=state.created, seen=now)
        await WebSession.update({WebSession.data: _dump(state), WebSession.expires_at: _expiry(state, policy)}).where(
            WebSession.key == key
        )
    return state


async def end_session(session_id: str | None) -> None:
    if session_id:
        await WebSession.delete().where(WebSession.key == hash_id(session_id))


async def end_sessions_of(user_id: int) -> None:
    """Log a user out everywhere (e.g. after a password change or deactivation)."""
    for row in await WebSession.select(WebSession.key, WebSession.data):
        try:
            if _load(row["data"]).user_id == user_id:
                await WebSession.delete().where(WebSession.key == row["key"])
        except (ValueError, KeyError, TypeError):
            continue


async def prune_sessions(now: dt.datetime | None = None) -> None:
    await WebSession.delete().where(WebSession.expires_at <= (now or _utcnow()))
