"""An admin takes raw data from the console in a real browser, without JavaScript and at
320 px: the reason is required, the download is a ZIP of the rows as stored, and the log of raw
exports lists who, what and why. An analyst sees no raw-data box."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from tests.e2e.conftest import axe_violations
from tests.e2e.test_console_journeys_browser import log_in, seed

pytestmark = pytest.mark.browser
SCREENS = Path("/work/helpers/screens/i13")
REASON = "Udtræk til forskningsprojekt om trivsel, aftale 2026-7"


def _shot(page, name: str) -> None:
    if SCREENS.parent.exists():
        SCREENS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENS / name), full_page=True)


def test_admin_takes_raw_data_with_a_reason_and_it_is_logged(live_server, browser) -> None:
    world = seed(live_server.database_url, responses=True)
    context, page = log_in(browser, live_server.url, world.emails["analyst"], width=320, javascript=False)
    page.goto(live_server.url + "/console/reports")
    assert page.locator("input[name=raw]").count() == 0  # analysts: the standard export only
    context.close()

    context, page = log_in(browser, live_server.url, world.emails["admin"], width=320, javascript=False)
    page.goto(live_server.url + "/console/reports")
    export = page.locator("form[action='/console/exports']")
    export.get_by_label("CSV (UTF-8)").check()
    export.locator("input[name=raw]").check()
    export.get_by_label(re.compile("Begrundelse")).fill("kort")
    export.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "mindst 10 tegn" in page.content()  # 422 with the form again, nothing handed out
    _shot(page, "raw-export-refused-320.png")
    export = page.locator("form[action='/console/exports']")
    export.get_by_label(re.compile("Begrundelse")).fill(REASON)
    with page.expect_download() as download_info:
        export.locator("button[type=submit]").click()
    download = download_info.value
    assert re.fullmatch(r"svar-.*-raa\.zip", download.suggested_filename)
    names = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())).namelist()
    assert any(n.endswith("-raa.csv") for n in names) and not any("fritekst" in n for n in names)

    page.goto(live_server.url + "/console/reports")
    page.get_by_role("link", name="loggen over rå udtræk").click()
    page.wait_for_url(live_server.url + "/console/exports/audit")
    text = page.content()
    assert REASON in text and world.emails["admin"] in text
    _shot(page, "raw-export-log-320.png")
    context.close()

    context, page = log_in(browser, live_server.url, world.emails["admin"], width=320)  # axe needs JavaScript
    for path in ("/console/exports/audit", "/console/reports"):
        page.goto(live_server.url + path)
        assert axe_violations(page, label=f"console: {path} at 320 px") == []
    context.close()
