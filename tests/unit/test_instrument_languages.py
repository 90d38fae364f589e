"""Instruments in any language: the languages table, per-language validation, snapshots, direction and names."""

from __future__ import annotations

import re

import pytest

from surveys.instruments import (
    PUPIL_INSTRUMENT,
    InstrumentError,
    builtin_instruments,
    instrument_from_dict,
    instrument_to_dict,
    language_name,
    load_instrument_text,
    text_direction,
)
from tests.unit.instrument_texts import MINIMAL

__all__: list[str] = []


def with_language(text: str, tag: str, status: str = "draft") -> str:
    """MINIMAL with a ``tag`` text after every English one and ``tag`` in its languages table."""
    text = re.sub(r'en = "([^"]*)"', lambda m: f'{m.group(0)}, {tag} = "[{tag}] {m.group(1)}"', text)
    return text.replace(
        'audience = "pupil"\n',
        f'audience = "pupil"\nlanguages = {{ da = "validated", en = "validated", {tag} = "{status}" }}\n',
    )


def problems(text: str) -> list[str]:
    with pytest.raises(InstrumentError) as error:
        load_instrument_text(text, "mini.toml")
    return [str(problem) for problem in error.value.problems]


def test_a_third_language_loads_with_its_status() -> None:
    instrument = load_instrument_text(with_language(MINIMAL, "uk"), "mini.toml")
    assert instrument.languages == ("da", "en", "uk")
    assert instrument.is_draft("uk") and not instrument.is_draft("en")
    question = instrument.question("hash")
    assert question.text.get("uk") == "[uk] Cannabis?"
    assert [option.label.get("uk") for option in question.options] == ["[uk] No", "[uk] Yes", "Не хочу відповідати"]
    # Multi questions' variables carry their labels in every language (the codebook shows them).
    labels = {variable.name: variable.label for variable in instrument.variables()}
    assert labels["stoffer_1"].get("uk") == "[uk] Drugs: [uk] Cocaine"


def test_a_language_missing_on_one_option_is_named() -> None:
    text = with_language(MINIMAL, "uk").replace(
        '{ code = 2, da = "Ja", en = "Yes", uk = "[uk] Yes" }', '{ code = 2, da = "Ja", en = "Yes" }', 1
    )
    assert problems(text) == ["mini.toml: hash: option 2: missing uk text"]


def test_missing_and_extra_texts_per_language() -> None:
    text = with_language(MINIMAL, "ar").replace(', ar = "[ar] Mini"', "", 1)  # the title
    text = text.replace('text = { da = "Hvilket?", en = "Which?"', 'text = { da = "Hvilket?", en = "Which?", pl = "Co?"')
    assert problems(text) == [
        "mini.toml: title: missing ar text",
        "mini.toml: hvilket: text: extra pl text (pl is not in languages: da, en, ar)",
    ]


def test_language_tags_and_statuses_are_checked() -> None:
    text = MINIMAL.replace(
        'audience = "pupil"\n',
        'audience = "pupil"\nlanguages = { da = "validated", en = "validated", Arabic = "draft", uk = "maybe" }\n',
    )
    found = problems(text)
    assert "mini.toml: languages: 'Arabic' is not a BCP 47 language tag such as uk, ar or sr-Latn" in found
    assert 'mini.toml: languages: uk must be "validated" or "draft", not \'maybe\'' in found
    assert "mini.toml: languages must include en" in problems(
        MINIMAL.replace('audience = "pupil"\n', 'audience = "pupil"\nlanguages = { da = "validated" }\n')
    )


def test_a_language_without_a_built_in_decline_label_needs_one() -> None:
    text = with_language(MINIMAL, "so")
    assert "mini.toml: sensitive questions need 'Vil ikke svare' in so: add decline_label with every language" in (
        problems(text)
    )
    own = text.replace(
        'intro = {', 'decline_label = { da = "Vil ikke svare", en = "Prefer not to say", so = "Ma rabo inaan jawaabo" }\nintro = {'
    )
    instrument = load_instrument_text(own, "mini.toml")
    assert instrument.question("hash").options[-1].label.get("so") == "Ma rabo inaan jawaabo"
    assert instrument_from_dict(instrument_to_dict(instrument)) == instrument


def test_the_snapshot_keeps_every_language_and_its_status() -> None:
    instrument = load_instrument_text(with_language(MINIMAL, "ar", "validated"), "mini.toml")
    data = instrument_to_dict(instrument)
    assert data["languages"] == {"da": "validated", "en": "validated", "ar": "validated"}
    assert instrument_from_dict(data) == instrument


def test_an_old_snapshot_with_a_language_list_still_loads() -> None:
    data = instrument_to_dict(load_instrument_text(MINIMAL, "mini.toml"))
    data["languages"] = ["da", "en"]
    assert instrument_from_dict(data).languages == ("da", "en")


def test_the_pupil_instrument_ships_ukrainian_and_arabic_as_drafts() -> None:
    instrument = builtin_instruments()[PUPIL_INSTRUMENT]
    assert instrument.languages == ("da", "en", "uk", "ar")
    assert instrument.drafts == ("uk", "ar")
    for question in instrument.questions():
        for lang in ("uk", "ar"):
            assert question.text.has(lang) and question.text.get(lang) != question.text.da
            assert all(option.label.has(lang) for option in question.options)


@pytest.mark.parametrize(
    ("tag", "direction", "name"),
    [("da", "ltr", "Dansk"), ("en", "ltr", "English"), ("uk", "ltr", "Українська"), ("ar", "rtl", "العربية"),
     ("fa", "rtl", "فارسی"), ("ckb", "rtl", "کوردی"), ("ku", "ltr", "Kurdî"), ("az-Arab", "rtl", "az-Arab"),
     ("sr-Latn", "ltr", "sr-Latn"), ("so", "ltr", "Soomaali")],
)
def test_direction_and_own_name(tag: str, direction: str, name: str) -> None:
    assert text_direction(tag) == direction
    assert language_name(tag) == name
