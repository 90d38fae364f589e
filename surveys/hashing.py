"""What is stored of a secret random id: its SHA-256 (links, class sessions, console
sessions and report jobs all keep only this, so a copy of the database opens nothing)."""

from __future__ import annotations

import hashlib

__all__ = ["hash_id"]


def hash_id(random_id: str) -> str:
    """What is stored of a secret random id (a link's, a session's, a report job's): its SHA-256."""
    return hashlib.sha256(random_id.encode()).hexdigest()
