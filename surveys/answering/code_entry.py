"""A code typed at ``/k``, and a device arriving at a class session: the policy, no HTTP.

In order: the client address's failed attempts are counted (throttle), then the
code is looked up as a slip's own code (the flow continues at ``/k/<token>``),
then as the shared code of a class session on the board; a device that already
got a link from that session gets the same one back, any other device claims a
fresh one. Guessing codes (about 34 bits) is throttled per address, counting
only codes that do not exist: a class of 30 behind one school address who all
type their (valid) codes never comes near the limit. Once the limit is reached
every attempt from the address is refused until the window ends, so a guesser
cannot tell a hit from a refusal.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from surveys import throttle
from surveys.answering.class_sessions import SessionTokens, claim_link, device_link_is_of, resolve_session_code
from surveys.answering.code_sessions import CodeSessions
from surveys.answering.links import normalise_code
from surveys.answering.store.contract import AnswerStore
from surveys.db.tables import ClassSession
from surveys.errors import DomainError, LinkNotFound

__all__ = [
    "CODE_FAILURES_PER_WINDOW",
    "CODE_WINDOW_S",
    "CodeEntry",
    "CodeRateLimited",
    "DeviceLink",
    "Entered",
    "link_for_device",
]

# Wrong codes per client address per window: several classes behind one school IP may each
# mistype a few codes, while guessing ~34-bit codes at 200 per 10 minutes takes months per hit.
CODE_FAILURES_PER_WINDOW = 200
CODE_WINDOW_S = 600
# A device remembers its class-session link this long after the session's end.
REMEMBER_AFTER_S = 4 * 3600


class CodeRateLimited(DomainError):
    """Too many wrong codes from this address in this window; ``retry_after_s`` until the next."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__("For mange forkerte koder.")
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class DeviceLink:
    """The link a device is sent to from a class session; ``remember_for_s`` is set when it is
    fresh and the device should remember it (then a re-scan or re-typed code returns it)."""

    token: str
    remember_for_s: int | None = None


@dataclass(frozen=True)
class Entered:
    """Where a typed code leads: ``flow_token`` for a slip's code (``/k/<flow_token>``), else
    ``link`` for a class session's code (``/s/<link.token>``)."""

    flow_token: str | None = None
    link: DeviceLink | None = None


async def link_for_device(
    tokens: SessionTokens, base_url: str, session: ClassSession, remembered: str | None
) -> DeviceLink:
    """The link this device already got from ``session``, or a fresh one (SessionFull or
    SurveyClosed when there is none to give)."""
    if await device_link_is_of(tokens, remembered, session):
        return DeviceLink(remembered)  # type: ignore[arg-type]
    link = await claim_link(tokens, base_url, session)
    remaining = int((session.expires_at - dt.datetime.now(dt.timezone.utc)).total_seconds()) + REMEMBER_AFTER_S
    return DeviceLink(link.token, max(60, remaining))


class CodeEntry:
    """The ``/k`` policy for one app: a typed code to a flow token or a class session's link."""

    def __init__(
        self, store: AnswerStore, sessions: CodeSessions, tokens: SessionTokens, base_url: str, *, address_secret: str
    ) -> None:
        self._store = store
        self._sessions = sessions
        self._tokens = tokens
        self._base_url = base_url
        self._address_secret = address_secret

    async def enter(self, typed: str, *, address: str | None, remembered: str | None) -> Entered:
        """CodeRateLimited, LinkNotFound (no such code), SessionFull or SurveyClosed, or where to go."""
        key = "code:addr:" + throttle.address_key(self._address_secret, address)
        # Counted first and taken back on success: concurrent guesses can never slip past the limit together.
        if await throttle.hit(key, window_s=CODE_WINDOW_S) > CODE_FAILURES_PER_WINDOW:
            raise CodeRateLimited(CODE_WINDOW_S - int(time.time()) % CODE_WINDOW_S)
        try:
            flow_token = await self._flow_token(typed)
        except LinkNotFound:
            session = await resolve_session_code(typed)
            if session is None:
                raise
            await throttle.undo(key)
            return Entered(link=await link_for_device(self._tokens, self._base_url, session, remembered))
        await throttle.undo(key)
        return Entered(flow_token=flow_token)

    async def _flow_token(self, typed: str) -> str:
        """The code-session token for a typed slip code; LinkNotFound if there is no such code."""
        context = await self._store.link_context("code", normalise_code(typed))
        if context is None:
            raise LinkNotFound()
        return self._sessions.token(context.link_id)
