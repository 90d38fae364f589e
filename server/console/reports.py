"""The municipality report (a ZIP with PDF, HTML, results and charts) and response exports,
for admins and analysts. The analysis and drawing run in a worker thread, never on the loop."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import anyio
from litestar import Request, Response, get, post
from litestar.response import Template

from exports.report.build import zip_report
from exports.report.source import build_report_from_database
from exports.responses import FORMATS, MEDIA_TYPES, export_bytes
from exports.source import DEFAULT_INSTRUMENT, Selection, load_responses
from server.console._web import StaffDep, page, settings_of
from surveys.access import require
from surveys.auth import Staff
from surveys.errors import InvalidInput
from surveys.tables import InstrumentVersion, Response as ResponseRow

__all__ = ["create_report", "download_export", "reports_page"]


async def _years() -> list[int]:
    versions = [r["id"] for r in await InstrumentVersion.select(InstrumentVersion.id).where(InstrumentVersion.key == DEFAULT_INSTRUMENT)]
    if not versions:
        return []
    rows = await ResponseRow.select(ResponseRow.year).where(ResponseRow.instrument.is_in(versions)).distinct()
    return sorted({int(r["year"]) for r in rows})


async def _form(staff: Staff, *, status_code: int = 200, error: str | None = None, values: dict | None = None) -> Template:
    years = await _years()
    values = values or {"years": years[-3:], "baseline": None, "format": "xlsx"}
    return await page(
        "console/reports.html", staff, status_code=status_code, title="Rapport og eksport",
        years=years, values=values, formats=FORMATS, error=error, problems={},
    )


def _chosen(form, years: list[int]) -> tuple[list[int], int | None]:
    chosen = sorted({int(v) for v in form.getall("years", []) if str(v).isdigit() and int(v) in years})
    baseline = form.get("baseline") or ""
    return chosen, int(baseline) if baseline.isdigit() and int(baseline) in years else None


@get("/reports", name="console:reports")
async def reports_page(staff: StaffDep) -> Template:
    require(staff, "reports.run")
    return await _form(staff)


@post("/reports", name="console:report-create", status_code=200)
async def create_report(request: Request, staff: StaffDep) -> Response | Template:
    require(staff, "reports.run")
    form = await request.form()
    chosen, baseline = _chosen(form, await _years())
    values = {"years": chosen, "baseline": baseline, "format": "xlsx"}
    if not chosen:
        return await _form(staff, status_code=422, error="Vælg mindst ét år.", values=values)
    threshold = settings_of(request).suppression_threshold
    try:
        with tempfile.TemporaryDirectory() as folder:
            files = await build_report_from_database(Path(folder) / "rapport", years=chosen, baseline=baseline, threshold=threshold)
            data = await anyio.to_thread.run_sync(zip_report, files)
    except InvalidInput as exc:
        return await _form(staff, status_code=422, error=exc.message, values=values)
    return Response(
        data, media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="rapport-{chosen[-1]}.zip"', "Cache-Control": "no-store"},
    )


@post("/exports", name="console:export", status_code=200)
async def download_export(request: Request, staff: StaffDep) -> Response | Template:
    require(staff, "reports.run")
    form = await request.form()
    chosen, _ = _chosen(form, await _years())
    fmt = form.get("format") if form.get("format") in FORMATS else "xlsx"
    instrument, records = await load_responses(Selection(years=chosen))
    if not records:
        return await _form(staff, status_code=422, error="Der er ingen svar i de valgte år.", values={"years": chosen, "format": fmt})
    data = await anyio.to_thread.run_sync(functools.partial(export_bytes, records, instrument, fmt))
    name = f"svar-{'-'.join(map(str, chosen)) or 'alle'}.{fmt}"
    return Response(
        data, media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )
