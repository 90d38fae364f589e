"""Who may do what: one table of actions per role, and the school scope check.

Every console handler calls :func:`require` before touching data; school-bound
actions pass the school, so a coordinator of school A is refused school B.
"""

from __future__ import annotations

from surveys.accounts.login import Staff
from surveys.errors import Forbidden

__all__ = ["PERMISSIONS", "allowed", "require", "require_schools"]

PERMISSIONS: dict[str, frozenset[str]] = {
    "dashboard": frozenset({"admin", "coordinator", "analyst", "teacher"}),
    "schools.view": frozenset({"admin", "coordinator", "teacher"}),
    "schools.manage": frozenset({"admin"}),
    "classes.manage": frozenset({"admin", "coordinator"}),
    "waves.view": frozenset({"admin", "coordinator", "analyst"}),
    "waves.manage": frozenset({"admin", "coordinator"}),
    "events.manage": frozenset({"admin", "coordinator"}),
    "links.issue": frozenset({"admin", "coordinator", "teacher"}),
    "sessions.run": frozenset({"admin", "coordinator", "teacher"}),
    "progress.view": frozenset({"admin", "coordinator", "analyst", "teacher"}),
    "settings.manage": frozenset({"admin"}),
    "users.manage": frozenset({"admin"}),
    "reports.run": frozenset({"admin", "analyst"}),
    "exports.raw": frozenset({"admin"}),  # full microdata, with a reason, audited (exports.audit)
    "strategy.manage": frozenset({"admin", "analyst"}),
}

_REFUSED = "Du har ikke adgang til det her."


def allowed(staff: Staff, action: str, school_id: int | None = None) -> bool:
    if staff.role not in PERMISSIONS[action]:
        return False
    return school_id is None or staff.covers(school_id)


def require(staff: Staff, action: str, school_id: int | None = None) -> None:
    """Raise Forbidden unless ``staff`` may do ``action`` (for ``school_id``, if given)."""
    if not allowed(staff, action, school_id):
        raise Forbidden(_REFUSED)


def require_schools(staff: Staff, action: str, school_ids: list[int] | set[int] | frozenset[int]) -> None:
    """Raise Forbidden unless ``staff`` may do ``action`` for every one of ``school_ids``."""
    require(staff, action)
    if not all(staff.covers(school_id) for school_id in school_ids):
        raise Forbidden(_REFUSED)
