"""Staff journeys in a real browser: a teacher's class session counts two phones answering, a
coordinator downloads QR slips, an analyst downloads the report and an export, an admin creates a
user who then logs in. axe checks the pages on the way (forms, their 422 re-renders, the slips
print view, a 403)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import re
import zipfile

import pytest

from tests.e2e.conftest import PHONE, axe_violations
from tests.integration.console_world import PASSWORD

pytestmark = pytest.mark.browser


async def _seed(database_url: str, responses: bool):
    from surveys.db.engine import opened_database
    from tests.integration.console_world import build_world

    async with opened_database(database_url, pool_size=2):
        world = await build_world()
        if responses:
            from surveys.responses.synthetic import synthetic_responses
            from surveys.responses.importing import insert_responses, stored_instrument

            version_id, instrument = await stored_instrument("ung-trivsel-rusmidler")
            data = synthetic_responses(instrument, schools=3, years=[2025, 2026], pupils=12, seed=5)
            await insert_responses(version_id, data.rows(), create_schools=True)
        return world


def seed(database_url: str, *, responses: bool = False):
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _seed(database_url, responses)).result()


def log_in(browser, url: str, email: str, *, width: int = 1366, javascript: bool = True):
    """A new browser context logged in to the console as ``email``, on its front page."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="da-DK", accept_downloads=True,
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.goto(url + "/console/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(url + "/console")
    return context, page


def answer_all(page) -> None:
    """A pupil who taps through every page and sends (no question of the instrument is required)."""
    page.get_by_role("link", name="Start").click()
    for number in range(1, 5):
        page.wait_for_url(re.compile(rf".*/p/{number}$"))
        page.locator(f'label.choice:has(input[name="ensom"])').first.click() if number == 2 else None
        page.locator("button.next").click()
    page.wait_for_url(re.compile(r".*/review$"))
    page.locator("button.next").click()
    page.wait_for_url(re.compile(r".*/tak$"))


def test_teacher_sees_the_count_rise_as_two_phones_answer(live_server, browser) -> None:
    import zxingcpp
    from PIL import Image
    from playwright.sync_api import expect

    world = seed(live_server.database_url)
    context, page = log_in(browser, live_server.url, world.emails["teacher_a"])
    page.goto(f"{live_server.url}/console/classes/{world.class_a}/session")
    page.locator("main form").evaluate("form => form.noValidate = true")  # an old browser: the server checks too
    page.fill("#f-capacity", "0")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "Antal deltagere skal være mellem 1 og 500" in page.content()
    assert axe_violations(page, label="console: session form 422") == []
    page.fill("#f-capacity", "4")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/console/sessions/*")
    counts = page.locator("#counts")
    expect(counts).to_contain_text(re.compile(r"0\s*af 4 har svaret"))
    [qr] = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(page.screenshot(full_page=True))))]

    phones = [browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="da-DK") for _ in range(2)]
    pupils = [phone.new_page() for phone in phones]
    for pupil in pupils:
        pupil.goto(qr)
        assert "/s/" in pupil.url
    assert pupils[0].url != pupils[1].url  # each phone its own link
    expect(counts).to_contain_text("2 af 4 links er delt ud", timeout=10_000)
    answer_all(pupils[0])
    expect(counts).to_contain_text(re.compile(r"1\s*af 4 har svaret"), timeout=10_000)
    answer_all(pupils[1])
    expect(counts).to_contain_text(re.compile(r"2\s*af 4 har svaret"), timeout=10_000)
    assert axe_violations(page, label="console: session screen with answers") == []
    pupils[0].goto(qr)  # the same phone scans again: it forgot its answered link, so a fresh one for the next pupil
    assert "/s/" in pupils[0].url and "allerede svaret" not in pupils[0].content()
    expect(counts).to_contain_text("3 af 4 links er delt ud", timeout=10_000)
    page.get_by_role("button", name=re.compile("Luk runden")).click()
    page.wait_for_load_state()
    assert "Runden er lukket" in page.content()
    assert axe_violations(page, label="console: closed session") == []
    for phone in phones:
        phone.close()
    context.close()


def test_coordinator_downloads_slips_and_is_refused_reports(live_server, browser) -> None:
    import pypdfium2

    world = seed(live_server.database_url)
    context, page = log_in(browser, live_server.url, world.emails["coordinator_a"])
    page.goto(f"{live_server.url}/console/classes/{world.class_a}/slips")
    page.locator("main form").evaluate("form => form.noValidate = true")
    page.fill("#f-count", "999")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "Sedlerne blev ikke lavet" in page.content()
    assert axe_violations(page, label="console: slips form 422") == []
    page.fill("#f-count", "4")
    with page.expect_download() as download_info:
        page.locator("main button[type=submit]").click()
    download = download_info.value
    assert download.suggested_filename == "sedler-alfa-skole-7-a.pdf"
    pdf = pypdfium2.PdfDocument(download.path().read_bytes())
    assert len(pdf) == 1 and "7.a" in pdf[0].get_textpage().get_text_range()

    page.goto(f"{live_server.url}/console/classes/{world.class_a}/slips")
    page.fill("#f-count", "3")
    page.get_by_label(re.compile("Vis i browseren")).check()
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".slip").count() == 3
    assert axe_violations(page, label="console: slips print view") == []

    response = page.goto(f"{live_server.url}/console/reports")
    assert response.status == 403
    assert axe_violations(page, label="console: 403") == []
    response = page.goto(f"{live_server.url}/console/schools/{world.school_b}")
    assert response.status == 403
    context.close()


def test_analyst_downloads_the_report_and_an_export(live_server, browser) -> None:
    import openpyxl

    world = seed(live_server.database_url, responses=True)
    context, page = log_in(browser, live_server.url, world.emails["analyst"])
    page.goto(f"{live_server.url}/console/reports")
    assert axe_violations(page, label="console: reports") == []
    report = page.locator("form[action='/console/reports']")
    for box in report.locator("input[name=years]").all():
        box.uncheck()
    report.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "Vælg mindst ét år" in page.content()
    assert axe_violations(page, label="console: reports 422") == []
    report = page.locator("form[action='/console/reports']")
    report.get_by_label("2025").check()
    report.get_by_label("2026").check()
    report.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/console/reports/jobs/[^/]+$"))
    assert page.get_by_role("heading", name="Rapport for 2025, 2026").is_visible()
    assert axe_violations(page, label="console: report job") == []
    # htmx polls the job and swaps in the download link when the report is built.
    link = page.get_by_role("link", name="Hent rapport-2026.zip")
    link.wait_for(timeout=120_000)
    assert page.locator("#job").get_attribute("aria-live") == "polite"
    assert axe_violations(page, label="console: report job done") == []
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "rapport-2026.zip"
    names = zipfile.ZipFile(download.path()).namelist()
    assert {"report.pdf", "report.html", "results.json", "results.csv"} <= set(names)

    page.get_by_role("link", name="Tilbage til Rapport og eksport").click()
    page.wait_for_url(re.compile(r"/console/reports$"))
    export = page.locator("form[action='/console/exports']")
    for box in export.locator("input[name=years]").all():
        box.uncheck()
    export.get_by_label("2026").check()
    export.get_by_label("Excel (XLSX)").check()
    with page.expect_download() as download_info:
        export.locator("button[type=submit]").click()
    assert download_info.value.suggested_filename == "svar-2026.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()), read_only=True)
    assert book.sheetnames == ["Svar", "Kodebog", "Fritekst"]  # k-anonymous rows; free text apart
    context.close()


def test_admin_creates_a_user_who_logs_in_with_the_one_time_password(live_server, browser) -> None:
    world = seed(live_server.database_url)
    context, page = log_in(browser, live_server.url, world.emails["admin"])
    page.get_by_role("link", name="Brugere").click()
    page.wait_for_url(re.compile(r"/console/users$"))
    page.get_by_role("link", name="Ny bruger").click()
    page.fill("#f-email", "ny.koordinator@test.dk")
    page.locator("input[name=role][value=coordinator]").check()
    page.get_by_role("button", name="Opret brugeren").click()
    page.wait_for_load_state()
    assert "skal have mindst én skole" in page.content()  # no school ticked
    assert axe_violations(page, label="console: new user 422") == []
    page.get_by_label("Alfa Skole").check()
    page.get_by_role("button", name="Opret brugeren").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Brugeren er oprettet").is_visible()
    assert axe_violations(page, label="console: one-time password") == []
    password = page.locator(".one-time-password").inner_text().strip()
    page.screenshot(path="build/screenshots/console-one-time-password.png", full_page=True)
    context.close()

    phone = browser.new_context(viewport=PHONE, locale="da-DK")
    page = phone.new_page()
    page.goto(live_server.url + "/console/login")
    page.fill("#email", "ny.koordinator@test.dk")
    page.fill("#password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/console/password$"))
    page.fill("#current", password)
    page.fill("#new", "koordinatorens-egen-kode")
    page.fill("#repeated", "koordinatorens-egen-kode")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/console$"))
    assert "Alfa Skole" in page.content() and "Beta Skole" not in page.content()
    assert page.get_by_role("link", name="Brugere").count() == 0
    phone.close()
