"""Issue 14 in headless Chromium: read-aloud ("Læs op") with the browser's speech synthesis, and
every pupil and staff page reflowing without sideways scrolling at 320 CSS px, at 200 % text on a
360 px phone and at 400 % zoom on a 1280 px screen (WCAG 1.4.4 and 1.4.10); the 0-10 ladder in
one row or balanced rows. Screenshots go to ``build/screenshots/reach/`` (and, when the helpers'
directory exists, ``/work/helpers/screens/i14/``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, axe_violations
from tests.e2e.pupil_world import seed_pupil_world

pytestmark = pytest.mark.browser

SHOTS = [ROOT / "build" / "screenshots" / "reach"]
if Path("/work/helpers/screens").is_dir():
    SHOTS.append(Path("/work/helpers/screens/i14"))

# A stand-in for the browser's speech synthesis: headless Chromium has no voices, so the page
# gets one Danish and one English voice, and every utterance it is asked to speak is recorded.
SPEECH_STUB = """
(() => {
  const voices = %s;
  const spoken = [];
  window.__spoken = spoken;
  const synth = {
    getVoices: () => voices,
    speak: (u) => spoken.push({text: u.text, lang: u.lang, voice: u.voice ? u.voice.lang : null}),
    cancel: () => {}, pause: () => {}, resume: () => {},
    speaking: false, pending: false, paused: false,
    addEventListener: () => {}, removeEventListener: () => {},
  };
  Object.defineProperty(window, 'speechSynthesis', {configurable: true, get: () => synth});
  // the real constructor only takes real SpeechSynthesisVoice objects as its voice
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; this.voice = null; };
})();
"""
VOICES = '[{"lang": "da-DK", "name": "Dansk", "voiceURI": "da", "default": true, "localService": true},' \
         ' {"lang": "en-GB", "name": "English", "voiceURI": "en", "default": false, "localService": true}]'


@pytest.fixture
def world(live_server):
    return seed_pupil_world(live_server.database_url)


def shot(page, name: str) -> None:
    for directory in SHOTS:
        directory.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(directory / f"{name}.png"), full_page=True)


def _speaking_phone(browser, voices: str = VOICES, **options):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="da-DK", **options)
    context.add_init_script(SPEECH_STUB % voices)
    return context


def test_read_aloud_speaks_page_question_and_option_in_the_page_language(live_server, world, browser) -> None:
    context = _speaking_phone(browser)
    page = context.new_page()
    base = f"{live_server.url}/s/{world.tokens[0]}"
    page.goto(base)
    page.get_by_role("button", name="Læs op: Trivsel og rusmidler").click()
    spoken = page.evaluate("window.__spoken")
    assert spoken[-1]["lang"] == "da-DK" and spoken[-1]["voice"] == "da-DK"
    assert spoken[-1]["text"].startswith("Trivsel og rusmidler. Spørgsmålene handler om, hvordan du har det")
    assert axe_violations(page, label="pupil: welcome with read-aloud") == []
    page.get_by_role("link", name="Start").click()  # an htmx swap: the new page gets its buttons too
    page.wait_for_url(base + "/p/1")
    page.get_by_role("button", name="Læs op: Er du …").click()
    assert page.evaluate("window.__spoken")[-1] == {"text": "Er du …", "lang": "da-DK", "voice": "da-DK"}
    page.get_by_role("button", name="Læs op: Pige").click()
    assert page.evaluate("window.__spoken")[-1]["text"] == "Pige"
    assert not page.locator('input[name="koen"][value="2"]').is_checked()  # reading an option does not choose it
    assert page.locator("button.read-aloud").count() >= 6  # the page, the question, its options
    assert axe_violations(page, label="pupil: page 1 with read-aloud") == []
    shot(page, "read-aloud-phone-360")
    page.locator("button.next").click()
    page.wait_for_url(base + "/p/2")
    page.get_by_role("button", name="Læs op: Forestil dig en stige", exact=False).first.click()
    assert page.evaluate("window.__spoken")[-1]["text"].endswith("0 = Værst mulige liv 10 = Bedst mulige liv")
    page.get_by_role("button", name="Læs op: Hvor tit føler du dig ensom?").click()
    assert page.evaluate("window.__spoken")[-1]["text"] == "Hvor tit føler du dig ensom?"
    assert axe_violations(page, label="pupil: page 2 with read-aloud") == []
    page.goto(base + "/p/2?lang=en")
    page.get_by_role("button", name="Read aloud: How often do you feel lonely?").click()
    assert page.evaluate("window.__spoken")[-1] == {
        "text": "How often do you feel lonely?", "lang": "en-GB", "voice": "en-GB"}
    context.close()


def test_read_aloud_is_absent_without_a_voice_or_without_javascript(live_server, world, browser) -> None:
    base = f"{live_server.url}/s/{world.tokens[1]}/p/1"
    english_only = _speaking_phone(browser, voices='[{"lang": "en-US", "name": "E", "voiceURI": "e"}]')
    page = english_only.new_page()
    page.goto(base)  # a Danish page and no Danish voice: no buttons
    assert page.locator("button.read-aloud").count() == 0
    english_only.close()
    silent = _speaking_phone(browser, voices="[]")
    page = silent.new_page()
    page.goto(base)
    assert page.locator("button.read-aloud").count() == 0
    silent.close()
    nojs = _speaking_phone(browser, java_script_enabled=False)
    page = nojs.new_page()
    page.goto(base)
    assert page.locator("button.read-aloud").count() == 0 and page.locator("label.choice").count() > 0
    nojs.close()


def _pages(live_server, world) -> list[tuple[str, str]]:
    base, staff = f"{live_server.url}/s/{world.tokens[2]}", f"{live_server.url}/s/{world.staff}"
    done = f"{live_server.url}/s/{world.tokens[3]}"
    return [
        ("home", f"{live_server.url}/"), ("code", f"{live_server.url}/k"),
        ("privacy", f"{live_server.url}/privatliv"),
        ("welcome", base), ("page-1", base + "/p/1"), ("page-2", base + "/p/2"), ("page-3", base + "/p/3"),
        ("page-4", base + "/p/4"), ("review", base + "/review"),
        ("welcome-en", base + "?lang=en"), ("page-2-en", base + "/p/2?lang=en"),
        ("closed", f"{live_server.url}/s/{world.closed}"), ("not-open", f"{live_server.url}/s/{world.not_open}"),
        ("staff-welcome", staff + "?lang=da"), ("staff-page-1", staff + "/p/1"), ("staff-page-2", staff + "/p/2"),
        ("staff-page-3", staff + "/p/3"), ("staff-review", staff + "/review"),
        ("thanks", done + "/tak"), ("staff-thanks", staff + "/tak"),  # last: these links get answered
    ]


VIEWS = {
    # 320 CSS px (WCAG 1.4.10's width), 200 % text on a 360 px phone, 400 % zoom of a 1280 px screen
    "320": ({"width": 320, "height": 640}, 2, None),
    "text-200": ({"width": 360, "height": 740}, 2, 32),
    "zoom-400": ({"width": 320, "height": 200}, 4, None),
}


def _overflow(page) -> dict:
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          const wide = [];
          for (const el of document.querySelectorAll('main *')) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.right > root.clientWidth + 1 && !el.closest('.table-scroll')) wide.push(el.outerHTML.slice(0, 90));
          }
          return {scroll: root.scrollWidth, client: root.clientWidth, font: getComputedStyle(root).fontSize,
                  body: getComputedStyle(document.body).fontSize, wide: wide.slice(0, 5)};
        }"""
    )


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_pupil_and_staff_page_reflows(live_server, world, browser, view: str) -> None:
    viewport, scale, font = VIEWS[view]
    context = browser.new_context(viewport=viewport, device_scale_factor=scale, locale="da-DK")
    context.add_init_script(SPEECH_STUB % VOICES)  # with the read-aloud buttons, the widest the pages get
    page = context.new_page()
    for name, url in _pages(live_server, world):
        if name == "thanks":  # answer two links, so the thank-you pages (with the help) are there
            for sent in (world.tokens[3], world.staff):
                assert page.request.post(f"{live_server.url}/s/{sent}/submit", max_redirects=0).status == 303
        page.goto(url)
        if font:  # text at 200 %: the root font size doubled, as the browser's text-size setting does
            page.evaluate("document.documentElement.style.fontSize = '200%'")
        if name == "code":
            page.fill("#code", "ABCDEFGHJK")
            page.locator("form button[type=submit]").click()
            page.wait_for_load_state()
            assert page.locator("#code").input_value() == "ABCDEFGHJK"
            if font:
                page.evaluate("document.documentElement.style.fontSize = '200%'")
        found = _overflow(page)
        if font:
            assert found["font"] == "32px" and found["body"] == "34px", found
        assert found["scroll"] <= found["client"], (view, name, found)
        assert found["wide"] == [], (view, name, found)
        if view == "320":  # and axe finds nothing, read-aloud buttons, help boxes and all
            assert axe_violations(page, label=f"reach 320: {name}") == [], name
        if name in ("welcome", "page-2", "page-3", "staff-page-3", "code", "privacy", "thanks"):
            shot(page, f"{view}-{name}")
    context.close()


def test_the_ladder_is_one_row_or_balanced_rows_with_0_first_and_10_last(live_server, world, browser) -> None:
    rows_of = """() => {
      const tops = new Map();
      for (const label of document.querySelectorAll('#q-livstilfredshed .scale label.choice')) {
        const r = label.getBoundingClientRect();
        const top = Math.round(r.top);
        if (!tops.has(top)) tops.set(top, []);
        tops.get(top).push({n: label.innerText.trim(), left: Math.round(r.left), right: Math.round(r.right)});
      }
      const box = document.querySelector('#q-livstilfredshed .scale').getBoundingClientRect();
      return {rows: [...tops.values()], left: Math.round(box.left), right: Math.round(box.right)};
    }"""
    for width, scale, expected in ((1280, 1, [11]), (360, 2, [6, 5]), (320, 4, [6, 5])):
        context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=scale)
        page = context.new_page()
        page.goto(f"{live_server.url}/s/{world.tokens[3]}/p/2")
        found = page.evaluate(rows_of)
        assert [len(r) for r in found["rows"]] == expected, (width, found)
        assert found["rows"][0][0]["n"] == "0" and found["rows"][-1][-1]["n"] == "10"
        assert abs(found["rows"][-1][-1]["right"] - found["right"]) <= 2  # 10 ends the row, over its anchor
        if width == 360:
            shot(page, "ladder-phone-360")
        context.close()


PASSWORD = "a-long-enough-secret"


def _cli(server, *args: str, stdin: str | None = None) -> str:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "server.cli", *args], env=server.env, cwd=ROOT, capture_output=True,
                            text=True, timeout=60, input=stdin)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("screen", [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}],
                         ids=["projector-1080p", "projector-720p"])
def test_the_projected_session_shows_no_console_header_and_a_large_qr(live_server, browser, screen) -> None:
    import io

    import zxingcpp
    from PIL import Image

    _cli(live_server, "schools", "add", "Nordskolen")
    _cli(live_server, "classes", "add", "--school", "Nordskolen", "--name", "7.a", "--grade", "7")
    _cli(live_server, "wave", "create", "--instrument", "ung-trivsel-rusmidler", "--year", "2026", "--name", "Trivsel")
    _cli(live_server, "users", "create", "--email", "admin@k.dk", "--role", "admin", "--ask-password",
         stdin=f"{PASSWORD}\n{PASSWORD}\n")
    context = browser.new_context(viewport=screen, locale="da-DK")
    page = context.new_page()
    page.goto(live_server.url + "/console/login")
    page.fill("input[type=email]", "admin@k.dk")
    page.fill("input[type=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server.url + "/console")
    page.goto(live_server.url + "/console/classes/1/session")
    page.fill("#f-capacity", "24")
    page.click("main button[type=submit]")
    page.wait_for_url("**/console/sessions/*")
    page.get_by_role("link", name="Vis på tavlen").click()
    page.wait_for_url("**?vis=tavle")
    text = page.locator("body").inner_text()
    assert "admin@k.dk" not in text and "Log ud" not in text and page.locator(".console-nav").count() == 0
    box = page.evaluate("""() => {
      const qr = document.querySelector('.present-qr svg').getBoundingClientRect();
      const edges = [...document.querySelectorAll('.present-qr svg, .present-address, .present-code')].map(e => {
        const r = e.getBoundingClientRect();
        return Math.min(r.left, r.top, innerWidth - r.right, innerHeight - r.bottom);
      });
      return {qr: qr.height, margin: Math.min(...edges), height: innerHeight,
              code: parseFloat(getComputedStyle(document.querySelector('.present-code')).fontSize),
              address: parseFloat(getComputedStyle(document.querySelector('.present-address')).fontSize),
              scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth};
    }""")
    assert box["qr"] >= 0.6 * box["height"] and box["margin"] >= 16, box  # large, and clear of the edges
    assert box["code"] >= 48 and box["address"] >= 32 and box["scroll"] <= box["client"], box
    assert axe_violations(page, label="console: class session on the wall") == []
    shot(page, f"session-projected-{screen['width']}")
    [qr] = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(page.screenshot())))]
    assert qr.startswith(live_server.url + "/q/")
    context.close()


CONSOLE_PAGES = ("/console", "/console/schools", "/console/schools/1", "/console/classes/1/session", "/console/waves",
                 "/console/waves/new", "/console/waves/1/progress", "/console/events", "/console/municipality",
                 "/console/password", "/console/reports", "/console/users", "/console/strategy")


@pytest.mark.parametrize("view", list(VIEWS))
def test_console_pages_reflow(live_server, browser, view: str) -> None:
    _cli(live_server, "schools", "add", "Nordskolen med et meget langt navn: Erhvervsuddannelsescentret")
    _cli(live_server, "classes", "add", "--school", "Nordskolen med et meget langt navn: Erhvervsuddannelsescentret",
         "--name", "7.a", "--grade", "7")
    _cli(live_server, "wave", "create", "--instrument", "ung-trivsel-rusmidler", "--year", "2026", "--name", "Trivsel")
    _cli(live_server, "users", "create", "--email", "admin@k.dk", "--role", "admin", "--ask-password",
         stdin=f"{PASSWORD}\n{PASSWORD}\n")
    viewport, scale, font = VIEWS[view]
    context = browser.new_context(viewport=viewport, device_scale_factor=scale, locale="da-DK")
    page = context.new_page()
    page.goto(live_server.url + "/console/login")
    page.fill("input[type=email]", "admin@k.dk")
    page.fill("input[type=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server.url + "/console")
    problems = []
    for path in CONSOLE_PAGES:
        page.goto(live_server.url + path)
        if font:
            page.evaluate("document.documentElement.style.fontSize = '200%'")
        found = _overflow(page)
        if found["scroll"] > found["client"] or found["wide"]:
            problems.append((path, found))
    assert problems == [], (view, problems)
    context.close()
