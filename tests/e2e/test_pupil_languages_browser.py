"""A pupil answers the whole survey in Ukrainian and in Arabic on a 360 px phone (headless Chromium).

Every page: ``lang`` and ``dir`` on ``<html>``, nothing wider than the screen, axe at WCAG 2.1
A/AA, thumb-sized controls; Arabic laid out right to left (the "next" button at the reading end,
the progress bar filling from the right). The response is stored with its language, and the
export and its codebook carry the labels in that language. Screenshots go to
``build/screenshots/`` (and ``/work/helpers/screens/i16/`` when that folder exists).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from surveys.instruments import PUPIL_INSTRUMENT, builtin_instruments
from tests.e2e.conftest import PHONE, ROOT, axe_violations
from tests.e2e.pupil_world import answer_every_radio_group, choose, seed_pupil_world

pytestmark = pytest.mark.browser

SHOTS = [ROOT / "build" / "screenshots", Path("/work/helpers/screens/i16")]
INSTRUMENT = builtin_instruments()[PUPIL_INSTRUMENT]
NAMES = {"uk": "Українська", "ar": "العربية"}
DIRECTIONS = {"uk": "ltr", "ar": "rtl"}
THANKS = {"uk": "Дякуємо за твої відповіді!", "ar": "شكرًا على إجاباتك!"}


@pytest.fixture
def world(live_server):
    return seed_pupil_world(live_server.database_url)


def check(page, lang: str, name: str) -> None:
    """The page is in ``lang`` with its direction, fits the phone, passes axe, and is saved as a screenshot."""
    html = page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]")
    assert html == [lang, DIRECTIONS[lang]], (name, html)
    assert axe_violations(page, label=f"pupil ({lang}): {name}") == [], name
    layout = page.evaluate(
        """() => {
          const root = document.documentElement, wide = [];
          for (const el of document.querySelectorAll('main *')) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && (r.left < -1 || r.right > root.clientWidth + 1)) wide.push(el.outerHTML.slice(0, 80));
          }
          const small = [];
          for (const el of document.querySelectorAll('main button, main .button, main label.choice, main input[type=text], main textarea')) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.height > 0 && (r.height < 44 || r.width < 44)) small.push(el.outerHTML.slice(0, 80));
          }
          return {scroll: root.scrollWidth, client: root.clientWidth, wide, small};
        }"""
    )
    assert layout["scroll"] <= layout["client"] <= PHONE["width"], (name, layout)
    assert layout["wide"] == [] and layout["small"] == [], (name, layout)
    for folder in SHOTS:
        if folder.parent.exists():
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"pupil-{lang}-{name}.png"), full_page=True)


def label(question: str, code: int, lang: str) -> str:
    return next(o.label.get(lang) for o in INSTRUMENT.question(question).options if o.code == code)


def next_page(page, expected_url: str) -> None:
    page.locator("button.next").click()
    page.wait_for_url(expected_url)


def navigation_mirrors(page, lang: str) -> None:
    """"Next" sits at the reading end of the row: right in a left-to-right page, left in Arabic."""
    next_box = page.locator("button.next").bounding_box()
    back_box = page.locator("button.back, a.back").first.bounding_box()
    if abs(next_box["y"] - back_box["y"]) < 5:  # on one row
        assert (next_box["x"] > back_box["x"]) == (DIRECTIONS[lang] == "ltr"), lang
    if page.locator("progress").count():
        direction = page.evaluate("() => getComputedStyle(document.querySelector('progress')).direction")
        assert direction == DIRECTIONS[lang]


def stored(database_url: str) -> list[dict]:
    from surveys.db.engine import opened_database
    from surveys.db.tables import Response

    async def read():
        from tests.integration.answering_support import release_all

        async with opened_database(database_url, pool_size=1):
            await release_all()  # a lone answer is held (sealed) until its class can be released: as at closing
            return await Response.select(Response.language, Response.wave, Response.answers)

    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # Playwright's sync API owns this thread's loop
        return pool.submit(asyncio.run, read()).result()


@pytest.mark.parametrize("lang", ["uk", "ar"])
def test_a_pupil_answers_the_whole_survey_in_their_language(live_server, world, phone, lang, tmp_path) -> None:
    page = phone.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    base = f"{live_server.url}/s/{world.tokens[0]}"

    page.goto(base)
    switch = page.locator("nav.language-choice a")
    assert switch.all_inner_texts() == ["Dansk", "English", "Українська", "العربية"]
    page.get_by_role("link", name=NAMES[lang]).click()
    page.wait_for_url(f"{base}?lang={lang}")
    assert page.locator("main h1").inner_text() == INSTRUMENT.title.get(lang)
    check(page, lang, "welcome")
    privacy = page.locator('main a[href^="/privatliv"]')  # the privacy notice, where the pages have one
    if privacy.count():
        privacy.first.click()
        page.wait_for_load_state()
        check(page, lang, "privacy")
        page.goto(base)
    page.locator("main .actions a.button").first.click()

    page.wait_for_url(base + "/p/1")
    assert page.locator("main h1").inner_text() == INSTRUMENT.sections[0].title.get(lang)
    if page.locator('input[name="klassetrin"]').count():  # version 2 takes the grade from the class
        choose(page, "klassetrin", label("klassetrin", 8, lang))
    choose(page, "koen", label("koen", 2, lang))
    navigation_mirrors(page, lang)
    check(page, lang, "page-1")
    next_page(page, base + "/p/2")

    page.locator('label.choice:has(input[name="livstilfredshed"][value="7"])').click()
    answer_every_radio_group(page)
    check(page, lang, "page-2")
    next_page(page, base + "/p/3")

    follow_up = page.locator("#q-hash_seneste_maaned")
    assert follow_up.is_hidden()
    choose(page, "hash_nogensinde", label("hash_nogensinde", 2, lang))
    assert follow_up.is_visible()
    other_drugs = page.locator('label.choice:has(input[name="andre_stoffer"][value="7"])')
    if other_drugs.is_visible():
        other_drugs.click()
    answer_every_radio_group(page)
    check(page, lang, "page-3")
    next_page(page, base + "/p/4")

    answer_every_radio_group(page)
    page.locator('label.choice:has(input[name="kender_tilbud"][value="2"])').click()
    page.fill("textarea", "Дякую / شكرًا 123")
    check(page, lang, "page-4")
    next_page(page, base + "/review")
    review = page.locator("main").inner_text()
    assert label("hash_nogensinde", 2, lang) in review and label("koen", 2, lang) in review
    navigation_mirrors(page, lang)
    check(page, lang, "review")

    page.locator("button.next").click()
    page.wait_for_url(base + "/tak")
    assert page.locator("main h1").inner_text() == THANKS[lang]
    check(page, lang, "thanks")

    # The code form and an error page keep the chosen language (a cookie), with its direction.
    page.goto(live_server.url + "/k")
    check(page, lang, "code-form")
    assert page.evaluate("() => getComputedStyle(document.getElementById('code')).direction") == "ltr"  # codes stay LTR
    assert errors == []
    response = page.goto(live_server.url + "/nothing-here")
    assert response.status == 404
    check(page, lang, "not-found")

    (row,) = stored(live_server.database_url)
    assert row["language"] == lang

    # The export keeps the language; its codebook carries the labels in it (a draft, and says so).
    out = tmp_path / "svar.csv"
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "export", "--format", "csv", "--wave", str(row["wave"]), "--out", str(out),
         "--raw", "--reason", "test: one pupil's language"],  # one answer: the k-anonymous level would hide it
        env={**os.environ, **live_server.env}, capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    (record,) = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert record["language"] == lang and record["koen"] == "2"
    codebook = list(csv.reader(out.with_name("svar.kodebog.csv").read_text(encoding="utf-8-sig").splitlines()))
    header = codebook[0]
    label_column = next(i for i, name in enumerate(header) if name.startswith(f"kode_label_{lang}"))
    assert "kladde" in header[label_column] and "modersmålstalende" in header[label_column]
    koen_girl = next(r for r in codebook[1:] if r[0] == "koen" and r[6] == "2")
    assert koen_girl[label_column] == label("koen", 2, lang)


def test_a_pupil_with_a_code_chooses_arabic_on_the_front_page(live_server, world, phone) -> None:
    page = phone.new_page()
    page.goto(live_server.url + "/")
    assert page.locator("nav.language-choice a").all_inner_texts() == ["Dansk", "English", "العربية", "Українська"]
    page.get_by_role("link", name="العربية").click()
    page.wait_for_url(live_server.url + "/k?lang=ar")
    assert page.locator("main h1").inner_text() == "اكتب رمزك"
    check(page, "ar", "code-chosen")
    page.fill("#code", world.code.lower())
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/k/[^/?]+$"))
    assert page.locator("main h1").inner_text() == INSTRUMENT.title.get("ar")  # the cookie carries the choice
    check(page, "ar", "code-welcome")


@pytest.mark.parametrize(("width", "text"), [(320, "100%"), (720, "200%")])
def test_arabic_pages_reflow(live_server, world, browser, width, text) -> None:
    """WCAG 1.4.10 (320 px wide) and 1.4.4 (text at 200 %) for the right-to-left layout: nothing sideways."""
    context = browser.new_context(viewport={"width": width, "height": 640}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    base = f"{live_server.url}/s/{world.tokens[1]}"
    for path in ("?lang=ar", "/p/1", "/p/2", "/p/3", "/p/4", "/review"):
        page.goto(base + path)
        page.evaluate("(size) => { document.documentElement.style.fontSize = size; }", text)  # CSSOM: the CSP allows it
        overflow = page.evaluate(
            """() => {
              const root = document.documentElement, wide = [];
              for (const el of document.querySelectorAll('body *:not(.skip-link)')) {
                const r = el.getBoundingClientRect();
                if (r.width > 0 && (r.left < -1 || r.right > root.clientWidth + 1)) wide.push(el.outerHTML.slice(0, 80));
              }
              return {dir: root.dir, scroll: root.scrollWidth, client: root.clientWidth, wide};
            }"""
        )
        assert overflow["dir"] == "rtl", path
        assert overflow["scroll"] <= overflow["client"] and overflow["wide"] == [], (path, overflow)
    context.close()
