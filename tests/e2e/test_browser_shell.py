"""The front page in a real phone browser: it renders, htmx loads from us, axe finds nothing."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_front_page_on_a_phone(live_server, phone, tmp_path) -> None:
    page = phone.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "trivsel"
    assert page.evaluate("typeof htmx") == "object"
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    assert errors == []
    assert axe_violations(page) == []
