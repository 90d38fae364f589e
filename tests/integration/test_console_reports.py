"""The report and the response export from the console: roles, ZIP contents, downloads."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pypdfium2
import pytest

from surveys.demo_data import synthetic_responses
from surveys.response_import import insert_responses, stored_instrument
from tests.integration.console_world import World, client, login_as, post_form, world  # noqa: F401

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
    assert "/console/reports" not in (await client.get("/console")).text


async def test_analyst_builds_the_report_zip(client, world: World) -> None:
    await _responses()
    await login_as(client, world, "analyst")
    form = await client.get("/console/reports")
    assert form.status_code == 200 and 'value="2026"' in form.text
    assert "/console/reports" in (await client.get("/console")).text
    response = await post_form(client, "/console/reports", {"years": ["2025", "2026"]})
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "application/zip"
    assert 'filename="rapport-2026.zip"' in response.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert {"report.pdf", "report.html", "results.json", "results.csv"} <= set(names)
    assert any(n.startswith("skoler/") for n in names) and any(n.endswith(".svg") for n in names)
    pdf = pypdfium2.PdfDocument(archive.read("report.pdf"))
    assert "Strategiens mål 2026" in pdf[0].get_textpage().get_text_range()


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
    assert book.sheetnames == ["Svar", "Kodebog"]
    assert book["Svar"].max_row == count + 1
