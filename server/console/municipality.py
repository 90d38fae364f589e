"""The municipality's settings: name, logo text, help contacts, suppression threshold."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from server.console._web import StaffDep, page, settings_of
from surveys.accounts.access import require
from surveys.errors import InvalidInput
from surveys.organisation.municipality import MAX_CONTACTS, Municipality, load_municipality, save_municipality

__all__ = ["municipality_form", "municipality_submit"]


def _with_blank_rows(contacts: list[dict]) -> list[dict]:
    blanks = max(0, min(2, MAX_CONTACTS - len(contacts)))
    return contacts + [{"name": "", "text": "", "contact": ""}] * blanks


@get("/municipality", name="console:municipality")
async def municipality_form(request: Request, staff: StaffDep) -> Template:
    require(staff, "settings.manage")
    current = await load_municipality()
    return await page(
        "console/municipality.html", staff, title="Kommunen", values=current,
        contacts=_with_blank_rows(current.help_contacts), problems={}, saved=request.query_params.get("saved") == "1",
        minimum=settings_of(request).suppression_threshold,
    )


@post("/municipality", name="console:municipality-save")
async def municipality_submit(request: Request, staff: StaffDep) -> Template | Redirect:
    require(staff, "settings.manage")
    form = await request.form()
    contacts = [
        {key: str(form.get(f"contact_{i}_{key}") or "") for key in ("name", "text", "contact")} for i in range(MAX_CONTACTS)
    ]
    try:
        threshold = int(form.get("suppression_threshold") or "0")
    except ValueError:
        threshold = 0
    values = Municipality(
        name=str(form.get("name") or ""),
        logo_text=str(form.get("logo_text") or ""),
        help_contacts=contacts,
        suppression_threshold=threshold,
    )
    minimum = settings_of(request).suppression_threshold
    try:
        await save_municipality(values, minimum_threshold=minimum)
    except InvalidInput as exc:
        shown = [c for c in contacts if any(c.values())]
        return await page(
            "console/municipality.html", staff, status_code=422, title="Kommunen", values=values,
            contacts=_with_blank_rows(shown), error=exc.message, problems=exc.problems, minimum=minimum,
        )
    return Redirect("/console/municipality?saved=1", status_code=303)
