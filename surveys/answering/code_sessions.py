"""Short-lived flow tokens for pupils who typed the code from their slip.

Only a hash of a link's random id is stored, so a typed code cannot rebuild
the slip's token. Instead ``/k`` hands out a signed token naming the link's
row id, valid for a school day: ``/k/<token>/...`` then runs the same flow as
``/s/<token>/...``. It is as unguessable as a slip token (HMAC, rotating
keys, its own salt), carries nothing about the pupil, and the code itself
stays the long-lived way back in.
"""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

from surveys.errors import LinkNotFound

__all__ = ["CODE_SESSION_MAX_AGE_S", "CodeSessions"]

CODE_SESSION_MAX_AGE_S = 12 * 3600


class CodeSessions:
    """Signs and verifies ``/k/<token>`` flow tokens (newest key signs, every key verifies)."""

    def __init__(self, secret_keys: tuple[str, ...] | list[str], *, max_age_s: int = CODE_SESSION_MAX_AGE_S) -> None:
        if not secret_keys:
            raise ValueError("at least one secret key is needed")
        self._signer = TimestampSigner(list(secret_keys), salt="trivsel.code-session", digest_method=hashlib.sha256)
        self._max_age_s = max_age_s

    def token(self, link_id: int) -> str:
        return self._signer.sign(_base36(link_id)).decode("ascii")

    def link_id(self, token: str) -> int:
        """The link row id in a valid, unexpired token; LinkNotFound otherwise."""
        if not token or len(token) > 100 or not token.isascii():
            raise LinkNotFound()
        try:
            value = self._signer.unsign(token, max_age=self._max_age_s).decode("ascii")
        except SignatureExpired:
            raise LinkNotFound("Adgangen er udløbet. Skriv koden fra din seddel igen på forsiden.") from None
        except (BadSignature, UnicodeDecodeError, ValueError):
            raise LinkNotFound() from None
        try:
            return int(value, 36)
        except ValueError:
            raise LinkNotFound() from None


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out
