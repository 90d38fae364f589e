"""Staff accounts: roles, Argon2id password hashes, school assignments."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from surveys.db import write_transaction
from surveys.errors import Conflict, InvalidInput
from surveys.tables import School, StaffUser, StaffUserSchool

__all__ = ["ROLES", "SCHOOL_ROLES", "create_user", "hash_password", "new_password", "verify_password"]

ROLES = ("admin", "coordinator", "analyst", "teacher")
SCHOOL_ROLES = ("coordinator", "teacher")
MIN_PASSWORD_LENGTH = 12

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


async def create_user(email: str, role: str, *, schools: list[str] = (), password: str | None = None) -> tuple[StaffUser, str]:
    """Create a user; returns the user and the (possibly generated) password."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise InvalidInput("E-mailadressen er ikke gyldig.", {"email": "ugyldig e-mailadresse"})
    if role not in ROLES:
        raise InvalidInput(f"Ukendt rolle {role!r}; vælg en af {', '.join(ROLES)}.", {"role": "ukendt rolle"})
    if role in SCHOOL_ROLES and not schools:
        raise InvalidInput(f"En {role} skal have mindst én skole (--school).", {"school": "mangler"})
    generated = password is None
    password = password or new_password()
    if not generated and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"Adgangskoden skal være mindst {MIN_PASSWORD_LENGTH} tegn.", {"password": "for kort"})
    if await StaffUser.exists().where(StaffUser.email == email):
        raise Conflict(f"Der findes allerede en bruger med {email}.")
    school_rows = []
    for name in schools:
        school = await School.objects().get(School.name == name)
        if school is None:
            raise InvalidInput(f"Skolen {name!r} findes ikke.", {"school": "ukendt skole"})
        school_rows.append(school)
    async with write_transaction(StaffUser._meta.db):
        user = StaffUser(email=email, password_hash=hash_password(password), role=role, must_change_password=generated)
        await user.save()
        for school in school_rows:
            await StaffUserSchool(user=user.id, school=school.id).save()
    return user, password
