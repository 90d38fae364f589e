"""A pupil on a 360 px phone in headless Chromium: the whole survey, a reload, a re-scan, a
double tap on submit, the back button after submitting, English, and the same without
JavaScript. Every pupil page passes axe at WCAG 2.1 A/AA and is saved as a screenshot in
``build/screenshots/`` (looked at by a person; checked here for overflow and tap targets)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import PHONE, ROOT, axe_violations
from tests.e2e.pupil_world import answer_every_radio_group, choose, count_rows, seed_pupil_world

pytestmark = pytest.mark.browser

SHOTS = ROOT / "build" / "screenshots"


@pytest.fixture
def world(live_server):
    return seed_pupil_world(live_server.database_url)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"pupil-{name}.png"), full_page=True)


def check(page, name: str, label: str | None = None) -> None:
    """axe finds nothing; nothing is wider than the screen or its box; every control is big enough for a thumb."""
    assert axe_violations(page, label=label or f"pupil: {name}") == [], name
    layout = page.evaluate(
        """() => {
          const small = [];
          for (const el of document.querySelectorAll('main button, main .button, main label.choice, main input[type=text], main textarea')) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.height > 0 && (r.height < 44 || r.width < 44)) small.push(el.outerHTML.slice(0, 80));
            if (el.scrollWidth > el.clientWidth + 1) small.push('text wider than its box: ' + el.outerHTML.slice(0, 80));
          }
          return {width: document.documentElement.scrollWidth, small};
        }"""
    )
    assert layout["width"] <= PHONE["width"], (name, layout["width"])
    assert layout["small"] == [], (name, layout["small"])
    shot(page, name)


def next_page(page, expected_url: str) -> None:
    page.locator("button.next").click()
    page.wait_for_url(expected_url)


def heading(page) -> str:
    return page.locator("main h1").inner_text()


def test_pupil_answers_the_whole_survey_on_a_phone(live_server, world, phone) -> None:
    page = phone.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    base = f"{live_server.url}/s/{world.tokens[0]}"

    page.goto(base)
    assert "Dine svar er anonyme" in page.content()
    check(page, "welcome")
    page.get_by_role("link", name="English").click()  # switch language and back
    page.wait_for_url(base + "?lang=en")
    assert heading(page) == "Wellbeing and substances"
    check(page, "welcome-en")
    page.get_by_role("link", name="Start").click()
    page.wait_for_url(base + "/p/1")
    assert heading(page) == "About you"
    check(page, "page-1-en")
    page.goto(base + "?lang=da")
    assert heading(page) == "Trivsel og rusmidler"

    page.get_by_role("link", name="Start").click()
    page.wait_for_url(base + "/p/1")
    assert "Side 1 af 4" in page.content()
    assert page.locator('input[name="klassetrin"]').count() == 0  # the class (7.a) tells the grade
    choose(page, "koen", "Pige")
    check(page, "page-1")
    next_page(page, base + "/p/2")

    choose(page, "livstilfredshed", "7")
    answer_every_radio_group(page)
    check(page, "page-2")
    next_page(page, base + "/p/3")

    # Reload mid-way: still page 3. Re-scan the slip: the welcome page offers to resume.
    page.reload()
    assert page.url == base + "/p/3" and "Side 3 af 4" in page.content()
    page.goto(base)
    check(page, "welcome-resume")
    page.get_by_role("link", name="Fortsæt, hvor du slap").click()
    page.wait_for_url(base + "/p/3")
    page.locator("button.back").click()  # page 2 kept its answers
    page.wait_for_url(base + "/p/2")
    assert page.locator('input[name="livstilfredshed"][value="7"]').is_checked()
    next_page(page, base + "/p/3")

    follow_up = page.locator("#q-hash_seneste_maaned")
    assert follow_up.is_hidden()
    choose(page, "hash_nogensinde", "Ja, 1–2 gange")
    assert follow_up.is_visible()  # revealed on the phone, no round trip
    choose(page, "hash_seneste_maaned", "Nej")
    assert page.locator("#q-andre_stoffer").count() == 0  # asked from 8. klasse only
    assert page.locator("#q-fuld_seneste_maaned").is_hidden()  # until "Ja" to alcohol
    choose(page, "alkohol_nogensinde", "Ja")
    assert page.locator("#q-fuld_seneste_maaned").is_visible()
    answer_every_radio_group(page)
    check(page, "page-3")
    next_page(page, base + "/p/4")

    answer_every_radio_group(page)
    page.locator('label.choice:has(input[name="kender_tilbud"][value="2"])').click()
    page.fill("textarea", "<script>alert('x')</script> æøå 👍")
    check(page, "page-4")
    next_page(page, base + "/review")
    assert page.locator("main").inner_text().count("<script>alert('x')</script> æøå 👍") == 1
    assert "Ja, 1–2 gange" in page.locator("main").inner_text()
    check(page, "review")

    # A double tap on "send": one response.
    page.locator("button.next").dblclick()
    page.wait_for_url(base + "/tak")
    assert heading(page) == "Tak for dine svar!"
    assert "BørneTelefonen" in page.content() and page.locator('a[href="tel:116111"]').count() == 1
    check(page, "thanks")
    counts = count_rows(live_server.database_url)
    assert counts == {"responses": 1, "used": 1, "drafts": 0}

    # Back after submitting: never the form again, only "you have answered".
    page.go_back()
    page.wait_for_load_state()
    assert heading(page) in ("Du har allerede svaret – tak!", "Tak for dine svar!")
    page.goto(base + "/p/2")
    assert heading(page) == "Du har allerede svaret – tak!"
    check(page, "already-answered")
    page.goto(base)
    assert heading(page) == "Du har allerede svaret – tak!"
    assert count_rows(live_server.database_url)["responses"] == 1
    assert errors == []


def test_pupil_answers_without_javascript(live_server, world, browser) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  java_script_enabled=False, locale="da-DK")
    page = context.new_page()
    base = f"{live_server.url}/s/{world.test_tokens[0]}"
    page.goto(base)
    page.get_by_role("link", name="Start").click()
    page.wait_for_url(base + "/p/1")
    page.locator("textarea").fill("x" * 19)
    page.locator("button.next").click()  # q1 is required: the page comes back (422) with the reason
    page.wait_for_load_state()
    assert page.url == base + "/p/1"
    assert "Besvar venligst spørgsmålet." in page.content()
    assert page.locator("textarea").input_value() == "x" * 19
    shot(page, "nojs-page-422")  # (no script runs in this context: axe checks these pages with JavaScript on)
    choose(page, "q1", "Skidt")
    page.locator("button.next").click()  # without JavaScript the follow-up question appears after sending
    page.wait_for_load_state()
    assert page.url == base + "/p/1" and page.locator("#q-q3").is_visible()
    choose(page, "q3", "Skole")
    next_page(page, base + "/p/2")
    page.locator('label.choice:has(input[name="q4"][value="1"])').click()
    page.locator('label.choice:has(input[name="q4"][value="2"])').click()
    page.locator('label.choice:has(input[name="q4"][value="3"])').click()  # max 2
    page.locator("button.next").click()
    page.wait_for_load_state()
    assert "Du har valgt for mange. Fjern nogle af dem." in page.content() and "Vælg højst 2." in page.content()
    shot(page, "nojs-page-422-too-many")
    page.locator('label.choice:has(input[name="q4"][value="3"])').click()
    page.fill("#f-q6", "12")
    next_page(page, base + "/review")  # page 3 has nothing for this pupil: skipped
    page.locator("button.next").click()
    page.wait_for_url(base + "/tak")
    assert heading(page) == "Tak for dine svar!"

    # A pupil who jumps straight to the review and sends: the missing answers are named (422).
    other = f"{live_server.url}/s/{world.test_tokens[1]}"
    page.goto(other + "/review")
    page.locator("button.next").click()
    page.wait_for_load_state()
    assert page.url == other + "/submit"
    assert "Nogle spørgsmål skal besvares" in page.content()
    shot(page, "nojs-review-422")
    assert count_rows(live_server.database_url)["responses"] == 1
    context.close()


def test_rejected_pages_with_javascript(live_server, world, phone) -> None:
    """The 422 pages as htmx swaps them in: the reasons beside the fields, still accessible."""
    page = phone.new_page()
    base = f"{live_server.url}/s/{world.test_tokens[2]}"
    page.goto(base + "/p/1")
    page.locator("button.next").click()
    page.locator(".errors-summary").wait_for()
    assert page.url == base + "/p/1" and "Besvar venligst spørgsmålet." in page.content()
    check(page, "page-422")
    choose(page, "q1", "Godt")
    next_page(page, base + "/p/2")
    for code in ("1", "2", "3"):
        page.locator(f'label.choice:has(input[name="q4"][value="{code}"])').click()
    page.locator("button.next").click()
    page.get_by_text("Du har valgt for mange. Fjern nogle af dem.").wait_for()
    check(page, "page-422-too-many")

    other = f"{live_server.url}/s/{world.test_tokens[3]}"
    page.goto(other + "/review")
    page.locator("button.next").click()
    page.locator(".errors-summary").wait_for()
    assert "Nogle spørgsmål skal besvares" in page.content()
    check(page, "review-422")
    assert count_rows(live_server.database_url)["responses"] == 0


def test_codes_errors_and_staff_pages_on_a_phone(live_server, world, phone) -> None:
    page = phone.new_page()
    url = live_server.url
    page.goto(url + "/")
    check(page, "home", label="/")  # the front page (also checked by test_browser_shell)

    page.goto(url + "/k")
    check(page, "code-form")
    page.fill("#code", "NOPE-NOPE")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "Den kode findes ikke" in page.content()
    check(page, "code-not-found")
    page.fill("#code", world.code.lower())
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/k/[^/]+$"))
    assert heading(page) == "Trivsel og rusmidler"
    check(page, "code-welcome")

    for name, path, status, text in (
        ("link-not-found", f"/s/{world.tokens[0][:-3]}abc", 404, "Linket findes ikke"),
        ("closed", f"/s/{world.closed}", 410, "Spørgeskemaet er lukket"),
        ("not-open", f"/s/{world.not_open}", 403, "ikke åbnet endnu"),
        ("page-not-found", f"/s/{world.tokens[1]}/p/9", 404, "Siden findes ikke"),
        ("not-found", "/nothing-here", 404, "Siden findes ikke"),
        ("not-found-en", "/nothing-here?lang=en", 404, "Page not found"),
    ):
        response = page.goto(url + path)
        assert response.status == status, name
        assert text in page.content(), name
        check(page, name)

    page.goto(f"{url}/s/{world.staff}")
    assert "Temadag" in page.content() or heading(page)
    check(page, "staff-welcome")
    page.get_by_role("link", name="Start").click()
    page.wait_for_url(re.compile(r".*/p/1$"))
    check(page, "staff-page-1")
