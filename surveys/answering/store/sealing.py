"""Sealing drafts and held answers (AES-GCM from ``cryptography``), so a database reader sees neither.

A *draft* is sealed with a key derived (HKDF) from the link's secret random id, which the
database never stores, and is stored under :func:`draft_key`, an HMAC of that id: nothing in the
draft row names its link. A *held* response (submitted, waiting for release with at least k
others) is sealed with a key derived from the server's secret keys: the newest seals, every
key opens (rotation). Plain texts are padded to a multiple of :data:`PAD` bytes, so the size of a
sealed row says nothing about how much a pupil wrote.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import struct
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["PAD", "Sealer", "draft_key", "open_draft", "seal_draft"]

PAD = 1024
_NONCE = 12


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"trivsel.seal", info=purpose).derive(secret)


def _pad(payload: Any) -> bytes:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    framed = struct.pack(">I", len(data)) + data
    return framed + b"\0" * (-len(framed) % PAD)


def _unpad(framed: bytes) -> Any:
    (length,) = struct.unpack(">I", framed[:4])
    return json.loads(framed[4:4 + length])


def _seal(key: bytes, payload: Any, associated: bytes) -> bytes:
    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(key).encrypt(nonce, _pad(payload), associated)


def _open(key: bytes, blob: bytes, associated: bytes) -> Any:
    blob = bytes(blob)
    return _unpad(AESGCM(key).decrypt(blob[:_NONCE], blob[_NONCE:], associated))


def draft_key(secret: str) -> str:
    """Where a link's draft is stored: an HMAC of the link's secret id (not its stored hash)."""
    return hmac.new(b"trivsel.draft-key", secret.encode(), hashlib.sha256).hexdigest()


def seal_draft(secret: str, payload: Any) -> bytes:
    return _seal(_derive(secret.encode(), b"draft"), payload, draft_key(secret).encode())


def open_draft(secret: str, blob: bytes | None) -> Any | None:
    """The draft's payload, or None when there is none (or it cannot be opened)."""
    if blob is None:
        return None
    try:
        return _open(_derive(secret.encode(), b"draft"), blob, draft_key(secret).encode())
    except (InvalidTag, ValueError, struct.error):
        return None


class Sealer:
    """Seals held responses with the newest server key; opens them with any key."""

    def __init__(self, secret_keys: tuple[str, ...] | list[str]) -> None:
        if not secret_keys:
            raise ValueError("at least one secret key is needed")
        self._keys = [_derive(key.encode(), b"held-response") for key in reversed(list(secret_keys))]

    def seal(self, payload: Any) -> bytes:
        return _seal(self._keys[0], payload, b"held")

    def open(self, blob: bytes) -> Any:
        """The payload; ValueError if no key opens it."""
        for key in self._keys:
            try:
                return _open(key, blob, b"held")
            except InvalidTag:
                continue
        raise ValueError("no secret key opens this held response")
