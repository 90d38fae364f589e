"""Logging staff in: password check, per-account and per-address throttling, who they are.

Failed attempts are counted per account and per (hashed) client address in the
database. The address limit is generous because a whole school shares one
address; the account limit is strict. A success takes its attempt back.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from surveys import throttle
from surveys.accounts.users import hash_password, verify_password
from surveys.db.tables import StaffUser, StaffUserSchool
from surveys.errors import DomainError

__all__ = ["LoginFailed", "LoginLimits", "LoginThrottled", "Staff", "change_password", "login", "staff_for"]


class LoginFailed(DomainError):
    """Wrong e-mail or password (deliberately not saying which)."""


class LoginThrottled(DomainError):
    """Too many failed attempts for this account or from this address."""


@dataclass(frozen=True)
class LoginLimits:
    window_s: int = 15 * 60
    per_account: int = 5
    per_address: int = 30


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


def _account_key(email: str) -> str:
    return "login:acct:" + hashlib.sha256(email.encode()).hexdigest()[:32]


async def login(email: str, password: str, *, address_key: str, limits: LoginLimits = LoginLimits()) -> Staff:
    """The staff member for these credentials; LoginFailed or LoginThrottled otherwise."""
    email = (email or "").strip().lower()[:254]
    account_key = _account_key(email)
    address = "login:addr:" + address_key
    account_count = await throttle.hit(account_key, window_s=limits.window_s)
    address_count = await throttle.hit(address, window_s=limits.window_s)
    if account_count > limits.per_account or address_count > limits.per_address:
        raise LoginThrottled("For mange forkerte forsøg. Vent et kvarter, og prøv igen.")
    # A control character (NUL, …) is never in an address; PostgreSQL would refuse it in the query.
    printable = not any(unicodedata.category(ch) == "Cc" for ch in email)
    user = await StaffUser.objects().get(StaffUser.email == email) if printable else None
    valid = verify_password(user.password_hash if user else _DUMMY_HASH, password or "")
    if user is None or not valid or not user.active:
        raise LoginFailed("Forkert e-mail eller adgangskode.")
    await throttle.forget(account_key)
    await throttle.undo(address)
    staff = await staff_for(user.id)
    if staff is None:  # deactivated between the two reads
        raise LoginFailed("Forkert e-mail eller adgangskode.")
    return staff


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


async def change_password(user_id: int, current: str, new: str, repeated: str) -> None:
    """Replace a password (and clear the one-time flag); InvalidInput with a reason per field."""
    from surveys.accounts.users import MIN_PASSWORD_LENGTH
    from surveys.errors import InvalidInput

    user = await StaffUser.objects().get(StaffUser.id == user_id)
    if user is None or not verify_password(user.password_hash, current or ""):
        raise InvalidInput("Adgangskoden blev ikke skiftet.", {"current": "forkert adgangskode"})
    if len(new or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput("Adgangskoden blev ikke skiftet.", {"new": f"mindst {MIN_PASSWORD_LENGTH} tegn"})
    if new != repeated:
        raise InvalidInput("Adgangskoden blev ikke skiftet.", {"repeated": "de to adgangskoder er forskellige"})
    if new == current:
        raise InvalidInput("Adgangskoden blev ikke skiftet.", {"new": "vælg en ny adgangskode"})
    await StaffUser.update({StaffUser.password_hash: hash_password(new), StaffUser.must_change_password: False}).where(
        StaffUser.id == user_id
    )
