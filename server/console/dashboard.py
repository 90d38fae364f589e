"""The console's front page: what this role can do, for its own schools."""

from __future__ import annotations

from litestar import get
from litestar.response import Template

from server.console._web import StaffDep, page
from surveys.accounts.access import require
from surveys.organisation.schools import list_classes, list_schools
from surveys.organisation.waves import list_waves

__all__ = ["dashboard"]


@get("/", name="console:dashboard")
async def dashboard(staff: StaffDep) -> Template:
    require(staff, "dashboard")
    scope = None if staff.all_schools else staff.school_ids
    waves = [w for w in await list_waves(scope) if w["status"] == "open"]
    classes = []
    if staff.role in ("coordinator", "teacher"):
        for school in await list_schools(staff.school_ids):
            classes.append((school, await list_classes(school.id)))
    return await page("console/dashboard.html", staff, title="Oversigt", waves=waves, classes=classes)
