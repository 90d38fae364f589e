"""Domain exceptions. The web app maps them to pages in one place (server/errors.py)."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "Conflict",
    "DomainError",
    "Forbidden",
    "InvalidAnswers",
    "InvalidInput",
    "LinkNotFound",
    "NotFound",
    "NotOpenYet",
    "StoreUnavailable",
    "SurveyClosed",
]


class DomainError(Exception):
    """Base class: ``message`` is safe to show to the user (Danish)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """Something asked for does not exist."""


class LinkNotFound(NotFound):
    """A token or code that is unknown, forged, tampered or of another purpose."""


class NotOpenYet(DomainError):
    """The wave or event has not opened yet."""


class SurveyClosed(DomainError):
    """The wave or event is closed."""


class Forbidden(DomainError):
    """The user may not do this."""


class Conflict(DomainError):
    """The request conflicts with the current state (e.g. a duplicate name)."""


class InvalidInput(DomainError):
    """Input that cannot be used; ``problems`` maps a field (or line) to a reason."""

    def __init__(self, message: str = "", problems: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = dict(problems or {})


class StoreUnavailable(DomainError):
    """The database is away for the moment (restarting, unwritable, locked): try again shortly."""

    def __init__(self, message: str = "Vi kunne ikke gemme lige nu – prøv igen om lidt.") -> None:
        super().__init__(message)


class InvalidAnswers(InvalidInput):
    """Answers that break the instrument's rules; ``problems`` maps a question id to a reason."""
