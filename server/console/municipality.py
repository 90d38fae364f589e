"""The municipality's settings: name, logo text, privacy notice, help contacts, suppression threshold."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from server.console._web import StaffDep, page, settings_of
from server.profile import forget_profile
from surveys.accounts.access import require
from surveys.errors import InvalidInput
from surveys.organisation.help_contacts import HelpContact
from surveys.organisation.municipality import (
    DEFAULT_NOTICE, MAX_CONTACTS, NOTICE_FIELDS, Municipality, load_municipality, save_municipality,
)

__all__ = ["municipality_form", "municipality_submit"]


_CONTACT_KEYS = ("name", "text", "phone", "web", "hours", "audience")
_NOTICE_LABELS = {
    "controller": "Hvem spørger (den dataansvarlige)",
    "purpose": "Hvad svarene bruges til",
    "basis": "Hvorfor kommunen må spørge (retsgrundlag)",
    "recipients": "Hvem der ser svarene",
    "stored": "Hvad gemmes, og hvad gemmes ikke",
    "retention": "Hvor længe svarene gemmes",
    "contact": "Hvem man kan spørge eller klage til",
}


def _with_blank_rows(contacts: list) -> list:
    rows = [c.stored() if isinstance(c, HelpContact) else c for c in contacts]
    blanks = max(0, min(2, MAX_CONTACTS - len(rows)))
    return rows + [dict.fromkeys(_CONTACT_KEYS, "")] * blanks


def _form_context(values: Municipality) -> dict:
    """The notice fields with the municipality's own text, or the default written out."""
    notice = {key: values.notice.get(key) or DEFAULT_NOTICE["da"][key].format(name=values.name or "Kommunen")
              for key in NOTICE_FIELDS}
    return {"notice": notice, "notice_fields": [(key, _NOTICE_LABELS[key]) for key in NOTICE_FIELDS]}


@get("/municipality", name="console:municipality")
async def municipality_form(request: Request, staff: StaffDep) -> Template:
    require(staff, "settings.manage")
    current = await load_municipality()
    return await page(
        "console/municipality.html", staff, title="Kommunen", values=current,
        contacts=_with_blank_rows(current.help_contacts), problems={}, saved=request.query_params.get("saved") == "1",
        minimum=settings_of(request).suppression_threshold, **_form_context(current),
    )


@post("/municipality", name="console:municipality-save")
async def municipality_submit(request: Request, staff: StaffDep) -> Template | Redirect:
    require(staff, "settings.manage")
    form = await request.form()
    contacts = [
        {key: str(form.get(f"contact_{i}_{key}") or "") for key in _CONTACT_KEYS} for i in range(MAX_CONTACTS)
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
        notice={key: str(form.get(f"notice_{key}") or "") for key in NOTICE_FIELDS},
    )
    minimum = settings_of(request).suppression_threshold
    try:
        await save_municipality(values, minimum_threshold=minimum)
    except InvalidInput as exc:
        shown = [c for c in contacts if any(v for k, v in c.items() if k != "audience")]
        return await page(
            "console/municipality.html", staff, status_code=422, title="Kommunen", values=values,
            contacts=_with_blank_rows(shown), error=exc.message, problems=exc.problems, minimum=minimum,
            **_form_context(values),
        )
    forget_profile(request)
    return Redirect("/console/municipality?saved=1", status_code=303)
