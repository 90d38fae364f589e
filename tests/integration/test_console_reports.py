"""The report and the response export from the console: roles, background jobs, ZIP contents, downloads."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import zipfile

import openpyxl
import pypdfium2
import pytest

from exports.report.jobs import STOPPED_MESSAGE, report_job, start_report_job, stop_report_jobs
from surveys.db.tables import RawExport, ReportJob
from surveys.responses.importing import insert_responses, stored_instrument
from surveys.responses.synthetic import synthetic_responses
from tests.integration.console_world import World, client, login_as, post_form, user_id, world  # noqa: F401

pytestmark = pytest.mark.anyio


async def _responses() -> int:
    version_id, instrument = await stored_instrument("ung-trivsel-rusmidler")
    data = synthetic_responses(instrument, schools=3, years=[2025, 2026], pupils=12, seed=5)
    return (await insert_responses(version_id, data.rows(), create_schools=True)).imported


@pytest.mark.parametrize("role", ["coordinator_a", "teacher_a"])
async def test_only_admins_and_analysts_reach_reports(client, world: World, role: str) -> None:
    await login_as(client, world, role)
    assert (await client.get("/console/reports")).status_code == 403
    assert (await post_form(client, "/console/reports", {"years": "2026"})).status_code == 403
    assert (await post_form(client, "/console/exports", {"format": "csv"})).status_code == 403
    assert (await client.get("/console/reports/jobs/anything")).status_code == 403
    assert (await client.get("/console/reports/jobs/anything/zip")).status_code == 403
    assert "/console/reports" not in (await client.get("/console")).text
    assert await ReportJob.count() == 0


async def _until_built(client, url: str) -> str:
    """Follow the job page as htmx does until it stops the polling (286)."""
    for _ in range(600):
        poll = await client.get(url, headers={"HX-Request": "true"})
        if poll.status_code == 286:
            return poll.text
        assert poll.status_code == 200 and "Rapporten bygges" in poll.text
        await asyncio.sleep(0.2)
    raise AssertionError("the report was not built in 2 minutes")


async def test_analyst_builds_the_report_in_the_background_and_downloads_the_zip(client, world: World) -> None:
    await _responses()
    await login_as(client, world, "analyst")
    form = await client.get("/console/reports")
    assert form.status_code == 200 and 'value="2026"' in form.text
    assert "/console/reports" in (await client.get("/console")).text
    response = await post_form(client, "/console/reports", {"years": ["2025", "2026"]})
    assert response.status_code == 303, response.text[:500]
    url = response.headers["location"]
    assert url.startswith("/console/reports/jobs/")
    token = url.rsplit("/", 1)[1]
    stored = await ReportJob.select(ReportJob.token_hash, ReportJob.years, ReportJob.created_by).first()
    assert token not in stored["token_hash"] and stored["years"] == "2025,2026"  # only a hash of the token
    assert stored["created_by"] == await user_id(world.emails["analyst"])

    first = await client.get(url)  # the whole page, also without JavaScript
    assert first.status_code == 200 and "Rapport for 2025, 2026" in first.text
    assert 'hx-trigger="every 2s"' in first.text or "Rapporten er klar" in first.text

    done = await _until_built(client, url)
    assert "Rapporten er klar" in done and f"{url}/zip" in done
    page = await client.get(url)
    assert "Rapporten er klar" in page.text and 'hx-trigger' not in page.text

    download = await client.get(f"{url}/zip")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert 'filename="rapport-2026.zip"' in download.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    names = archive.namelist()
    assert {"report.pdf", "report.html", "results.json", "results.csv"} <= set(names)
    assert any(n.startswith("skoler/") for n in names) and any(n.endswith(".svg") for n in names)
    pdf = pypdfium2.PdfDocument(archive.read("report.pdf"))
    assert "Hovedresultater 2026" in pdf[0].get_textpage().get_text_range()

    # Another admin or analyst may fetch it; an unknown or altered token finds nothing.
    assert (await client.get(url + "x")).status_code == 404
    assert (await client.get(url + "x/zip")).status_code == 404


async def test_a_job_that_cannot_be_built_says_why(client, world: World) -> None:
    await _responses()
    staff = await user_id(world.emails["analyst"])
    token = await start_report_job(staff, [2019], None, threshold=5)
    for _ in range(100):
        job = await report_job(token)
        if job.status != "running":
            break
        await asyncio.sleep(0.1)
    assert job.status == "failed" and "Der er ingen svar" in job.message
    await login_as(client, world, "analyst")
    page = await client.get(f"/console/reports/jobs/{token}")
    assert page.status_code == 200 and "Rapporten kunne ikke bygges" in page.text and "Der er ingen svar" in page.text
    assert (await client.get(f"/console/reports/jobs/{token}/zip")).status_code == 404


async def test_a_job_whose_process_stopped_reads_as_failed(client, world: World) -> None:
    await _responses()
    staff = await user_id(world.emails["analyst"])
    token = await start_report_job(staff, [2025, 2026], None, threshold=5)
    await stop_report_jobs()  # the app stopping: the build is cancelled and the job marked
    job = await report_job(token)
    assert job.status == "failed" and job.message == STOPPED_MESSAGE

    # A process killed outright leaves "running" behind; its stopped heartbeat gives it away.
    long_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=6)
    await ReportJob.update({ReportJob.status: "running", ReportJob.heartbeat_at: long_ago}).where(ReportJob.id > 0)
    job = await report_job(token)
    assert job.status == "failed" and job.message == STOPPED_MESSAGE
    await login_as(client, world, "admin")
    assert "Serveren blev genstartet" in (await client.get(f"/console/reports/jobs/{token}")).text


async def test_report_without_years_is_a_422_form(client, world: World) -> None:
    await _responses()
    await login_as(client, world, "admin")
    response = await post_form(client, "/console/reports", {})
    assert response.status_code == 422 and "Vælg mindst ét år" in response.text


async def test_export_download_is_an_xlsx_with_a_codebook(client, world: World) -> None:
    count = await _responses()
    await login_as(client, world, "admin")
    response = await post_form(client, "/console/exports", {"years": ["2025", "2026"], "format": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response.headers["content-type"]
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Svar", "Kodebog", "Fritekst"]
    kept = book["Svar"].max_row - 1  # k-anonymous: rows that no generalisation could hide are left out
    notes = [r[3] for r in book["Kodebog"].iter_rows(values_only=True) if r[0] == "_anonymisering"]
    assert notes and notes[0].startswith("Standardudtræk, k-anonymt med k = 5")
    left_out = sum(int(n.split()[0]) for n in notes if "rækker er udeladt" in n)
    assert kept + left_out == count
    assert await RawExport.count() == 0  # the standard export is not a raw one


async def test_raw_export_needs_an_admin_and_a_reason_and_is_audited(client, world: World) -> None:
    count = await _responses()
    await login_as(client, world, "analyst")
    form = {"years": ["2025", "2026"], "format": "csv", "raw": "1", "reason": "Forskningsprojekt med KU, aftale 2026-14"}
    assert (await post_form(client, "/console/exports", form)).status_code == 403
    assert "Rå data" not in (await client.get("/console/reports")).text
    assert (await client.get("/console/exports/audit")).status_code == 403
    await login_as(client, world, "admin")
    assert "Rå data" in (await client.get("/console/reports")).text
    refused = await post_form(client, "/console/exports", {**form, "reason": "fordi"})
    assert refused.status_code == 422 and "mindst 10 tegn" in refused.text
    assert await RawExport.count() == 0
    response = await post_form(client, "/console/exports", form)
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["svar-2025-2026-raa.csv", "svar-2025-2026-raa.kodebog.csv"]
    assert archive.read("svar-2025-2026-raa.csv").decode("utf-8-sig").count("\r\n") == count + 1
    (entry,) = await RawExport.select()
    assert entry["who"] == world.emails["admin"]
    assert entry["selection"] == "år 2025, 2026" and entry["rows"] == count and entry["format"] == "csv"
    assert entry["reason"] == "Forskningsprojekt med KU, aftale 2026-14"
    audit = await client.get("/console/exports/audit")
    assert audit.status_code == 200 and "Forskningsprojekt med KU" in audit.text and "år 2025, 2026" in audit.text
