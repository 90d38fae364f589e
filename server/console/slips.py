"""QR slips per class (PDF or a print view) and staff links for a mail merge (CSV).

Links are issued together with the file that carries them (``issue_links_with``): the PDF or
CSV is built first, so a file that cannot be made leaves no links behind. Download names come
from the school, class or event in any script (``server.downloads``).
"""

from __future__ import annotations

import csv
import io

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template

from exports.slips import Slip, qr_svg, slips_pdf, typing_address
from exports.filenames import file_name
from server.console._web import StaffDep, class_form, form_int, page, settings_of, signer_of
from server.downloads import attachment
from surveys.accounts.access import require
from surveys.accounts.login import Staff
from surveys.answering.issuing import issue_links_with
from surveys.answering.links import format_code
from surveys.errors import InvalidInput
from surveys.organisation.schools import get_class, get_school
from surveys.organisation.waves import get_event, get_wave, open_waves_for

__all__ = ["class_slips_form", "create_class_slips", "create_event_links"]

MAX_SLIPS = 200


async def _form(staff: Staff, school_class, *, values=None, **state) -> Template:
    return await class_form(
        "console/slips_form.html", staff, school_class, title=f"QR-sedler til {school_class.name}",
        values=values or {"count": school_class.pupils or "", "format": "pdf"}, max_slips=MAX_SLIPS, **state,
    )


@get("/classes/{class_id:int}/slips", name="console:slips")
async def class_slips_form(staff: StaffDep, class_id: FromPath[int]) -> Template:
    school_class = await get_class(class_id)
    require(staff, "links.issue", school_class.school)
    return await _form(staff, school_class)


@post("/classes/{class_id:int}/slips", name="console:slips-create", status_code=200)
async def create_class_slips(request: Request, staff: StaffDep, class_id: FromPath[int]) -> Response | Template:
    school_class = await get_class(class_id)
    require(staff, "links.issue", school_class.school)
    form = await request.form()
    problems: dict[str, str] = {}
    count = form_int(form, "count", problems=problems)
    wave_id = form_int(form, "wave", problems=problems)
    output = form.get("format") if form.get("format") in ("pdf", "print") else "pdf"
    values = {"count": form.get("count") or "", "format": output, "wave": wave_id}
    if count is not None and not 1 <= count <= MAX_SLIPS:
        problems["count"] = f"mellem 1 og {MAX_SLIPS}"
    open_ids = {w["id"] for w in await open_waves_for(school_class.school)}
    if wave_id is not None and wave_id not in open_ids:
        problems["wave"] = "vælg en åben måling, som skolen deltager i"
    if problems:
        return await _form(staff, school_class, status_code=422, error="Sedlerne blev ikke lavet.", problems=problems, values=values)
    settings = settings_of(request)
    wave = await get_wave(wave_id)
    school = await get_school(school_class.school)
    label = f"{school.name} {school_class.name}"
    address = typing_address(settings.base_url)

    def print_view(links) -> list[dict]:
        return [{"label": label, "code": format_code(link.code), "qr": qr_svg(link.url, scale=4)} for link in links]

    def pdf(links) -> bytes:
        return slips_pdf([Slip(link, label) for link in links], heading=wave.name, typing_address=address)

    made = await issue_links_with(print_view if output == "print" else pdf, signer_of(request), settings.base_url,
                                  "pupil", count, wave=wave.id, school=school_class.school, school_class=class_id)
    if output == "print":
        return await page(
            "console/slips_print.html", staff, title=f"QR-sedler {label}", heading=wave.name, slips=made, address=address
        )
    return attachment(made, filename=file_name(["sedler", school.name, school_class.name], "pdf"),
                      media_type="application/pdf")


@post("/events/{event_id:int}/links.csv", name="console:event-links", status_code=200)
async def create_event_links(request: Request, staff: StaffDep, event_id: FromPath[int]) -> Response:
    """A CSV of fresh staff links for a mail merge: one row per link."""
    require(staff, "events.manage")
    event = await get_event(event_id)
    form = await request.form()
    count = form_int(form, "count")
    if count is None or not 1 <= count <= 2000:
        raise InvalidInput("Antal links skal være mellem 1 og 2000.", {"count": "uden for grænsen"})
    if event.status != "open":
        raise InvalidInput("Arrangementet er lukket.")
    settings = settings_of(request)

    def table(links) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(["nr", "arrangement", "link", "kode"])
        for number, link in enumerate(links, start=1):
            writer.writerow([number, _cell(event.name), link.url, format_code(link.code)])
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    data = await issue_links_with(table, signer_of(request), settings.base_url, "staff", count, event=event_id)
    return attachment(data, filename=file_name(["links", event.name], "csv"), media_type="text/csv; charset=utf-8")


def _cell(value: str) -> str:
    """Spreadsheet formula injection: a cell starting with = + - @ (or a tab/CR) is prefixed with '."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
