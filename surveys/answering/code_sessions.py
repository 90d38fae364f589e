"""Short-lived flow tokens for pupils who typed the code from their slip.

A printed link's secret random id is derived from its code with the server's
key (``LinkSigner.random_ids_for_code``), so ``/k`` hands out a signed token
carrying that secret id, valid for a school day: ``/k/<token>/...`` then runs
the same flow as ``/s/<token>/...``, with the same sealed draft. It is as
unguessable as a slip token (HMAC, rotating keys, its own salt), and the code
itself stays the long-lived way back in.
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

    def token(self, secret: str) -> str:
        return self._signer.sign(secret).decode("ascii")

    def secret(self, token: str) -> str:
        """The link's secret id in a valid, unexpired token; LinkNotFound otherwise."""
        if not token or len(token) > 100 or not token.isascii():
            raise LinkNotFound()
        try:
            value = self._signer.unsign(token, max_age=self._max_age_s).decode("ascii")
        except SignatureExpired:
            raise LinkNotFound("Adgangen er udløbet. Skriv koden fra din seddel igen på forsiden.") from None
        except (BadSignature, UnicodeDecodeError, ValueError):
            raise LinkNotFound() from None
        return value
