"""Read-aloud (issue 14) in Ukrainian and Arabic: the buttons are labelled in the page's language and
speak with a voice of that language, where the browser has one (a recorded speech stub, as in
``test_reach_browser``)."""

from __future__ import annotations

import pytest

from surveys.instruments import PUPIL_INSTRUMENT, builtin_instruments
from tests.e2e.conftest import axe_violations
from tests.e2e.pupil_world import seed_pupil_world
from tests.e2e.test_reach_browser import SPEECH_STUB

pytestmark = pytest.mark.browser

INSTRUMENT = builtin_instruments()[PUPIL_INSTRUMENT]
VOICES = '[{"lang": "uk-UA", "name": "Українська", "voiceURI": "uk"}, {"lang": "ar-SA", "name": "العربية", "voiceURI": "ar"}]'
READ = {"uk": ("Прочитати вголос: ", "uk-UA"), "ar": ("اقرأ بصوت عالٍ: ", "ar")}


@pytest.fixture
def world(live_server):
    return seed_pupil_world(live_server.database_url)


@pytest.mark.parametrize("lang", ["uk", "ar"])
def test_read_aloud_speaks_the_page_language(live_server, world, browser, lang) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    context.add_init_script(SPEECH_STUB % VOICES)
    page = context.new_page()
    base = f"{live_server.url}/s/{world.tokens[0]}"
    page.goto(f"{base}?lang={lang}")
    prefix, locale = READ[lang]
    title = INSTRUMENT.title.get(lang)
    page.get_by_role("button", name=prefix + title).click()
    spoken = page.evaluate("window.__spoken")[-1]
    assert spoken["lang"] == locale and spoken["voice"] == locale.split("-")[0] + ("-SA" if lang == "ar" else "-UA")
    assert spoken["text"].startswith(title)
    assert axe_violations(page, label=f"pupil ({lang}): welcome with read-aloud") == []
    page.goto(base + "/p/1")
    question = INSTRUMENT.question("koen").text.get(lang)
    page.get_by_role("button", name=prefix + question).click()
    assert page.evaluate("window.__spoken")[-1]["text"] == question
    context.close()
