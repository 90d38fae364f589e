"""A shared classroom device in Chromium: pupil 1 scans the class QR, answers four pages (free text
included) and walks away; pupil 2 scans the same QR on the same phone, is asked "Fortsæt dine svar"
or "Jeg er en ny elev", chooses the latter and sees none of pupil 1's answers. The same by typing
the class code at ``/k`` with JavaScript off. After a submit the device forgets its link."""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
from pathlib import Path

import pytest

from tests.conftest import TEST_KEY
from tests.e2e.conftest import PHONE, axe_violations

pytestmark = pytest.mark.browser

SHOTS = Path("/work/helpers/screens/i12") if Path("/work/helpers/screens").exists() else None
SECRET = "Pupil one wrote this"


async def _seed(database_url: str) -> tuple[str, str]:
    from surveys.answering.class_sessions import SessionTokens, open_class_session
    from surveys.db.engine import opened_database
    from tests.integration.console_world import build_world

    async with opened_database(database_url, pool_size=2):
        world = await build_world()
        tokens = SessionTokens((TEST_KEY,))
        session = await open_class_session(tokens, school_class_id=world.class_a, wave_id=world.wave, capacity=6)
        return tokens.token(session), session.code


def seed(database_url: str) -> tuple[str, str]:
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _seed(database_url)).result()


def shot(page, name: str) -> None:
    if SHOTS is not None:
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def answer_four_pages(page) -> None:
    """Pupil 1: a choice on every page and a free text on the last, then leaves at the review."""
    page.get_by_role("link", name="Start").click()
    for number in range(1, 5):
        page.wait_for_url(re.compile(rf".*/p/{number}$"))
        page.locator("label.choice").first.click()
        if page.locator('textarea[name="besked"]').count():
            page.fill('textarea[name="besked"]', SECRET)
        page.locator("button.next").click()
    page.wait_for_url(re.compile(r".*/review$"))
    assert SECRET in page.content()


def nothing_of_pupil_one(page, base: str) -> None:
    """Every page and the review of ``base`` show no earlier answer."""
    for number in range(1, 5):
        page.goto(f"{base}/p/{number}")
        assert page.locator("input:checked").count() == 0, number
        assert SECRET not in page.content()
        if page.locator('textarea[name="besked"]').count():
            assert page.locator('textarea[name="besked"]').input_value() == ""
    page.goto(f"{base}/review")
    assert SECRET not in page.content()


def test_the_next_pupil_on_a_shared_device_sees_none_of_the_earlier_answers(live_server, browser) -> None:
    token, code = seed(live_server.database_url)
    qr = f"{live_server.url}/q/{token}"
    device = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="da-DK")
    page = device.new_page()
    page.goto(qr)
    first = page.url.split("/s/")[1].split("/")[0]
    answer_four_pages(page)

    page.goto(qr)  # pupil 2, same phone, same QR
    assert "/q/" in page.url and "Er det dig, der svarede før?" in page.content()
    assert first not in page.content() and SECRET not in page.content()
    assert axe_violations(page, label="pupil: shared device choice") == []
    shot(page, "shared-device-choice")
    page.get_by_role("button", name="Jeg er en ny elev").click()
    page.wait_for_url(re.compile(r".*/s/[^/]+$"))
    second = page.url.split("/s/")[1]
    assert second != first and "Fortsæt, hvor du slap" not in page.content()
    nothing_of_pupil_one(page, f"{live_server.url}/s/{second}")
    # Pupil 2 opens pupil 1's address from the browser's history: the unsent draft is gone.
    nothing_of_pupil_one(page, f"{live_server.url}/s/{first}")

    page.goto(qr)  # a scan before pupil 2 has answered anything: the same link again, nothing to ask
    page.wait_for_url(re.compile(r".*/s/[^/]+$"))
    assert page.url.endswith(second)
    page.goto(f"{live_server.url}/s/{second}/p/1")  # pupil 2 answers a page; a scan now asks, "Fortsæt" keeps it
    page.locator("label.choice").first.click()
    page.locator("button.next").click()
    page.wait_for_url(re.compile(r".*/p/2$"))
    page.goto(qr)
    page.get_by_role("button", name="Fortsæt dine svar").click()
    page.wait_for_url(re.compile(r".*/s/[^/]+$"))
    assert page.url.endswith(second)

    page.goto(f"{live_server.url}/s/{second}/review")  # pupil 2 sends
    page.locator("button.next").click()
    page.wait_for_url(re.compile(r".*/tak$"))
    page.goto(qr)  # after a submit the device forgets its link: the next pupil starts at once, fresh
    page.wait_for_url(re.compile(r".*/s/[^/]+$"))
    assert page.url.split("/s/")[1] not in (first, second)
    assert "Fortsæt, hvor du slap" not in page.content()
    device.close()


def test_typing_the_class_code_without_javascript_asks_too(live_server, browser) -> None:
    token, code = seed(live_server.database_url)
    device = browser.new_context(viewport=PHONE, locale="da-DK", java_script_enabled=False)
    page = device.new_page()
    page.goto(f"{live_server.url}/k")
    page.fill("#code", code)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/s/[^/]+$"))
    first = page.url.split("/s/")[1]
    answer_four_pages(page)

    page.goto(f"{live_server.url}/k")
    page.fill("#code", code)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "Er det dig, der svarede før?" in page.content() and first not in page.content()
    shot(page, "shared-device-choice-nojs")
    page.get_by_role("button", name="Jeg er en ny elev").click()
    page.wait_for_url(re.compile(r".*/s/[^/]+$"))
    second = page.url.split("/s/")[1]
    assert second != first
    nothing_of_pupil_one(page, f"{live_server.url}/s/{second}")
    device.close()
