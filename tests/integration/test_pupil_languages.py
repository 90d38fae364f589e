"""Pupil pages in the instrument's languages through the real app, on SQLite and PostgreSQL:
``lang``/``dir``, the language switch, the draft's language and the fallbacks."""

from __future__ import annotations

import pytest

from tests.integration.answering_support import make_event_links, make_wave, path

pytestmark = pytest.mark.anyio


async def test_the_front_page_and_errors_in_arabic_are_right_to_left(client) -> None:
    home = await client.get("/?lang=ar")
    assert '<html lang="ar" dir="rtl">' in home.text
    assert "الرمز الموجود على ورقتك" in home.text and 'id="code" name="code"' in home.text
    client.cookies.set("lang", "ar")
    missing = await client.get("/nothing-here")
    assert missing.status_code == 404 and '<html lang="ar" dir="rtl">' in missing.text
    assert "الصفحة غير موجودة" in missing.text


async def test_a_pupil_in_ukrainian_keeps_the_language_on_every_page(client) -> None:
    setup = await make_wave(1, instrument="ung-trivsel-rusmidler")
    base = path(setup.links[0])
    welcome = await client.get(base)
    for tag, name in (("da", "Dansk"), ("en", "English"), ("uk", "Українська"), ("ar", "العربية")):
        assert f'href="{base}?lang={tag}" hx-boost="false" lang="{tag}"' in welcome.text and f">{name}</a>" in welcome.text
    chosen = await client.get(base + "?lang=uk")
    assert '<html lang="uk" dir="ltr">' in chosen.text and "Твої відповіді анонімні" in chosen.text
    page = await client.get(base + "/p/1")
    assert '<html lang="uk" dir="ltr">' in page.text and "Сторінка 1 з" in page.text
    saved = await client.post(base + "/p/1", data={"koen": "2", "nav": "next"})
    assert saved.status_code == 200
    # A new browser (no cookie) on the same link resumes in the draft's language.
    client.cookies.clear()
    assert '<html lang="uk" dir="ltr">' in (await client.get(base + "/p/1")).text


async def test_a_language_the_instrument_lacks_falls_back_to_danish(client) -> None:
    (staff,) = await make_event_links(1)
    page = await client.get(path(staff) + "?lang=ar")  # the theme-day instrument is in Danish and English
    assert '<html lang="da" dir="ltr">' in page.text
    assert "العربية" not in page.text
    pupil = await make_wave(1, instrument="ung-trivsel-rusmidler")
    assert '<html lang="da" dir="ltr">' in (await client.get(path(pupil.links[0]) + "?lang=so")).text
