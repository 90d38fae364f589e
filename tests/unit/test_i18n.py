"""The interface's languages: Danish and English in ``server/i18n.py``, further ones in ``server/locales``;
every language has the Danish keys with the same placeholders and is named in itself."""

from __future__ import annotations

import re
import string

import pytest

from server.i18n import CATALOGUES, LANGUAGES, MESSAGES, language_choices, pick_language, translator

__all__: list[str] = []

DANISH = MESSAGES["da"]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("tag", sorted(CATALOGUES))
def test_every_language_has_the_danish_keys_and_placeholders(tag: str) -> None:
    messages = MESSAGES[tag]
    assert set(messages) == set(DANISH), set(messages) ^ set(DANISH)
    for key, text in DANISH.items():
        assert text.strip() and messages[key].strip(), (tag, key)
        assert placeholders(messages[key]) == placeholders(text), (tag, key)
    assert CATALOGUES[tag].status in ("validated", "draft")


def test_ukrainian_and_arabic_ship_as_drafts_named_in_themselves() -> None:
    assert LANGUAGES[:2] == ("da", "en")
    assert set(LANGUAGES) >= {"da", "en", "uk", "ar"}
    uk, ar = CATALOGUES["uk"], CATALOGUES["ar"]
    assert (uk.name, uk.status, uk.direction) == ("Українська", "draft", "ltr")
    assert (ar.name, ar.status, ar.direction) == ("العربية", "draft", "rtl")
    # Really translated: the scripts are Cyrillic and Arabic, not Danish left in place.
    assert re.search("[А-Яа-яІіЇїЄє]", translator("uk")("submit_button"))
    assert re.search("[\u0600-\u06ff]", translator("ar")("submit_button"))


def test_the_switch_offers_languages_that_both_the_instrument_and_the_pages_have() -> None:
    choices = language_choices(("da", "en", "uk", "ar", "so"))
    assert [(c.tag, c.name, c.direction) for c in choices] == [
        ("da", "Dansk", "ltr"), ("en", "English", "ltr"), ("uk", "Українська", "ltr"), ("ar", "العربية", "rtl"),
    ]
    assert pick_language("ar") == "ar" and pick_language("so") == "da" and pick_language(None) == "da"
    assert translator("xx")("next_button") == "Næste"
