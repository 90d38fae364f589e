"""Tests for the instrument format: validation reports every problem with file, question and reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from surveys.instruments import (
    PUPIL_INSTRUMENT,
    STAFF_INSTRUMENT,
    InstrumentError,
    Problem,
    builtin_instruments,
    load_instrument,
    load_instrument_text,
    validate_paths,
)
from tests.unit.instrument_texts import MINIMAL

FIXTURES = Path(__file__).parent / "instrument_fixtures"
FORMAT_DOC = Path(__file__).parents[2] / "docs" / "instrument-format.md"


# ---------------------------------------------------------------- validation


def problems_of(name: str) -> list[str]:
    path = FIXTURES / name
    with pytest.raises(InstrumentError) as error:
        load_instrument(path)
    assert all(
        isinstance(p, Problem) and p.file == str(path) for p in error.value.problems
    )
    return [str(p) for p in error.value.problems]


BROKEN = {
    "duplicate_ids.toml": [
        ("ensom", "duplicate question id 'ensom'"),
        ("a", "duplicate section id 'a'"),
        ("skole", "duplicate id: item 'ensom' clashes with question 'ensom'"),
        (
            "stoffer",
            "duplicate id: variable 'stoffer_1' of multi question 'stoffer' clashes with question 'stoffer_1'",
        ),
        ("andel", "duplicate indicator id 'andel'"),
    ],
    "unknown_type.toml": [
        (
            "farve",
            "unknown question type 'dropdown' (one of single, multi, likert, scale, number, text, matrix)",
        ),
    ],
    "missing_translation.toml": [
        (None, "title: missing en text"),
        ("ensom", "text: missing en text"),
        ("ensom", "option 2: missing en text"),
        ("skole", "item glad: missing en text"),
    ],
    "bad_options.toml": [
        ("dobbelt", "option code 1 is used more than once"),
        ("tekstkode", "option 1: code must be an integer, not '1'"),
        (
            "reserveret",
            "option code 98 is reserved for 'Vil ikke svare' (set sensitive = true)",
        ),
        ("en_mulighed", "question needs at least two options"),
        ("ukendt_saet", "unknown option set 'enig7'"),
        (
            "foelsom_tal",
            "sensitive is only allowed on single, multi, likert and matrix questions",
        ),
    ],
    "bad_conditions.toml": [
        ("ukendt", "show_if refers to unknown question 'hash_ever'"),
        (
            "fremad",
            "show_if refers to 'senere', which comes later (conditions may only look back)",
        ),
        ("sig_selv", "show_if refers to the question itself"),
        ("forkert_kode", "show_if code 7 is not an option of 'hash'"),
        ("paa_tal", "show_if cannot refer to number question 'alder'"),
        ("paa_tekst", "show_if cannot refer to text question 'kommentar'"),
    ],
    "bad_indicators.toml": [
        ("ukendt_variabel", "indicator refers to unknown variable 'hash_ever'"),
        ("ukendt_kode", "yes code 3 is not a code of 'hash'"),
        ("afvist_som_ja", "yes code 98 ('Vil ikke svare') always counts as missing"),
        ("tekst_andel", "a share cannot count text variable 'kommentar'"),
        ("ikke_numerisk", "mean item 'hash' is not numeric (single question)"),
        (
            "blandet_skala",
            "mean items must share one scale: 'ensom' is 1..2, 'liv' is 0..10",
        ),
        ("forkert_vending", "reverse item 'liv' is not one of the items"),
        ("forkert_maal", "target.op must be '<=' or '>=', not '<'"),
        ("forkert_maal", "target.value of a share is a percentage (0..100), not 125"),
        ("forkert_art", "unknown indicator kind 'median' (share or mean)"),
    ],
    "bad_number_text.toml": [
        ("uden_graenser", "a number question needs min and max"),
        ("omvendt", "min (10) is greater than max (5)"),
        ("lang_tekst", "max_length must be between 1 and 2000, not 5000"),
        ("skala_graenser", "key 'min' is not allowed on a scale question"),
        ("for_mange_valg", "max_choices must be between 1 and 2, not 3"),
        ("valg_paa_single", "key 'max_choices' is not allowed on a single question"),
    ],
    "typos.toml": [
        (None, "unknown key 'titel' in the instrument (did you mean 'title'?)"),
        ("ensom", "unknown key 'requierd' in question (did you mean 'required'?)"),
        ("ensom", "text: extra dk text (dk is not in languages: da, en)"),
        ("ensom", "unknown key 'label' in option 2"),
        ("hash", "unknown key 'not_in' in show_if"),
        ("ensomme", "unknown key 'gaol' in share indicator (did you mean 'goal'?)"),
    ],
    "bad_ids.toml": [
        (None, "instrument id 'Bad_Ids' must match [a-z][a-z0-9-]*"),
        (None, "version must be a positive integer, not 0"),
        (None, "audience must be 'pupil' or 'staff', not 'parents'"),
        ("Koen", "question id 'Koen' must match [a-z][a-z0-9_]*"),
        ("klasse-trin", "question id 'klasse-trin' must match [a-z][a-z0-9_]*"),
        ("tom", "section has no questions"),
    ],
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_reports_every_problem(name: str) -> None:
    messages = problems_of(name)
    path = FIXTURES / name
    for question, reason in BROKEN[name]:
        expected = (
            f"{path}: {reason}" if question is None else f"{path}: {question}: {reason}"
        )
        assert expected in messages
    assert len(messages) >= len(BROKEN[name])


def test_required_with_show_if_is_allowed() -> None:
    messages = problems_of("bad_conditions.toml")
    assert not any(": senere:" in message for message in messages)


def test_invalid_toml_and_missing_file() -> None:
    (message,) = problems_of("invalid_toml.toml")
    assert message.startswith(f"{FIXTURES / 'invalid_toml.toml'}: invalid TOML: ")
    with pytest.raises(InstrumentError, match="cannot read file"):
        load_instrument(FIXTURES / "does_not_exist.toml")


def test_validate_paths_collects_all_files_and_clashing_ids(tmp_path: Path) -> None:
    problems = validate_paths([FIXTURES])
    assert {Path(p.file).name for p in problems} == {f"{name}" for name in BROKEN} | {
        "invalid_toml.toml"
    }
    for copy in ("a.toml", "b.toml"):
        (tmp_path / copy).write_text(MINIMAL, encoding="utf-8")
    (problem,) = validate_paths(tmp_path)
    assert (
        str(problem)
        == f"{tmp_path / 'b.toml'}: instrument id 'mini' is also used by {tmp_path / 'a.toml'}"
    )


def test_error_message_lists_problems() -> None:
    with pytest.raises(InstrumentError) as error:
        load_instrument_text(
            MINIMAL.replace('type = "text"', 'type = "essay"'), "x.toml"
        )
    assert (
        str(error.value)
        == "x.toml: hvilket: unknown question type 'essay' (one of single, multi, likert, scale, number, text, matrix)"
    )
    assert isinstance(error.value, ValueError)


def test_documented_example_loads() -> None:
    example = re.search(
        r"```toml\n(.*?)```", FORMAT_DOC.read_text(encoding="utf-8"), re.S
    )
    assert example is not None
    inst = load_instrument_text(example.group(1), "instrument-format.md")
    assert [v.name for v in inst.variables()] == [
        "hash_ever",
        "hash_month",
        "glad_for_skolen",
        "tryg_i_skolen",
    ]


def test_the_bundled_ids_name_the_bundled_files() -> None:
    bundled = builtin_instruments()
    assert bundled[PUPIL_INSTRUMENT].audience == "pupil"
    assert bundled[STAFF_INSTRUMENT].audience == "staff"
