"""Single-use links: signed random ids, short typable codes, and their issue.

A token is ``<random id>.<signature>``: 12 random bytes and a 96-bit truncated
HMAC-SHA256 (itsdangerous), both base64url, 33 characters in all, so
``BASE_URL/s/<token>`` fits a small QR code. The salt differs per purpose, so a
staff token never opens a pupil link. Keys rotate: the newest key signs, every
key verifies. The database stores only a SHA-256 hash of the random id.

A printed link's random id is derived from its code with the newest key
(:meth:`LinkSigner.for_code`), so a typed code leads to the same secret id as the
QR (the draft is sealed with a key derived from it, see ``store.sealing``); the
code itself is stored only as a keyed hash (:meth:`LinkSigner.stored_code`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Literal

from itsdangerous import BadSignature, Signer
from itsdangerous.signer import HMACAlgorithm

from surveys.errors import LinkNotFound
from surveys.hashing import hash_id

__all__ = [
    "CODE_ALPHABET",
    "IssuedLink",
    "LinkSigner",
    "Purpose",
    "format_code",
    "new_code",
    "normalise_code",
]

Purpose = Literal["pupil", "staff", "session"]
PURPOSES: tuple[Purpose, ...] = ("pupil", "staff", "session")
RANDOM_BYTES = 12
SIGNATURE_BYTES = 12
# No look-alikes: no 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V.
CODE_ALPHABET = "ACEFHJKMNPRTWXY3479"
CODE_LENGTH = 8


class _TruncatedHMAC(HMACAlgorithm):
    """HMAC-SHA256 cut to 96 bits: short enough for a small QR, far beyond guessing."""

    def get_signature(self, key: bytes, value: bytes) -> bytes:
        return super().get_signature(key, value)[:SIGNATURE_BYTES]


@dataclass(frozen=True)
class IssuedLink:
    """What a coordinator prints: the URL (with the token) and the short code."""

    token: str
    code: str
    url: str


class LinkSigner:
    """Signs and verifies tokens for each purpose with rotating keys (newest last)."""

    def __init__(self, secret_keys: tuple[str, ...] | list[str]) -> None:
        if not secret_keys:
            raise ValueError("at least one secret key is needed")
        self.keys = tuple(secret_keys)
        self._keys = [key.encode() for key in secret_keys]
        self._signers = {
            purpose: Signer(
                list(secret_keys),
                salt=f"trivsel.link.{purpose}",
                algorithm=_TruncatedHMAC(hashlib.sha256),
                digest_method=hashlib.sha256,
            )
            for purpose in PURPOSES
        }

    def new_token(self, purpose: Purpose) -> tuple[str, str]:
        """A fresh ``(token, id_hash)`` for ``purpose``."""
        random_id = secrets.token_urlsafe(RANDOM_BYTES)
        return self.token_for(purpose, random_id), hash_id(random_id)

    def for_code(self, purpose: Purpose, code: str) -> tuple[str, str]:
        """``(token, id_hash)`` of a printed link whose random id is derived from ``code`` (newest key)."""
        random_id = self.random_ids_for_code(code)[0]
        return self.token_for(purpose, random_id), hash_id(random_id)

    def random_ids_for_code(self, code: str) -> list[str]:
        """The random id a link with ``code`` has under each key, newest key first."""
        return [
            base64.urlsafe_b64encode(hmac.new(key, b"trivsel.link-id:" + code.encode(), hashlib.sha256).digest()[:RANDOM_BYTES]).decode()
            for key in reversed(self._keys)
        ]

    def legacy_secret(self, name: str) -> str:
        """The draft secret of a link printed before secret ids were derived from codes (its code
        session names it ``~<row id>``): known to the server only, not to a database reader."""
        return hmac.new(self._keys[-1], b"trivsel.legacy-draft:" + name.encode(), hashlib.sha256).hexdigest()

    def stored_code(self, code: str) -> str:
        """What the database keeps of a code: a keyed hash (16 hex digits), never the code."""
        return hmac.new(self._keys[-1], b"trivsel.code:" + code.encode(), hashlib.sha256).hexdigest()[:16]

    def token_for(self, purpose: Purpose, random_id: str) -> str:
        """The token of a known random id (class sessions derive theirs from a key)."""
        return self._signers[purpose].sign(random_id).decode("ascii")

    def verify(self, token: str, purpose: Purpose) -> str:
        """The id hash of a valid token of ``purpose``; LinkNotFound otherwise."""
        return hash_id(self.random_id(token, purpose))

    def random_id(self, token: str, purpose: Purpose) -> str:
        """The secret random id of a valid token of ``purpose``; LinkNotFound otherwise."""
        if not token or len(token) > 100 or not token.isascii():
            raise LinkNotFound()
        try:
            random_id = self._signers[purpose].unsign(token).decode("ascii")
        except (BadSignature, UnicodeDecodeError, ValueError):
            raise LinkNotFound() from None
        return random_id

    def identify(self, token: str, purposes: tuple[Purpose, ...] = ("pupil", "staff")) -> tuple[Purpose, str]:
        """``(purpose, id_hash)`` of a token valid for one of ``purposes``."""
        purpose, random_id = self.identify_secret(token, purposes)
        return purpose, hash_id(random_id)

    def identify_secret(self, token: str, purposes: tuple[Purpose, ...] = ("pupil", "staff")) -> tuple[Purpose, str]:
        """``(purpose, random id)`` of a token valid for one of ``purposes``."""
        for purpose in purposes:
            try:
                return purpose, self.random_id(token, purpose)
            except LinkNotFound:
                continue
        raise LinkNotFound()


def new_code() -> str:
    """A random short code from the look-alike-free alphabet (about 34 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """``ACEFHJKM`` → ``ACEF-HJKM`` for printing."""
    return f"{code[:4]}-{code[4:]}"


def normalise_code(typed: str) -> str:
    """What a person typed → the stored code; LinkNotFound if it cannot be one.

    Case, spaces and dashes are ignored.
    """
    cleaned = "".join(ch for ch in typed.upper() if ch not in " -_.\t")
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        raise LinkNotFound()
    return cleaned

