"""Logging staff in: password check, throttled guesses, who they are.

Guesses are throttled, successes are not:

- per account, a backoff: five free failures, then a growing wait (30 s … 15 min) before the
  next attempt is even checked. Guesses of the current password on the password-change form
  count here too;
- per client address (an IPv6 /64), a delay: after 30 failures in 15 minutes its attempts queue,
  one every few seconds, but each is still checked, so a teacher behind the school's address
  logs in with the right password even while a pupil there is guessing;
- a browser that has logged in to the account before carries a signed device token
  (:class:`DeviceTokens`): its attempts have a backoff of their own and skip the account's and
  the address's, so nobody can lock a teacher out of their own browser by guessing.

Counters live in the database (``surveys.throttle``), keyed by hashes, never an e-mail or address.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import unicodedata
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

from surveys import throttle
from surveys.accounts.users import hash_password, verify_password
from surveys.db.tables import StaffUser, StaffUserSchool
from surveys.errors import DomainError

__all__ = [
    "DeviceTokens", "LoginFailed", "LoginLimits", "LoginThrottled", "Staff", "change_password", "login", "staff_for",
]


class LoginFailed(DomainError):
    """Wrong e-mail or password (deliberately not saying which)."""


class LoginThrottled(DomainError):
    """Too many failed attempts for this account or from this address."""


@dataclass(frozen=True)
class LoginLimits:
    """``per_account`` free failures, then ``account_waits_s``; ``per_address`` failures per
    ``window_s``, then one attempt every ``address_every_s`` (none if the queue is longer than
    ``address_max_wait_s``)."""

    window_s: int = 15 * 60
    per_account: int = 5
    per_address: int = 30
    account_waits_s: tuple[int, ...] = (30, 60, 120, 240, 480, 900)
    address_every_s: int = 3
    address_max_wait_s: int = 12

    @property
    def backoff(self) -> throttle.Backoff:
        return throttle.Backoff(free=self.per_account, waits_s=self.account_waits_s)


DEVICE_MAX_AGE_S = 365 * 86_400


class DeviceTokens:
    """Signed tokens a browser keeps after logging in to an account: ``device_for`` names the device."""

    def __init__(self, secret_keys: tuple[str, ...] | list[str]) -> None:
        self._serializer = URLSafeTimedSerializer(list(secret_keys), salt="trivsel.login-device")

    def issue(self, email: str) -> str:
        return self._serializer.dumps([_email_hash(_normal(email)), secrets.token_urlsafe(12)])

    def device_for(self, token: str | None, email: str) -> str | None:
        """The device id in ``token`` if it was issued for ``email`` (and is less than a year old)."""
        if not token or len(token) > 300:
            return None
        try:
            account, device = self._serializer.loads(token, max_age=DEVICE_MAX_AGE_S)
        except (BadSignature, ValueError, TypeError):
            return None
        return str(device) if account == _email_hash(_normal(email)) else None


@dataclass(frozen=True)
class Staff:
    """The logged-in user as the console sees them."""

    id: int
    email: str
    role: str
    school_ids: frozenset[int]
    must_change_password: bool = False

    @property
    def all_schools(self) -> bool:
        """Admins and analysts see every school; coordinators and teachers their own."""
        return self.role in ("admin", "analyst")

    def covers(self, school_id: int | None) -> bool:
        return self.all_schools or (school_id is not None and school_id in self.school_ids)


# Verified against when the e-mail is unknown, so both cases take as long.
_DUMMY_HASH = hash_password("not-a-real-password-just-timing")


def _normal(email: str) -> str:
    return (email or "").strip().lower()[:254]


def _email_hash(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def _account_key(email: str) -> str:
    return "login:acct:" + _email_hash(email)


_THROTTLED = "For mange forkerte forsøg. Vent lidt, og prøv igen."


async def login(
    email: str,
    password: str,
    *,
    address_key: str,
    device: str | None = None,
    limits: LoginLimits = LoginLimits(),
) -> Staff:
    """The staff member for these credentials; LoginFailed or LoginThrottled otherwise.

    ``device`` is the id of a device token the browser showed for this e-mail
    (:meth:`DeviceTokens.device_for`), if any.
    """
    email = _normal(email)
    attempt_key = "login:dev:" + hashlib.sha256(device.encode()).hexdigest()[:32] if device else _account_key(email)
    if not await throttle.claim(attempt_key, limits.backoff):
        raise LoginThrottled(_THROTTLED)
    address = "login:addr:" + address_key
    address_throttled = False
    if device is None:
        if await throttle.hit(address, window_s=limits.window_s) > limits.per_address:
            wait = await throttle.slot("login:queue:" + address_key, every_s=limits.address_every_s,
                                       max_wait_s=limits.address_max_wait_s)
            if wait is None:
                raise LoginThrottled(_THROTTLED)
            await asyncio.sleep(wait)
            address_throttled = True
    user = await _verified_user(email, password)
    if user is None:
        raise LoginThrottled(_THROTTLED) if address_throttled else LoginFailed("Forkert e-mail eller adgangskode.")
    await throttle.forget(attempt_key)
    if device is None:
        await throttle.undo(address)
    staff = await staff_for(user.id)
    if staff is None:  # deactivated between the two reads
        raise LoginFailed("Forkert e-mail eller adgangskode.")
    return staff


async def _verified_user(email: str, password: str) -> StaffUser | None:
    """The active user with this e-mail and password (the same work whether or not they exist)."""
    # A control character (NUL, …) is never in an address; PostgreSQL would refuse it in the query.
    printable = not any(unicodedata.category(ch) == "Cc" for ch in email)
    user = await StaffUser.objects().get(StaffUser.email == email) if printable else None
    valid = verify_password(user.password_hash if user else _DUMMY_HASH, password or "")
    return user if user is not None and valid and user.active else None


async def staff_for(user_id: int) -> Staff | None:
    """The active staff member with this id, with their schools; None if gone or deactivated."""
    user = await StaffUser.select(
        StaffUser.id, StaffUser.email, StaffUser.role, StaffUser.active, StaffUser.must_change_password
    ).where(StaffUser.id == user_id).first()
    if user is None or not user["active"]:
        return None
    schools = await StaffUserSchool.select(StaffUserSchool.school).where(StaffUserSchool.user == user_id)
    return Staff(
        id=user["id"],
        email=user["email"],
        role=user["role"],
        school_ids=frozenset(row["school"] for row in schools),
        must_change_password=bool(user["must_change_password"]),
    )


async def change_password(
    user_id: int, current: str, new: str, repeated: str, *, limits: LoginLimits = LoginLimits()
) -> None:
    """Replace a password (and clear the one-time flag); InvalidInput with a reason per field.

    Guesses of the current password count with the account's login failures (LoginThrottled).
    """
    from surveys.accounts.users import MIN_PASSWORD_LENGTH
    from surveys.errors import InvalidInput

    user = await StaffUser.objects().get(StaffUser.id == user_id)
    if user is None:
        raise InvalidInput("Adgangskoden blev ikke skiftet.", {"current": "forkert adgangskode"})
    account_key = _account_key(_normal(user.email))
    if not await throttle.claim(account_key, limits.backoff):
        raise LoginThrottled(_THROTTLED)
    if not verify_password(user.password_hash, current or ""):
        raise InvalidInput("Adgangskoden blev ikke skiftet.", {"current": "forkert adgangskode"})
    await throttle.forget(account_key)
    if len(new or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput("Adgangskoden blev ikke skiftet.", {"new": f"mindst {MIN_PASSWORD_LENGTH} tegn"})
    if new != repeated:
        raise InvalidInput("Adgangskoden blev ikke skiftet.", {"repeated": "de to adgangskoder er forskellige"})
    if new == current:
        raise InvalidInput("Adgangskoden blev ikke skiftet.", {"new": "vælg en ny adgangskode"})
    await StaffUser.update({StaffUser.password_hash: hash_password(new), StaffUser.must_change_password: False}).where(
        StaffUser.id == user_id
    )
