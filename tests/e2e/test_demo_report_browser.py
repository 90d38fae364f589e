"""Out of the box: `trivsel demo` (what `make demo` runs) and nothing else, then in a real browser the
printed one-time login, the forced new password, Console → Mål og landstal and Console → Rapport og
eksport with its defaults: the report is built and reads as demo data."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import pypdfium2
import pytest

from tests.e2e.conftest import PHONE, ROOT, axe_violations

pytestmark = pytest.mark.browser

NEW_PASSWORD = "demo-kommunens-egen-kode"


def _demo(server) -> tuple[str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "demo", "--no-serve"], env=server.env, cwd=ROOT, capture_output=True,
        text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "synthetic answers (marked as demo data)" in result.stdout
    email = re.search(r"e-mail:\s+(\S+)", result.stdout).group(1)
    password = re.search(r"password:\s+(\S+)", result.stdout).group(1)
    return email, password


def _first_login(browser, server, viewport: dict):
    """`trivsel demo`, then its printed login in a browser: the first login asks for a new password."""
    email, password = _demo(server)
    context = browser.new_context(viewport=viewport, locale="da-DK", accept_downloads=True)
    page = context.new_page()
    page.goto(server.url + "/console/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/console/password$"))
    page.fill("#current", password)
    page.fill("#new", NEW_PASSWORD)
    page.fill("#repeated", NEW_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/console$"))
    return context, page


def test_make_demo_then_console_report_builds_a_report_without_any_other_command(live_server, browser) -> None:
    context, page = _first_login(browser, live_server, {"width": 1366, "height": 800})

    page.get_by_role("link", name="Mål og landstal").click()
    page.wait_for_url(re.compile(r"/console/strategy$"))
    assert "højst 20 %" in page.content() and "Landstal (opdigtet eksempel)" in page.content()
    assert axe_violations(page, label="console: targets and reference figures") == []

    page.get_by_role("link", name="Rapport og eksport").click()
    page.wait_for_url(re.compile(r"/console/reports$"))
    page.locator("form[action='/console/reports'] button[type=submit]").click()  # the default years
    page.wait_for_url(re.compile(r"/console/reports/jobs/[^/]+$"))
    link = page.get_by_role("link", name=re.compile(r"Hent rapport-\d{4}\.zip"))
    link.wait_for(timeout=180_000)
    with page.expect_download() as download_info:
        link.click()
    archive = zipfile.ZipFile(download_info.value.path())
    pdf = pypdfium2.PdfDocument(archive.read("report.pdf"))
    front = pdf[0].get_textpage().get_text_range().replace("\r", "").replace("\n", " ").replace("\u00a0", " ")
    assert "Demodata" in front and "Hovedresultater" in front
    assert len(re.findall(r"Mål \d{4}: (nået|ikke nået|endnu ikke nået|kan (endnu )?ikke afgøres)", front)) == 4
    assert {"report.html", "results.json", "charts/har_proevet_hash_udvikling.svg"} <= set(archive.namelist())
    context.close()


def test_targets_page_works_on_a_phone(live_server, browser) -> None:
    context, page = _first_login(browser, live_server, PHONE)
    page.goto(live_server.url + "/console/strategy")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.select_option("#f-indicator", "er_blevet_mobbet")
    page.select_option("#f-op", "<=")
    page.fill("#f-value", "abc")
    page.locator("form[action='/console/strategy/targets'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Skriv målet som et tal" in page.content()
    assert axe_violations(page, label="console: targets 422") == []
    page.fill("#f-value", "8")
    page.fill("#f-year", "2028")
    page.locator("form[action='/console/strategy/targets'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/console/strategy\?saved=target$"))
    assert "højst 8 % i 2028" in page.content()
    context.close()

