"""The municipality report (a ZIP with PDF, HTML, results and charts) and response exports,
for admins and analysts. The report is built in the background (``exports.report.jobs``):
the form starts a job and the browser follows its page until the ZIP is ready. Exports are
k-anonymous with free text apart (``exports.levels``); admins may tick "rå data" with a
reason, which is audited (``exports.audit``) and listed at /console/exports/audit."""

from __future__ import annotations

import functools

import anyio
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from exports.report.jobs import report_job, report_job_zip, start_report_job
from exports.audit import raw_exports, record_raw_export, valid_reason
from exports.responses import FORMATS, export_download
from exports.source import Selection, load_responses, response_years
from server.console._web import StaffDep, is_htmx, page, settings_of
from server.downloads import attachment
from surveys.accounts.access import allowed, require
from surveys.answering.progress import threshold_for
from surveys.accounts.login import Staff
from surveys.errors import InvalidInput, NotFound

__all__ = ["create_report", "download_export", "download_report", "raw_exports_page", "report_job_page", "reports_page"]


async def _form(staff: Staff, *, status_code: int = 200, error: str | None = None, values: dict | None = None) -> Template:
    years = await response_years()
    values = values or {"years": years[-3:], "baseline": None, "format": "xlsx"}
    return await page(
        "console/reports.html", staff, status_code=status_code, title="Rapport og eksport",
        years=years, values=values, formats=FORMATS, error=error, problems={}, can_raw=allowed(staff, "exports.raw"),
    )


def _chosen(form, years: list[int]) -> tuple[list[int], int | None]:
    chosen = sorted({int(v) for v in form.getall("years", []) if str(v).isdigit() and int(v) in years})
    baseline = form.get("baseline") or ""
    return chosen, int(baseline) if baseline.isdigit() and int(baseline) in years else None


@get("/reports", name="console:reports")
async def reports_page(staff: StaffDep) -> Template:
    require(staff, "reports.run")
    return await _form(staff)


@post("/reports", name="console:report-create", status_code=303)
async def create_report(request: Request, staff: StaffDep) -> Redirect | Template:
    require(staff, "reports.run")
    form = await request.form()
    chosen, baseline = _chosen(form, await response_years())
    if not chosen:
        values = {"years": chosen, "baseline": baseline, "format": "xlsx"}
        return await _form(staff, status_code=422, error="Vælg mindst ét år.", values=values)
    token = await start_report_job(staff.id, chosen, baseline, threshold=settings_of(request).suppression_threshold)
    return Redirect(f"/console/reports/jobs/{token}", status_code=303)


@get("/reports/jobs/{token:str}", name="console:report-job")
async def report_job_page(request: Request, staff: StaffDep, token: FromPath[str]) -> Template:
    """The job's state; htmx polls it while the report is built (286 stops the polling)."""
    require(staff, "reports.run")
    job = await report_job(token)
    if job is None:
        raise NotFound("Rapporten findes ikke. Rapporter gemmes i et døgn.")
    context = {"job": job, "url": f"/console/reports/jobs/{token}"}
    if is_htmx(request):
        status = 200 if job.status == "running" else 286
        return await page("console/_report_job.html", staff, status_code=status, headers={"Vary": "HX-Request"}, **context)
    return await page("console/report_job.html", staff, title="Kommunens rapport", headers={"Vary": "HX-Request"}, **context)


@get("/reports/jobs/{token:str}/zip", name="console:report-zip")
async def download_report(staff: StaffDep, token: FromPath[str]) -> Response:
    require(staff, "reports.run")
    found = await report_job_zip(token)
    if found is None:
        raise NotFound("Rapporten findes ikke, eller den er ikke færdig endnu.")
    filename, data = found
    return attachment(data, filename=filename, media_type="application/zip")


@post("/exports", name="console:export", status_code=200)
async def download_export(request: Request, staff: StaffDep) -> Response | Template:
    require(staff, "reports.run")
    form = await request.form()
    chosen, _ = _chosen(form, await response_years())
    fmt = form.get("format") if form.get("format") in FORMATS else "xlsx"
    raw = form.get("raw") == "1"
    values = {"years": chosen, "format": fmt, "raw": raw, "reason": form.get("reason") or ""}
    if raw:
        require(staff, "exports.raw")
        try:
            reason = valid_reason(form.get("reason"))
        except InvalidInput as exc:
            return await _form(staff, status_code=422, error=str(exc), values=values)
    instrument, records = await load_responses(Selection(years=chosen))
    if not records:
        return await _form(staff, status_code=422, error="Der er ingen svar i de valgte år.", values=values)
    if raw:
        await record_raw_export(staff.email, wave=None, event=None, years=chosen, fmt=fmt, rows=len(records), reason=reason)
    threshold = await threshold_for(settings_of(request).suppression_threshold)
    stem = f"svar-{'-'.join(map(str, chosen)) or 'alle'}" + ("-raa" if raw else "")
    download = await anyio.to_thread.run_sync(functools.partial(
        export_download, records, instrument, fmt, level="raw" if raw else "standard", threshold=threshold, stem=stem,
    ))
    return attachment(download.data, filename=f"{stem}.{download.extension}", media_type=download.media_type)


@get("/exports/audit", name="console:raw-exports")
async def raw_exports_page(staff: StaffDep) -> Template:
    """Every raw export: who, when, what and why (admins)."""
    require(staff, "exports.raw")
    return await page("console/raw_exports.html", staff, title="Udtræk af rå data", entries=await raw_exports())
