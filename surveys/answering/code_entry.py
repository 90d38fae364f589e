"""A code typed at ``/k``, and a device arriving at a class session: the policy, no HTTP.

In order: the client address's failed attempts are counted (throttle), then the
code is looked up as a slip's own code (the flow continues at ``/k/<token>``),
then as the shared code of a class session on the board; a device that already
got a link from that session gets the same one back, any other device claims a
fresh one. Guessing codes (about 34 bits) is throttled, counting only codes
that do not work: per client address (IPv4) or /64 (IPv6, one subscriber's
network), and for everyone together (a global budget, so many addresses do not
add up to many guesses). A class of 30 behind one school address who all type
their (valid) codes never comes near a limit. Once a limit is reached every
attempt it covers is refused until the window ends, unchecked, so a guesser
cannot tell a hit from a refusal. A code stops working when its wave or event
closes (it answers as a code that never existed). :func:`expected_hits_per_hour`
turns the limits into what an attacker can expect (README states the figures).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from surveys import throttle
from surveys.answering.class_sessions import SessionTokens, claim_link, device_link_is_of, resolve_session_code
from surveys.answering.code_sessions import CodeSessions
from surveys.answering.links import CODE_ALPHABET, CODE_LENGTH, LinkSigner, normalise_code
from surveys.answering.store.contract import AnswerStore
from surveys.answering.store.sealing import draft_key
from surveys.db.tables import ClassSession, Draft, Event, Wave
from surveys.errors import DomainError, LinkNotFound
from surveys.hashing import hash_id

__all__ = [
    "CODE_FAILURES_PER_WINDOW",
    "CODE_GLOBAL_FAILURES_PER_WINDOW",
    "CODE_SPACE",
    "CODE_WINDOW_S",
    "CodeEntry",
    "CodeRateLimited",
    "DeviceLink",
    "Entered",
    "expected_hits_per_hour",
    "link_for_device",
]

log = logging.getLogger("trivsel.codes")

# Wrong codes per client address per window: several classes behind one school IP may each
# mistype a few codes, while guessing ~34-bit codes at 200 per 10 minutes takes months per hit.
CODE_FAILURES_PER_WINDOW = 200
CODE_WINDOW_S = 600
# Wrong codes from all addresses together per window: a municipality's morning of typos is far
# below it (a typo costs one failure, a class of 30 makes a handful); an attacker with many
# networks gets no more guesses than this.
CODE_GLOBAL_FAILURES_PER_WINDOW = 1000
_GLOBAL_KEY = "code:all"
CODE_SPACE = len(CODE_ALPHABET) ** CODE_LENGTH  # 19^8, about 1.7e10
# A device remembers its class-session link this long after the session's end.
REMEMBER_AFTER_S = 4 * 3600


def expected_hits_per_hour(
    failures_per_window: int = CODE_FAILURES_PER_WINDOW, *, window_s: int = CODE_WINDOW_S, live_codes: int = 5_000
) -> float:
    """Codes an attacker can expect to hit per hour, guessing at ``failures_per_window`` per window
    while ``live_codes`` of the ``CODE_SPACE`` codes work (each guess hits with live/space)."""
    return failures_per_window * (3600 / window_s) * live_codes / CODE_SPACE


class CodeRateLimited(DomainError):
    """Too many wrong codes in this window, from this address or (``everyone``) from all addresses
    together; ``retry_after_s`` until the next window."""

    def __init__(self, retry_after_s: int, *, everyone: bool = False) -> None:
        super().__init__("For mange forkerte koder.")
        self.retry_after_s = retry_after_s
        self.everyone = everyone


@dataclass(frozen=True)
class DeviceLink:
    """The link a device is sent to from a class session; ``remember_for_s`` is set when it is
    fresh and the device should remember it. ``ask``: the device holds an unanswered link of the
    session, and whoever holds it now must say whether they are its pupil or a new one (a shared
    device never shows a new pupil the earlier answers)."""

    token: str
    remember_for_s: int | None = None
    ask: bool = False


@dataclass(frozen=True)
class Entered:
    """Where a typed code leads: ``flow_token`` for a slip's code (``/k/<flow_token>``), else
    ``link`` for a class session's code (``/s/<link.token>``)."""

    flow_token: str | None = None
    link: DeviceLink | None = None


async def link_for_device(
    tokens: SessionTokens, base_url: str, session: ClassSession, remembered: str | None, choice: str | None = None
) -> DeviceLink:
    """The link this device already got from ``session`` (``choice`` "continue"; without a choice
    the answer says ``ask``), or a fresh one ("new", or nothing unanswered remembered); SessionFull
    or SurveyClosed when there is none to give."""
    if await device_link_is_of(tokens, remembered, session):
        if choice != "new":
            return DeviceLink(remembered, ask=choice != "continue")  # type: ignore[arg-type]
        # A new pupil: the earlier one's link can no longer be reached from this device except through the
        # browser's history, so its unsent draft goes (the link itself stays unanswered).
        _, secret = tokens.signer.identify_secret(remembered, ("pupil", "staff"))  # type: ignore[arg-type]
        await Draft.delete().where(Draft.key == draft_key(secret))
    link = await claim_link(tokens, base_url, session)
    remaining = int((session.expires_at - dt.datetime.now(dt.timezone.utc)).total_seconds()) + REMEMBER_AFTER_S
    return DeviceLink(link.token, max(60, remaining))


class CodeEntry:
    """The ``/k`` policy for one app: a typed code to a flow token or a class session's link."""

    def __init__(
        self, store: AnswerStore, signer: LinkSigner, sessions: CodeSessions, tokens: SessionTokens, base_url: str, *,
        address_secret: str,
    ) -> None:
        self._store = store
        self._signer = signer
        self._sessions = sessions
        self._tokens = tokens
        self._base_url = base_url
        self._address_secret = address_secret

    async def enter(self, typed: str, *, address: str | None, remembered: str | None, choice: str | None = None) -> Entered:
        """CodeRateLimited, LinkNotFound (no such code), SessionFull or SurveyClosed, or where to go."""
        key = "code:addr:" + throttle.address_key(self._address_secret, address)
        retry_after = CODE_WINDOW_S - int(time.time()) % CODE_WINDOW_S
        # Counted first and taken back on success: concurrent guesses can never slip past a limit together.
        if await throttle.hit(key, window_s=CODE_WINDOW_S) > CODE_FAILURES_PER_WINDOW:
            raise CodeRateLimited(retry_after)
        everyone = await throttle.hit(_GLOBAL_KEY, window_s=CODE_WINDOW_S)
        if everyone > CODE_GLOBAL_FAILURES_PER_WINDOW:
            await throttle.undo(key)  # the address did nothing wrong: not its failure
            if everyone == CODE_GLOBAL_FAILURES_PER_WINDOW + 1:  # once per window: the moment it was used up
                log.warning("code guessing: the global budget of %d wrong codes per %d min is used up; typing codes "
                            "is paused for everyone for %d s (QR codes on slips still work)",
                            CODE_GLOBAL_FAILURES_PER_WINDOW, CODE_WINDOW_S // 60, retry_after)
            raise CodeRateLimited(retry_after, everyone=True)
        try:
            flow_token = await self._flow_token(typed)
        except LinkNotFound:
            session = await resolve_session_code(typed)
            if session is None or not await _collecting(session):
                raise
            await _undo(key)
            return Entered(link=await link_for_device(self._tokens, self._base_url, session, remembered, choice))
        await _undo(key)
        return Entered(flow_token=flow_token)

    async def _flow_token(self, typed: str) -> str:
        """The code-session token for a typed slip code; LinkNotFound if there is no such code, or
        its wave or event has closed."""
        for secret in self._signer.random_ids_for_code(normalise_code(typed)):
            context = await self._store.link_context("id_hash", hash_id(secret))
            if context is None:
                continue
            if context.status == "closed" or (context.closes_on is not None and dt.date.today() > context.closes_on):
                raise LinkNotFound()
            return self._sessions.token(secret)
        # A slip printed before codes were stored as a keyed hash: its code is in clear.
        context = await self._store.link_context("code", normalise_code(typed))
        if context is None or context.status == "closed" or (
            context.closes_on is not None and dt.date.today() > context.closes_on
        ):
            raise LinkNotFound()
        return self._sessions.token(f"~{context.link_id}")


async def _undo(key: str) -> None:
    """A code that worked: neither the address's nor everyone's failure."""
    await throttle.undo(key)
    await throttle.undo(_GLOBAL_KEY)


async def _collecting(session: ClassSession) -> bool:
    """Whether the wave or event of a class session is still open (not closed, not past its end)."""
    if session.event is not None:
        row = await Event.select(Event.status).where(Event.id == session.event).first()
        return row is not None and row["status"] != "closed"
    row = await Wave.select(Wave.status, Wave.closes_on).where(Wave.id == session.wave).first()
    return row is not None and row["status"] != "closed" and (row["closes_on"] is None or row["closes_on"] >= dt.date.today())
