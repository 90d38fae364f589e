"""Staff accounts: roles, Argon2id password hashes, school assignments."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from surveys.db.engine import write_transaction
from surveys.db.tables import School, StaffUser, StaffUserSchool
from surveys.db.urls import is_sqlite
from surveys.errors import Conflict, InvalidInput, NotFound

__all__ = [
    "ROLES",
    "SCHOOL_ROLES",
    "UserSummary",
    "create_user",
    "get_user",
    "hash_password",
    "list_users",
    "new_password",
    "reset_password",
    "update_user",
    "verify_password",
]

ROLES = ("admin", "coordinator", "analyst", "teacher")
SCHOOL_ROLES = ("coordinator", "teacher")
MIN_PASSWORD_LENGTH = 12
# A login name that is plainly an address: one @, a dot in the domain, no spaces, control characters,
# quotes or brackets.
_NOT_IN_EMAIL = r"@\s\x00-\x1f\x7f<>()\[\]\\,;:\"'"
_EMAIL = re.compile(rf"[^{_NOT_IN_EMAIL}]+@[^{_NOT_IN_EMAIL}]+\.[^{_NOT_IN_EMAIL}.]+")

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_password() -> str:
    """A one-time password a person can type: four groups of letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


@dataclass(frozen=True)
class UserSummary:
    """A staff account as the console lists it (never the password hash)."""

    id: int
    email: str
    role: str
    active: bool
    must_change_password: bool
    school_ids: tuple[int, ...]
    school_names: tuple[str, ...]


async def list_users() -> list[UserSummary]:
    """Every staff account, by e-mail."""
    return await _summaries()


async def get_user(user_id: int) -> UserSummary:
    found = await _summaries(user_id)
    if not found:
        raise NotFound("Brugeren findes ikke.")
    return found[0]


async def _summaries(user_id: int | None = None) -> list[UserSummary]:
    users = StaffUser.select(
        StaffUser.id, StaffUser.email, StaffUser.role, StaffUser.active, StaffUser.must_change_password
    ).order_by(StaffUser.email)
    links = StaffUserSchool.select(
        StaffUserSchool.user, StaffUserSchool.school, StaffUserSchool.school.name.as_alias("school_name")
    ).order_by(StaffUserSchool.school.name)
    if user_id is not None:
        users, links = users.where(StaffUser.id == user_id), links.where(StaffUserSchool.user == user_id)
    schools: dict[int, list[tuple[int, str]]] = {}
    for link in await links:
        schools.setdefault(link["user"], []).append((link["school"], link["school_name"]))
    return [
        UserSummary(
            id=u["id"], email=u["email"], role=u["role"], active=bool(u["active"]),
            must_change_password=bool(u["must_change_password"]),
            school_ids=tuple(i for i, _ in schools.get(u["id"], ())), school_names=tuple(n for _, n in schools.get(u["id"], ())),
        )
        for u in await users
    ]


def _check_role(role: str, school_count: int) -> None:
    if role not in ROLES:
        raise InvalidInput(f"Ukendt rolle {role!r}; vælg en af {', '.join(ROLES)}.", {"role": "ukendt rolle"})
    if role in SCHOOL_ROLES and not school_count:
        name = {"coordinator": "koordinator", "teacher": "lærer"}[role]
        raise InvalidInput(f"En {name} skal have mindst én skole.", {"school": "vælg mindst én skole"})


async def _schools_by_id(school_ids: Sequence[int]) -> list[int]:
    wanted = sorted(set(school_ids))
    if not wanted:
        return []
    found = {r["id"] for r in await School.select(School.id).where(School.id.is_in(wanted))}
    if found != set(wanted):
        raise InvalidInput("En af de valgte skoler findes ikke.", {"school": "ukendt skole"})
    return wanted


async def create_user(
    email: str, role: str, *, schools: Sequence[str] = (), school_ids: Sequence[int] = (), password: str | None = None
) -> tuple[StaffUser, str]:
    """Create a user for schools given by name (the CLI) or id (the console); returns the user and
    the password, generated (one-time, to be changed at the first login) unless one is given."""
    email = email.strip().lower()
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise InvalidInput("E-mailadressen er ikke gyldig.", {"email": "ugyldig e-mailadresse"})
    _check_role(role, len(schools) + len(school_ids))
    generated = password is None
    password = password or new_password()
    if not generated and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"Adgangskoden skal være mindst {MIN_PASSWORD_LENGTH} tegn.", {"password": "for kort"})
    if await StaffUser.exists().where(StaffUser.email == email):
        raise Conflict(f"Der findes allerede en bruger med {email}.")
    chosen = await _schools_by_id(school_ids)
    for name in schools:
        school = await School.objects().get(School.name == name)
        if school is None:
            raise InvalidInput(f"Skolen {name!r} findes ikke.", {"school": "ukendt skole"})
        chosen.append(school.id)
    if role not in SCHOOL_ROLES:
        chosen = []
    async with write_transaction(StaffUser._meta.db):
        user = StaffUser(email=email, password_hash=hash_password(password), role=role, must_change_password=generated)
        await user.save()
        for school_id in sorted(set(chosen)):
            await StaffUserSchool(user=user.id, school=school_id).save()
    return user, password


async def update_user(user_id: int, *, role: str, school_ids: Sequence[int], active: bool, acting_user_id: int) -> None:
    """Change a user's role, schools and whether they may log in.

    An admin cannot lock themselves out, and the last active admin stays one.
    A deactivated user is logged out everywhere at once."""
    from surveys.accounts.sessions import end_sessions_of

    await get_user(user_id)
    _check_role(role, len(school_ids))
    chosen = await _schools_by_id(school_ids) if role in SCHOOL_ROLES else []
    stays_admin = role == "admin" and active
    if user_id == acting_user_id and not stays_admin:
        raise InvalidInput("Du kan ikke fjerne din egen administratoradgang; bed en anden administrator om det.",
                           {"role": "din egen adgang"})
    engine = StaffUser._meta.db
    async with write_transaction(engine):
        # Inside the write transaction, with the admins' rows locked on PostgreSQL (SQLite's
        # immediate transaction already excludes other writers): two admins demoting each other
        # at the same moment cannot leave the municipality without one.
        admins = StaffUser.select(StaffUser.id).where(StaffUser.role == "admin", StaffUser.active == True)  # noqa: E712
        admin_ids = {r["id"] for r in await (admins if is_sqlite(engine) else admins.lock_rows())}
        if not stays_admin and admin_ids == {user_id}:
            raise InvalidInput("Der skal være mindst én aktiv administrator.", {"role": "sidste administrator"})
        await StaffUser.update({StaffUser.role: role, StaffUser.active: active}).where(StaffUser.id == user_id)
        await StaffUserSchool.delete().where(StaffUserSchool.user == user_id)
        for school_id in chosen:
            await StaffUserSchool(user=user_id, school=school_id).save()
    if not active:
        await end_sessions_of(user_id)


async def reset_password(user_id: int, *, acting_user_id: int) -> str:
    """Give a user a new one-time password (to be changed at the next login) and log them out."""
    from surveys.accounts.sessions import end_sessions_of

    await get_user(user_id)
    if user_id == acting_user_id:
        raise InvalidInput("Skift din egen adgangskode under \"Skift adgangskode\".", {"password": "din egen"})
    password = new_password()
    await StaffUser.update({StaffUser.password_hash: hash_password(password), StaffUser.must_change_password: True}).where(
        StaffUser.id == user_id
    )
    await end_sessions_of(user_id)
    return password
