"""The console in a real browser on a laptop and a tablet: axe finds nothing at WCAG 2.1 AA,
the keyboard reaches the login form, and the projected class-session QR scans."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from tests.e2e.conftest import ROOT, axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "a-long-enough-secret"


def _cli(server, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", *args], env=server.env, cwd=ROOT, capture_output=True, text=True,
        timeout=60, input=stdin,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 800}, {"width": 820, "height": 1180}], ids=["laptop", "tablet"])
def test_console_pages_are_accessible_and_the_session_qr_scans(live_server, browser, viewport, tmp_path) -> None:
    import zxingcpp
    from PIL import Image

    _cli(live_server, "schools", "add", "Nordskolen")
    _cli(live_server, "classes", "add", "--school", "Nordskolen", "--name", "7.a", "--grade", "7")
    _cli(live_server, "wave", "create", "--instrument", "ung-trivsel-rusmidler", "--year", "2026", "--name", "Trivsel 2026")
    _cli(live_server, "event", "create", "--instrument", "temadag-evaluering", "--name", "Temadag UNG RUS", "--date", "2026-03-01")
    _cli(live_server, "users", "create", "--email", "admin@k.dk", "--role", "admin", "--ask-password", stdin=f"{PASSWORD}\n{PASSWORD}\n")

    context = browser.new_context(viewport=viewport, locale="da-DK")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/console")  # not logged in: the login page
    assert page.url.endswith("/console/login")
    assert axe_violations(page) == []
    page.keyboard.press("Tab")  # the skip link first, then the form by keyboard alone
    page.keyboard.press("Tab")
    page.keyboard.type("admin@k.dk")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/console")

    for path in ("/console", "/console/schools", "/console/schools/1", "/console/classes/1/slips", "/console/classes/1/session",
                 "/console/waves", "/console/waves/new", "/console/waves/1/progress", "/console/events",
                 "/console/import/classes", "/console/municipality",
                 "/console/password", "/console/schools/new", "/console/schools/1/edit", "/console/schools/1/classes/new",
                 "/console/classes/1/edit", "/console/import/schools", "/console/waves/1/edit", "/console/events/new",
                 "/console/events/1", "/console/reports", "/console/exports/audit", "/console/users", "/console/users/new", "/console/users/1"):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path

    page.goto(live_server.url + "/console/classes/1/session")
    page.fill("#f-capacity", "24")
    page.click("main button[type=submit]")
    page.wait_for_url("**/console/sessions/*")
    assert axe_violations(page) == []
    shot = page.screenshot(full_page=True)
    page.screenshot(path=str(tmp_path / "session.png"), full_page=True)
    [qr] = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))]
    assert qr.startswith(live_server.url + "/q/")
    assert "0 af 24 har svaret" in " ".join(page.locator("#counts").inner_text().split())

    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    pupil = phone.new_page()
    pupil.goto(qr)
    assert "/s/" in pupil.url
    phone.close()
    page.wait_for_timeout(3500)  # htmx polls the counts
    assert "1 af 24 links er delt ud" in " ".join(page.locator("#counts").inner_text().split())
    assert errors == []
    context.close()
